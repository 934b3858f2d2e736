/*
 * IPv4: every kind of malformed header counted under its reason and
 * dropped; fragment reassembly in any order, with overlaps, duplicates,
 * bad lengths, timeouts and memory bounds; fragmentation on output.
 */
#include "frames.h"

#define PORT 7777

/* A header to build: a valid UDP datagram to PORT unless changed. */
struct spec {
    uint8_t version, ihl, ttl, proto;
    int total_adj;      /* added to the total length field */
    size_t cut;         /* bytes cut off the end of the frame */
    uint16_t frag, id;
    uint32_t src, dst;
    uint8_t opt[40];
    size_t optlen;      /* ihl follows unless ihl is set */
    bool bad_cksum;
    size_t pad;         /* Ethernet padding after the datagram */
};

static void defaults(struct spec *s)
{
    memset(s, 0, sizeof *s);
    s->version = 4;
    s->ttl = 64;
    s->proto = IP_PROTO_UDP;
    s->src = T_PEER_IP;
    s->dst = T_IP(2);
    s->id = 1;
}

/* Build into f the datagram carrying payload (a transport packet);
 * returns the frame length. */
static size_t build(uint8_t *f, const struct t_dev *d, const struct spec *s,
                    const void *payload, size_t len)
{
    uint8_t *p = f + ETH_HLEN;
    size_t hlen = IP4_HLEN + s->optlen;

    t_eth(f, d->dev.mac, t_peer_mac, ETH_TYPE_IP4);
    p[0] = (uint8_t)(s->version << 4 | (s->ihl ? s->ihl : hlen / 4));
    p[1] = 0;
    put16(p + 2, (uint16_t)((int)(hlen + len) + s->total_adj));
    put16(p + 4, s->id);
    put16(p + 6, s->frag);
    p[8] = s->ttl;
    p[9] = s->proto;
    put16(p + 10, 0);
    put32(p + 12, s->src);
    put32(p + 16, s->dst);
    memcpy(p + IP4_HLEN, s->opt, s->optlen);
    put16(p + 10, net_cksum(net_sum(p, hlen, 0)) ^ (s->bad_cksum ? 1 : 0));
    memcpy(p + hlen, payload, len);
    memset(p + hlen + len, 0, s->pad);
    return ETH_HLEN + hlen + len + s->pad - s->cut;
}

static size_t udp_payload(uint8_t *u, uint32_t src, uint32_t dst,
                          const uint8_t *data, size_t len)
{
    return t_udp(u, src, dst, 4000, PORT, data, len);
}

static struct atoll_udp *bind_port(struct t_dev *d)
{
    struct atoll_udp *s;

    if (atoll_udp_bind(d->nif, PORT, &s) != 0)
        abort();
    return s;
}

