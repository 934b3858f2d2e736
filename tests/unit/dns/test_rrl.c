/*
 * Host unit tests of lib/dns's response rate limiting (dns_rrl_*): real
 * responses made by dns_answer from a small zone, checked from sources
 * and at times chosen here; the bucket rules (prefix, answer class,
 * name), the token bucket's rate and refill, slip, the counters and the
 * slipped form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

static const char ztxt[] =
    "$ORIGIN example.com.\n$TTL 3600\n"
    "@ SOA ns1 host 1 7200 3600 1209600 300\n@ NS ns1\n"
    "ns1 A 192.0.2.1\nwww A 192.0.2.10\nmail A 192.0.2.2\n"
    "sub NS ns.sub\nns.sub A 192.0.2.53\n";
static uint8_t zmem[1 << 16];
static struct dns_zone zone;
static _Alignas(8) uint8_t table[1024 * DNS_RRL_BUCKET_BYTES];
static struct dns_rrl rrl;

#define SEC 1000000000ull

struct resp {
    uint8_t buf[1024];
    size_t len;
};

static struct resp *answer_ex(struct resp *r, const char *name,
                              uint16_t type, int edns)
{
    uint8_t q[512], n[DNS_NAME_MAX];
    struct dns_builder b;
    dns_name_from_text(name, strlen(name), NULL, n);
    dns_build_init(&b, q, sizeof q, 7, 0);
    dns_build_question(&b, n, type, DNS_C_IN);
    if (edns)
        dns_build_opt(&b, 1232, 0, 0, 0);
    int len = dns_answer(&zone, 1, q, b.len, r->buf, sizeof r->buf, 0);
    r->len = len > 0 ? (size_t)len : 0;
    return r;
}

static struct resp *answer(struct resp *r, const char *name, uint16_t type)
{
    return answer_ex(r, name, type, 0);
}

static const uint8_t v4a[4] = {10, 0, 0, 1}, v4b[4] = {10, 0, 0, 200},
                     v4c[4] = {10, 0, 1, 1};

static int setup(unsigned rate, unsigned slip)
{
    struct dns_rrl_config c = {.rate = rate, .slip = slip, .ipv4_prefix = 24,
                               .ipv6_prefix = 56,
                               .key = {0x0123456789abcdefull, 42}};
    return dns_rrl_init(&rrl, table, sizeof table, &c);
}

/* n checks of r from src at now; returns the SENDs. */
static unsigned sends(const struct resp *r, const uint8_t *src, size_t al,
                      unsigned n, uint64_t now)
{
    unsigned s = 0;
    for (unsigned i = 0; i < n; i++)
        s += dns_rrl_check(&rrl, src, al, r->buf, r->len, now) ==
             DNS_RRL_SEND;
    return s;
}

static const char *rrl_rate_and_slip(void)
{
    struct resp r;
    answer(&r, "www.example.com.", DNS_T_A);
    T_ASSERT(r.len > 0 && setup(5, 2) == 0);
    T_ASSERT(sends(&r, v4a, 4, 100, 10 * SEC) == 5);
    if (rrl.sent != 5 || rrl.slipped != 47 || rrl.dropped != 48)
        T_FAILF("sent %llu slipped %llu dropped %llu",
                (unsigned long long)rrl.sent, (unsigned long long)rrl.slipped,
                (unsigned long long)rrl.dropped);
    /* Refill: 0.2 s at 5/s is one response; a second or more is 5. */
    T_ASSERT(sends(&r, v4a, 4, 10, 10 * SEC + SEC / 5) == 1);
    T_ASSERT(sends(&r, v4a, 4, 10, 10 * SEC + SEC / 5 + SEC / 10) == 0);
    T_ASSERT(sends(&r, v4a, 4, 10, 100 * SEC) == 5);
    /* slip 1: every limited response slips; slip 0: none. */
    T_ASSERT(setup(3, 1) == 0);
    T_ASSERT(sends(&r, v4a, 4, 10, SEC) == 3 && rrl.slipped == 7);
    T_ASSERT(setup(3, 0) == 0);
    T_ASSERT(sends(&r, v4a, 4, 10, SEC) == 3 && rrl.dropped == 7 &&
             rrl.slipped == 0);
    /* rate 0: off. */
    T_ASSERT(setup(0, 2) == 0);
    T_ASSERT(sends(&r, v4a, 4, 1000, SEC) == 1000 && rrl.sent == 1000);
    return NULL;
}

