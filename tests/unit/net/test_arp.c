/*
 * Ethernet and ARP: frames not for us, malformed ARP packets (each
 * counted under its reason and dropped), replies for our address only,
 * the bounded cache, retries, expiry, the queue of waiting frames and
 * gratuitous ARP.
 */
#include "frames.h"

static const uint8_t zero6[6];

/* A UDP datagram from us to dst (port 9), to make the stack resolve. */
static int send_to(struct t_dev *d, uint32_t dst, size_t len)
{
    static uint8_t data[2000];
    struct atoll_udp *s = d->nif->udp; /* the only socket, once bound */

    if (s == NULL && atoll_udp_bind(d->nif, 5000, &s) != 0)
        abort();
    return atoll_udp_sendto(s, dst, 9, data, len);
}

static const char *arp_frame_check(const struct t_frame *f, uint16_t op,
                                   const uint8_t *eth_dst,
                                   const uint8_t *sha, uint32_t spa,
                                   const uint8_t *tha, uint32_t tpa)
{
    const uint8_t *a = f->data + ETH_HLEN;

    if (f->len < ETH_HLEN + 28 || get16(f->data + 12) != ETH_TYPE_ARP)
        T_FAILF("not an ARP frame");
    if (memcmp(f->data, eth_dst, 6) != 0)
        T_FAILF("wrong Ethernet destination");
    if (get16(a) != 1 || get16(a + 2) != ETH_TYPE_IP4 || a[4] != 6 ||
        a[5] != 4 || get16(a + 6) != op)
        T_FAILF("bad ARP header (op %u)", get16(a + 6));
    if (memcmp(a + 8, sha, 6) != 0 || get32(a + 14) != spa ||
        memcmp(a + 18, tha, 6) != 0 || get32(a + 24) != tpa)
        T_FAILF("wrong ARP addresses");
    return NULL;
}

static const char *gratuitous_on_configure(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct atoll_ip4_config c = {T_IP(2), 24, T_IP(1)};
    struct t_frame *f;

    T_ASSERT(atoll_netif_set_ipv4(d->nif, &c) == 0);
    f = t_pop(d);
    T_ASSERT(f != NULL);
    const char *why = arp_frame_check(f, 1, net_bcast_mac, d->dev.mac,
                                      T_IP(2), zero6, T_IP(2));
    free(f);
    T_CHECK(why);
    T_ASSERT(t_pop(d) == NULL);
    return NULL;
}

