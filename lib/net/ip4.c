/*
 * IPv4 (RFC 791, host requirements of RFC 1122): header validation,
 * fragment reassembly with bounded memory and a timeout, output through
 * the subnet or one default gateway, fragmentation to the MTU.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#define IP_FLAG_RESERVED 0x8000
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_OFFSET_MASK 0x1fff

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

static void deliver(struct atoll_netif *nif, const struct ip4_pkt *ip)
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

/* ---- reassembly ------------------------------------------------------- */

static void reass_free(struct atoll_netif *nif, struct reass *r)
{
    struct reass_frag *f = r->frags;

    while (f != NULL) {
        struct reass_frag *next = f->next;

        free(f);
        f = next;
    }
    nif->reass.mem -= r->mem;
    memset(r, 0, sizeof *r);
}

static void reass_timer(struct atoll_timer *t, void *arg);

static void reass_rearm(struct atoll_netif *nif)
{
    atoll_time_t next = UINT64_MAX;

    for (int i = 0; i < REASS_SLOTS; i++) {
        struct reass *r = &nif->reass.r[i];

        if (r->used && r->expires < next)
            next = r->expires;
    }
    if (next == UINT64_MAX)
        atoll_timer_cancel(&nif->reass.timer);
    else
        atoll_timer_arm(&nif->reass.timer, next, reass_timer, nif);
}

static void reass_timer(struct atoll_timer *t, void *arg)
{
    struct atoll_netif *nif = arg;
    atoll_time_t now = net_now();

    (void)t;
    for (int i = 0; i < REASS_SLOTS; i++) {
        struct reass *r = &nif->reass.r[i];

        if (!r->used || now < r->expires)
            continue;
        nif->stats.frag_timeout++;
        /* RFC 792: time exceeded in reassembly, if the first fragment
         * (which the message quotes) came. */
        if (r->hlen != 0 && r->frags != NULL && r->frags->off == 0) {
            struct ip4_pkt ip = {
                .hdr = r->hdr, .hlen = r->hlen,
                .data = r->frags->data, .len = r->frags->len,
                .src = r->src, .dst = r->dst, .proto = r->proto,
            };
            icmp_error(nif, &ip, ICMP_TIME_EXCEEDED, 1);
        }
        reass_free(nif, r);
    }
    reass_rearm(nif);
}

/* The datagram in progress that has been around longest, other than
 * keep. */
static struct reass *oldest(struct atoll_netif *nif, const struct reass *keep)
{
    struct reass *o = NULL;

    for (int i = 0; i < REASS_SLOTS; i++) {
        struct reass *r = &nif->reass.r[i];

        if (r->used && r != keep && (o == NULL || r->expires < o->expires))
            o = r;
    }
    return o;
}

static void reass_input(struct atoll_netif *nif, const uint8_t *p,
                        size_t hlen, size_t total, uint32_t off, bool mf)
{
    uint32_t src = get32(p + 12), dst = get32(p + 16);
    uint16_t id = get16(p + 4);
    uint8_t proto = p[9];
    const uint8_t *data = p + hlen;
    uint32_t len = (uint32_t)(total - hlen), end = off + len;
    struct reass *r = NULL, *free_slot = NULL;
    struct reass_frag *f, **pp;
    size_t need;

    nif->stats.frag_rx++;
    if (len == 0 || (mf && (len & 7) != 0)) {
        nif->stats.ip_bad_fragment++;
        return;
    }
    if (hlen + end > IP4_MAX) { /* "ping of death" */
        nif->stats.frag_too_big++;
        return;
    }
    for (int i = 0; i < REASS_SLOTS; i++) {
        struct reass *c = &nif->reass.r[i];

        if (!c->used) {
            if (free_slot == NULL)
                free_slot = c;
        } else if (c->src == src && c->dst == dst && c->id == id &&
                   c->proto == proto) {
            r = c;
            break;
        }
    }
    if (r == NULL) {
        if (free_slot == NULL) {
            free_slot = oldest(nif, NULL);
            nif->stats.frag_evicted++;
            reass_free(nif, free_slot);
        }
        r = free_slot;
        r->used = true;
        r->src = src;
        r->dst = dst;
        r->id = id;
        r->proto = proto;
        r->expires = net_now() + REASS_TIMEOUT;
        reass_rearm(nif);
    }

    /* The last fragment fixes the length; nothing may lie beyond it, and
     * a second, different last fragment is an attack or a bug. */
    if (!mf) {
        if (r->total != 0 && r->total != end)
            goto bad;
        for (f = r->frags; f != NULL; f = f->next)
            if (f->off + f->len > end)
                goto bad;
    } else if (r->total != 0 && end > r->total) {
        goto bad;
    }
    /* Find the place in the sorted list; any overlap drops the datagram
     * (RFC 5722's rule for IPv6, applied to IPv4), except an exact
     * duplicate, which the network may make. */
    for (pp = &r->frags; *pp != NULL && (*pp)->off + (*pp)->len <= off;
         pp = &(*pp)->next)
        ;
    if (*pp != NULL && (*pp)->off < end) {
        f = *pp;
        if (f->off == off && f->len == len &&
            memcmp(f->data, data, len) == 0) {
            nif->stats.frag_duplicate++;
            return;
        }
        goto bad;
    }
    need = sizeof *f + len;
    while (nif->reass.mem + need > REASS_MEM) {
        struct reass *o = oldest(nif, r);

        if (o == NULL) {
            nif->stats.frag_evicted++;
            reass_free(nif, r);
            reass_rearm(nif);
            return;
        }
        nif->stats.frag_evicted++;
        reass_free(nif, o);
    }
    f = malloc(need);
    if (f == NULL) {
        nif->stats.frag_evicted++;
        reass_free(nif, r);
        reass_rearm(nif);
        return;
    }
    f->off = (uint16_t)off;
    f->len = (uint16_t)len;
    memcpy(f->data, data, len);
    f->next = *pp;
    *pp = f;
    r->have += len;
    r->mem += need;
    nif->reass.mem += need;
    if (!mf)
        r->total = end;
    if (off == 0) {
        memcpy(r->hdr, p, hlen);
        r->hlen = (uint8_t)hlen;
    }
    if (r->total == 0 || r->have != r->total || r->hlen == 0)
        return;

    /* Complete: the fragments cover [0, total) without gaps. */
    uint8_t *whole = malloc(r->hlen + r->total);
    if (whole == NULL) {
        nif->stats.frag_evicted++;
        reass_free(nif, r);
        reass_rearm(nif);
        return;
    }
    memcpy(whole, r->hdr, r->hlen);
    for (f = r->frags; f != NULL; f = f->next)
        memcpy(whole + r->hlen + f->off, f->data, f->len);
    struct ip4_pkt ip = {
        .hdr = whole, .hlen = r->hlen,
        .data = whole + r->hlen, .len = r->total,
        .src = src, .dst = dst, .proto = proto,
        .bcast = ip4_is_bcast(nif, dst),
    };
    nif->stats.frag_reassembled++;
    reass_free(nif, r);
    reass_rearm(nif);
    deliver(nif, &ip);
    free(whole);
    return;
bad:
    nif->stats.frag_overlap++;
    reass_free(nif, r);
    reass_rearm(nif);
}