/* Whether b shares a's bucket: a's bucket emptied, b sends nothing. */
static int same_bucket(const struct resp *a, const uint8_t *sa,
                       const struct resp *b, const uint8_t *sb, size_t al)
{
    setup(4, 0);
    sends(a, sa, al, 4, SEC);
    return sends(b, sb, al, 1, SEC) == 0;
}

static const char *rrl_buckets(void)
{
    struct resp w, wc, m, nx1, nx2, ref1, ref2, nd, e1, e2;
    answer(&w, "www.example.com.", DNS_T_A);
    answer(&wc, "WWW.Example.com.", DNS_T_A);
    answer(&m, "mail.example.com.", DNS_T_A);
    answer(&nx1, "nothere.example.com.", DNS_T_A);
    answer(&nx2, "other.example.com.", DNS_T_MX);
    answer(&ref1, "a.sub.example.com.", DNS_T_A);
    answer(&ref2, "b.c.sub.example.com.", DNS_T_TXT);
    answer(&nd, "www.example.com.", DNS_T_AAAA);
    answer(&e1, "www.example.net.", DNS_T_A);  /* REFUSED */
    answer(&e2, "www.example.org.", DNS_T_MX); /* REFUSED */
    T_ASSERT(DNS_RCODE(nx1.buf[3]) == DNS_R_NXDOMAIN &&
             DNS_RCODE(e1.buf[3]) == DNS_R_REFUSED);
    T_ASSERT(same_bucket(&w, v4a, &w, v4b, 4));   /* one /24 */
    T_ASSERT(!same_bucket(&w, v4a, &w, v4c, 4));  /* another /24 */
    T_ASSERT(same_bucket(&w, v4a, &wc, v4a, 4));  /* case-blind */
    T_ASSERT(!same_bucket(&w, v4a, &m, v4a, 4));  /* another name */
    T_ASSERT(!same_bucket(&w, v4a, &nd, v4a, 4)); /* answer vs nodata */
    T_ASSERT(same_bucket(&nx1, v4a, &nx2, v4a, 4)); /* NXDOMAIN: the zone */
    T_ASSERT(same_bucket(&ref1, v4a, &ref2, v4a, 4)); /* referral: the cut */
    T_ASSERT(!same_bucket(&ref1, v4a, &nx1, v4a, 4));
    T_ASSERT(same_bucket(&e1, v4a, &e2, v4a, 4)); /* errors: one bucket */
    T_ASSERT(!same_bucket(&e1, v4a, &e2, v4c, 4));
    uint8_t s6a[16] = {0x20, 1, 0xd, 0xb8, 0, 0, 0, 0x11, 1},
            s6b[16] = {0x20, 1, 0xd, 0xb8, 0, 0, 0, 0x12, 1};
    T_ASSERT(same_bucket(&w, s6a, &w, s6a, 16));
    s6a[7] = 0x12;
    s6a[15] = 9;
    T_ASSERT(same_bucket(&w, s6a, &w, s6b, 16));  /* one /56 */
    s6a[6] = 1;
    T_ASSERT(!same_bucket(&w, s6a, &w, s6b, 16));
    /* One slot: another bucket takes it over, starting full (lenient). */
    struct dns_rrl_config c = rrl.c;
    T_ASSERT(dns_rrl_init(&rrl, table, DNS_RRL_BUCKET_BYTES, &c) == 0);
    T_ASSERT(sends(&w, v4a, 4, 4, SEC) == 4 && sends(&w, v4a, 4, 1, SEC) == 0);
    T_ASSERT(sends(&m, v4a, 4, 1, SEC) == 1);
    return NULL;
}

