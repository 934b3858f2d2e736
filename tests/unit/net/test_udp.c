/*
 * ICMP and UDP: echo replies, malformed messages and datagrams counted and
 * dropped, port unreachable and its rate limit, sockets (bind, ephemeral
 * ports, handlers, queues and their bounds).
 */
#include "frames.h"

static size_t icmp_echo(uint8_t *m, uint16_t id, uint16_t seq,
                        const void *data, size_t len)
{
    m[0] = ICMP_ECHO;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, id);
    put16(m + 6, seq);
    memcpy(m + 8, data, len);
    put16(m + 2, net_cksum(net_sum(m, 8 + len, 0)));
    return 8 + len;
}

static const char *echo_reply(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[1600], m[1500], data[56];
    struct t_pkt pk;
    struct t_frame *out;

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)i;
    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    size_t mlen = icmp_echo(m, 0x1234, 7, data, sizeof data);
    struct atoll_net_stats before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m,
                             mlen));
    T_CHECK(t_only(d, &before, "icmp_echo_rx", 1, "tx_frames"));
    out = t_pop(d);
    const char *why = t_parse(out, &pk);
    if (why == NULL &&
        (pk.proto != IP_PROTO_ICMP || pk.src != T_IP(2) ||
         pk.dst != T_PEER_IP || pk.l4len != mlen || pk.l4[0] != 0 ||
         pk.l4[1] != 0 || get16(pk.l4 + 4) != 0x1234 ||
         get16(pk.l4 + 6) != 7 || memcmp(pk.l4 + 8, data, sizeof data) ||
         memcmp(out->data, t_peer_mac, 6) != 0))
        why = "bad echo reply";
    free(out);
    T_CHECK(why);

    /* Not to broadcasts (smurf), not when short or damaged. */
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(255), IP_PROTO_ICMP, m,
                             mlen));
    T_CHECK(t_only(d, &before, "icmp_echo_rx", 1, ""));
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m, 7));
    T_CHECK(t_only(d, &before, "icmp_short", 1, ""));
    m[20] ^= 1;
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m,
                             mlen));
    T_CHECK(t_only(d, &before, "icmp_checksum", 1, ""));
    /* Unknown types and codes are counted and ignored. */
    mlen = icmp_echo(m, 1, 1, data, 8);
    m[0] = 13; /* timestamp */
    put16(m + 2, 0);
    put16(m + 2, net_cksum(net_sum(m, mlen, 0)));
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m,
                             mlen));
    T_CHECK(t_only(d, &before, "icmp_other", 1, ""));
    mlen = icmp_echo(m, 1, 1, data, 8);
    m[1] = 1;
    put16(m + 2, 0);
    put16(m + 2, net_cksum(net_sum(m, mlen, 0)));
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m,
                             mlen));
    T_CHECK(t_only(d, &before, "icmp_other", 1, ""));
    /* Errors about UDP are noted, never answered. */
    m[0] = ICMP_UNREACH;
    m[1] = ICMP_UNREACH_PORT;
    memset(m + 4, 0, 4);
    t_ip4(m + 8, T_IP(2), T_PEER_IP, IP_PROTO_UDP, 8, 1, 0);
    memset(m + 28, 0, 8);
    put16(m + 2, 0);
    put16(m + 2, net_cksum(net_sum(m, 36, 0)));
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m, 36));
    T_CHECK(t_only(d, &before, "icmp_other", 1, ""));
    /* ... and one whose quote is too short is malformed. */
    put16(m + 2, 0);
    put16(m + 2, net_cksum(net_sum(m, 30, 0)));
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, m, 30));
    T_CHECK(t_only(d, &before, "icmp_short", 1, ""));
    T_ASSERT(d->count == 0);
    return NULL;
}

static const char *big_ping_fragmented(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    static uint8_t m[4000], f[1600], data[3000];
    size_t mlen = icmp_echo(m, 9, 9, data, sizeof data);

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    /* Two fragments in, three out (MTU 1000 on our side). */
    T_ASSERT(atoll_netif_set_mtu(d->nif, 1000) == 0);
    for (size_t off = 0; off < mlen; off += 1480) {
        size_t n = mlen - off < 1480 ? mlen - off : 1480;

        t_eth(f, d->dev.mac, t_peer_mac, ETH_TYPE_IP4);
        t_ip4(f + ETH_HLEN, T_PEER_IP, T_IP(2), IP_PROTO_ICMP, n, 77,
              (uint16_t)(off / 8 | (off + n < mlen ? 0x2000 : 0)));
        memcpy(f + ETH_HLEN + IP4_HLEN, m + off, n);
        t_input(d, f, ETH_HLEN + IP4_HLEN + n);
    }
    T_ASSERT(d->count == 4);
    size_t got = 0;
    uint32_t sum = 0;
    for (int i = 0; i < 4; i++) {
        struct t_frame *out = t_pop(d);
        struct t_pkt pk;
        const char *why = t_parse(out, &pk);

        if (why == NULL) {
            if (i == 0 && pk.l4[0] != ICMP_ECHO_REPLY)
                why = "not an echo reply";
            sum = net_sum(pk.l4, pk.l4len, sum);
            got += pk.l4len;
        }
        free(out);
        T_CHECK(why);
    }
    T_ASSERT(got == mlen);
    T_ASSERT(net_cksum(sum) == 0);
    return NULL;
}

