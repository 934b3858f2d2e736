/*
 * IPv4 (RFC 791, host requirements of RFC 1122): header validation,
 * delivery (fragments go to ip4_reass.c), output through the subnet or
 * one default gateway, fragmentation to the MTU.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

bool ip4_is_bcast(const struct atoll_netif *nif, uint32_t addr)
{
    if (addr == ATOLL_IP4_BROADCAST)
        return true;
    return nif->ip.addr != 0 && nif->netmask != 0xffffffffu &&
           nif->netmask != 0xfffffffeu &&
           (addr & ~nif->netmask) == ~nif->netmask &&
           ((addr ^ nif->ip.addr) & nif->netmask) == 0;
}

bool ip4_is_local(const struct atoll_netif *nif, uint32_t addr)
{
    return (nif->ip.addr != 0 && addr == nif->ip.addr) ||
           ip4_is_bcast(nif, addr);
}

/* Options are ignored, but must be well formed (RFC 791 3.1). */
static bool options_ok(const uint8_t *p, size_t hlen)
{
    size_t i = IP4_HLEN;

    while (i < hlen) {
        if (p[i] == 0) /* end of option list */
            break;
        if (p[i] == 1) { /* no-operation */
            i++;
            continue;
        }
        if (i + 1 >= hlen || p[i + 1] < 2 || i + p[i + 1] > hlen)
            return false;
        i += p[i + 1];
    }
    return true;
}

void ip4_deliver(struct atoll_netif *nif, const struct ip4_pkt *ip)
{
    switch (ip->proto) {
    case IP_PROTO_ICMP:
        icmp_input(nif, ip);
        break;
    case IP_PROTO_UDP:
        udp_input(nif, ip);
        break;
    case IP_PROTO_TCP:
        tcp_input(nif, ip);
        break;
    default:
        nif->stats.ip_unknown_proto++;
        if (!ip->bcast)
            icmp_error(nif, ip, ICMP_UNREACH, ICMP_UNREACH_PROTO);
        break;
    }
}

/* ---- input ------------------------------------------------------------ */

/* Sources no packet may come from: this network (0/8), loopback,
 * multicast and class E, broadcast, and ourselves. */
static bool bad_src(const struct atoll_netif *nif, uint32_t src)
{
    uint32_t top = src >> 24;

    return top == 0 || top == 127 || (src >> 28) >= 14 ||
           ip4_is_bcast(nif, src) ||
           (nif->ip.addr != 0 && src == nif->ip.addr);
}

void ip4_input(struct atoll_netif *nif, const uint8_t *p, size_t len)
{
    size_t hlen, total;
    uint16_t frag;
    uint32_t src, dst;

    if (len < IP4_HLEN) {
        nif->stats.ip_short++;
        return;
    }
    if (ip4_version(p) != 4) {
        nif->stats.ip_version++;
        return;
    }
    hlen = ip4_hlen(p);
    if (hlen < IP4_HLEN || hlen > len) {
        nif->stats.ip_header_len++;
        return;
    }
    total = get16(p + IP4_LEN);
    if (total < hlen || total > len) {
        nif->stats.ip_total_len++;
        return;
    }
    if (net_cksum(net_sum(p, hlen, 0)) != 0) {
        nif->stats.ip_checksum++;
        return;
    }
    if (p[IP4_TTL] == 0) {
        nif->stats.ip_ttl++;
        return;
    }
    if (!options_ok(p, hlen)) {
        nif->stats.ip_bad_option++;
        return;
    }
    frag = get16(p + IP4_FRAG);
    if ((frag & IP_FLAG_RESERVED) != 0) {
        nif->stats.ip_bad_fragment++;
        return;
    }
    src = get32(p + IP4_SRC);
    dst = get32(p + IP4_DST);
    if (bad_src(nif, src)) {
        nif->stats.ip_bad_src++;
        return;
    }
    /* Without an address only broadcasts and UDP (a DHCP server may
     * unicast its offer to the address it offers) get through. */
    if (!ip4_is_local(nif, dst) &&
        !(nif->ip.addr == 0 && p[IP4_PROTO] == IP_PROTO_UDP)) {
        nif->stats.ip_not_for_us++;
        return;
    }
    if ((frag & (IP_FLAG_MF | IP_OFFSET_MASK)) != 0) {
        reass_input(nif, p, hlen, total,
                    (uint32_t)(frag & IP_OFFSET_MASK) * 8,
                    (frag & IP_FLAG_MF) != 0);
        return;
    }
    struct ip4_pkt ip = {
        .hdr = p, .hlen = hlen,
        .data = p + hlen, .len = total - hlen,
        .src = src, .dst = dst, .proto = p[IP4_PROTO],
        .bcast = ip4_is_bcast(nif, dst),
        .csum_ok = nif->rx_csum_ok,
    };
    ip4_deliver(nif, &ip);
}

