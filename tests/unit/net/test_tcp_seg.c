/*
 * TCP against crafted segments: malformed headers and options counted and
 * dropped; resets for closed ports; the listener (bounded backlog, SYN
 * cookies, stray ACKs and RSTs); RFC 5961 (RST, SYN and ACK checks with
 * rate-limited challenge ACKs); PAWS; the out-of-order queue and its
 * bound; simultaneous open; SYN-ACK retransmission; ICMP errors.
 */
#include "frames.h"

#define PORT 80
#define PEER_PORT 40000

/* Peer SYN options: MSS 1460, window scale 7, timestamps, and SACK
 * permitted when sack_next is set. */
static uint8_t syn_opts[24];
static bool sack_next;
static size_t syn_opts_len(uint32_t tsval, bool ws, bool ts)
{
    uint8_t *o = syn_opts;

    o[0] = 2, o[1] = 4, put16(o + 2, 1460), o += 4;
    if (ws)
        o[0] = 1, o[1] = 3, o[2] = 3, o[3] = 7, o += 4;
    if (ts)
        o[0] = 1, o[1] = 1, o[2] = 8, o[3] = 10, put32(o + 4, tsval),
        put32(o + 8, 0), o += 12;
    if (sack_next)
        o[0] = 1, o[1] = 1, o[2] = 4, o[3] = 2, o += 4;
    return (size_t)(o - syn_opts);
}

static uint8_t ts_opts[12];
static const uint8_t *ts(uint32_t val, uint32_t ecr)
{
    ts_opts[0] = 1, ts_opts[1] = 1, ts_opts[2] = 8, ts_opts[3] = 10;
    put32(ts_opts + 4, val);
    put32(ts_opts + 8, ecr);
    return ts_opts;
}

/* An established connection from the peer (PEER_PORT) to d:PORT, with
 * timestamps (tsval 1000...) and window scaling. *srv is the accepted
 * handle; *iss our ISN; the peer's ISN is 5000. */
struct conn {
    struct t_dev *d;
    struct atoll_tcp *l, *s;
    uint32_t our, peer; /* next sequence numbers */
    uint32_t tsval, our_ts;
};

static const char *open_conn(struct conn *k, bool with_ts)
{
    struct t_seg g;
    struct t_tcp t = {PEER_PORT, PORT, 5000, 0, TCP_SYN, 65535, syn_opts, 0,
                      NULL, 0};

    k->d = t_dev_new(2, true, false);
    t_teach_arp(k->d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_listen(k->d->nif, PORT, 0, &k->l) == 0);
    k->tsval = 1000;
    t.optlen = syn_opts_len(k->tsval, true, with_ts);
    t_tcp_send(k->d, &t);
    T_CHECK(t_tcp_take(k->d, &g));
    T_ASSERT(g.flags == (TCP_SYN | TCP_ACK) && g.ack == 5001 &&
             g.mss == 1460 && g.wscale == TCP_RCV_WSCALE &&
             g.has_ts == with_ts && (!with_ts || g.tsecr == k->tsval));
    k->our = g.seq + 1;
    k->peer = 5001;
    k->our_ts = g.tsval;
    struct t_tcp a = {PEER_PORT, PORT, k->peer, k->our, TCP_ACK, 1000,
                      with_ts ? ts(++k->tsval, k->our_ts) : NULL,
                      with_ts ? 12 : 0, NULL, 0};
    t_tcp_send(k->d, &a);
    T_ASSERT(atoll_tcp_try_accept(k->l, &k->s) == 0);
    T_ASSERT(strcmp(atoll_tcp_state(k->s), "ESTABLISHED") == 0);
    T_ASSERT(k->d->count == 0);
    return NULL;
}

/* Send from the peer on the connection. */
static void peer_send(struct conn *k, uint32_t seq, uint8_t flags,
                      const void *data, size_t len)
{
    struct t_tcp t = {PEER_PORT, PORT, seq, k->our, flags, 1000,
                      ts(++k->tsval, k->our_ts), 12, data, len};

    t_tcp_send(k->d, &t);
}

