/*
 * Write the seed corpora of lib/net's fuzz targets:
 *   fuzz-net-seeds DIR     -> DIR/frame, DIR/ip4, DIR/udp, DIR/dhcp
 * Each seed is a list of records (see fuzz_net.h) of well-formed traffic,
 * plus a few broken variants, for the fuzzer to start from.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAXSEED 70000
#define F_FIX 1

static uint8_t seed[MAXSEED];
static size_t slen;
static const char *dir;
static int count;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static uint16_t cksum(const uint8_t *p, size_t len, uint32_t s)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define US IP(10, 0, 0, 2)
#define PEER IP(10, 0, 0, 7)
static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t peer_mac[6] = {2, 0, 0, 0, 0, 7};

static void record(uint8_t flags, const uint8_t *data, size_t len)
{
    if (slen + 3 + len > MAXSEED) {
        fprintf(stderr, "seed too big\n");
        exit(1);
    }
    seed[slen] = flags;
    put16(seed + slen + 1, (uint16_t)len);
    memcpy(seed + slen + 3, data, len);
    slen += 3 + len;
}

static void save(const char *target, const char *name)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(seed, 1, slen, f) != slen || fclose(f) != 0) {
        fprintf(stderr, "fuzz-net-seeds: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    slen = 0;
    count++;
}

/* An IPv4 header for len payload bytes; returns 20. */
static size_t ip4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto,
                  size_t len, uint16_t id, uint16_t frag)
{
    memset(p, 0, 20);
    p[0] = 0x45;
    put16(p + 2, (uint16_t)(20 + len));
    put16(p + 4, id);
    put16(p + 6, frag);
    p[8] = 64;
    p[9] = proto;
    put32(p + 12, src);
    put32(p + 16, dst);
    put16(p + 10, cksum(p, 20, 0));
    return 20;
}

static uint32_t pseudo(uint32_t s, uint32_t d, uint8_t proto, size_t len)
{
    return (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff) + proto +
           (uint32_t)len;
}

static size_t udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sp,
                  uint16_t dp, const void *data, size_t len)
{
    put16(u, sp);
    put16(u + 2, dp);
    put16(u + 4, (uint16_t)(8 + len));
    put16(u + 6, 0);
    memcpy(u + 8, data, len);
    put16(u + 6, cksum(u, 8 + len, pseudo(src, dst, 17, 8 + len)));
    return 8 + len;
}

static size_t icmp_echo(uint8_t *m, size_t datalen)
{
    memset(m, 0, 8 + datalen);
    m[0] = 8;
    put16(m + 4, 0x77);
    put16(m + 6, 1);
    for (size_t i = 0; i < datalen; i++)
        m[8 + i] = (uint8_t)i;
    put16(m + 2, cksum(m, 8 + datalen, 0));
    return 8 + datalen;
}

static size_t eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, type);
    return 14;
}

static void frame_seeds(void)
{
    uint8_t f[2000], m[1500];
    size_t n;
    static const uint8_t bcast[6] = {255, 255, 255, 255, 255, 255};

    /* ARP request for us. */
    n = eth(f, bcast, 0x0806);
    memcpy(f + n, "\0\1\10\0\6\4\0\1", 8);
    memcpy(f + n + 8, peer_mac, 6);
    put32(f + n + 14, PEER);
    memset(f + n + 18, 0, 6);
    put32(f + n + 24, US);
    record(0, f, n + 28);
    save("frame", "arp-request");
    /* A ping, a datagram, a datagram to a closed port, IPv6. */
    n = eth(f, mac, 0x0800);
    size_t ml = icmp_echo(m, 56);
    n += ip4(f + n, PEER, US, 1, ml, 1, 0);
    memcpy(f + n, m, ml);
    record(0, f, n + ml);
    ml = udp(m, PEER, US, 1000, 7, "hello", 5);
    n = 14 + ip4(f + 14, PEER, US, 17, ml, 2, 0);
    memcpy(f + n, m, ml);
    record(0, f, n + ml);
    ml = udp(m, PEER, US, 1000, 99, "hello", 5);
    n = 14 + ip4(f + 14, PEER, US, 17, ml, 3, 0);
    memcpy(f + n, m, ml);
    record(0x10, f, n + ml);
    eth(f, mac, 0x86dd);
    memset(f + 14, 0x60, 40);
    record(0, f, 54);
    save("frame", "ping-udp-v6");
    /* A header with options. */
    n = eth(f, mac, 0x0800);
    memset(f + n, 0, 24);
    f[n] = 0x46;
    put16(f + n + 2, 24 + 13);
    f[n + 8] = 64;
    f[n + 9] = 17;
    put32(f + n + 12, PEER);
    put32(f + n + 16, US);
    f[n + 20] = 1;
    f[n + 21] = 0x94; /* router alert */
    f[n + 22] = 4;
    put16(f + n + 10, cksum(f + n, 24, 0));
    udp(f + n + 24, PEER, US, 1, 7, "abcde", 5);
    record(F_FIX, f, n + 24 + 13);
    save("frame", "ip-options");
}

