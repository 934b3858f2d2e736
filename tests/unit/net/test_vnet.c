/*
 * Virtio-net headers (lib/net/vnet.c) on VNET devices: TCP sent as 64 KB
 * segments with partial checksums for the device to cut and finish, or
 * plain when transmit offload is off (one side only); large segments
 * received with partial checksums fed into TCP whole and in order, also
 * beyond the window; DATA_VALID trusted, plain frames checked; bad
 * headers (checksum state, GSO type, sizes) dropped and counted, never
 * trusted.
 */
#include "frames.h"

#define VH ATOLL_NET_VNET_HLEN
#define PORT 7
#define PEER_PORT 40000
#define VNET ATOLL_NETDEV_VNET
#define OFFLOAD (ATOLL_NETDEV_VNET | ATOLL_NETDEV_TX_OFFLOAD)

struct vh {
    uint8_t flags, gso;
    uint16_t hdr_len, gso_size, start, off;
};

static uint8_t fb[VH + ETH_HLEN + IP4_MAX + 64];

static void put_vh(uint8_t *h, const struct vh *v)
{
    memset(h, 0, VH);
    h[VNET_FLAGS] = v->flags;
    h[VNET_GSO_TYPE] = v->gso;
    put16le(h + VNET_HDR_LEN, v->hdr_len);
    put16le(h + VNET_GSO_SIZE, v->gso_size);
    put16le(h + VNET_CSUM_START, v->start);
    put16le(h + VNET_CSUM_OFFSET, v->off);
}

/* Input the frame at fb + VH (len bytes) behind header v. */
static void vin(struct t_dev *d, const struct vh *v, size_t len)
{
    put_vh(fb, v);
    t_input(d, fb, VH + len);
}

static uint8_t pattern(size_t i)
{
    return (uint8_t)(((uint32_t)i * 2654435761u) >> 13);
}

/* ---- a stack against crafted frames ----------------------------------- */

struct conn {
    struct t_dev *d;
    struct atoll_tcp *l, *s;
    uint32_t our, peer; /* next sequence numbers */
};

/* Take d's oldest frame, a plain-header TCP segment: its ack number. */
static const char *take_ack(struct t_dev *d, uint32_t *ack)
{
    struct t_frame *f;
    const char *why = NULL;

    while ((f = t_pop(d)) != NULL && get16(f->data + VH + ETH_TYPE) ==
                                         ETH_TYPE_ARP)
        free(f);
    if (f == NULL)
        return "nothing sent";
    if (f->len < VH + ETH_HLEN + IP4_HLEN + TCP_HLEN ||
        f->data[VH + ETH_HLEN + IP4_PROTO] != IP_PROTO_TCP)
        why = "not a TCP segment";
    else if (f->data[VNET_FLAGS] != 0 || f->data[VNET_GSO_TYPE] != 0)
        why = "offload asked without TX_OFFLOAD";
    else
        *ack = get32(f->data + VH + ETH_HLEN + IP4_HLEN + TCP_ACKNO);
    free(f);
    return why;
}

/* A VNET device (no transmit offload) with an accepted connection from
 * the peer; MSS 1460 each way, no window scaling or timestamps. */
static const char *open_conn(struct conn *k)
{
    static const uint8_t zero[6];
    static const uint8_t mss[4] = {2, 4, 1460 >> 8, 1460 & 0xff};
    const struct vh plain = {0};
    uint8_t *f = fb + VH;

    k->d = t_dev_new_with(2, true, false, VNET);
    memset(f, 0, 60);
    t_eth(f, net_bcast_mac, t_peer_mac, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 1, t_peer_mac, T_PEER_IP, zero, T_IP(2));
    vin(k->d, &plain, 60);
    t_drain(k->d);
    T_ASSERT(atoll_tcp_listen(k->d->nif, PORT, 0, &k->l) == 0);
    struct t_tcp syn = {PEER_PORT, PORT, 5000, 0, TCP_SYN, 65535, mss, 4,
                        NULL, 0};
    vin(k->d, &plain, t_tcp_frame(f, k->d, &syn));
    struct t_frame *sa = t_pop(k->d);
    T_ASSERT(sa != NULL && sa->len > VH + ETH_HLEN + IP4_HLEN + TCP_HLEN);
    k->our = get32(sa->data + VH + ETH_HLEN + IP4_HLEN + TCP_SEQ) + 1;
    free(sa);
    k->peer = 5001;
    struct t_tcp ack = {PEER_PORT, PORT, k->peer, k->our, TCP_ACK, 65535,
                        NULL, 0, NULL, 0};
    vin(k->d, &plain, t_tcp_frame(f, k->d, &ack));
    T_ASSERT(atoll_tcp_try_accept(k->l, &k->s) == 0);
    t_drain(k->d);
    return NULL;
}