static const char *malformed(void)
{
    struct conn k;
    uint8_t f[200];

    T_CHECK(open_conn(&k, true));
    static const struct {
        const char *name, *counter;
    } cases[] = {
        {"19 bytes", "tcp_short"},
        {"offset 4", "tcp_bad_offset"},
        {"offset beyond the segment", "tcp_bad_offset"},
        {"bad checksum", "tcp_checksum"},
        {"option length 0", "tcp_bad_option"},
        {"option length 1", "tcp_bad_option"},
        {"option past the header", "tcp_bad_option"},
        {"MSS of length 3", "tcp_bad_option"},
        {"window scale of length 4", "tcp_bad_option"},
        {"timestamps of length 8", "tcp_bad_option"},
        {"SYN and FIN", "tcp_bad_flags"},
        {"SYN and RST", "tcp_bad_flags"},
        {"source port 0", "tcp_bad_flags"},
        {"to the broadcast address", "tcp_bad_flags"},
        {"option length byte missing", "tcp_bad_option"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t o[8] = {1, 1, 1, 1, 1, 1, 1, 1};
        struct t_tcp t = {PEER_PORT, PORT, k.peer, k.our, TCP_ACK, 1000, o,
                          8, "x", 1};
        size_t len;

        switch (c) {
        case 4: o[0] = 30, o[1] = 0; break;
        case 5: o[0] = 30, o[1] = 1; break;
        case 6: o[4] = 30, o[5] = 9; break;
        case 7: o[0] = 2, o[1] = 3; break;
        case 8: o[0] = 3, o[1] = 4; break;
        case 9: o[0] = 8, o[1] = 8; break;
        case 10: t.flags = TCP_SYN | TCP_FIN; break;
        case 11: t.flags = TCP_SYN | TCP_RST; break;
        case 12: t.sport = 0; break;
        case 14: o[7] = 30; break;
        }
        len = t_tcp_frame(f, k.d, &t);
        uint8_t *ip = f + ETH_HLEN, *th = ip + IP4_HLEN;
        size_t tl = len - ETH_HLEN - IP4_HLEN;
        bool refix = false;
        switch (c) {
        case 0: /* cut the segment to 19 bytes */
            len = ETH_HLEN + IP4_HLEN + 19;
            tl = 19;
            refix = true;
            break;
        case 1: th[12] = 4 << 4; refix = true; break;
        case 2: th[12] = 15 << 4; refix = true; break;
        case 3: th[20] ^= 0x10; break;
        case 13: put32(ip + 16, T_IP(255)); refix = true; break;
        }
        if (refix) {
            put16(ip + 2, (uint16_t)(IP4_HLEN + tl));
            put16(ip + 10, 0);
            put16(ip + 10, net_cksum(net_sum(ip, IP4_HLEN, 0)));
            put16(th + 16, 0);
            put16(th + 16, net_cksum(net_sum(th, tl,
                                             net_pseudo_sum(get32(ip + 12),
                                                            get32(ip + 16),
                                                            IP_PROTO_TCP,
                                                            tl))));
        }
        struct atoll_net_stats before = t_stats(k.d);
        t_input(k.d, f, len);
        const char *why = t_only(k.d, &before, cases[c].counter, 1, "");
        if (why != NULL)
            T_FAILF("%s: %s", cases[c].name, why);
        if (k.d->count != 0)
            T_FAILF("%s: answered", cases[c].name);
    }
    /* The connection saw none of it. */
    T_ASSERT(k.s->rcvq.len == 0 && strcmp(atoll_tcp_state(k.s),
                                          "ESTABLISHED") == 0);
    return NULL;
}

static const char *closed_port_resets(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct t_seg g;
    struct atoll_net_stats before;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    /* A SYN: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
    struct t_tcp t = {PEER_PORT, 81, 777, 0, TCP_SYN, 1000, NULL, 0, NULL, 0};
    before = t_stats(d);
    t_tcp_send(d, &t);
    T_CHECK(t_only(d, &before, "tcp_no_port", 1,
                   "tcp_rx tcp_rst_tx tcp_tx tx_frames"));
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == (TCP_RST | TCP_ACK) && g.seq == 0 && g.ack == 778 &&
             g.sport == 81 && g.dport == PEER_PORT);
    /* Data with an ACK: <SEQ=SEG.ACK><CTL=RST>. */
    struct t_tcp u = {PEER_PORT, 81, 900, 4242, TCP_ACK | TCP_PSH, 1000,
                      NULL, 0, "abc", 3};
    t_tcp_send(d, &u);
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == TCP_RST && g.seq == 4242);
    /* A FIN without ACK counts in the length. */
    struct t_tcp v = {PEER_PORT, 81, 900, 0, TCP_FIN, 1000, NULL, 0, "ab", 2};
    t_tcp_send(d, &v);
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == (TCP_RST | TCP_ACK) && g.ack == 903);
    /* Never a reset for a reset. */
    struct t_tcp r = {PEER_PORT, 81, 900, 0, TCP_RST, 0, NULL, 0, NULL, 0};
    t_tcp_send(d, &r);
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *listener_strays(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *l;
    struct t_seg g;
    struct atoll_net_stats before;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_listen(d->nif, PORT, 0, &l) == 0);
    struct atoll_tcp *l2;
    T_ASSERT(atoll_tcp_listen(d->nif, PORT, 0, &l2) == ATOLL_ERR_ADDRINUSE);
    T_ASSERT(atoll_tcp_listen(d->nif, 0, 0, &l2) == ATOLL_ERR_INVAL);
    /* An ACK that is no cookie of ours: reset. */
    struct t_tcp a = {PEER_PORT, PORT, 100, 12345, TCP_ACK, 1000, NULL, 0,
                      NULL, 0};
    before = t_stats(d);
    t_tcp_send(d, &a);
    T_CHECK(t_only(d, &before, "tcp_syn_cookies_bad", 1,
                   "tcp_rx tcp_rst_tx tcp_tx tx_frames"));
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == TCP_RST && g.seq == 12345);
    /* RST, FIN alone, nothing at all: ignored. */
    a.flags = TCP_RST;
    t_tcp_send(d, &a);
    a.flags = TCP_FIN;
    t_tcp_send(d, &a);
    a.flags = 0;
    t_tcp_send(d, &a);
    T_ASSERT(d->count == 0 && d->nif->tcp->count == 0);
    T_ASSERT(atoll_tcp_try_accept(l, &l2) == ATOLL_ERR_AGAIN);
    return NULL;
}