static const char *bad_configurations_refused(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    static const struct atoll_ip4_config bad[] = {
        {ATOLL_IP4(0, 1, 2, 3), 8, 0},       /* this network */
        {ATOLL_IP4(127, 0, 0, 1), 8, 0},     /* loopback */
        {ATOLL_IP4(224, 0, 0, 1), 24, 0},    /* multicast */
        {ATOLL_IP4(10, 0, 0, 0), 24, 0},     /* the network address */
        {ATOLL_IP4(10, 0, 0, 255), 24, 0},   /* its broadcast address */
        {ATOLL_IP4(10, 0, 0, 2), 33, 0},     /* prefix */
        {ATOLL_IP4(10, 0, 0, 2), 24, ATOLL_IP4(10, 0, 1, 1)}, /* off-link gw */
        {ATOLL_IP4(10, 0, 0, 2), 24, ATOLL_IP4(10, 0, 0, 2)}, /* gw is us */
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (atoll_netif_set_ipv4(d->nif, &bad[i]) != ATOLL_ERR_INVAL)
            T_FAILF("configuration %zu accepted", i);
    T_ASSERT(d->count == 0);
    struct atoll_ip4_config ok = {ATOLL_IP4(10, 0, 0, 2), 31, 0};
    T_ASSERT(atoll_netif_set_ipv4(d->nif, &ok) == 0); /* RFC 3021 */
    return NULL;
}

static const char *eth_short_and_foreign(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[64] = {0};
    struct atoll_net_stats s;
    uint8_t other[6] = {2, 0, 0, 0, 0, 9};
    uint8_t mcast[6] = {0x33, 0x33, 0, 0, 0, 1};

    for (size_t len = 0; len < ETH_HLEN; len++) {
        s = t_stats(d);
        t_input(d, f, len);
        T_CHECK(t_only(d, &s, "eth_short", 1, ""));
    }
    s = t_stats(d);
    t_eth(f, other, t_peer_mac, ETH_TYPE_IP4);
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "eth_not_for_us", 1, ""));
    s = t_stats(d);
    t_eth(f, mcast, t_peer_mac, ETH_TYPE_IP4);
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "eth_not_for_us", 1, ""));
    s = t_stats(d);
    t_eth(f, d->dev.mac, t_peer_mac, 0x86dd); /* IPv6 */
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "eth_unknown_type", 1, ""));
    s = t_stats(d);
    t_eth(f, d->dev.mac, t_peer_mac, 0x8100); /* a VLAN tag */
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "eth_unknown_type", 1, ""));
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *arp_reply_for_us_only(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[60] = {0};
    struct atoll_net_stats s = t_stats(d);
    struct t_frame *out;

    t_eth(f, net_bcast_mac, t_peer_mac, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 1, t_peer_mac, T_PEER_IP, zero6, T_IP(2));
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "arp_requests_rx", 1,
                   "arp_replies_tx tx_frames"));
    out = t_pop(d);
    T_ASSERT(out != NULL);
    const char *why = arp_frame_check(out, 2, t_peer_mac, d->dev.mac,
                                      T_IP(2), t_peer_mac, T_PEER_IP);
    free(out);
    T_CHECK(why);
    T_ASSERT(d->count == 0);

    /* The requester was learned: sending to it needs no request. */
    T_ASSERT(send_to(d, T_PEER_IP, 10) == 0);
    out = t_pop(d);
    T_ASSERT(out != NULL && get16(out->data + 12) == ETH_TYPE_IP4 &&
             memcmp(out->data, t_peer_mac, 6) == 0);
    free(out);

    /* A request for someone else: no answer, and nothing learned. */
    uint8_t mac3[6] = {2, 0, 0, 0, 0, 3};
    s = t_stats(d);
    t_arp(f + ETH_HLEN, 1, mac3, T_IP(3), zero6, T_IP(4));
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "arp_not_for_us", 1, ""));
    T_ASSERT(d->count == 0);
    T_ASSERT(send_to(d, T_IP(3), 10) == 0);
    out = t_pop(d);
    why = arp_frame_check(out, 1, net_bcast_mac, d->dev.mac, T_IP(2), zero6,
                          T_IP(3));
    free(out);
    T_CHECK(why);
    return NULL;
}

static const char *arp_malformed(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[60];
    struct atoll_net_stats s;
    uint8_t mcast[6] = {1, 0, 0x5e, 0, 0, 1};

    for (int c = 0; c < 10; c++) {
        size_t len = sizeof f;

        memset(f, 0, sizeof f);
        t_eth(f, net_bcast_mac, t_peer_mac, ETH_TYPE_ARP);
        t_arp(f + ETH_HLEN, 1, t_peer_mac, T_PEER_IP, zero6, T_IP(2));
        uint8_t *a = f + ETH_HLEN;
        switch (c) {
        case 0: len = ETH_HLEN + 27; break;   /* short */
        case 1: put16(a, 6); break;           /* hardware type */
        case 2: put16(a + 2, 0x86dd); break;  /* protocol type */
        case 3: a[4] = 8; break;              /* hardware length */
        case 4: a[5] = 16; break;             /* protocol length */
        case 5: put16(a + 6, 3); break;       /* RARP request */
        case 6: put16(a + 6, 0); break;       /* no operation */
        case 7: memcpy(a + 8, mcast, 6); break;  /* multicast sender */
        case 8: memcpy(a + 8, zero6, 6); break;  /* zero sender */
        case 9: len = ETH_HLEN; break;        /* empty */
        }
        s = t_stats(d);
        t_input(d, f, len);
        T_CHECK(t_only(d, &s, "arp_malformed", 1, ""));
        T_ASSERT(d->count == 0);
    }
    return NULL;
}

static const char *arp_conflict_and_probe(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[60] = {0};
    struct atoll_net_stats s = t_stats(d);

    /* Someone else claims 10.0.0.2. */
    t_eth(f, net_bcast_mac, t_peer_mac, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 1, t_peer_mac, T_IP(2), zero6, T_IP(2));
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "arp_conflict", 1, ""));
    T_ASSERT(d->count == 0);

    /* A probe (RFC 5227: sender 0.0.0.0) for our address is answered
     * but teaches nothing. */
    s = t_stats(d);
    t_arp(f + ETH_HLEN, 1, t_peer_mac, 0, zero6, T_IP(2));
    t_input(d, f, sizeof f);
    T_CHECK(t_only(d, &s, "arp_requests_rx", 1, "arp_replies_tx tx_frames"));
    t_drain(d);
    T_ASSERT(send_to(d, 0, 1) == ATOLL_ERR_INVAL);
    T_ASSERT(send_to(d, T_PEER_IP, 1) == 0);
    struct t_frame *out = t_pop(d);
    T_ASSERT(out != NULL && get16(out->data + 12) == ETH_TYPE_ARP);
    free(out);

    /* Without an address, nothing is answered. */
    struct t_dev *u = t_dev_new(3, false, false);
    s = t_stats(u);
    t_eth(f, net_bcast_mac, t_peer_mac, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 1, t_peer_mac, T_PEER_IP, zero6, T_IP(3));
    t_input(u, f, sizeof f);
    T_CHECK(t_only(u, &s, "arp_not_for_us", 1, ""));
    T_ASSERT(u->count == 0);
    return NULL;
}