void reass_flush(struct atoll_netif *nif)
{
    for (int i = 0; i < REASS_SLOTS; i++)
        if (nif->reass.r[i].used)
            reass_free(nif, &nif->reass.r[i]);
    atoll_timer_cancel(&nif->reass.timer);
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
    if (p[0] >> 4 != 4) {
        nif->stats.ip_version++;
        return;
    }
    hlen = (size_t)(p[0] & 0x0f) * 4;
    if (hlen < IP4_HLEN || hlen > len) {
        nif->stats.ip_header_len++;
        return;
    }
    total = get16(p + 2);
    if (total < hlen || total > len) {
        nif->stats.ip_total_len++;
        return;
    }
    if (net_cksum(net_sum(p, hlen, 0)) != 0) {
        nif->stats.ip_checksum++;
        return;
    }
    if (p[8] == 0) {
        nif->stats.ip_ttl++;
        return;
    }
    if (!options_ok(p, hlen)) {
        nif->stats.ip_bad_option++;
        return;
    }
    frag = get16(p + 6);
    if ((frag & IP_FLAG_RESERVED) != 0) {
        nif->stats.ip_bad_fragment++;
        return;
    }
    src = get32(p + 12);
    dst = get32(p + 16);
    if (bad_src(nif, src)) {
        nif->stats.ip_bad_src++;
        return;
    }
    /* Without an address only broadcasts and UDP (a DHCP server may
     * unicast its offer to the address it offers) get through. */
    if (!ip4_is_local(nif, dst) &&
        !(nif->ip.addr == 0 && p[9] == IP_PROTO_UDP)) {
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
        .src = src, .dst = dst, .proto = p[9],
        .bcast = ip4_is_bcast(nif, dst),
    };
    deliver(nif, &ip);
}

/* ---- output ----------------------------------------------------------- */

static void fill_header(uint8_t *h, size_t total, uint16_t id, uint16_t frag,
                        uint8_t proto, uint32_t src, uint32_t dst)
{
    h[0] = 0x45;
    h[1] = 0;
    put16(h + 2, (uint16_t)total);
    put16(h + 4, id);
    put16(h + 6, frag);
    h[8] = IP4_TTL;
    h[9] = proto;
    put16(h + 10, 0);
    put32(h + 12, src);
    put32(h + 16, dst);
    put16(h + 10, net_cksum(net_sum(h, IP4_HLEN, 0)));
}

int ip4_output(struct atoll_netif *nif, uint32_t src, uint32_t dst,
               uint8_t proto, size_t len, bool df)
{
    uint32_t nexthop;
    uint16_t id = nif->ip_id++;

    if (len > IP4_MAX - IP4_HLEN)
        return ATOLL_NET_EMSGSIZE;
    if (src == 0)
        src = nif->ip.addr;
    if (dst == ATOLL_IP4_BROADCAST || ip4_is_bcast(nif, dst)) {
        nexthop = dst;
    } else if (nif->ip.addr == 0 || dst == nif->ip.addr || (dst >> 24) == 127 ||
               (dst >> 24) == 0 || (dst >> 28) >= 14) {
        nif->stats.ip_no_route++;
        return ATOLL_NET_ENETUNREACH;
    } else if (((dst ^ nif->ip.addr) & nif->netmask) == 0) {
        nexthop = dst;
    } else if (nif->ip.gateway != 0) {
        nexthop = nif->ip.gateway;
    } else {
        nif->stats.ip_no_route++;
        return ATOLL_NET_ENETUNREACH;
    }

    if (IP4_HLEN + len <= nif->mtu) {
        fill_header(nif->tx + ETH_HLEN, IP4_HLEN + len, id,
                    df ? IP_FLAG_DF : 0, proto, src, dst);
        arp_output(nif, nexthop, nif->tx, ETH_HLEN + IP4_HLEN + len);
        return 0;
    }
    if (df) {
        nif->stats.ip_too_big++;
        return ATOLL_NET_EMSGSIZE;
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