static const char *backlog_then_cookies(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *l, *s;
    struct t_seg g;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_listen(d->nif, PORT, 4, &l) == 0);
    /* A flood of SYNs from many ports: four half-open connections, then
     * cookies, with no state. */
    for (int i = 0; i < 100; i++) {
        struct t_tcp t = {(uint16_t)(1000 + i), PORT, (uint32_t)i * 1000,
                          0, TCP_SYN, 65535, syn_opts,
                          syn_opts_len(50, true, true), NULL, 0};
        t_tcp_send(d, &t);
        T_CHECK(t_tcp_take(d, &g));
        T_ASSERT(g.flags == (TCP_SYN | TCP_ACK) &&
                 g.ack == (uint32_t)i * 1000 + 1);
    }
    T_ASSERT(l->nsynrcvd == 4 && d->nif->tcp->count == 4);
    T_ASSERT(t_stat(d, "tcp_syn_cookies_tx") == 96);

    /* Complete one cookie handshake: its window scale comes back from
     * the timestamp. */
    struct t_tcp t = {2000, PORT, 99999, 0, TCP_SYN, 65535, syn_opts,
                      syn_opts_len(70, true, true), NULL, 0};
    t_tcp_send(d, &t);
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.has_ts && (g.tsval & 15) == 7 && g.wscale == TCP_RCV_WSCALE &&
             g.mss == 1460);
    uint32_t cookie = g.seq, cts = g.tsval;
    struct t_tcp bad = {2000, PORT, 100000, cookie + 1001, TCP_ACK, 100,
                        ts(71, cts), 12, NULL, 0};
    t_tcp_send(d, &bad); /* not the cookie */
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == TCP_RST);
    struct t_tcp ack = {2000, PORT, 100000, cookie + 1, TCP_ACK, 100,
                        ts(71, cts), 12, "hi", 2};
    t_tcp_send(d, &ack);
    T_ASSERT(t_stat(d, "tcp_syn_cookies_ok") == 1);
    T_ASSERT(atoll_tcp_try_accept(l, &s) == 0);
    T_ASSERT(s->ws_ok && s->snd_wscale == 7 && s->snd_wnd == 100u << 7 &&
             s->ts_ok && s->mss == 1460 - 12);
    char buf[8];
    T_ASSERT(atoll_tcp_recv(s, buf, sizeof buf) == 2 && buf[0] == 'h');
    /* Our next timestamp is not below the cookie's. */
    T_ASSERT(atoll_tcp_send(s, "ok", 2) == 2);
    do /* after the window update the reading caused */
        T_CHECK(t_tcp_take(d, &g));
    while (g.len == 0);
    T_ASSERT(g.len == 2 && SEQ_GEQ(g.tsval, cts) && g.ack == 100002);
    /* Cookies last two to three 64-second periods. */
    uint16_t mss = 1460;
    uint32_t c1 = tcp_cookie_make(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 77,
                                  &mss);
    t_advance(128000 * MS);
    T_ASSERT(tcp_cookie_check(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 77,
                              c1) == 1460);
    T_ASSERT(tcp_cookie_check(d->nif, T_IP(2), PORT, T_PEER_IP, 3001, 77,
                              c1) == 0);
    T_ASSERT(tcp_cookie_check(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 78,
                              c1) == 0);
    t_advance(64000 * MS);
    T_ASSERT(tcp_cookie_check(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 77,
                              c1) == 0);
    /* Any of 2^24 values in the low bits is right only by chance. */
    int hits = 0;
    uint32_t c2 = tcp_cookie_make(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 5,
                                  &mss);
    for (uint32_t k = 1; k < 100000; k++)
        hits += tcp_cookie_check(d->nif, T_IP(2), PORT, T_PEER_IP, 3000, 5,
                                 c2 + k * 977) != 0;
    T_ASSERT(hits < 5);
    atoll_tcp_close(s);
    return NULL;
}