static const char *udp_malformed(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *s;
    uint8_t f[200], u[100], data[20] = "hello";
    size_t ulen;
    struct atoll_net_stats before;

    T_ASSERT(atoll_udp_bind(d->nif, 7, &s) == 0);
    ulen = t_udp(u, T_PEER_IP, T_IP(2), 9, 7, data, sizeof data);
    for (int c = 0; c < 6; c++) {
        uint8_t v[100];
        size_t len = ulen;
        const char *counter = "udp_checksum";

        memcpy(v, u, ulen);
        switch (c) {
        case 0: len = 7; counter = "udp_short"; break;
        case 1: put16(v + 4, 7); counter = "udp_bad_len"; break;
        case 2: put16(v + 4, (uint16_t)(ulen + 1)); counter = "udp_bad_len";
                break;
        case 3: v[10] ^= 0x40; break;
        case 4: v[6] ^= 0xff; break;
        case 5: t_udp(v, T_PEER_IP, T_IP(2), 9, 8, data, sizeof data);
                counter = "udp_no_port"; break;
        }
        before = t_stats(d);
        t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, v,
                                 len));
        const char *why = t_only(d, &before, counter, 1,
                                 c == 5 ? "icmp_unreach_tx tx_frames "
                                 "arp_requests_tx" : "");
        if (why != NULL)
            T_FAILF("case %d: %s", c, why);
        if (atoll_udp_recv(s, v, sizeof v, NULL, NULL) != ATOLL_ERR_AGAIN)
            T_FAILF("case %d: delivered", c);
        t_drain(d);
    }
    /* No checksum (0) is allowed in IPv4; a UDP length shorter than the
     * IP payload trims it. */
    put16(u + 6, 0);
    before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                             ulen));
    T_CHECK(t_only(d, &before, "udp_rx", 1, ""));
    T_ASSERT(atoll_udp_recv(s, u, sizeof u, NULL, NULL) == sizeof data);
    ulen = t_udp(u, T_PEER_IP, T_IP(2), 9, 7, data, 5);
    memset(u + ulen, 0xee, 10);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                             ulen + 10));
    T_ASSERT(atoll_udp_recv(s, u, sizeof u, NULL, NULL) == 5);
    return NULL;
}

static const char *port_unreachable_rate_limited(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    uint8_t f[200], u[100], data[4] = "x";
    size_t ulen = t_udp(u, T_PEER_IP, T_IP(2), 9, 4444, data, sizeof data);
    struct t_frame *out;
    struct t_pkt pk;

    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    size_t flen = t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u, ulen);
    t_input(d, f, flen);
    out = t_pop(d);
    const char *why = t_parse(out, &pk);
    if (why == NULL &&
        (pk.proto != IP_PROTO_ICMP || pk.l4[0] != ICMP_UNREACH ||
         pk.l4[1] != ICMP_UNREACH_PORT || pk.dst != T_PEER_IP ||
         pk.l4len != 8 + IP4_HLEN + ulen ||
         memcmp(pk.l4 + 8, f + ETH_HLEN, IP4_HLEN + ulen) != 0))
        why = "bad port unreachable";
    free(out);
    T_CHECK(why);
    /* A burst: ICMP_ERR_BURST in all, then nothing until time passes. */
    for (int i = 0; i < 200; i++)
        t_input(d, f, flen);
    T_ASSERT(d->count == ICMP_ERR_BURST - 1);
    T_ASSERT(t_stat(d, "icmp_rate_limited") == 200 - (ICMP_ERR_BURST - 1));
    t_drain(d);
    t_advance(100000000); /* 100 ms: ICMP_ERR_RATE / 10 tokens */
    for (int i = 0; i < 200; i++)
        t_input(d, f, flen);
    T_ASSERT(d->count == ICMP_ERR_RATE / 10);
    t_drain(d);
    /* Broadcasts to closed ports get no answer. */
    t_advance(2000000000);
    ulen = t_udp(u, T_PEER_IP, T_IP(255), 9, 4444, data, sizeof data);
    struct atoll_net_stats before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(255), IP_PROTO_UDP, u,
                             ulen));
    T_CHECK(t_only(d, &before, "udp_no_port", 1, ""));
    T_ASSERT(d->count == 0);
    return NULL;
}

struct seen {
    int n;
    struct atoll_udp_dgram last;
    uint8_t data[64];
    bool close_self;
};

static void on_dgram(struct atoll_udp *s, const struct atoll_udp_dgram *dg,
                     void *arg)
{
    struct seen *seen = arg;

    seen->n++;
    seen->last = *dg;
    memcpy(seen->data, dg->data, dg->len < 64 ? dg->len : 64);
    if (seen->close_self)
        atoll_udp_close(s);
}