static const char *resolve_queue_and_flush(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_net_stats s = t_stats(d);
    uint8_t f[60] = {0};
    struct t_frame *out;

    for (int i = 0; i < 20; i++)
        T_ASSERT(send_to(d, T_IP(7), 100 + (size_t)i) == 0);
    /* One request; 16 frames wait, 4 did not fit. */
    T_ASSERT(d->count == 1);
    T_CHECK(t_only(d, &s, "arp_queue_full", 4,
                   "arp_requests_tx tx_frames udp_tx"));
    t_drain(d);
    uint8_t mac7[6] = {2, 0, 0, 0, 0, 7};
    t_eth(f, d->dev.mac, mac7, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 2, mac7, T_IP(7), d->dev.mac, T_IP(2));
    t_input(d, f, sizeof f);
    /* The 16 waiting frames leave in order, to the answered MAC. */
    T_ASSERT(d->count == 16);
    for (int i = 0; i < 16; i++) {
        struct t_pkt pk;

        out = t_pop(d);
        const char *why = t_parse(out, &pk);
        if (why == NULL && (memcmp(out->data, mac7, 6) != 0 ||
                            pk.l4len != UDP_HLEN + 100 + (size_t)i))
            why = "wrong frame after resolution";
        free(out);
        T_CHECK(why);
    }
    return NULL;
}

static const char *retries_then_give_up(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_net_stats s;
    atoll_time_t next;

    T_ASSERT(send_to(d, T_IP(7), 10) == 0);
    T_ASSERT(send_to(d, T_IP(7), 10) == 0);
    T_ASSERT(d->count == 1);
    t_drain(d);
    s = t_stats(d);
    t_advance(ARP_RETRY - 1);
    T_ASSERT(d->count == 0);
    t_advance(1);
    T_ASSERT(d->count == 1); /* second request */
    t_advance(ARP_RETRY);
    T_ASSERT(d->count == 2); /* third */
    for (int i = 0; i < 2; i++) {
        struct t_frame *out = t_pop(d);
        const char *why = arp_frame_check(out, 1, net_bcast_mac, d->dev.mac,
                                          T_IP(2), zero6, T_IP(7));
        free(out);
        T_CHECK(why);
    }
    t_advance(ARP_RETRY);
    T_ASSERT(d->count == 0);
    /* The two waiting frames are dropped and counted; no timer left. */
    T_CHECK(t_only(d, &s, "arp_unresolved", 2,
                   "arp_requests_tx tx_frames"));
    T_ASSERT(!rt_timers_next(&next));
    /* A new attempt starts from scratch. */
    T_ASSERT(send_to(d, T_IP(7), 10) == 0);
    T_ASSERT(d->count == 1);
    return NULL;
}

static const char *expiry_and_refresh(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct t_frame *out;
    const char *why;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    t_advance(ARP_TTL + 1);
    /* Stale: the frame still goes out, with a unicast refresh before. */
    T_ASSERT(send_to(d, T_PEER_IP, 10) == 0);
    T_ASSERT(d->count == 2);
    out = t_pop(d);
    why = arp_frame_check(out, 1, t_peer_mac, d->dev.mac, T_IP(2), zero6,
                          T_PEER_IP);
    free(out);
    T_CHECK(why);
    out = t_pop(d);
    T_ASSERT(get16(out->data + 12) == ETH_TYPE_IP4 &&
             memcmp(out->data, t_peer_mac, 6) == 0);
    free(out);
    /* Within the retry interval no second refresh. */
    T_ASSERT(send_to(d, T_PEER_IP, 10) == 0);
    T_ASSERT(d->count == 1);
    t_drain(d);
    /* Unanswered past TTL + tries: resolved again from scratch. */
    t_advance(ARP_TRIES * ARP_RETRY);
    T_ASSERT(send_to(d, T_PEER_IP, 10) == 0);
    T_ASSERT(d->count == 1);
    out = t_pop(d);
    why = arp_frame_check(out, 1, net_bcast_mac, d->dev.mac, T_IP(2), zero6,
                          T_PEER_IP);
    free(out);
    T_CHECK(why);
    /* An answer releases the waiting frame. */
    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    return NULL;
}