static const char *syn_received_life(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *l;
    struct t_seg g, g2;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_listen(d->nif, PORT, 0, &l) == 0);
    struct t_tcp t = {PEER_PORT, PORT, 1, 0, TCP_SYN, 65535, NULL, 0, NULL,
                      0};
    t_tcp_send(d, &t);
    T_CHECK(t_tcp_take(d, &g));
    /* Without options: MSS 536 assumed, no scaling, no timestamps. */
    T_ASSERT(g.mss == 1460 && g.wscale == -1 && !g.has_ts);
    /* The SYN again: the same SYN-ACK again. */
    t_tcp_send(d, &t);
    T_CHECK(t_tcp_take(d, &g2));
    T_ASSERT(g2.seq == g.seq && g2.flags == (TCP_SYN | TCP_ACK));
    /* A wrong ACK: reset, the half-open connection stays. */
    struct t_tcp a = {PEER_PORT, PORT, 2, g.seq + 5, TCP_ACK, 1000, NULL, 0,
                      NULL, 0};
    t_tcp_send(d, &a);
    T_CHECK(t_tcp_take(d, &g2));
    T_ASSERT(g2.flags == TCP_RST && g2.seq == g.seq + 5);
    T_ASSERT(l->nsynrcvd == 1);
    /* Unanswered SYN-ACKs: resent with backoff, then given up. */
    atoll_time_t last = t_now;
    for (int i = 0; i < TCP_SYNACK_RETRIES; i++) {
        while (d->count == 0)
            t_advance(10 * MS);
        T_CHECK(t_tcp_take(d, &g2));
        T_ASSERT(g2.flags == (TCP_SYN | TCP_ACK) && g2.seq == g.seq);
        atoll_time_t gap = t_now - last, want = (1000 * MS) << i;
        if (gap < want || gap > want + 20 * MS)
            T_FAILF("SYN-ACK %d after %llu ms", i,
                    (unsigned long long)(gap / MS));
        last = t_now;
    }
    t_advance(64000 * MS);
    T_ASSERT(l->nsynrcvd == 0 && d->nif->tcp->count == 0 && d->count == 0);
    return NULL;
}

static const char *rfc5961_rst(void)
{
    struct conn k;
    struct t_seg g;

    T_CHECK(open_conn(&k, true));
    /* In the window but not at RCV.NXT: a challenge ACK, still open. */
    struct atoll_net_stats before = t_stats(k.d);
    peer_send(&k, k.peer + 100, TCP_RST, NULL, 0);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.flags == TCP_ACK && g.ack == k.peer && g.seq == k.our);
    T_ASSERT(t_stat(k.d, "tcp_challenge_acks") ==
             before.tcp_challenge_acks + 1);
    T_ASSERT(atoll_tcp_is_connected(k.s));
    /* Outside the window: silently dropped. */
    peer_send(&k, k.peer + 10000000, TCP_RST, NULL, 0);
    T_ASSERT(k.d->count == 0 && atoll_tcp_is_connected(k.s));
    /* A SYN on the connection: challenge ACK too. */
    peer_send(&k, k.peer, TCP_SYN, NULL, 0);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.flags == TCP_ACK && g.ack == k.peer);
    /* Challenge ACKs are rate limited. */
    for (int i = 0; i < 50; i++)
        peer_send(&k, k.peer + 1 + (uint32_t)i, TCP_RST, NULL, 0);
    T_ASSERT(k.d->count == TCP_CHALLENGE_PER_SEC - 2);
    t_drain(k.d);
    /* Exactly at RCV.NXT: reset. */
    peer_send(&k, k.peer, TCP_RST, NULL, 0);
    T_ASSERT(!atoll_tcp_is_connected(k.s) &&
             atoll_tcp_error(k.s) == ATOLL_ERR_CONNRESET);
    char b[4];
    T_ASSERT(atoll_tcp_recv(k.s, b, 4) == ATOLL_ERR_CONNRESET);
    T_ASSERT(atoll_tcp_send(k.s, b, 4) == ATOLL_ERR_CONNRESET);
    T_ASSERT(k.d->count == 0);
    atoll_tcp_close(k.s);
    return NULL;
}

static const char *rfc5961_ack(void)
{
    struct conn k;
    struct t_seg g;

    T_CHECK(open_conn(&k, true));
    /* An ACK of data never sent: counted, answered with an ACK, dropped
     * (its data is not taken either). */
    struct atoll_net_stats before = t_stats(k.d);
    struct t_tcp t = {PEER_PORT, PORT, k.peer, k.our + 10, TCP_ACK, 1000,
                      ts(++k.tsval, k.our_ts), 12, "data", 4};
    t_tcp_send(k.d, &t);
    T_CHECK(t_only(k.d, &before, "tcp_bad_ack", 1, "tcp_rx tcp_tx tx_frames"));
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.flags == TCP_ACK && g.ack == k.peer && k.s->rcvq.len == 0);
    /* An ACK far below SND.UNA - MAX.SND.WND: the same. */
    t.ack = k.our - 10000000;
    t.opts = ts(++k.tsval, k.our_ts);
    before = t_stats(k.d);
    t_tcp_send(k.d, &t);
    T_CHECK(t_only(k.d, &before, "tcp_bad_ack", 1, "tcp_rx tcp_tx tx_frames"));
    t_drain(k.d);
    /* Within the old window: the data is taken. */
    t.ack = k.our - 10;
    t.opts = ts(++k.tsval, k.our_ts);
    t_tcp_send(k.d, &t);
    T_ASSERT(k.s->rcvq.len == 4);
    return NULL;
}