static void ip4_seeds(void)
{
    static uint8_t d[5000], p[2000];
    uint8_t u[5100];
    size_t ul, n;

    for (size_t i = 0; i < sizeof d; i++)
        d[i] = (uint8_t)(i * 31);
    ul = udp(u, PEER, US, 1000, 7, d, 3000);
    /* In three fragments, in order. */
    for (size_t off = 0; off < ul; off += 1480) {
        size_t k = ul - off < 1480 ? ul - off : 1480;
        n = ip4(p, PEER, US, 17, k, 9,
                (uint16_t)(off / 8 | (off + k < ul ? 0x2000 : 0)));
        memcpy(p + n, u + off, k);
        record(0, p, n + k);
    }
    save("ip4", "three-fragments");
    /* Out of order, with a duplicate. */
    static const size_t order[] = {2, 0, 0, 1};
    for (int i = 0; i < 4; i++) {
        size_t off = order[i] * 1480;
        size_t k = ul - off < 1480 ? ul - off : 1480;
        n = ip4(p, PEER, US, 17, k, 10,
                (uint16_t)(off / 8 | (off + k < ul ? 0x2000 : 0)));
        memcpy(p + n, u + off, k);
        record(0, p, n + k);
    }
    save("ip4", "reordered-duplicate");
    /* Overlapping, then a timeout. */
    n = ip4(p, PEER, US, 17, 1480, 11, 0x2000);
    memcpy(p + n, u, 1480);
    record(0, p, n + 1480);
    n = ip4(p, PEER, US, 17, 800, 11, 0x2000 | 100);
    memcpy(p + n, u + 800, 800);
    record(0, p, n + 800);
    n = ip4(p, PEER, US, 17, 800, 12, 0x2000);
    memcpy(p + n, u, 800);
    record(0xf0, p, n + 800);
    record(0xf0, p, 0);
    save("ip4", "overlap-timeout");
    /* A whole datagram, an unknown protocol, a ping. */
    n = ip4(p, PEER, US, 17, 13, 13, 0);
    udp(p + n, PEER, US, 5, 7, "hello", 5);
    record(0, p, n + 13);
    n = ip4(p, PEER, US, 200, 10, 14, 0);
    record(0, p, n + 10);
    uint8_t m[100];
    size_t ml = icmp_echo(m, 32);
    n = ip4(p, PEER, US, 1, ml, 15, 0);
    memcpy(p + n, m, ml);
    record(F_FIX, p, n + ml);
    save("ip4", "whole");
}

static void udp_seeds(void)
{
    uint8_t r[2000], m[1500];
    size_t n;

    r[0] = 0;
    n = icmp_echo(r + 1, 56);
    record(0, r, n + 1);
    r[0] = 1;
    n = udp(r + 1, PEER, US, 1000, 7, "echo me", 7);
    record(0, r, n + 1);
    r[0] = 9; /* to the queue, then drain */
    n = udp(r + 1, PEER, US, 1000, 9, "queued", 6);
    record(0, r, n + 1);
    record(0, r, n + 1);
    r[0] = 1;
    n = udp(r + 1, PEER, US, 1000, 12345, "closed", 6);
    record(0, r, n + 1);
    save("udp", "echo-queue-closed");
    /* Errors quoting our own TCP and UDP packets. */
    for (int proto = 6; proto <= 17; proto += 11) {
        memset(m, 0, sizeof m);
        m[0] = 3;
        m[1] = proto == 6 ? 4 : 3;
        put16(m + 6, 1280);
        ip4(m + 8, US, PEER, (uint8_t)proto, 20, 1, 0x4000);
        put16(m + 28, 7);
        put16(m + 30, 5555);
        r[0] = 0;
        memcpy(r + 1, m, 48);
        record(F_FIX, r, 49);
    }
    save("udp", "icmp-errors");
    r[0] = 3; /* broadcast */
    n = udp(r + 1, PEER, 0xffffffffu, 67, 68, "x", 1);
    record(F_FIX, r, n + 1);
    save("udp", "broadcast");
}