/* ---- output ----------------------------------------------------------- */

static void fill_header(uint8_t *h, size_t total, uint16_t id, uint16_t frag,
                        uint8_t proto, uint32_t src, uint32_t dst)
{
    h[IP4_VHL] = IP4_VHL_DEFAULT;
    h[IP4_TOS] = 0;
    put16(h + IP4_LEN, (uint16_t)total);
    put16(h + IP4_ID, id);
    put16(h + IP4_FRAG, frag);
    h[IP4_TTL] = IP4_TTL_DEFAULT;
    h[IP4_PROTO] = proto;
    put16(h + IP4_CKSUM, 0);
    put32(h + IP4_SRC, src);
    put32(h + IP4_DST, dst);
    put16(h + IP4_CKSUM, net_cksum(net_sum(h, IP4_HLEN, 0)));
}

int ip4_output(struct atoll_netif *nif, uint32_t src, uint32_t dst,
               uint8_t proto, size_t len, bool df)
{
    uint32_t nexthop;
    uint16_t id = nif->ip_id++;

    if (len > IP4_MAX - IP4_HLEN)
        return ATOLL_ERR_MSGSIZE;
    if (src == 0)
        src = nif->ip.addr;
    if (dst == ATOLL_IP4_BROADCAST || ip4_is_bcast(nif, dst)) {
        nexthop = dst;
    } else if (nif->ip.addr == 0 || dst == nif->ip.addr || (dst >> 24) == 127 ||
               (dst >> 24) == 0 || (dst >> 28) >= 14) {
        nif->stats.ip_no_route++;
        return ATOLL_ERR_NETUNREACH;
    } else if (((dst ^ nif->ip.addr) & nif->netmask) == 0) {
        nexthop = dst;
    } else if (nif->ip.gateway != 0) {
        nexthop = nif->ip.gateway;
    } else {
        nif->stats.ip_no_route++;
        return ATOLL_ERR_NETUNREACH;
    }

    /* A TCP segment over the MTU goes whole to a device that cuts it. */
    if (IP4_HLEN + len <= nif->mtu || nif->txo.gso_size != 0) {
        fill_header(nif->tx + ETH_HLEN, IP4_HLEN + len, id,
                    df ? IP_FLAG_DF : 0, proto, src, dst);
        if (nif->vnet)
            vnet_output(nif, nif->tx, proto, IP4_HLEN + len);
        arp_output(nif, nexthop, nif->tx, ETH_HLEN + IP4_HLEN + len);
        return 0;
    }
    if (df) {
        nif->stats.ip_too_big++;
        return ATOLL_ERR_MSGSIZE;
    }
    /* Fragments carry multiples of 8 bytes, except the last. */
    size_t step = (nif->mtu - IP4_HLEN) & ~(size_t)7;
    const uint8_t *payload = net_tx_payload(nif);
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        uint16_t frag = (uint16_t)(off / 8);

        if (off + n < len)
            frag |= IP_FLAG_MF;
        fill_header(nif->frag + ETH_HLEN, IP4_HLEN + n, id, frag, proto, src,
                    dst);
        memcpy(nif->frag + ETH_HLEN + IP4_HLEN, payload + off, n);
        nif->stats.frag_tx++;
        arp_output(nif, nexthop, nif->frag, ETH_HLEN + IP4_HLEN + n);
    }
    return 0;
}