static const char *paws(void)
{
    struct conn k;
    struct t_seg g;

    T_CHECK(open_conn(&k, true));
    peer_send(&k, k.peer, TCP_ACK | TCP_PSH, "one", 3);
    k.peer += 3;
    t_advance(TCP_DELACK);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.ack == k.peer && g.tsecr == k.tsval);
    /* A segment with an older timestamp is an old duplicate. */
    struct atoll_net_stats before = t_stats(k.d);
    struct t_tcp t = {PEER_PORT, PORT, k.peer, k.our, TCP_ACK, 1000,
                      ts(k.tsval - 5, k.our_ts), 12, "two", 3};
    t_tcp_send(k.d, &t);
    T_CHECK(t_only(k.d, &before, "tcp_paws_dropped", 1,
                   "tcp_rx tcp_tx tx_frames"));
    T_CHECK(t_tcp_take(k.d, &g)); /* an ACK for the sender */
    T_ASSERT(k.s->rcvq.len == 3);
    /* Once timestamps are on, a segment without one is dropped. */
    struct t_tcp u = {PEER_PORT, PORT, k.peer, k.our, TCP_ACK, 1000, NULL, 0,
                      "two", 3};
    before = t_stats(k.d);
    t_tcp_send(k.d, &u);
    T_CHECK(t_only(k.d, &before, "tcp_paws_dropped", 1, "tcp_rx"));
    T_ASSERT(k.s->rcvq.len == 3 && k.d->count == 0);
    return NULL;
}

static const char *out_of_order(void)
{
    struct conn k;
    char buf[64];
    struct t_seg g;

    T_CHECK(open_conn(&k, true));
    /* "abcdefghij" in pieces, backwards, with overlaps and repeats. */
    peer_send(&k, k.peer + 8, TCP_ACK, "ij", 2);
    T_CHECK(t_tcp_take(k.d, &g)); /* duplicate ACK at once */
    T_ASSERT(g.ack == k.peer && g.len == 0);
    peer_send(&k, k.peer + 4, TCP_ACK, "efgh", 4);
    peer_send(&k, k.peer + 3, TCP_ACK, "defg", 4);
    peer_send(&k, k.peer + 8, TCP_ACK, "ij", 2);
    peer_send(&k, k.peer + 2, TCP_ACK, "cdefghi", 7);
    T_ASSERT(k.s->rcvq.len == 0 && k.s->ooo_segs >= 1);
    t_drain(k.d);
    peer_send(&k, k.peer, TCP_ACK, "ab", 2);
    T_CHECK(t_tcp_take(k.d, &g)); /* the gap closed: ACK at once */
    T_ASSERT(g.ack == k.peer + 10 && k.s->ooo_segs == 0);
    T_ASSERT(atoll_tcp_recv(k.s, buf, sizeof buf) == 10 &&
             memcmp(buf, "abcdefghij", 10) == 0);
    k.peer += 10;
    /* A FIN out of order waits for the data before it. */
    peer_send(&k, k.peer + 3, TCP_ACK | TCP_FIN, "de", 2);
    T_ASSERT(!k.s->fin_rcvd);
    peer_send(&k, k.peer, TCP_ACK, "abc", 3);
    T_ASSERT(k.s->fin_rcvd && strcmp(atoll_tcp_state(k.s), "CLOSE-WAIT") == 0);
    T_ASSERT(atoll_tcp_recv(k.s, buf, sizeof buf) == 5);
    T_ASSERT(atoll_tcp_recv(k.s, buf, sizeof buf) == 0);
    return NULL;
}

static const char *out_of_order_bound(void)
{
    struct conn k;
    char buf[2 * TCP_OOO_MAX_SEGS + 10];

    T_CHECK(open_conn(&k, true));
    /* One byte every other position: each a separate segment. */
    for (uint32_t i = 0; i < TCP_OOO_MAX_SEGS + 40; i++)
        peer_send(&k, k.peer + 1 + 2 * i, TCP_ACK, "x", 1);
    T_ASSERT(k.s->ooo_segs == TCP_OOO_MAX_SEGS);
    T_ASSERT(t_stat(k.d, "tcp_ooo_dropped") == 40);
    /* Fill every hole: what was held comes in order. */
    for (uint32_t i = 0; i <= TCP_OOO_MAX_SEGS; i++)
        peer_send(&k, k.peer + 2 * i, TCP_ACK, "y", 1);
    T_ASSERT(k.s->ooo_segs == 0);
    long n = atoll_tcp_recv(k.s, buf, sizeof buf);
    T_ASSERT(n == 2 * TCP_OOO_MAX_SEGS + 1);
    for (long i = 0; i < n; i++)
        T_ASSERT(buf[i] == (i % 2 ? 'x' : 'y'));
    return NULL;
}