static const char *cache_is_bounded(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_ip4_config c = {ATOLL_IP4(10, 0, 0, 2), 16, 0};
    struct atoll_net_stats s;

    T_ASSERT(atoll_netif_set_ipv4(d->nif, &c) == 0);
    t_drain(d);
    s = t_stats(d);
    for (unsigned i = 0; i < ARP_CACHE_SIZE + 36; i++) {
        uint8_t mac[6] = {2, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};

        t_advance(1000);
        t_teach_arp(d, ATOLL_IP4(10, 0, 1, 0) + i, mac);
    }
    T_ASSERT(t_stat(d, "arp_evicted") - s.arp_evicted == 36);
    int used = 0;
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        used += d->nif->arp.e[i].state != ARP_FREE;
    T_ASSERT(used == ARP_CACHE_SIZE);
    /* The oldest were evicted: the first host needs a request again, the
     * last does not. */
    T_ASSERT(send_to(d, ATOLL_IP4(10, 0, 1, 0), 1) == 0);
    struct t_frame *out = t_pop(d);
    T_ASSERT(out != NULL && get16(out->data + 12) == ETH_TYPE_ARP);
    free(out);
    T_ASSERT(send_to(d, ATOLL_IP4(10, 0, 1, ARP_CACHE_SIZE + 35), 1) == 0);
    out = t_pop(d);
    T_ASSERT(out != NULL && get16(out->data + 12) == ETH_TYPE_IP4);
    free(out);
    return NULL;
}

static const char *routing_via_gateway(void)
{
    struct t_dev *d = t_dev_new(2, true, true);
    struct t_dev *n = t_dev_new(3, true, false);
    struct t_frame *out;
    const char *why;

    T_ASSERT(send_to(d, ATOLL_IP4(192, 0, 2, 1), 10) == 0);
    out = t_pop(d);
    why = arp_frame_check(out, 1, net_bcast_mac, d->dev.mac, T_IP(2), zero6,
                          T_IP(1));
    free(out);
    T_CHECK(why);
    /* Without a gateway an off-link destination is unreachable. */
    struct atoll_net_stats s = t_stats(n);
    T_ASSERT(send_to(n, ATOLL_IP4(192, 0, 2, 1), 10) ==
             ATOLL_ERR_NETUNREACH);
    T_CHECK(t_only(n, &s, "ip_no_route", 1, ""));
    /* So are loopback, ourselves, and anything without an address. */
    T_ASSERT(send_to(n, ATOLL_IP4(127, 0, 0, 1), 1) == ATOLL_ERR_NETUNREACH);
    T_ASSERT(send_to(n, T_IP(3), 1) == ATOLL_ERR_NETUNREACH);
    struct t_dev *u = t_dev_new(4, false, false);
    T_ASSERT(send_to(u, T_IP(5), 1) == ATOLL_ERR_NETUNREACH);
    /* Broadcasts need no ARP, even without an address. */
    T_ASSERT(send_to(u, ATOLL_IP4_BROADCAST, 1) == 0);
    out = t_pop(u);
    T_ASSERT(out != NULL && memcmp(out->data, net_bcast_mac, 6) == 0);
    free(out);
    T_ASSERT(send_to(n, T_IP(255), 1) == 0);
    out = t_pop(n);
    T_ASSERT(out != NULL && memcmp(out->data, net_bcast_mac, 6) == 0);
    free(out);
    return NULL;
}

static const char *transmit_errors_counted(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_net_stats s = t_stats(d);

    d->fail = true;
    t_teach_arp(d, T_PEER_IP, t_peer_mac); /* the reply fails */
    T_CHECK(t_only(d, &s, "tx_errors", 1, "arp_requests_rx arp_replies_tx"));
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(gratuitous_on_configure);
    RUN(bad_configurations_refused);
    RUN(eth_short_and_foreign);
    RUN(arp_reply_for_us_only);
    RUN(arp_malformed);
    RUN(arp_conflict_and_probe);
    RUN(resolve_queue_and_flush);
    RUN(retries_then_give_up);
    RUN(expiry_and_refresh);
    RUN(cache_is_bounded);
    RUN(routing_via_gateway);
    RUN(transmit_errors_counted);
    return t_finish();
}
