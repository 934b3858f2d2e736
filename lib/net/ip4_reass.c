/*
 * IPv4 fragment reassembly (RFC 791 3.2, RFC 815's idea of holes kept as
 * a sorted list of fragments) with bounded memory: REASS_SLOTS datagrams,
 * REASS_MEM bytes in all, REASS_TIMEOUT each. Any overlap drops the
 * datagram (RFC 5722's rule for IPv6, applied to IPv4), except an exact
 * duplicate, which the network may make.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

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

/* Drop a datagram in progress and rearm the timer for the others. */
static void reass_drop(struct atoll_netif *nif, struct reass *r)
{
    reass_free(nif, r);
    reass_rearm(nif);
}

/* A fragment contradicts what came before: the datagram goes. */
static void reass_reject(struct atoll_netif *nif, struct reass *r)
{
    nif->stats.frag_overlap++;
    reass_drop(nif, r);
}

/* Bookkeeping: each datagram's fragments sorted and disjoint, its bytes
 * counted in have and mem, within its length; the table's total. */
static void reass_check(const struct atoll_netif *nif)
{
    NET_ASSERT(nif->reass.mem <= REASS_MEM);
#ifdef NET_CHECKS
    size_t mem = 0;
    for (int i = 0; i < REASS_SLOTS; i++) {
        const struct reass *r = &nif->reass.r[i];
        uint32_t have = 0;
        size_t rmem = 0;

        for (const struct reass_frag *f = r->frags; f != NULL; f = f->next) {
            NET_ASSERT(r->used);
            NET_ASSERT(f->next == NULL ||
                       (uint32_t)f->off + f->len <= f->next->off);
            NET_ASSERT(r->total == 0 ||
                       (uint32_t)f->off + f->len <= r->total);
            have += f->len;
            rmem += sizeof *f + f->len;
        }
        NET_ASSERT(have == r->have && rmem == r->mem);
        mem += r->mem;
    }
    NET_ASSERT(mem == nif->reass.mem);
#endif
}

/* The datagram (src, dst, id, proto) in progress, or a new one, evicting
 * the oldest when every slot is taken. */
static struct reass *reass_find(struct atoll_netif *nif, uint32_t src,
                                uint32_t dst, uint16_t id, uint8_t proto)
{
    struct reass *r = NULL, *free_slot = NULL;

    for (int i = 0; i < REASS_SLOTS; i++) {
        struct reass *c = &nif->reass.r[i];

        if (!c->used) {
            if (free_slot == NULL)
                free_slot = c;
        } else if (c->src == src && c->dst == dst && c->id == id &&
                   c->proto == proto) {
            return c;
        }
    }
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
    return r;
}

/* Whether a fragment ending at end agrees with the length known so far:
 * the last fragment fixes it, nothing may lie beyond it, and a second,
 * different last fragment is an attack or a bug. */
static bool fits_length(const struct reass *r, uint32_t end, bool mf)
{
    if (mf)
        return r->total == 0 || end <= r->total;
    if (r->total != 0 && r->total != end)
        return false;
    for (const struct reass_frag *f = r->frags; f != NULL; f = f->next)
        if (f->off + f->len > end)
            return false;
    return true;
}

/* Where [off, off + len) goes in the sorted list, or NULL when it
 * overlaps a fragment held (*dup: an exact duplicate of it). */
static struct reass_frag **frag_slot(struct reass *r, uint32_t off,
                                     const uint8_t *data, uint32_t len,
                                     bool *dup)
{
    struct reass_frag **pp = &r->frags;
    const struct reass_frag *f;

    *dup = false;
    while (*pp != NULL && (*pp)->off + (*pp)->len <= off)
        pp = &(*pp)->next;
    f = *pp;
    if (f == NULL || f->off >= off + len)
        return pp;
    *dup = f->off == off && f->len == len && memcmp(f->data, data, len) == 0;
    return NULL;
}

/* Make room for need more bytes, evicting the oldest other datagrams;
 * false when r itself had to go. */
static bool make_room(struct atoll_netif *nif, struct reass *r, size_t need)
{
    while (nif->reass.mem + need > REASS_MEM) {
        struct reass *o = oldest(nif, r);

        nif->stats.frag_evicted++;
        if (o == NULL) {
            reass_drop(nif, r);
            return false;
        }
        reass_free(nif, o);
    }
    return true;
}

/* Every fragment came: deliver the datagram, [0, total) without gaps. */
static void reass_complete(struct atoll_netif *nif, struct reass *r)
{
    uint8_t *whole = malloc(r->hlen + r->total);

    if (whole == NULL) {
        nif->stats.frag_evicted++;
        reass_drop(nif, r);
        return;
    }
    memcpy(whole, r->hdr, r->hlen);
    for (const struct reass_frag *f = r->frags; f != NULL; f = f->next)
        memcpy(whole + r->hlen + f->off, f->data, f->len);
    struct ip4_pkt ip = {
        .hdr = whole, .hlen = r->hlen,
        .data = whole + r->hlen, .len = r->total,
        .src = r->src, .dst = r->dst, .proto = r->proto,
        .bcast = ip4_is_bcast(nif, r->dst),
    };
    nif->stats.frag_reassembled++;
    reass_drop(nif, r);
    ip4_deliver(nif, &ip);
    free(whole);
}

void reass_input(struct atoll_netif *nif, const uint8_t *p, size_t hlen,
                 size_t total, uint32_t off, bool mf)
{
    const uint8_t *data = p + hlen;
    uint32_t len = (uint32_t)(total - hlen), end = off + len;
    struct reass *r;
    struct reass_frag *f, **pp;
    size_t need = sizeof *f + len;
    bool dup;

    nif->stats.frag_rx++;
    if (len == 0 || (mf && (len & 7) != 0)) {
        nif->stats.ip_bad_fragment++;
        return;
    }
    if (hlen + end > IP4_MAX) { /* "ping of death" */
        nif->stats.frag_too_big++;
        return;
    }
    r = reass_find(nif, get32(p + IP4_SRC), get32(p + IP4_DST),
                   get16(p + IP4_ID), p[IP4_PROTO]);
    if (!fits_length(r, end, mf)) {
        reass_reject(nif, r);
        return;
    }
    pp = frag_slot(r, off, data, len, &dup);
    if (pp == NULL && dup) {
        nif->stats.frag_duplicate++;
        return;
    }
    if (pp == NULL) {
        reass_reject(nif, r);
        return;
    }
    if (!make_room(nif, r, need))
        return;
    f = malloc(need);
    if (f == NULL) {
        nif->stats.frag_evicted++;
        reass_drop(nif, r);
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
    reass_check(nif);
    if (r->total != 0 && r->have == r->total && r->hlen != 0)
        reass_complete(nif, r);
}

void reass_flush(struct atoll_netif *nif)
{
    for (int i = 0; i < REASS_SLOTS; i++)
        if (nif->reass.r[i].used)
            reass_free(nif, &nif->reass.r[i]);
    atoll_timer_cancel(&nif->reass.timer);
}