static const char *sockets(void)
{
    struct t_dev *d = t_dev_new(2, true, false);
    struct atoll_udp *a, *b, *c;
    uint8_t f[200], u[100], buf[100];
    struct seen seen = {0};
    atoll_ip4_t src;
    uint16_t port;

    T_ASSERT(atoll_udp_bind(d->nif, 53, &a) == 0);
    T_ASSERT(atoll_udp_bind(d->nif, 53, &b) == ATOLL_ERR_ADDRINUSE);
    T_ASSERT(atoll_udp_port(a) == 53);
    /* Ephemeral ports are distinct and in 49152-65535. */
    struct atoll_udp *eph[100];
    for (int i = 0; i < 100; i++) {
        T_ASSERT(atoll_udp_bind(d->nif, 0, &eph[i]) == 0);
        T_ASSERT(atoll_udp_port(eph[i]) >= 49152);
        for (int j = 0; j < i; j++)
            T_ASSERT(atoll_udp_port(eph[i]) != atoll_udp_port(eph[j]));
    }
    for (int i = 0; i < 100; i++)
        atoll_udp_close(eph[i]);

    /* A handler sees each datagram in place. */
    atoll_udp_set_handler(a, on_dgram, &seen);
    size_t ulen = t_udp(u, T_PEER_IP, T_IP(2), 1234, 53, "query", 5);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                             ulen));
    T_ASSERT(seen.n == 1 && seen.last.src == T_PEER_IP &&
             seen.last.dst == T_IP(2) && seen.last.sport == 1234 &&
             seen.last.dport == 53 && seen.last.len == 5 &&
             memcmp(seen.data, "query", 5) == 0);
    T_ASSERT(atoll_udp_recv(a, buf, sizeof buf, NULL, NULL) ==
             ATOLL_ERR_AGAIN);
    /* A handler may close its socket; the port is then closed. */
    seen.close_self = true;
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                             ulen));
    T_ASSERT(seen.n == 2);
    struct atoll_net_stats before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                             ulen));
    T_CHECK(t_only(d, &before, "udp_no_port", 1, "icmp_unreach_tx "
                   "arp_requests_tx tx_frames"));
    t_drain(d);

    /* Without a handler: a bounded queue, oldest first, truncation. */
    T_ASSERT(atoll_udp_bind(d->nif, 99, &c) == 0);
    atoll_udp_set_queue(c, 3, 1000);
    for (int i = 0; i < 5; i++) {
        char msg[16];
        snprintf(msg, sizeof msg, "msg%d", i);
        ulen = t_udp(u, T_PEER_IP, T_IP(2), (uint16_t)(100 + i), 99, msg, 4);
        t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                                 ulen));
    }
    T_ASSERT(t_stat(d, "udp_queue_full") == 2);
    T_ASSERT(atoll_udp_recv(c, buf, 2, &src, &port) == 4);
    T_ASSERT(memcmp(buf, "ms", 2) == 0 && src == T_PEER_IP && port == 100);
    T_ASSERT(atoll_udp_recv(c, buf, sizeof buf, NULL, NULL) == 4 &&
             memcmp(buf, "msg1", 4) == 0);
    T_ASSERT(atoll_udp_recv(c, buf, sizeof buf, NULL, &port) == 4 &&
             port == 102);
    T_ASSERT(atoll_udp_recv(c, buf, sizeof buf, NULL, NULL) ==
             ATOLL_ERR_AGAIN);
    /* The byte bound too; closing frees what is queued. */
    atoll_udp_set_queue(c, 100, 10);
    for (int i = 0; i < 3; i++)
        t_input(d, f, t_ip_frame(f, d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, u,
                                 ulen));
    T_ASSERT(t_stat(d, "udp_queue_full") == 3);
    /* Sending: checksum right, from our address and port. */
    t_teach_arp(d, T_PEER_IP, t_peer_mac);
    t_drain(d); /* the port unreachable that was waiting for ARP */
    T_ASSERT(atoll_udp_sendto(c, T_PEER_IP, 5555, "reply", 5) == 0);
    struct t_frame *out = t_pop(d);
    struct t_pkt pk;
    const char *why = t_parse(out, &pk);
    if (why == NULL && (pk.proto != IP_PROTO_UDP || get16(pk.l4) != 99 ||
                        get16(pk.l4 + 2) != 5555 || pk.l4len != 13 ||
                        memcmp(pk.l4 + 8, "reply", 5) != 0))
        why = "bad datagram sent";
    free(out);
    T_CHECK(why);
    T_ASSERT(atoll_udp_sendto(c, T_PEER_IP, 0, "x", 1) == ATOLL_ERR_INVAL);
    atoll_udp_close(c);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(echo_reply);
    RUN(big_ping_fragmented);
    RUN(udp_malformed);
    RUN(port_unreachable_rate_limited);
    RUN(sockets);
    return t_finish();
}
