/*
 * ICMPv4 (RFC 792, RFC 1122 3.2.2): echo replies; destination unreachable
 * and time exceeded errors, rate limited by a token bucket and never about
 * broadcasts or other ICMP errors; errors about our TCP segments are
 * passed to TCP.
 */
#include <string.h>

#include "net_internal.h"

#define ICMP_QUOTE 64 /* payload bytes quoted after the IP header */

static bool is_error_type(uint8_t type)
{
    return type == ICMP_UNREACH || type == ICMP_TIME_EXCEEDED ||
           type == 4 /* source quench */ || type == 5 /* redirect */ ||
           type == 12 /* parameter problem */;
}

static bool take_token(struct atoll_netif *nif)
{
    struct icmp_bucket *b = &nif->icmp_err;
    atoll_time_t now = net_now();
    const atoll_time_t per = 1000000000ull / ICMP_ERR_RATE;
    uint64_t add = (now - b->last) / per;

    if (add > 0) {
        b->tokens = add >= ICMP_ERR_BURST - b->tokens
                        ? ICMP_ERR_BURST
                        : b->tokens + (uint32_t)add;
        b->last += add * per;
    }
    if (b->tokens == 0) {
        nif->stats.icmp_rate_limited++;
        return false;
    }
    b->tokens--;
    return true;
}

void icmp_error(struct atoll_netif *nif, const struct ip4_pkt *ip,
                uint8_t type, uint8_t code)
{
    uint8_t *m = net_tx_payload(nif);
    size_t q, len;

    if (ip->bcast || nif->ip.addr == 0)
        return;
    if (ip->proto == IP_PROTO_ICMP &&
        (ip->len < 1 || is_error_type(ip->data[ICMP_TYPE])))
        return;
    if (!take_token(nif))
        return;
    q = ip->len < ICMP_QUOTE ? ip->len : ICMP_QUOTE;
    len = ICMP_HLEN + ip->hlen + q;
    m[ICMP_TYPE] = type;
    m[ICMP_CODE] = code;
    memset(m + ICMP_CKSUM, 0, ICMP_HLEN - ICMP_CKSUM);
    memcpy(m + ICMP_HLEN, ip->hdr, ip->hlen);
    memcpy(m + ICMP_HLEN + ip->hlen, ip->data, q);
    put16(m + ICMP_CKSUM, net_cksum(net_sum(m, len, 0)));
    if (ip4_output(nif, 0, ip->src, IP_PROTO_ICMP, len, false) == 0 &&
        type == ICMP_UNREACH)
        nif->stats.icmp_unreach_tx++;
}

static void echo(struct atoll_netif *nif, const struct ip4_pkt *ip)
{
    uint8_t *m = net_tx_payload(nif);

    nif->stats.icmp_echo_rx++;
    if (ip->bcast) /* RFC 1122 allows silence; it denies smurf attacks */
        return;
    memcpy(m, ip->data, ip->len);
    m[ICMP_TYPE] = ICMP_ECHO_REPLY;
    put16(m + ICMP_CKSUM, 0);
    put16(m + ICMP_CKSUM, net_cksum(net_sum(m, ip->len, 0)));
    ip4_output(nif, 0, ip->src, IP_PROTO_ICMP, ip->len, false);
}

void icmp_input(struct atoll_netif *nif, const struct ip4_pkt *ip)
{
    const uint8_t *m = ip->data;

    if (ip->len < ICMP_HLEN) {
        nif->stats.icmp_short++;
        return;
    }
    if (net_cksum(net_sum(m, ip->len, 0)) != 0) {
        nif->stats.icmp_checksum++;
        return;
    }
    switch (m[ICMP_TYPE]) {
    case ICMP_ECHO:
        if (m[ICMP_CODE] != 0)
            break;
        echo(nif, ip);
        return;
    case ICMP_UNREACH:
    case ICMP_TIME_EXCEEDED: {
        /* The quote: an IP header and at least 8 bytes of its payload. */
        const uint8_t *q = m + ICMP_HLEN;
        size_t qlen = ip->len - ICMP_HLEN, qh;

        if (qlen < IP4_HLEN || ip4_version(q) != 4 ||
            (qh = ip4_hlen(q)) < IP4_HLEN || qlen < qh + 8 ||
            get32(q + IP4_SRC) != nif->ip.addr || nif->ip.addr == 0) {
            nif->stats.icmp_short++;
            return;
        }
        if (q[IP4_PROTO] == IP_PROTO_TCP)
            tcp_icmp_error(nif, m[ICMP_TYPE], m[ICMP_CODE], q, qlen,
                           get16(m + ICMP_NEXT_MTU));
        else
            nif->stats.icmp_other++;
        return;
    }
    default:
        break;
    }
    nif->stats.icmp_other++;
}
