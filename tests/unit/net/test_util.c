/*
 * Checksums, SipHash, byte queues, address text.
 */
#include "frames.h"
#include "atoll/siphash.h"
#include "../../../lib/rt/siphash.h"

/* The checksum the slow way: big-endian words, end-around carry. */
static uint16_t ref_cksum(const uint8_t *p, size_t len)
{
    uint32_t s = 0;

    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static const char *cksum_rfc1071_example(void)
{
    /* RFC 1071 4.1: the sum of these words is ddf2. */
    static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03,
                                0xf4, 0xf5, 0xf6, 0xf7};

    T_ASSERT(net_cksum(net_sum(d, sizeof d, 0)) == (uint16_t)~0xddf2);
    return NULL;
}

static const char *cksum_matches_reference(void)
{
    uint8_t buf[600];
    uint64_t x = 99;

    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x = x * 6364136223846793005ull + 1;
            /* Mostly 0xff bytes in some rounds: worst case for carries. */
            buf[i] = round % 3 == 0 ? 0xff : (uint8_t)(x >> 56);
        }
        for (size_t off = 0; off < 8; off++)
            for (size_t len = 0; len + off <= 520; len++)
                if (net_cksum(net_sum(buf + off, len, 0)) !=
                    ref_cksum(buf + off, len))
                    T_FAILF("offset %zu length %zu", off, len);
    }
    return NULL;
}

static const char *cksum_pieces_add_up(void)
{
    uint8_t buf[300];

    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t cut = 0; cut <= sizeof buf; cut += 2) {
        uint32_t s = net_sum(buf, cut, 0);

        s = net_sum(buf + cut, sizeof buf - cut, s);
        T_ASSERT(net_cksum(s) == ref_cksum(buf, sizeof buf));
    }
    /* A packet with its checksum in place sums to zero. */
    put16(buf + 10, 0);
    put16(buf + 10, net_cksum(net_sum(buf, 100, 0)));
    T_ASSERT(net_cksum(net_sum(buf, 100, 0)) == 0);
    return NULL;
}

static const char *siphash_vector(void)
{
    /* The reference vector of the SipHash paper (appendix A). */
    uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    uint8_t msg[24];
    uint64_t w[3];

    for (int i = 0; i < 24; i++)
        msg[i] = (uint8_t)i;
    T_ASSERT(atoll_siphash(key, msg, 15) == 0xa129ca6149be45e5ull);
    /* More from the reference implementation's table: empty, 8, 16 and
     * 24 bytes, also hashed as words by lib/rt's heap (rt_siphash). */
    T_ASSERT(atoll_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ull);
    T_ASSERT(atoll_siphash(key, msg, 8) == 0x93f5f5799a932462ull);
    T_ASSERT(atoll_siphash(key, msg, 16) == 0x3f2acc7f57c29bdbull);
    T_ASSERT(atoll_siphash(key, msg, 24) == 0xb8ad50c6f649af94ull);
    for (int i = 0; i < 3; i++)
        w[i] = 0x0706050403020100ull + 0x0808080808080808ull * (uint64_t)i;
    for (size_t n = 0; n <= 3; n++)
        T_ASSERT(rt_siphash(key, w, n) == atoll_siphash(key, msg, 8 * n));
    return NULL;
}