static const char *header_errors(void)
{
    static const struct {
        const char *name, *counter;
    } cases[] = {
        {"shorter than a header", "ip_short"},
        {"version 6", "ip_version"},
        {"version 0", "ip_version"},
        {"IHL 4", "ip_header_len"},
        {"IHL 0", "ip_header_len"},
        {"IHL beyond the frame", "ip_header_len"},
        {"total length below IHL", "ip_total_len"},
        {"total length beyond the frame", "ip_total_len"},
        {"bad header checksum", "ip_checksum"},
        {"TTL 0", "ip_ttl"},
        {"option length 0", "ip_bad_option"},
        {"option length 1", "ip_bad_option"},
        {"option beyond the header", "ip_bad_option"},
        {"option length byte missing", "ip_bad_option"},
        {"reserved flag", "ip_bad_fragment"},
        {"source multicast", "ip_bad_src"},
        {"source broadcast", "ip_bad_src"},
        {"source subnet broadcast", "ip_bad_src"},
        {"source loopback", "ip_bad_src"},
        {"source 0.0.0.0", "ip_bad_src"},
        {"source is us", "ip_bad_src"},
        {"class E source", "ip_bad_src"},
        {"another destination", "ip_not_for_us"},
        {"multicast destination", "ip_not_for_us"},
        {"zero-length fragment", "ip_bad_fragment"},
        {"fragment not a multiple of 8", "ip_bad_fragment"},
        {"fragment past 65535", "frag_too_big"},
    };
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *sock = bind_port(d);
    uint8_t f[200], u[64], data[24] = "crafted";
    size_t ulen = udp_payload(u, T_PEER_IP, T_IP(2), data, sizeof data);

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct spec s;
        size_t len, plen = ulen;

        defaults(&s);
        switch (c) {
        case 0: s.cut = ETH_HLEN + ulen + 1 ; break;
        case 1: s.version = 6; break;
        case 2: s.version = 0; break;
        case 3: s.ihl = 4; break;
        case 4: s.ihl = 0xf0; break; /* version nibble kept: ihl 0 */
        case 5: s.ihl = 15; plen = 10; break;
        case 6: s.total_adj = -(int)ulen - 1; break;
        case 7: s.total_adj = 1; break;
        case 8: s.bad_cksum = true; break;
        case 9: s.ttl = 0; break;
        case 10: s.optlen = 4; s.opt[0] = 7; s.opt[1] = 0; break;
        case 11: s.optlen = 4; s.opt[0] = 0x44; s.opt[1] = 1; break;
        case 12: s.optlen = 4; s.opt[0] = 7; s.opt[1] = 7; break;
        case 13: s.optlen = 4; s.opt[0] = 1; s.opt[1] = 1; s.opt[2] = 1;
                 s.opt[3] = 0x83; break;
        case 14: s.frag = 0x8000; break;
        case 15: s.src = ATOLL_IP4(224, 0, 0, 1); break;
        case 16: s.src = ATOLL_IP4_BROADCAST; break;
        case 17: s.src = T_IP(255); break;
        case 18: s.src = ATOLL_IP4(127, 0, 0, 1); break;
        case 19: s.src = 0; break;
        case 20: s.src = T_IP(2); break;
        case 21: s.src = ATOLL_IP4(240, 0, 0, 1); break;
        case 22: s.dst = T_IP(9); break;
        case 23: s.dst = ATOLL_IP4(224, 0, 0, 251); break;
        case 24: s.frag = 0x2000; plen = 0; break;
        case 25: s.frag = 0x2000; plen = 12; break;
        case 26: s.frag = 8189; plen = 48; break;
        }
        if (c == 4)
            s.ihl = 0, s.version = 4;
        len = build(f, d, &s, u, plen);
        if (c == 4)
            f[ETH_HLEN] = 0x40, put16(f + ETH_HLEN + 10, 0),
            put16(f + ETH_HLEN + 10,
                  net_cksum(net_sum(f + ETH_HLEN, IP4_HLEN, 0)));
        if (c == 0)
            len = ETH_HLEN + IP4_HLEN - 1;
        struct atoll_net_stats before = t_stats(d);
        t_input(d, f, len);
        const char *why = t_only(d, &before, cases[c].counter, 1,
                                 c >= 24 ? "frag_rx" : "");
        if (why != NULL)
            T_FAILF("%s: %s", cases[c].name, why);
        if (d->count != 0)
            T_FAILF("%s: something was sent", cases[c].name);
        if (atoll_udp_recv(sock, data, sizeof data, NULL, NULL) !=
            ATOLL_ERR_AGAIN)
            T_FAILF("%s: delivered", cases[c].name);
    }
    return NULL;
}