/* Build a data segment of n pattern bytes (from stream offset at) into
 * fb + VH; returns the frame length. */
static size_t data_frame(struct conn *k, size_t at, size_t n)
{
    static uint8_t data[IP4_MAX];

    for (size_t i = 0; i < n; i++)
        data[i] = pattern(at + i);
    struct t_tcp s = {PEER_PORT, PORT, k->peer + (uint32_t)at, k->our,
                      TCP_ACK, 65535, NULL, 0, data, n};
    return t_tcp_frame(fb + VH, k->d, &s);
}

/* What a host's TCP leaves in a segment it hands over for checksumming:
 * the pseudo-header sum alone (folded, not complemented). */
static void partial_cksum(size_t len)
{
    uint8_t *ip = fb + VH + ETH_HLEN, *t = ip + IP4_HLEN;
    size_t l4 = len - ETH_HLEN - IP4_HLEN;

    put16(t + TCP_CKSUM, (uint16_t)~net_cksum(net_pseudo_sum(
                             get32(ip + IP4_SRC), get32(ip + IP4_DST),
                             IP_PROTO_TCP, l4)));
}

static const struct vh gso_hdr = {VNET_F_NEEDS_CSUM, VNET_GSO_TCPV4,
                                  ETH_HLEN + IP4_HLEN + TCP_HLEN, 1448,
                                  ETH_HLEN + IP4_HLEN, TCP_CKSUM};

/* Read what is queued on s and check it is the pattern from *at on. */
static const char *read_pattern(struct atoll_tcp *s, size_t *at)
{
    static uint8_t buf[65536];
    long r;

    while ((r = atoll_tcp_recv(s, buf, sizeof buf)) > 0) {
        for (long i = 0; i < r; i++)
            if (buf[i] != pattern(*at + (size_t)i))
                return t_whyf("byte %zu differs", *at + (size_t)i);
        *at += (size_t)r;
    }
    return NULL;
}

/* A 60000-byte segment coalesced by the host (GSO TCPv4, partial
 * checksum) goes into the receive queue whole and in order, and is
 * acknowledged; one past the window is cut at its edge, and the rest,
 * sent again, completes the stream. */
static const char *large_segment_received(void)
{
    struct conn k;
    size_t got = 0, len;
    uint32_t ack = 0;

    T_CHECK(open_conn(&k));
    len = data_frame(&k, 0, 60000);
    partial_cksum(len);
    vin(k.d, &gso_hdr, len);
    T_ASSERT(t_stat(k.d, "vnet_gso_rx") == 1);
    T_ASSERT(t_stat(k.d, "tcp_checksum") == 0);
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 60000);
    atoll_netif_flush(k.d->nif);
    t_advance(500 * MS); /* the delayed ACK, if any */
    T_CHECK(take_ack(k.d, &ack));
    T_ASSERT(ack == k.peer + 60000);
    t_drain(k.d);

    /* Two more without reading: the second crosses the window's edge
     * (a 100000-byte buffer: 40000 bytes of window are left). */
    T_ASSERT(atoll_tcp_set_buffers(k.s, 100000, 262144) == 0);
    len = data_frame(&k, 60000, 60000);
    partial_cksum(len);
    vin(k.d, &gso_hdr, len);
    len = data_frame(&k, 120000, 60000);
    partial_cksum(len);
    vin(k.d, &gso_hdr, len);
    T_CHECK(read_pattern(k.s, &got));
    if (got != 160000)
        T_FAILF("got %zu bytes, not up to the window's edge", got);
    /* The peer resends from what was acknowledged; duplicates are
     * harmless, and the stream ends up whole. */
    len = data_frame(&k, 120000, 60000);
    partial_cksum(len);
    vin(k.d, &gso_hdr, len);
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 180000);
    T_ASSERT(t_stat(k.d, "tcp_checksum") == 0 &&
             t_stat(k.d, "vnet_gso_rx") == 4);
    return NULL;
}