static const char *window_limits(void)
{
    struct conn k;
    static uint8_t data[3000];
    struct t_seg g;

    T_CHECK(open_conn(&k, true));
    T_ASSERT(atoll_tcp_set_buffers(k.s, 4096, 4096) == 0);
    T_ASSERT(atoll_tcp_set_buffers(k.s, 100, 4096) == ATOLL_ERR_INVAL);
    /* The window already offered stays; data beyond it is cut off. */
    uint32_t wnd = k.s->rcv_adv - k.s->rcv_nxt;
    T_ASSERT(wnd > 4096);
    for (uint32_t off = 0; off < wnd; off += 1448) {
        peer_send(&k, k.peer + off, TCP_ACK, data,
                  wnd - off < 1448 ? wnd - off : 1448);
    }
    T_ASSERT(k.s->rcvq.len == wnd);
    t_drain(k.d);
    struct atoll_net_stats before = t_stats(k.d);
    peer_send(&k, k.peer + wnd, TCP_ACK, data, 100);
    T_CHECK(t_only(k.d, &before, "tcp_out_of_window", 1,
                   "tcp_rx tcp_tx tx_frames"));
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.wnd == 0 && g.ack == k.peer + wnd);
    /* A zero window still takes a pure ACK at RCV.NXT. */
    before = t_stats(k.d);
    peer_send(&k, k.peer + wnd, TCP_ACK, NULL, 0);
    T_ASSERT(t_stat(k.d, "tcp_out_of_window") == before.tcp_out_of_window);
    /* Reading opens the window again with an update. */
    t_drain(k.d);
    while (atoll_tcp_recv(k.s, data, sizeof data) > 0)
        ;
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.wnd > 0 && g.ack == k.peer + wnd);
    return NULL;
}

static const char *simultaneous_open(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *c;
    struct t_seg g;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 5555, &c) == 0);
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == TCP_SYN && g.mss == 1460 && g.wscale == 8 &&
             g.has_ts && g.tsecr == 0 && g.dport == 5555);
    /* The peer's own SYN crosses ours. */
    struct t_tcp t = {5555, g.sport, 7000, 0, TCP_SYN, 65535, syn_opts,
                      syn_opts_len(10, true, true), NULL, 0};
    t_tcp_send(d, &t);
    T_ASSERT(strcmp(atoll_tcp_state(c), "SYN-RECEIVED") == 0);
    struct t_seg sa;
    T_CHECK(t_tcp_take(d, &sa));
    T_ASSERT(sa.flags == (TCP_SYN | TCP_ACK) && sa.seq == g.seq &&
             sa.ack == 7001);
    /* Its SYN-ACK completes both. */
    struct t_tcp a = {5555, g.sport, 7000, g.seq + 1, TCP_SYN | TCP_ACK,
                      65535, syn_opts, syn_opts_len(11, true, true), NULL, 0};
    t_tcp_send(d, &a);
    /* (a SYN in SYN-RECEIVED is challenged; the ACK part completes.) */
    struct t_tcp ack = {5555, g.sport, 7001, g.seq + 1, TCP_ACK, 512,
                        ts(12, sa.tsval), 12, NULL, 0};
    t_tcp_send(d, &ack);
    T_ASSERT(atoll_tcp_is_connected(c));
    atoll_tcp_abort(c);
    return NULL;
}

static const char *syn_retried_window(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *c;
    struct t_seg g;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 5555, &c) == 0);
    T_CHECK(t_tcp_take(d, &g));
    t_advance(TCP_RTO_INIT); /* the SYN again */
    T_CHECK(t_tcp_take(d, &g));
    T_ASSERT(g.flags == TCP_SYN);
    struct t_tcp sa = {5555, g.sport, 7000, g.seq + 1, TCP_SYN | TCP_ACK,
                       65535, syn_opts, syn_opts_len(10, true, true), NULL, 0};
    t_tcp_send(d, &sa);
    T_ASSERT(atoll_tcp_is_connected(c));
    /* RFC 5681 3.1: one segment after a retransmitted SYN. */
    T_ASSERT(c->cwnd == c->mss);
    static uint8_t data[10000];
    T_ASSERT(atoll_tcp_send(c, data, sizeof data) == sizeof data);
    int segs = 0;
    while (d->count > 0) {
        T_CHECK(t_tcp_take(d, &g));
        segs += g.len > 0;
    }
    T_ASSERT(segs == 1);
    atoll_tcp_abort(c);
    return NULL;
}