static const char *good_options_and_padding(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *sock = bind_port(d);
    uint8_t f[200], u[64], data[10] = "payload!!", got[64];
    size_t ulen = udp_payload(u, T_PEER_IP, T_IP(2), data, sizeof data);
    struct spec s;
    atoll_ip4_t src;
    uint16_t port;

    /* NOP, a record-route option, end of list. */
    defaults(&s);
    s.optlen = 12;
    s.opt[0] = 1;
    s.opt[1] = 7;
    s.opt[2] = 7;
    s.opt[3] = 4;
    s.opt[8] = 0;
    t_input(d, f, build(f, d, &s, u, ulen));
    T_ASSERT(atoll_udp_recv(sock, got, sizeof got, &src, &port) ==
             sizeof data);
    T_ASSERT(memcmp(got, data, sizeof data) == 0 && src == T_PEER_IP &&
             port == 4000);
    /* Ethernet padding after the datagram is not payload. */
    defaults(&s);
    s.pad = 30;
    t_input(d, f, build(f, d, &s, u, ulen));
    T_ASSERT(atoll_udp_recv(sock, got, sizeof got, NULL, NULL) ==
             sizeof data);
    /* Broadcasts, limited and directed, are delivered. */
    s.pad = 0;
    s.dst = ATOLL_IP4_BROADCAST;
    ulen = t_udp(u, T_PEER_IP, s.dst, 4000, PORT, data, sizeof data);
    t_input(d, f, build(f, d, &s, u, ulen));
    T_ASSERT(atoll_udp_recv(sock, got, sizeof got, NULL, NULL) ==
             sizeof data);
    s.dst = T_IP(255);
    ulen = t_udp(u, T_PEER_IP, s.dst, 4000, PORT, data, sizeof data);
    t_input(d, f, build(f, d, &s, u, ulen));
    T_ASSERT(atoll_udp_recv(sock, got, sizeof got, NULL, NULL) ==
             sizeof data);
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *unknown_protocol(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[200], payload[30] = {1, 2, 3};
    struct spec s;
    struct atoll_net_stats before;
    struct t_pkt pk;
    struct t_frame *out;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    defaults(&s);
    s.proto = 99;
    before = t_stats(d);
    t_input(d, f, build(f, d, &s, payload, sizeof payload));
    T_CHECK(t_only(d, &before, "ip_unknown_proto", 1,
                   "icmp_unreach_tx tx_frames"));
    out = t_pop(d);
    const char *why = t_parse(out, &pk);
    if (why == NULL &&
        (pk.proto != IP_PROTO_ICMP || pk.l4[0] != ICMP_UNREACH ||
         pk.l4[1] != ICMP_UNREACH_PROTO || pk.dst != T_PEER_IP ||
         pk.src != T_IP(2) ||
         /* The quote: the offending header and the start of its data. */
         memcmp(pk.l4 + 8, f + ETH_HLEN, IP4_HLEN + sizeof payload) != 0 ||
         pk.l4len != 8 + IP4_HLEN + sizeof payload))
        why = "bad protocol unreachable";
    free(out);
    T_CHECK(why);
    /* Not about broadcasts. */
    s.dst = ATOLL_IP4_BROADCAST;
    before = t_stats(d);
    t_input(d, f, build(f, d, &s, payload, sizeof payload));
    T_CHECK(t_only(d, &before, "ip_unknown_proto", 1, ""));
    T_ASSERT(d->count == 0);
    return NULL;
}

/* ---- reassembly ------------------------------------------------------- */

static uint8_t big[9000];
static uint8_t dgram[9000 + UDP_HLEN];

/* Split a UDP datagram of n payload bytes into fragments of step bytes
 * (a multiple of 8) and feed them in the order given by order[] (indexes
 * into the fragment list, count k). */
static size_t make_dgram(size_t n, uint32_t dst)
{
    for (size_t i = 0; i < n; i++)
        big[i] = (uint8_t)(i * 13 + (i >> 8));
    return t_udp(dgram, T_PEER_IP, dst, 4000, PORT, big, n);
}

static void send_frag(struct t_dev *d, uint16_t id, size_t off, size_t len,
                      bool mf, const uint8_t *src)
{
    static uint8_t f[ETH_HLEN + 60 + sizeof dgram];
    struct spec s;

    defaults(&s);
    s.id = id;
    s.frag = (uint16_t)(off / 8) | (mf ? 0x2000 : 0);
    t_input(d, f, build(f, d, &s, src + off, len));
}

static const char *check_delivered(struct atoll_udp *sock, size_t n)
{
    static uint8_t got[10000];
    long r = atoll_udp_recv(sock, got, sizeof got, NULL, NULL);

    if (r != (long)n)
        T_FAILF("received %ld bytes, want %zu", r, n);
    if (memcmp(got, big, n) != 0)
        T_FAILF("reassembled payload differs");
    if (atoll_udp_recv(sock, got, sizeof got, NULL, NULL) != ATOLL_ERR_AGAIN)
        T_FAILF("delivered twice");
    return NULL;
}

static const char *reassembly_orders(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *sock = bind_port(d);
    size_t n = 5000, total = make_dgram(n, T_IP(2)), step = 1480;
    size_t nfr = (total + step - 1) / step;
    uint64_t x = 5;

    for (int round = 0; round < 30; round++) {
        size_t order[16];

        for (size_t i = 0; i < nfr; i++)
            order[i] = round == 1 ? nfr - 1 - i : i;
        if (round >= 2) {
            for (size_t i = nfr - 1; i > 0; i--) {
                x = x * 6364136223846793005ull + 1;
                size_t j = (size_t)(x >> 33) % (i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        for (size_t i = 0; i < nfr; i++) {
            size_t off = order[i] * step;
            size_t len = total - off < step ? total - off : step;

            send_frag(d, (uint16_t)(100 + round), off, len,
                      off + len < total, dgram);
        }
        T_CHECK(check_delivered(sock, n));
        T_ASSERT(d->nif->reass.mem == 0);
    }
    T_ASSERT(t_stat(d, "frag_reassembled") == 30);
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *reassembly_overlaps(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *sock = bind_port(d);
    size_t total = make_dgram(3000, T_IP(2));
    uint8_t evil[sizeof dgram];
    struct atoll_net_stats before;

    memcpy(evil, dgram, sizeof evil);
    evil[1000] ^= 0xff;

    /* An exact duplicate is harmless. */
    send_frag(d, 1, 0, 1480, true, dgram);
    before = t_stats(d);
    send_frag(d, 1, 0, 1480, true, dgram);
    T_CHECK(t_only(d, &before, "frag_duplicate", 1, "frag_rx"));
    send_frag(d, 1, 1480, total - 1480, false, dgram);
    T_CHECK(check_delivered(sock, 3000));

    /* Same range, different bytes: the datagram is dropped. */
    send_frag(d, 2, 0, 1480, true, dgram);
    before = t_stats(d);
    send_frag(d, 2, 0, 1480, true, evil);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));
    T_ASSERT(d->nif->reass.mem == 0);

    /* A partial overlap, from either side. */
    send_frag(d, 3, 0, 1480, true, dgram);
    before = t_stats(d);
    send_frag(d, 3, 1472, total - 1472, false, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));
    send_frag(d, 4, 1480, total - 1480, false, dgram);
    before = t_stats(d);
    send_frag(d, 4, 8, 1480, true, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));
    /* Fragments contained in another. */
    send_frag(d, 5, 0, 2960, true, dgram);
    before = t_stats(d);
    send_frag(d, 5, 8, 16, true, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));

    /* Two different last fragments. */
    send_frag(d, 6, 1480, total - 1480, false, dgram);
    before = t_stats(d);
    send_frag(d, 6, 2960, 16, false, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));
    /* A fragment beyond the known end. */
    send_frag(d, 7, 1480, total - 1480, false, dgram);
    before = t_stats(d);
    send_frag(d, 7, 2960 + 8 * 200, 16, true, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));
    /* A last fragment ending before data already held. */
    send_frag(d, 8, 2960, 16, true, dgram);
    before = t_stats(d);
    send_frag(d, 8, 1480, 1000, false, dgram);
    T_CHECK(t_only(d, &before, "frag_overlap", 1, "frag_rx"));

    T_ASSERT(d->nif->reass.mem == 0);
    uint8_t got[4000];
    T_ASSERT(atoll_udp_recv(sock, got, sizeof got, NULL, NULL) ==
             ATOLL_ERR_AGAIN);
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *reassembly_timeout(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_net_stats before;
    struct t_pkt pk;
    struct t_frame *out;
    atoll_time_t next;

    bind_port(d);
    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    make_dgram(3000, T_IP(2));
    send_frag(d, 9, 0, 1480, true, dgram);     /* the first */
    send_frag(d, 10, 1480, 1480, true, dgram); /* not the first */
    before = t_stats(d);
    t_advance(REASS_TIMEOUT - 1);
    T_ASSERT(d->count == 0 && d->nif->reass.mem != 0);
    t_advance(1);
    T_CHECK(t_only(d, &before, "frag_timeout", 2, "tx_frames"));
    T_ASSERT(d->nif->reass.mem == 0);
    T_ASSERT(!rt_timers_next(&next));
    /* Time exceeded (reassembly) for the one whose start we had. */
    T_ASSERT(d->count == 1);
    out = t_pop(d);
    const char *why = t_parse(out, &pk);
    if (why == NULL &&
        (pk.proto != IP_PROTO_ICMP || pk.l4[0] != ICMP_TIME_EXCEEDED ||
         pk.l4[1] != 1 || get16(pk.l4 + 8 + 4) != 9))
        why = "bad time exceeded message";
    free(out);
    return why;
}