/* A TCP segment from the peer into seg; returns its length. */
static size_t tcp(uint8_t *t, uint16_t sport, uint16_t dport, uint32_t seq,
                  uint32_t ack, uint8_t flags, const uint8_t *opts,
                  size_t optlen, const char *data)
{
    size_t hlen = 20 + optlen, len = data ? strlen(data) : 0;

    memset(t, 0, hlen);
    put16(t, sport);
    put16(t + 2, dport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = (uint8_t)(hlen / 4 << 4);
    t[13] = flags;
    put16(t + 14, 65535);
    memcpy(t + 20, opts, optlen);
    memcpy(t + hlen, data, len);
    put16(t + 16, cksum(t, hlen + len, pseudo(PEER, US, 6, hlen + len)));
    return hlen + len;
}

static void tcp_seeds(void)
{
    static const uint8_t syn_opts[20] = {2, 4, 5, 180, 1, 3, 3, 7, 4, 2, 8,
                                         10, 0, 0, 0, 1, 0, 0, 0, 0};
    static const uint8_t ts_opts[12] = {1, 1, 8, 10, 0, 0, 0, 2};
    uint8_t t[200];
    /* Flags: 1 checksum, 2 ACK field, 4 sequence number, 8 client port. */

    /* A handshake with the listener, data, a FIN. */
    record(1, t, tcp(t, 4000, 80, 1000, 0, 0x02, syn_opts, 20, NULL));
    record(1 | 2, t, tcp(t, 4000, 80, 1001, 0, 0x10, ts_opts, 12, NULL));
    record(1 | 2, t, tcp(t, 4000, 80, 1001, 0, 0x18, ts_opts, 12, "hello"));
    record(1 | 2 | 4, t, tcp(t, 4000, 80, 0, 0, 0x11, ts_opts, 12, NULL));
    record(0x41 | 2 | 4, t, tcp(t, 4000, 80, 0, 0, 0x10, ts_opts, 12, NULL));
    save("tcp", "handshake-data-fin");
    /* The active open answered, then reset. */
    record(1 | 2 | 8, t, tcp(t, 5555, 0, 7000, 0, 0x12, syn_opts, 20, NULL));
    record(0x21 | 2 | 4 | 8, t, tcp(t, 5555, 0, 0, 0, 0x18, ts_opts, 12,
                                    "data"));
    record(1 | 4 | 8, t, tcp(t, 5555, 0, 0, 0, 0x04, NULL, 0, NULL));
    save("tcp", "active-open-reset");
    /* SYNs past the backlog: cookies, then a cookie ACK guessed. */
    for (int i = 0; i < 4; i++)
        record(1, t, tcp(t, (uint16_t)(4100 + i), 80, 500, 0, 0x02,
                         syn_opts, 20, NULL));
    record(1 | 2, t, tcp(t, 4103, 80, 501, 0, 0x10, ts_opts, 12, "x"));
    record(0xf1, t, tcp(t, 4100, 80, 501, 0, 0x10, NULL, 0, NULL));
    save("tcp", "syn-flood");
    /* Out of order data and a window probe. */
    record(1, t, tcp(t, 4200, 80, 9000, 0, 0x02, syn_opts, 20, NULL));
    record(1 | 2, t, tcp(t, 4200, 80, 9001, 0, 0x10, ts_opts, 12, NULL));
    record(1 | 2, t, tcp(t, 4200, 80, 9011, 0, 0x10, ts_opts, 12, "later"));
    record(1 | 2, t, tcp(t, 4200, 80, 9001, 0, 0x18, ts_opts, 12,
                         "0123456789"));
    record(1 | 2, t, tcp(t, 4200, 80, 9050, 0, 0x14, ts_opts, 12, NULL));
    save("tcp", "ooo-challenge");
    /* A connection that received our burst with holes: SACKs (edges
     * count back from our next sequence number), then a QUIT. */
    static const uint8_t sack_syn[24] = {2, 4, 5, 180, 1, 3, 3, 7, 4, 2, 8,
                                         10, 0, 0, 0, 1, 0, 0, 0, 0};
    uint8_t so[24] = {1, 1, 8, 10, 0, 0, 0, 3, 0, 0, 0, 0, 1, 1, 5, 10};
    record(1, t, tcp(t, 4300, 80, 300, 0, 0x02, sack_syn, 20, NULL));
    record(1 | 2, t, tcp(t, 4300, 80, 301, 0, 0x10, ts_opts, 12, NULL));
    put32(so + 16, 20000);
    put32(so + 20, 10000);
    /* Duplicate ACKs of the start of our burst (30000 bytes back). */
    for (int i = 0; i < 4; i++)
        record(1 | 2 | 4, t, tcp(t, 4300, 80, 0, 30000, 0x10, so, 24,
                                 NULL));
    record(0x11 | 2 | 4, t, tcp(t, 4300, 80, 0, 0, 0x18, ts_opts, 12,
                                "QUIT"));
    record(0x81 | 2 | 4, t, tcp(t, 4300, 80, 0, 0, 0x11, ts_opts, 12,
                                NULL));
    save("tcp", "sack-quit");
}

static size_t dhcp_msg(uint8_t *m, uint8_t type, uint32_t lease)
{
    uint8_t *o;

    memset(m, 0, 300);
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    put32(m + 16, IP(10, 0, 0, 50));
    memcpy(m + 28, mac, 6);
    put32(m + 236, 0x63825363u);
    o = m + 240;
    *o++ = 53, *o++ = 1, *o++ = type;
    *o++ = 54, *o++ = 4, put32(o, IP(10, 0, 0, 1)), o += 4;
    *o++ = 1, *o++ = 4, put32(o, 0xffffff00u), o += 4;
    *o++ = 3, *o++ = 4, put32(o, IP(10, 0, 0, 1)), o += 4;
    *o++ = 51, *o++ = 4, put32(o, lease), o += 4;
    *o++ = 58, *o++ = 4, put32(o, lease / 2), o += 4;
    *o++ = 59, *o++ = 4, put32(o, lease - lease / 8), o += 4;
    *o++ = 255;
    return 300;
}

static void dhcp_seeds(void)
{
    uint8_t m[300];

    record(F_FIX, m, dhcp_msg(m, 2, 20));
    record(F_FIX, m, dhcp_msg(m, 5, 20));
    save("dhcp", "offer-ack");
    record(F_FIX, m, dhcp_msg(m, 2, 20));
    record(F_FIX, m, dhcp_msg(m, 5, 20));
    record(0xf0 | F_FIX, m, 0);
    record(0xf0 | F_FIX | 2, m, dhcp_msg(m, 5, 20)); /* renewed, unicast */
    record(0xf0 | F_FIX, m, 0);
    record(0xf0 | F_FIX, m, 0);
    record(0xf0 | F_FIX, m, 0);
    save("dhcp", "renew-expire");
    record(F_FIX, m, dhcp_msg(m, 2, 60));
    record(F_FIX, m, dhcp_msg(m, 6, 0));
    record(0x40 | F_FIX, m, dhcp_msg(m, 2, 0xffffffffu));
    record(F_FIX, m, dhcp_msg(m, 5, 0xffffffffu));
    save("dhcp", "nak-infinite");
}

int main(int argc, char **argv)
{
    static const char *const targets[] = {"frame", "ip4", "udp", "dhcp",
                                          "tcp"};
    char path[512];

    if (argc != 2) {
        fprintf(stderr, "usage: fuzz-net-seeds DIR\n");
        return 2;
    }
    dir = argv[1];
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, targets[i]);
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "fuzz-net-seeds: %s: %s\n", path,
                    strerror(errno));
            return 1;
        }
    }
    frame_seeds();
    ip4_seeds();
    udp_seeds();
    dhcp_seeds();
    tcp_seeds();
    printf("%d seeds\n", count);
    return 0;
}