/* DATA_VALID: the host checked the checksum, a wrong one is not looked
 * at; without it (plain header) the same segment is dropped as before. */
static const char *data_valid_trusted(void)
{
    struct conn k;
    size_t got = 0, len;
    const struct vh valid = {VNET_F_DATA_VALID, 0, 0, 0, 0, 0};
    const struct vh plain = {0};

    T_CHECK(open_conn(&k));
    len = data_frame(&k, 0, 1000);
    fb[VH + ETH_HLEN + IP4_HLEN + TCP_CKSUM] ^= 0x5a;
    struct atoll_net_stats before = t_stats(k.d);
    vin(k.d, &plain, len);
    T_CHECK(t_only(k.d, &before, "tcp_checksum", 1, "rx_frames"));
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 0);
    vin(k.d, &valid, len);
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 1000 && t_stat(k.d, "tcp_checksum") == 1);
    /* A UDP datagram likewise. */
    struct atoll_udp *u;
    uint8_t dg[64], buf[64];
    size_t n = t_udp(dg, T_PEER_IP, T_IP(2), 53, 99, "hello", 5);
    T_ASSERT(atoll_udp_bind(k.d->nif, 99, &u) == 0);
    dg[UDP_CKSUM] ^= 0x11;
    len = t_ip_frame(fb + VH, k.d, T_PEER_IP, T_IP(2), IP_PROTO_UDP, dg, n);
    vin(k.d, &plain, len);
    T_ASSERT(t_stat(k.d, "udp_checksum") == 1);
    vin(k.d, &valid, len);
    T_ASSERT(atoll_udp_recv(u, buf, sizeof buf, NULL, NULL) == 5 &&
             memcmp(buf, "hello", 5) == 0);
    atoll_udp_close(u);
    return NULL;
}

/* Each bad header is dropped under its one counter; the stream is left
 * as it was, and a good header after them still works. */