static const char *rrl_slip_form(void)
{
    struct resp r;
    struct dns_msg m;
    answer_ex(&r, "www.example.com.", DNS_T_A, 1); /* with an OPT */
    size_t qend = DNS_HEADER_LEN + 17 + 4; /* www.example.com. A IN */
    T_ASSERT(r.len > qend);
    int n = dns_rrl_slip(r.buf, r.len);
    T_ASSERT(n == (int)qend && dns_msg_parse(&m, r.buf, (size_t)n) == 0);
    T_ASSERT((m.flags & DNS_F_TC) && (m.flags & DNS_F_AA) && m.id == 7);
    T_ASSERT(m.count[DNS_QD] == 1 && !m.count[DNS_AN] && !m.count[DNS_NS] &&
             !m.count[DNS_AR]);
    r.buf[5] = 0; /* no question */
    T_ASSERT(dns_rrl_slip(r.buf, r.len) == ATOLL_ERR_FORMAT);
    return NULL;
}

static const char *rrl_init_and_odd_input(void)
{
    struct dns_rrl_config c = {.rate = 1, .ipv4_prefix = 33};
    T_ASSERT(dns_rrl_init(&rrl, table, sizeof table, &c) == ATOLL_ERR_INVAL);
    c.ipv4_prefix = 24;
    T_ASSERT(dns_rrl_init(&rrl, table, 8, &c) == ATOLL_ERR_INVAL);
    T_ASSERT(dns_rrl_init(&rrl, table + 1, 64, &c) == ATOLL_ERR_INVAL);
    T_ASSERT(dns_rrl_init(&rrl, table, sizeof table, &c) == 0 &&
             rrl.n == 1024);
    uint8_t junk[20] = {0, 7, 0x84, 0, 0, 1, 0, 5, 0, 0, 0, 0, 63};
    /* Unreadable responses and odd address lengths are sent. */
    for (int i = 0; i < 10; i++) {
        T_ASSERT(dns_rrl_check(&rrl, v4a, 4, junk, sizeof junk, SEC) ==
                 DNS_RRL_SEND);
        T_ASSERT(dns_rrl_check(&rrl, v4a, 5, junk, 3, SEC) == DNS_RRL_SEND);
    }
    return NULL;
}

/* The cost of one check, printed (not a pass condition). */
static const char *rrl_cost(void)
{
    struct resp r[64];
    char name[64];
    for (int i = 0; i < 64; i++) {
        snprintf(name, sizeof name, "n%d.example.com.", i);
        answer(&r[i], i % 2 ? name : "www.example.com.", DNS_T_A);
    }
    T_ASSERT(setup(100, 2) == 0);
    struct timespec t0, t1;
    unsigned n = 1000000;
    uint8_t src[4] = {10, 0, 0, 0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned i = 0; i < n; i++) {
        src[2] = (uint8_t)(i >> 6);
        dns_rrl_check(&rrl, src, 4, r[i & 63].buf, r[i & 63].len,
                      SEC + (uint64_t)i * 1000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
                 (double)(t1.tv_nsec - t0.tv_nsec)) / n;
    printf("# rrl_check: %.0f ns a response (%u checks)\n", ns, n);
    T_ASSERT(rrl.sent + rrl.dropped + rrl.slipped == n);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    struct dns_arena a;
    dns_arena_init(&a, zmem, sizeof zmem);
    int ok = dns_zone_load(&zone, &a, "z", ztxt, strlen(ztxt), NULL) == 0;
    t_check("rrl_zone_loads", ok, "the test zone loads");
    if (!ok)
        return t_finish();
    RUN(rrl_rate_and_slip);
    RUN(rrl_buckets);
    RUN(rrl_slip_form);
    RUN(rrl_init_and_odd_input);
    RUN(rrl_cost);
    return t_finish();
}