static const char *connect_refused_and_timeout(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *c;
    struct t_seg g;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 5555, &c) == 0);
    T_CHECK(t_tcp_take(d, &g));
    /* A RST without an acceptable ACK is ignored; with one, refused. */
    struct t_tcp r = {5555, g.sport, 0, g.seq + 7, TCP_RST | TCP_ACK, 0,
                      NULL, 0, NULL, 0};
    t_tcp_send(d, &r);
    T_ASSERT(strcmp(atoll_tcp_state(c), "SYN-SENT") == 0);
    r.ack = g.seq + 1;
    t_tcp_send(d, &r);
    T_ASSERT(atoll_tcp_error(c) == ATOLL_ERR_CONNREFUSED);
    atoll_tcp_close(c);
    /* No answer at all: SYN retries with backoff, then ETIMEDOUT. */
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 5555, &c) == 0);
    int syns = 0;
    for (int i = 0; i < 200 && atoll_tcp_error(c) == 0; i++) {
        t_advance(1000 * MS);
        while (d->count > 0) {
            T_CHECK(t_tcp_take(d, &g));
            syns += g.flags == TCP_SYN;
        }
    }
    T_ASSERT(syns == TCP_SYN_RETRIES + 1);
    T_ASSERT(atoll_tcp_error(c) == ATOLL_ERR_TIMEDOUT);
    atoll_tcp_close(c);
    /* Without an address, no connection. */
    struct t_dev *u = t_dev_new(4, false, false);
    T_ASSERT(atoll_tcp_connect(u->nif, T_PEER_IP, 1, &c) ==
             ATOLL_ERR_NETUNREACH);
    T_ASSERT(atoll_tcp_connect(d->nif, ATOLL_IP4_BROADCAST, 1, &c) ==
             ATOLL_ERR_INVAL);
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 0, &c) == ATOLL_ERR_INVAL);
    return NULL;
}

/* An ICMP error from the peer quoting our segment g. */
static void icmp_about(struct t_dev *d, const struct t_seg *g, uint8_t type,
                       uint8_t code, uint16_t mtu, uint32_t seq)
{
    uint8_t m[8 + 20 + 8], f[100];

    memset(m, 0, sizeof m);
    m[0] = type;
    m[1] = code;
    put16(m + 6, mtu);
    t_ip4(m + 8, g->src, g->dst, IP_PROTO_TCP, 20, 1, 0x4000);
    put16(m + 28, g->sport);
    put16(m + 30, g->dport);
    put32(m + 32, seq);
    put16(m + 2, net_cksum(net_sum(m, sizeof m, 0)));
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, g->src, IP_PROTO_ICMP, m,
                             sizeof m));
}

static const char *icmp_errors(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_tcp *c;
    struct t_seg g;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    T_ASSERT(atoll_tcp_connect(d->nif, T_PEER_IP, 5555, &c) == 0);
    T_CHECK(t_tcp_take(d, &g));
    /* A guessed sequence number is not believed (RFC 5927). */
    icmp_about(d, &g, ICMP_UNREACH, ICMP_UNREACH_PORT, 0, g.seq + 1000);
    T_ASSERT(atoll_tcp_error(c) == 0);
    icmp_about(d, &g, ICMP_UNREACH, ICMP_UNREACH_PORT, 0, g.seq);
    T_ASSERT(atoll_tcp_error(c) == ATOLL_ERR_CONNREFUSED);
    atoll_tcp_close(c);

    /* Fragmentation needed: smaller segments, resent. */
    struct conn k;
    T_CHECK(open_conn(&k, true));
    static uint8_t data[4000];
    T_ASSERT(atoll_tcp_send(k.s, data, sizeof data) == sizeof data);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.len == 1448);
    t_drain(k.d);
    icmp_about(k.d, &g, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, 1000, g.seq);
    T_ASSERT(k.s->mss == 1000 - 40 - 12);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.len == 948 && g.seq == k.our);
    /* Silly MTUs are ignored. */
    icmp_about(k.d, &g, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, 100, g.seq);
    T_ASSERT(k.s->mss == 948);
    return NULL;
}

static const char *sack_blocks_sent(void)
{
    struct conn k;
    struct t_seg g;

    sack_next = true;
    const char *why = open_conn(&k, true);
    sack_next = false;
    T_CHECK(why);
    T_ASSERT(k.s->sack_ok);
    /* Two islands: the newest first (RFC 2018 4). */
    peer_send(&k, k.peer + 10, TCP_ACK, "0123456789", 10);
    t_drain(k.d);
    peer_send(&k, k.peer + 30, TCP_ACK, "0123456789", 10);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.ack == k.peer && g.nsack == 2);
    T_ASSERT(g.sack[0][0] == k.peer + 30 && g.sack[0][1] == k.peer + 40);
    T_ASSERT(g.sack[1][0] == k.peer + 10 && g.sack[1][1] == k.peer + 20);
    /* Joined into one. */
    peer_send(&k, k.peer + 20, TCP_ACK, "0123456789", 10);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.nsack == 1 && g.sack[0][0] == k.peer + 10 &&
             g.sack[0][1] == k.peer + 40);
    /* No more holes, no more blocks. */
    peer_send(&k, k.peer, TCP_ACK, "0123456789", 10);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.nsack == 0 && g.ack == k.peer + 40);
    /* Without permission, never a block. */
    struct conn n;
    T_CHECK(open_conn(&n, true));
    T_ASSERT(!n.s->sack_ok);
    peer_send(&n, n.peer + 10, TCP_ACK, "0123456789", 10);
    T_CHECK(t_tcp_take(n.d, &g));
    T_ASSERT(g.nsack == 0);
    return NULL;
}

