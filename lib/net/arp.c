/*
 * ARP (RFC 826) for IPv4 over Ethernet: a bounded cache whose entries are
 * trusted for ARP_TTL, refreshed while in use and forgotten when a refresh
 * goes unanswered; requests retried ARP_TRIES times; a bounded queue of
 * frames per unresolved address; replies only for our own address; a
 * gratuitous request when an address is set (RFC 5227 announcement).
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"


static const uint8_t zero_mac[ATOLL_NET_ALEN];

static void arp_send(struct atoll_netif *nif, uint16_t op,
                     const uint8_t *eth_dst, const uint8_t *tha, uint32_t spa,
                     uint32_t tpa)
{
    /* Padded to Ethernet's minimum frame, after a plain virtio-net
     * header's room. */
    uint8_t buf[NET_HEADROOM + 60] = {0};
    uint8_t *f = buf + NET_HEADROOM;
    uint8_t *a = f + ETH_HLEN;

    put16(a + ARP_HTYPE, ARP_HTYPE_ETHER);
    put16(a + ARP_PTYPE, ETH_TYPE_IP4);
    a[ARP_HLEN] = ATOLL_NET_ALEN;
    a[ARP_PLEN] = ARP_PLEN_IP4;
    put16(a + ARP_OP, op);
    memcpy(a + ARP_SHA, nif->dev.mac, ATOLL_NET_ALEN);
    put32(a + ARP_SPA, spa);
    memcpy(a + ARP_THA, tha, ATOLL_NET_ALEN);
    put32(a + ARP_TPA, tpa);
    eth_output(nif, f, sizeof buf - NET_HEADROOM, eth_dst, ETH_TYPE_ARP);
}

static void request(struct atoll_netif *nif, struct arp_entry *e,
                    const uint8_t *eth_dst)
{
    arp_send(nif, ARP_OP_REQUEST, eth_dst, zero_mac, nif->ip.addr, e->ip);
    nif->stats.arp_requests_tx++;
    e->asked = net_now();
}

void arp_announce(struct atoll_netif *nif)
{
    arp_send(nif, ARP_OP_REQUEST, net_bcast_mac, zero_mac, nif->ip.addr,
             nif->ip.addr);
    nif->stats.arp_requests_tx++;
}

static void drop_queue(struct arp_entry *e)
{
    struct arp_pending *p = e->queue;

    while (p != NULL) {
        struct arp_pending *next = p->next;

        free(p);
        p = next;
    }
    e->queue = NULL;
    e->qframes = e->qbytes = 0;
}

static void free_entry(struct atoll_netif *nif, struct arp_entry *e)
{
    nif->stats.arp_unresolved += e->qframes;
    drop_queue(e);
    memset(e, 0, sizeof *e);
}

static struct arp_entry *find(struct atoll_netif *nif, uint32_t ip)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &nif->arp.e[i];

        if (e->state != ARP_FREE && e->ip == ip)
            return e;
    }
    return NULL;
}

/* A free entry, or the one whose loss costs least: the resolved entry
 * confirmed longest ago, else the unresolved one asked longest ago. */
static struct arp_entry *alloc(struct atoll_netif *nif, uint32_t ip)
{
    struct arp_entry *victim = NULL;

    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &nif->arp.e[i];

        if (e->state == ARP_FREE) {
            victim = e;
            goto found;
        }
        if (victim == NULL ||
            (e->state == ARP_REACHABLE && victim->state != ARP_REACHABLE) ||
            (e->state == victim->state &&
             (e->state == ARP_REACHABLE ? e->confirmed < victim->confirmed
                                        : e->asked < victim->asked)))
            victim = e;
    }
    nif->stats.arp_evicted++;
    free_entry(nif, victim);
found:
    victim->ip = ip;
    return victim;
}

static void arp_timer(struct atoll_timer *t, void *arg);

/* Arm the retry timer for the earliest unresolved entry. */
static void rearm(struct atoll_netif *nif)
{
    atoll_time_t next = UINT64_MAX;

    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &nif->arp.e[i];

        if (e->state == ARP_INCOMPLETE && e->asked + ARP_RETRY < next)
            next = e->asked + ARP_RETRY;
    }
    if (next == UINT64_MAX)
        atoll_timer_cancel(&nif->arp.timer);
    else
        atoll_timer_arm(&nif->arp.timer, next, arp_timer, nif);
}

static void arp_timer(struct atoll_timer *t, void *arg)
{
    struct atoll_netif *nif = arg;
    atoll_time_t now = net_now();

    (void)t;
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &nif->arp.e[i];

        if (e->state != ARP_INCOMPLETE || now < e->asked + ARP_RETRY)
            continue;
        if (e->tries >= ARP_TRIES) {
            NET_DEBUG("arp: no answer for %u.%u.%u.%u", e->ip >> 24,
                      e->ip >> 16 & 0xff, e->ip >> 8 & 0xff, e->ip & 0xff);
            free_entry(nif, e);
            continue;
        }
        e->tries++;
        request(nif, e, net_bcast_mac);
    }
    rearm(nif);
}

/* Only an unresolved entry queues frames, within its bounds, and its
 * counts are those of its queue. */
static void queue_check(const struct arp_entry *e)
{
    NET_ASSERT(e->queue == NULL || e->state == ARP_INCOMPLETE);
    NET_ASSERT(e->qframes <= ARP_QUEUE_FRAMES);
    NET_ASSERT(e->qbytes <= ARP_QUEUE_BYTES);
#ifdef NET_CHECKS
    size_t n = 0, bytes = 0;
    for (const struct arp_pending *p = e->queue; p != NULL; p = p->next) {
        n++;
        bytes += p->len;
    }
    NET_ASSERT(n == e->qframes && bytes == e->qbytes);
#endif
}