static const char *reassembly_memory_bound(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *sock = bind_port(d);
    size_t total = make_dgram(8000, T_IP(2));

    /* Many datagrams with a gap each: they never complete. */
    for (uint16_t id = 1; id <= 64; id++) {
        for (size_t off = 1480; off + 1480 < total; off += 1480) {
            send_frag(d, id, off, 1480, true, dgram);
            T_ASSERT(d->nif->reass.mem <= REASS_MEM);
        }
    }
    T_ASSERT(t_stat(d, "frag_evicted") >= 64 - REASS_SLOTS);
    /* A complete datagram still gets through. */
    for (size_t off = 0; off < total; off += 1480) {
        size_t len = total - off < 1480 ? total - off : 1480;

        send_frag(d, 999, off, len, off + len < total, dgram);
    }
    T_CHECK(check_delivered(sock, 8000));
    return NULL;
}

static const char *reassembly_slots_bound(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_net_stats before = t_stats(d);

    make_dgram(3000, T_IP(2));
    for (uint16_t id = 1; id <= REASS_SLOTS + 4; id++)
        send_frag(d, id, 0, 1480, true, dgram);
    T_CHECK(t_only(d, &before, "frag_evicted", 4, "frag_rx"));
    int used = 0;
    for (int i = 0; i < REASS_SLOTS; i++)
        used += d->nif->reass.r[i].used;
    T_ASSERT(used == REASS_SLOTS);
    return NULL;
}