static const char *bad_headers_dropped(void)
{
    struct conn k;
    size_t got = 0, len, ulen;
    uint8_t dg[64];
    const struct vh N = gso_hdr;
    struct {
        const char *what, *counter;
        struct vh h;
        int frame; /* 0: TCP segment, 1: UDP datagram, 2: ICMP echo,
                      3: 1501 bytes of IP, 4: 11 bytes */
    } cases[] = {
        {"unknown flag", "vnet_bad_csum", {4, 0, 0, 0, 0, 0}, 0},
        {"NEEDS_CSUM and DATA_VALID", "vnet_bad_csum",
         {3, 0, 0, 0, 34, 16}, 0},
        {"csum_start not at TCP", "vnet_bad_csum", {1, 0, 0, 0, 33, 16}, 0},
        {"csum_offset not TCP's", "vnet_bad_csum", {1, 0, 0, 0, 34, 6}, 0},
        {"csum_offset past the frame", "vnet_bad_csum",
         {1, 0, 0, 0, 34, 60000}, 0},
        {"UDP offset on TCP", "vnet_bad_csum", {1, 0, 0, 0, 34, 6}, 0},
        {"TCP offset on UDP", "vnet_bad_csum", {1, 0, 0, 0, 34, 16}, 1},
        {"NEEDS_CSUM on ICMP", "vnet_bad_csum", {1, 0, 0, 0, 34, 2}, 2},
        {"GSO UDP", "vnet_bad_gso", {1, 3, 54, 1448, 34, 16}, 0},
        {"GSO TCPv6", "vnet_bad_gso", {1, 4, 54, 1448, 34, 16}, 0},
        {"GSO UDP L4", "vnet_bad_gso", {1, 5, 54, 1448, 34, 16}, 0},
        {"GSO TCPv4 with ECN", "vnet_bad_gso", {1, 0x81, 54, 1448, 34, 16},
         0},
        {"GSO without NEEDS_CSUM", "vnet_bad_gso", {0, 1, 54, 1448, 0, 0},
         0},
        {"GSO TCPv4 on UDP", "vnet_bad_gso", {1, 1, 42, 1448, 34, 6}, 1},
        {"GSO size over the MSS announced", "vnet_too_big",
         {1, 1, 54, 1461, 34, 16}, 0},
        {"GSO size 0", "vnet_too_big", {1, 1, 54, 0, 34, 16}, 0},
        {"over the MTU without GSO", "vnet_too_big", {0, 0, 0, 0, 0, 0}, 3},
        {"shorter than a header and Ethernet", "eth_short",
         {0, 0, 0, 0, 0, 0}, 4},
    };

    T_CHECK(open_conn(&k));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        switch (cases[i].frame) {
        case 0:
            len = data_frame(&k, 0, 3000);
            partial_cksum(len);
            break;
        case 1:
            /* Long enough for a TCP checksum's place to fit. */
            ulen = t_udp(dg, T_PEER_IP, T_IP(2), 53, 7,
                         "0123456789abcdef0123456789abcdef", 32);
            len = t_ip_frame(fb + VH, k.d, T_PEER_IP, T_IP(2), IP_PROTO_UDP,
                             dg, ulen);
            break;
        case 2:
            memset(dg, 0, 8);
            dg[0] = ICMP_ECHO;
            put16(dg + 2, net_cksum(net_sum(dg, 8, 0)));
            len = t_ip_frame(fb + VH, k.d, T_PEER_IP, T_IP(2), IP_PROTO_ICMP,
                             dg, 8);
            break;
        case 3:
            len = data_frame(&k, 0, 1501 - IP4_HLEN - TCP_HLEN);
            break;
        default:
            len = 0; /* 11 bytes with the header, below */
            break;
        }
        struct atoll_net_stats before = t_stats(k.d);
        if (cases[i].frame == 4) {
            put_vh(fb, &cases[i].h);
            t_input(k.d, fb, 11);
        } else {
            vin(k.d, &cases[i].h, len);
        }
        const char *why = t_only(k.d, &before, cases[i].counter, 1,
                                 "rx_frames");
        if (why != NULL)
            T_FAILF("%s: %s", cases[i].what, why);
        if (k.d->count != 0)
            T_FAILF("%s: the stack answered it", cases[i].what);
    }
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 0);
    /* The same segment with the host's real header goes in. */
    len = data_frame(&k, 0, 3000);
    partial_cksum(len);
    vin(k.d, &N, len);
    T_CHECK(read_pattern(k.s, &got));
    T_ASSERT(got == 3000);
    return NULL;
}

/* ---- two stacks on a wire that carries the headers -------------------- */

/* What the wire saw: every TCP frame checked as a device would take it. */
struct seen {
    unsigned gso, partial, plain, tcp;
    unsigned frames[2]; /* from a, from b */
    uint16_t mss[2]; /* gso_size from a, from b */
    struct t_dev *a;
    const char *why;
};