static const char *bq_against_model(void)
{
    static uint8_t model[1 << 20];
    static uint8_t tmp[20000];
    struct bq q = {0};
    size_t mlen = 0, written = 0, read = 0;
    uint64_t x = 7;

    for (int step = 0; step < 4000; step++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = (size_t)(x >> 40) % 9000;

        if ((x >> 20) % 3 != 0 && mlen + n < sizeof model) {
            for (size_t i = 0; i < n; i++)
                tmp[i] = (uint8_t)(written + i);
            T_ASSERT(bq_append(&q, tmp, n) == n);
            memcpy(model + mlen, tmp, n);
            mlen += n;
            written += n;
        } else {
            n = mlen == 0 ? 0 : n % (mlen + 1);
            if (n > 0) {
                size_t off = (size_t)(x >> 8) % (mlen - n + 1);
                bq_copy(&q, off, tmp, n);
                T_ASSERT(memcmp(tmp, model + off, n) == 0);
            }
            const void *p;
            size_t k = bq_peek(&q, &p);
            T_ASSERT(k <= mlen && (mlen == 0 || k > 0));
            T_ASSERT(k == 0 || memcmp(p, model, k) == 0);
            bq_drop(&q, n);
            memmove(model, model + n, mlen - n);
            mlen -= n;
            read += n;
        }
        T_ASSERT(q.len == mlen);
    }
    (void)read;
    bq_free(&q);
    T_ASSERT(q.len == 0 && q.head == NULL);
    return NULL;
}

static const char *parse_addresses(void)
{
    static const char *bad[] = {
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4",
        "01.2.3.4", "1..2.3", "1.2.3.-4", "a.b.c.d", "1.2.3.4/", "0x1.2.3.4",
        "1234.1.1.1", "1.2.3.4\n",
    };
    atoll_ip4_t a;
    unsigned p;
    char buf[ATOLL_IP4_STRLEN];

    T_ASSERT(atoll_ip4_parse("10.0.0.2", &a) == 0 && a == T_IP(2));
    T_ASSERT(atoll_ip4_parse("255.255.255.255", &a) == 0 &&
             a == ATOLL_IP4_BROADCAST);
    T_ASSERT(atoll_ip4_parse("0.0.0.0", &a) == 0 && a == 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (atoll_ip4_parse(bad[i], &a) != ATOLL_ERR_INVAL)
            T_FAILF("accepted '%s'", bad[i]);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/24", &a, &p) == 0 &&
             a == ATOLL_IP4(10, 1, 2, 3) && p == 24);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/0", &a, &p) == 0 && p == 0);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/32", &a, &p) == 0 && p == 32);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/33", &a, &p) != 0);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/024", &a, &p) != 0);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3", &a, &p) != 0);
    T_ASSERT(atoll_ip4_parse_cidr("10.1.2.3/24/1", &a, &p) != 0);
    T_ASSERT(strcmp(atoll_ip4_format(ATOLL_IP4(192, 168, 0, 255), buf),
                    "192.168.0.255") == 0);
    T_ASSERT(strcmp(atoll_ip4_format(ATOLL_IP4_BROADCAST, buf),
                    "255.255.255.255") == 0);
    return NULL;
}

static const char *error_names(void)
{
    /* Each code lib/net returns has words of its own. */
    static const int codes[] = {
        0, ATOLL_ERR_AGAIN, ATOLL_ERR_TIMEDOUT, ATOLL_ERR_CONNREFUSED,
        ATOLL_ERR_CONNRESET, ATOLL_ERR_ADDRINUSE, ATOLL_ERR_NOMEM,
        ATOLL_ERR_INVAL, ATOLL_ERR_NOTCONN, ATOLL_ERR_PIPE, ATOLL_ERR_MSGSIZE,
        ATOLL_ERR_HOSTUNREACH, ATOLL_ERR_NETUNREACH, ATOLL_ERR_CONNABORTED,
    };
    size_t n = sizeof codes / sizeof codes[0];

    for (size_t i = 0; i < n; i++) {
        const char *s = atoll_strerror(codes[i]);

        T_ASSERT(strcmp(s, "unknown error") != 0);
        for (size_t j = 0; j < i; j++)
            T_ASSERT(strcmp(s, atoll_strerror(codes[j])) != 0);
    }
    T_ASSERT(strcmp(atoll_strerror(-1000), "unknown error") == 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(cksum_rfc1071_example);
    RUN(cksum_matches_reference);
    RUN(cksum_pieces_add_up);
    RUN(siphash_vector);
    RUN(bq_against_model);
    RUN(parse_addresses);
    RUN(error_names);
    return t_finish();
}