/* An ACK from the peer at ack with SACK blocks [l, r) (n of them). */
static void peer_sack(struct conn *k, uint32_t ack, const uint32_t (*b)[2],
                      unsigned n)
{
    uint8_t o[40];
    size_t len = 12;

    memcpy(o, ts(++k->tsval, k->our_ts), 12);
    o[len++] = 1;
    o[len++] = 1;
    o[len++] = 5;
    o[len++] = (uint8_t)(2 + 8 * n);
    for (unsigned i = 0; i < n; i++) {
        put32(o + len, b[i][0]);
        put32(o + len + 4, b[i][1]);
        len += 8;
    }
    struct t_tcp t = {PEER_PORT, PORT, k->peer, ack, TCP_ACK, 60000, o, len,
                      NULL, 0};
    t_tcp_send(k->d, &t);
}

static const char *sack_recovery_resends_holes(void)
{
    struct conn k;
    struct t_seg g;
    static uint8_t data[10 * 1448];
    uint32_t m, base;

    sack_next = true;
    const char *why = open_conn(&k, true);
    sack_next = false;
    T_CHECK(why);
    m = k.s->mss;
    T_ASSERT(m == 1448);
    base = k.our;
    T_ASSERT(atoll_tcp_send(k.s, data, sizeof data) == sizeof data);
    int sent = 0;
    while (k.d->count > 0) {
        T_CHECK(t_tcp_take(k.d, &g));
        sent += g.len > 0;
    }
    T_ASSERT(sent == 10);
    /* Segments 0 and 3 lost: SACKs of 1-2 and 4-9 arrive. */
    uint32_t b1[1][2] = {{base + m, base + 2 * m}};
    peer_sack(&k, base, b1, 1);
    uint32_t b2[2][2] = {{base + 4 * m, base + 10 * m},
                         {base + m, base + 3 * m}};
    peer_sack(&k, base, b2, 2);
    /* Recovery: segment 0, then segment 3 (lost by then: more than two
     * segments SACKed above it), nothing else. */
    T_ASSERT(t_stat(k.d, "tcp_fast_retransmits") == 1);
    uint32_t resent[4];
    int n = 0;
    while (k.d->count > 0 && n < 4) {
        T_CHECK(t_tcp_take(k.d, &g));
        if (g.len > 0)
            resent[n++] = g.seq;
    }
    T_ASSERT(n == 2 && resent[0] == base && resent[1] == base + 3 * m);
    T_ASSERT(t_stat(k.d, "tcp_rto") == 0);
    /* The ACK of everything ends recovery. */
    peer_sack(&k, base + 10 * m, NULL, 0);
    T_ASSERT(!k.s->in_recovery && k.s->nsacked == 0);
    return NULL;
}

static const char *tail_loss_probe(void)
{
    struct conn k;
    struct t_seg g;
    static uint8_t data[3 * 1448];

    sack_next = true;
    const char *why = open_conn(&k, true);
    sack_next = false;
    T_CHECK(why);
    /* A round trip measured: one segment out and ACKed 1 ms later. */
    T_ASSERT(atoll_tcp_send(k.s, data, 100) == 100);
    t_drain(k.d);
    t_advance(MS);
    peer_sack(&k, k.our + 100, NULL, 0);
    k.our += 100;
    T_ASSERT(k.s->srtt > 0 && k.s->srtt < 2000);
    /* Three segments, no answer: a probe 10 ms later, resending the
     * last one, well before the timeout. */
    T_ASSERT(atoll_tcp_send(k.s, data, sizeof data) == sizeof data);
    t_drain(k.d);
    t_advance(10 * MS - 1);
    T_ASSERT(k.d->count == 0);
    t_advance(1);
    T_CHECK(t_tcp_take(k.d, &g));
    T_ASSERT(g.seq == k.our + 2 * 1448 && g.len == 1448);
    T_ASSERT(t_stat(k.d, "tcp_loss_probes") == 1 &&
             t_stat(k.d, "tcp_rto") == 0);
    /* One probe per flight: the timeout comes next. */
    t_advance(150 * MS);
    T_ASSERT(k.d->count == 0);
    t_advance(TCP_RTO_MIN);
    T_ASSERT(t_stat(k.d, "tcp_rto") == 1);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(malformed);
    RUN(closed_port_resets);
    RUN(listener_strays);
    RUN(backlog_then_cookies);
    RUN(syn_received_life);
    RUN(rfc5961_rst);
    RUN(rfc5961_ack);
    RUN(paws);
    RUN(out_of_order);
    RUN(out_of_order_bound);
    RUN(window_limits);
    RUN(simultaneous_open);
    RUN(syn_retried_window);
    RUN(connect_refused_and_timeout);
    RUN(icmp_errors);
    RUN(sack_blocks_sent);
    RUN(sack_recovery_resends_holes);
    RUN(tail_loss_probe);
    return t_finish();
}