static const char *check_tx(const struct t_frame *f, struct seen *s,
                            bool from_a)
{
    static uint8_t t[IP4_MAX];
    const uint8_t *h = f->data, *ip = h + VH + ETH_HLEN;
    size_t total, l4, hlen;

    if (f->len < VH + ETH_HLEN + IP4_HLEN ||
        get16(h + VH + ETH_TYPE) != ETH_TYPE_IP4)
        return h[VNET_FLAGS] == 0 && h[VNET_GSO_TYPE] == 0
                   ? NULL
                   : "offload asked on a frame that is not IPv4";
    total = get16(ip + IP4_LEN);
    if (total + VH + ETH_HLEN != f->len)
        return "IPv4 length is not the frame's";
    if (ip[IP4_PROTO] != IP_PROTO_TCP)
        return h[VNET_FLAGS] == 0 ? NULL : "offload asked on non-TCP";
    s->tcp++;
    l4 = total - IP4_HLEN;
    memcpy(t, ip + IP4_HLEN, l4);
    hlen = tcp_hlen(t);
    if (h[VNET_FLAGS] == VNET_F_NEEDS_CSUM) {
        /* The device sums from csum_start, the field included, and
         * stores the complement there. */
        if (get16le(h + VNET_CSUM_START) != ETH_HLEN + IP4_HLEN ||
            get16le(h + VNET_CSUM_OFFSET) != TCP_CKSUM)
            return "checksum position";
        put16(t + TCP_CKSUM, net_cksum(net_sum(t, l4, 0)));
        s->partial++;
    } else if (h[VNET_FLAGS] != 0) {
        return "flags";
    } else {
        s->plain++;
    }
    if (net_cksum(net_sum(t, l4, net_pseudo_sum(get32(ip + IP4_SRC),
                                                get32(ip + IP4_DST),
                                                IP_PROTO_TCP, l4))) != 0)
        return "TCP checksum wrong once completed";
    if (h[VNET_GSO_TYPE] == VNET_GSO_NONE) {
        if (total > 1500)
            return "over the MTU without GSO";
        return NULL;
    }
    if (h[VNET_GSO_TYPE] != VNET_GSO_TCPV4 || h[VNET_FLAGS] == 0)
        return "GSO type or GSO without a partial checksum";
    if (get16le(h + VNET_HDR_LEN) != ETH_HLEN + IP4_HLEN + hlen)
        return "hdr_len";
    uint16_t size = get16le(h + VNET_GSO_SIZE);
    if (size == 0 || IP4_HLEN + hlen + size > 1500 ||
        l4 - hlen <= size)
        return "gso_size";
    s->mss[from_a ? 0 : 1] = size;
    s->gso++;
    return NULL;
}

static bool watch(struct t_dev *from, const struct t_frame *f, void *arg)
{
    struct seen *s = arg;
    const char *why = check_tx(f, s, from == s->a);

    s->frames[from == s->a ? 0 : 1]++;
    if (why != NULL && s->why == NULL)
        s->why = why;
    return false;
}

/* n bytes of the pattern from a's client to b's side, and n back. */
static const char *transfer(uint32_t fa, uint32_t fb_, size_t n,
                            struct seen *s)
{
    struct t_dev *a = t_dev_new_with(2, true, false, fa);
    struct t_dev *b = t_dev_new_with(3, true, false, fb_);
    struct atoll_tcp *l, *c, *srv;
    static uint8_t buf[65536];
    size_t sent[2] = {0, 0}, got[2] = {0, 0};

    memset(s, 0, sizeof *s);
    s->a = a;
    T_ASSERT(atoll_tcp_listen(b->nif, PORT, 0, &l) == 0);
    T_ASSERT(atoll_tcp_connect(a->nif, T_IP(3), PORT, &c) == 0);
    t_run(a, b, 5 * MS, MS, watch, s);
    T_ASSERT(atoll_tcp_try_accept(l, &srv) == 0);
    struct atoll_tcp *snd[2] = {c, srv}, *rcv[2] = {srv, c};
    for (int round = 0; round < 100000; round++) {
        for (int i = 0; i < 2; i++) {
            while (sent[i] < n) {
                size_t m = n - sent[i] < sizeof buf ? n - sent[i]
                                                    : sizeof buf;
                for (size_t j = 0; j < m; j++)
                    buf[j] = pattern(sent[i] + j);
                long r = atoll_tcp_send(snd[i], buf, m);
                if (r <= 0)
                    break;
                sent[i] += (size_t)r;
            }
            T_CHECK(read_pattern(rcv[i], &got[i]));
        }
        if (got[0] == n && got[1] == n)
            break;
        t_run(a, b, MS, MS, watch, s);
    }
    T_ASSERT(got[0] == n && got[1] == n);
    T_CHECK(s->why);
    T_ASSERT(t_stat(a, "tcp_checksum") == 0 &&
             t_stat(b, "tcp_checksum") == 0);
    return NULL;
}