static void resolved(struct atoll_netif *nif, struct arp_entry *e,
                     const uint8_t *mac)
{
    struct arp_pending *p = e->queue;

    memcpy(e->mac, mac, ATOLL_NET_ALEN);
    e->state = ARP_REACHABLE;
    e->confirmed = net_now();
    e->tries = 0;
    e->queue = NULL;
    e->qframes = e->qbytes = 0;
    while (p != NULL) {
        struct arp_pending *next = p->next;

        eth_output(nif, p->frame + NET_HEADROOM, p->len, mac, ETH_TYPE_IP4);
        free(p);
        p = next;
    }
}

void arp_input(struct atoll_netif *nif, const uint8_t *a, size_t len)
{
    uint32_t spa, tpa;
    const uint8_t *sha;
    uint16_t op;
    struct arp_entry *e;
    bool for_us;

    if (len < ARP_LEN || get16(a + ARP_HTYPE) != ARP_HTYPE_ETHER ||
        get16(a + ARP_PTYPE) != ETH_TYPE_IP4 ||
        a[ARP_HLEN] != ATOLL_NET_ALEN || a[ARP_PLEN] != ARP_PLEN_IP4) {
        nif->stats.arp_malformed++;
        return;
    }
    op = get16(a + ARP_OP);
    sha = a + ARP_SHA;
    spa = get32(a + ARP_SPA);
    tpa = get32(a + ARP_TPA);
    /* A sender hardware address must be a unicast MAC. */
    if ((op != ARP_OP_REQUEST && op != ARP_OP_REPLY) || (sha[0] & 1) != 0 ||
        memcmp(sha, zero_mac, ATOLL_NET_ALEN) == 0) {
        nif->stats.arp_malformed++;
        return;
    }
    if (nif->ip.addr == 0) {
        nif->stats.arp_not_for_us++;
        return;
    }
    if (spa == nif->ip.addr &&
        memcmp(sha, nif->dev.mac, ATOLL_NET_ALEN) != 0) {
        uint64_t n = ++nif->stats.arp_conflict;

        /* Logged at counts 1, 2, 4, 8...: a flood cannot flood the log. */
        if ((n & (n - 1)) == 0) {
            atoll_log(ATOLL_LOG_WARN,
                      "net: arp: another host (%02x:%02x:%02x:%02x:%02x:%02x)"
                      " claims our address",
                      sha[0], sha[1], sha[2], sha[3], sha[4], sha[5]);
        }
        return;
    }
    for_us = tpa == nif->ip.addr;
    /* RFC 826: update an entry we have; add one only when the packet is
     * meant for us. Probes (sender 0.0.0.0) teach nothing. */
    e = spa != 0 ? find(nif, spa) : NULL;
    if (e == NULL && for_us && spa != 0 && !ip4_is_bcast(nif, spa))
        e = alloc(nif, spa);
    if (e != NULL) {
        bool was_waiting = e->state == ARP_INCOMPLETE;

        resolved(nif, e, sha);
        if (was_waiting)
            rearm(nif);
    }
    if (!for_us) {
        nif->stats.arp_not_for_us++;
        return;
    }
    if (op == ARP_OP_REQUEST) {
        nif->stats.arp_requests_rx++;
        arp_send(nif, ARP_OP_REPLY, sha, sha, nif->ip.addr, spa);
        nif->stats.arp_replies_tx++;
    }
}

void arp_output(struct atoll_netif *nif, uint32_t nexthop, uint8_t *frame,
                size_t len)
{
    struct arp_entry *e;
    struct arp_pending *p;
    atoll_time_t now;

    if (nexthop == ATOLL_IP4_BROADCAST || ip4_is_bcast(nif, nexthop)) {
        eth_output(nif, frame, len, net_bcast_mac, ETH_TYPE_IP4);
        return;
    }
    now = net_now();
    e = find(nif, nexthop);
    if (e != NULL && e->state == ARP_REACHABLE) {
        if (now - e->confirmed <= ARP_TTL) {
            eth_output(nif, frame, len, e->mac, ETH_TYPE_IP4);
            return;
        }
        if (now - e->confirmed <= ARP_TTL + ARP_TRIES * ARP_RETRY) {
            /* Stale: keep using it while asking the host directly. */
            if (now - e->asked >= ARP_RETRY)
                request(nif, e, e->mac);
            eth_output(nif, frame, len, e->mac, ETH_TYPE_IP4);
            return;
        }
        /* The refreshes went unanswered: resolve from scratch. */
        e->state = ARP_INCOMPLETE;
        e->tries = 1;
        request(nif, e, net_bcast_mac);
        rearm(nif);
    } else if (e == NULL) {
        e = alloc(nif, nexthop);
        e->state = ARP_INCOMPLETE;
        e->tries = 1;
        request(nif, e, net_bcast_mac);
        rearm(nif);
    }
    if (e->qframes >= ARP_QUEUE_FRAMES || e->qbytes + len > ARP_QUEUE_BYTES) {
        nif->stats.arp_queue_full++;
        return;
    }
    p = malloc(sizeof *p + NET_HEADROOM + len);
    if (p == NULL) {
        nif->stats.arp_queue_full++;
        return;
    }
    p->next = NULL;
    p->len = len;
    memcpy(p->frame, frame - NET_HEADROOM, NET_HEADROOM + len);
    struct arp_pending **tail = &e->queue;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = p;
    e->qframes++;
    e->qbytes += len;
    queue_check(e);
}

void arp_flush(struct atoll_netif *nif)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        drop_queue(&nif->arp.e[i]);
        memset(&nif->arp.e[i], 0, sizeof nif->arp.e[i]);
    }
    atoll_timer_cancel(&nif->arp.timer);
}