/* ---- output ----------------------------------------------------------- */

static const char *fragmentation_on_output(void)
{
    struct t_dev *a = t_dev_new(2, true, false);
    struct t_dev *b = t_dev_new(3, true, false);
    struct atoll_udp *sa, *sb;
    static uint8_t data[6000], got[7000];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    T_ASSERT(atoll_udp_bind(a->nif, 1000, &sa) == 0);
    T_ASSERT(atoll_udp_bind(b->nif, 2000, &sb) == 0);
    t_teach_arp(a, T_IP(3), b->dev.mac);
    for (int round = 0; round < 2; round++) {
        size_t mtu = round == 0 ? 1500 : 576;
        size_t step = (mtu - IP4_HLEN) & ~(size_t)7;
        size_t ulen = UDP_HLEN + sizeof data;
        size_t want = (ulen + step - 1) / step;
        uint16_t id = 0;

        T_ASSERT(atoll_netif_set_mtu(a->nif, mtu) == 0);
        T_ASSERT(atoll_udp_sendto(sa, T_IP(3), 2000, data, sizeof data) == 0);
        if (a->count != want)
            T_FAILF("mtu %zu: %zu fragments, want %zu", mtu, a->count, want);
        for (size_t i = 0; i < want; i++) {
            struct t_frame *f = t_pop(a);
            struct t_pkt pk;
            const char *why = t_parse(f, &pk);
            size_t off = i * step;
            size_t len = ulen - off < step ? ulen - off : step;

            if (why == NULL) {
                if (i == 0)
                    id = pk.id;
                if (pk.id != id || (pk.frag & 0x1fff) * 8u != off ||
                    ((pk.frag & 0x2000) != 0) != (i + 1 < want) ||
                    (pk.frag & 0x4000) != 0 || pk.l4len != len ||
                    f->len > mtu + ETH_HLEN)
                    why = "bad fragment";
            }
            if (why == NULL)
                t_input(b, f->data, f->len);
            free(f);
            T_CHECK(why);
        }
        T_ASSERT(atoll_udp_recv(sb, got, sizeof got, NULL, NULL) ==
                 sizeof data);
        T_ASSERT(memcmp(got, data, sizeof data) == 0);
    }
    T_ASSERT(atoll_netif_set_mtu(a->nif, 67) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_netif_set_mtu(a->nif, 1501) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_udp_sendto(sa, T_IP(3), 2000, big, 65508) ==
             ATOLL_ERR_MSGSIZE);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(header_errors);
    RUN(good_options_and_padding);
    RUN(unknown_protocol);
    RUN(reassembly_orders);
    RUN(reassembly_overlaps);
    RUN(reassembly_timeout);
    RUN(reassembly_memory_bound);
    RUN(reassembly_slots_bound);
    RUN(fragmentation_on_output);
    return t_finish();
}