/* Both sides offload: data goes as segments of up to 64 KB with partial
 * checksums, cut at the MSS (1448 with timestamps), and the receiving
 * stack takes them whole. */
static const char *tso_both_ways(void)
{
    struct seen s;

    T_CHECK(transfer(OFFLOAD, OFFLOAD, 2000000, &s));
    T_ASSERT(s.gso > 20 && s.plain == 0 && s.partial == s.tcp);
    T_ASSERT(s.mss[0] == 1448 && s.mss[1] == 1448);
    return NULL;
}

/* Transmit offload on one side only: the other sends plain segments of
 * at most the MTU with full checksums, and takes the large ones. */
static const char *offload_one_side(void)
{
    struct seen s;

    T_CHECK(transfer(OFFLOAD, VNET, 1000000, &s));
    T_ASSERT(s.gso > 5 && s.mss[0] == 1448 && s.mss[1] == 0);
    T_ASSERT(s.plain > 0 && s.partial > 0);
    return NULL;
}

/* Neither: headers present and all plain. */
static const char *headers_without_offload(void)
{
    struct seen s;

    T_CHECK(transfer(VNET, VNET, 300000, &s));
    T_ASSERT(s.gso == 0 && s.partial == 0 && s.plain == s.tcp);
    return NULL;
}

/* 4 MB one way, read 4 KB at a time as it comes: the receiver's window
 * updates do not follow every read (a 64 KB segment would bring a dozen
 * of them), so it sends few frames per segment it gets. */
static const char *few_window_updates(void)
{
    struct t_dev *a = t_dev_new_with(2, true, false, OFFLOAD);
    struct t_dev *b = t_dev_new_with(3, true, false, OFFLOAD);
    struct atoll_tcp *l, *c, *srv;
    static uint8_t buf[65536];
    size_t n = 4000000, sent = 0, got = 0;
    struct seen s;

    memset(&s, 0, sizeof s);
    s.a = a;
    T_ASSERT(atoll_tcp_listen(b->nif, PORT, 0, &l) == 0);
    T_ASSERT(atoll_tcp_connect(a->nif, T_IP(3), PORT, &c) == 0);
    t_run(a, b, 5 * MS, MS, watch, &s);
    T_ASSERT(atoll_tcp_try_accept(l, &srv) == 0);
    memset(s.frames, 0, sizeof s.frames);
    for (int round = 0; round < 100000 && got < n; round++) {
        long r;

        while (sent < n) {
            size_t m = n - sent < sizeof buf ? n - sent : sizeof buf;
            for (size_t j = 0; j < m; j++)
                buf[j] = pattern(sent + j);
            r = atoll_tcp_send(c, buf, m);
            if (r <= 0)
                break;
            sent += (size_t)r;
        }
        while ((r = atoll_tcp_recv(srv, buf, 4096)) > 0) {
            for (long j = 0; j < r; j++)
                if (buf[j] != pattern(got + (size_t)j))
                    T_FAILF("byte %zu differs", got + (size_t)j);
            got += (size_t)r;
            t_pump(a, b, watch, &s);
        }
        t_run(a, b, MS, MS, watch, &s);
    }
    T_ASSERT(got == n);
    T_CHECK(s.why);
    if (s.frames[1] > 2 * s.frames[0])
        T_FAILF("%u frames back for %u", s.frames[1], s.frames[0]);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(large_segment_received);
    RUN(data_valid_trusted);
    RUN(bad_headers_dropped);
    RUN(tso_both_ways);
    RUN(offload_one_side);
    RUN(headers_without_offload);
    RUN(few_window_updates);
    return t_finish();
}
