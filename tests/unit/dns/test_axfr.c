/*
 * Host unit tests of lib/dns's AXFR out (dns_axfr_begin/next): a zone
 * transferred in messages of several sizes, each message parsed back;
 * the records received must be the zone's, each once, SOA first and
 * last; error replies for what cannot be transferred.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

static char ztxt[65536];
static uint8_t zmem[1 << 20];
static uint8_t omem[1 << 16];
static struct dns_zone zones[2];

static int load(void)
{
    size_t o = (size_t)snprintf(ztxt, sizeof ztxt,
        "$ORIGIN example.com.\n$TTL 3600\n"
        "@ SOA ns1 host 7 7200 3600 1209600 300\n@ NS ns1\n@ MX 10 mail\n"
        "ns1 A 192.0.2.1\nmail A 192.0.2.2\nmail AAAA 2001:db8::2\n"
        "sub NS ns.sub\nns.sub A 192.0.2.53\n*.wild TXT \"w\"\n"
        "@ RRSIG SOA 13 2 3600 20300101000000 20200101000000 1 "
        "example.com. AQIDBAU=\n");
    for (int i = 0; i < 300; i++)
        o += (size_t)snprintf(ztxt + o, sizeof ztxt - o,
                              "h%03d A 10.0.%d.%d\nh%03d TXT \"host %d\"\n",
                              i, i / 256, i % 256, i, i);
    struct dns_arena a;
    dns_arena_init(&a, zmem, sizeof zmem / 2);
    if (dns_zone_load(&zones[0], &a, "com.zone", ztxt, o, NULL) < 0)
        return -1;
    static const char org[] = "$ORIGIN example.org.\n$TTL 30\n"
        "@ SOA ns1.example.com. host 1 2 3 4 60\n@ NS ns1.example.com.\n";
    dns_arena_init(&a, zmem + sizeof zmem / 2, sizeof zmem / 2);
    return dns_zone_load(&zones[1], &a, "org.zone", org, strlen(org), NULL);
}

static size_t query(uint8_t *q, const char *name, uint16_t type,
                    uint16_t rclass)
{
    uint8_t n[DNS_NAME_MAX];
    struct dns_builder b;
    dns_name_from_text(name, strlen(name), NULL, n);
    dns_build_init(&b, q, 512, 0xBEEF, 0);
    dns_build_question(&b, n, type, rclass);
    return b.len;
}

/* A record as one comparable string: owner, type, ttl, RDATA bytes. */
static size_t rr_key(char *k, size_t cap, const uint8_t *owner, uint16_t type,
                     uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
    char o[1024];
    dns_name_to_text(owner, o, sizeof o);
    for (char *p = o; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    size_t n = (size_t)snprintf(k, cap, "%s %u %u ", o, type, ttl);
    /* Compressed names take the case of the name they point to (the
     * question's, in the first message): compare those case-blind. */
    int fold = dns_type_compressible(type);
    for (size_t i = 0; i < rdlen && n + 3 < cap; i++) {
        uint8_t c = rd[i];
        if (fold && c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        n += (size_t)snprintf(k + n, cap - n, "%02x", c);
    }
    return n;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *got[4096], *want[4096];

/* Transfer example.com. with messages of cap bytes; fail reason or NULL.
 * *msgs gets the number of messages, *bytes their total. */
static const char *transfer(size_t cap, unsigned *msgs, size_t *bytes)
{
    struct dns_axfr x;
    uint8_t q[512];
    size_t ql = query(q, "Example.COM.", DNS_T_AXFR, DNS_C_IN), ng = 0;
    char k[4096];
    int rc = dns_axfr_begin(&x, zones, 2, q, ql);
    if (rc != 0)
        return t_whyf("begin: %d", rc);
    *msgs = 0;
    *bytes = 0;
    long len;
    while ((len = dns_axfr_next(&x, omem, cap)) > 0) {
        struct dns_msg m;
        struct dns_msg_iter it;
        struct dns_rr_view v;
        if ((size_t)len > cap || dns_msg_parse(&m, omem, (size_t)len) < 0)
            return t_whyf("message %u: %ld bytes, unparsable", *msgs, len);
        if (m.id != 0xBEEF || !(m.flags & DNS_F_AA) ||
            !(m.flags & DNS_F_QR) || DNS_RCODE(m.flags))
            return t_whyf("message %u: id %x flags %x", *msgs, m.id, m.flags);
        if (m.count[DNS_QD] != (*msgs == 0) || m.count[DNS_AN] == 0)
            return t_whyf("message %u: %u questions, %u answers", *msgs,
                          m.count[DNS_QD], m.count[DNS_AN]);
        dns_msg_iter_init(&m, &it);
        while (dns_msg_next(&m, &it, &v) == 1) {
            if (v.section == DNS_QD) {
                char o[300];
                dns_name_to_text(v.owner, o, sizeof o);
                if (strcmp(o, "Example.COM.") || v.type != DNS_T_AXFR)
                    return t_whyf("question %s/%u", o, v.type);
                continue;
            }
            uint8_t rd[65536];
            int rl = dns_rdata_unpack(omem, (size_t)len, v.rdata, v.rdlen,
                                      v.type, rd, sizeof rd);
            if (rl < 0 || ng >= 4096)
                return "bad RDATA or too many records";
            rr_key(k, sizeof k, v.owner, v.type, v.ttl, rd, (size_t)rl);
            free(got[ng]);
            got[ng++] = strdup(k);
        }
        (*msgs)++;
        *bytes += (size_t)len;
    }
    if (len < 0)
        return t_whyf("next: %ld", len);
    if (dns_axfr_next(&x, omem, cap) != 0)
        return "not over after 0";
    /* SOA first and last, the rest the zone's records once each. */
    const struct dns_zone *z = &zones[0];
    if (ng != z->n + 1)
        return t_whyf("%zu records for a zone of %zu (+1 SOA)", ng, z->n);
    if (!strstr(got[0], " 6 ") || strcmp(got[0], got[ng - 1]))
        return t_whyf("first %s, last %s", got[0], got[ng - 1]);
    for (size_t i = 0; i < z->n; i++) {
        const struct dns_rr *r = &z->rr[i];
        rr_key(k, sizeof k, r->owner, r->type, r->ttl, r->rdata, r->rdlen);
        free(want[i]);
        want[i] = strdup(k);
    }
    qsort(got, ng - 1, sizeof got[0], cmpstr); /* without the last SOA */
    qsort(want, z->n, sizeof want[0], cmpstr);
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(got[i], want[i]))
            return t_whyf("record %zu: got %s, want %s", i, got[i], want[i]);
    return NULL;
}

static const char *axfr_one_message(void)
{
    unsigned msgs;
    size_t bytes, raw = 0;
    T_CHECK(transfer(65535, &msgs, &bytes));
    if (msgs != 1)
        T_FAILF("%u messages for a zone that fits in one", msgs);
    /* Compression: the message is smaller than the names written out. */
    for (size_t i = 0; i < zones[0].n; i++)
        raw += dns_name_len(zones[0].rr[i].owner) + 10 + zones[0].rr[i].rdlen;
    if (bytes * 4 >= raw * 3)
        T_FAILF("%zu bytes for %zu uncompressed: no compression?", bytes, raw);
    return NULL;
}

static const char *axfr_many_messages(void)
{
    size_t caps[] = {512, 1000, 4096, 8192};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        unsigned msgs;
        size_t bytes;
        T_CHECK(transfer(caps[i], &msgs, &bytes));
        if (msgs < 2)
            T_FAILF("cap %zu: %u message", caps[i], msgs);
    }
    return NULL;
}

/* An error reply: one message, rcode, the question, then over. */
/* The error message for query q: rcode want, qd questions echoed. */
static const char *error_reply(const uint8_t *q, size_t ql, int want,
                               unsigned qd)
{
    struct dns_axfr x;
    struct dns_msg m;
    int rc = dns_axfr_begin(&x, zones, 2, q, ql);
    if (rc != want)
        return t_whyf("begin %d, want %d", rc, want);
    long len = dns_axfr_next(&x, omem, sizeof omem);
    if (len <= 0 || dns_msg_parse(&m, omem, (size_t)len) < 0)
        return t_whyf("error reply %ld", len);
    if (DNS_RCODE(m.flags) != want || (m.flags & DNS_F_AA) ||
        m.id != 0xBEEF || m.count[DNS_AN] || m.count[DNS_QD] != qd)
        return t_whyf("flags %x id %x questions %u", m.flags, m.id,
                      (unsigned)m.count[DNS_QD]);
    if (dns_axfr_next(&x, omem, sizeof omem) != 0)
        return "more than one message";
    return NULL;
}

static const char *axfr_errors(void)
{
    uint8_t q[512];
    size_t ql;
    ql = query(q, "www.example.com.", DNS_T_AXFR, DNS_C_IN);
    T_CHECK(error_reply(q, ql, DNS_R_NOTAUTH, 1));
    ql = query(q, "example.net.", DNS_T_AXFR, DNS_C_IN);
    T_CHECK(error_reply(q, ql, DNS_R_NOTAUTH, 1));
    ql = query(q, "example.com.", DNS_T_AXFR, 3);
    T_CHECK(error_reply(q, ql, DNS_R_NOTAUTH, 1));
    ql = query(q, "example.com.", DNS_T_A, DNS_C_IN);
    T_CHECK(error_reply(q, ql, DNS_R_FORMERR, 1));
    ql = query(q, "example.com.", DNS_T_AXFR, DNS_C_IN);
    T_CHECK(error_reply(q, ql - 1, DNS_R_FORMERR, 0)); /* cut: no question */
    q[2] |= 0x80; /* a response: nothing to send */
    struct dns_axfr x;
    T_ASSERT(dns_axfr_begin(&x, zones, 2, q, ql) == ATOLL_ERR_FORMAT);
    T_ASSERT(dns_axfr_next(&x, omem, sizeof omem) == 0);
    T_ASSERT(dns_axfr_begin(&x, zones, 2, q, 5) == ATOLL_ERR_FORMAT);
    return NULL;
}

static const char *axfr_ixfr_and_small_zone(void)
{
    uint8_t q[512];
    struct dns_axfr x;
    struct dns_msg m;
    size_t ql = query(q, "example.org.", DNS_T_IXFR, DNS_C_IN);
    T_ASSERT(dns_axfr_begin(&x, zones, 2, q, ql) == 0);
    long len = dns_axfr_next(&x, omem, sizeof omem);
    T_ASSERT(len > 0 && dns_msg_parse(&m, omem, (size_t)len) == 0);
    T_ASSERT(m.count[DNS_QD] == 1 && m.count[DNS_AN] == 3); /* SOA NS SOA */
    T_ASSERT(dns_axfr_next(&x, omem, sizeof omem) == 0);
    /* As clients send it: the client's SOA in authority (RFC 1995
     * section 3). The same authority with AXFR is FORMERR. */
    static const uint8_t soa[22] = {0, 0, 0, 0, 0, 1};
    uint8_t n[DNS_NAME_MAX];
    struct dns_builder b;
    for (int axfr = 0; axfr < 2; axfr++) {
        dns_name_from_text("example.org.", 12, NULL, n);
        dns_build_init(&b, q, 512, 0xBEEF, 0);
        dns_build_question(&b, n, axfr ? DNS_T_AXFR : DNS_T_IXFR, DNS_C_IN);
        T_ASSERT(dns_build_rr(&b, DNS_NS, n, DNS_T_SOA, DNS_C_IN, 0, soa,
                              sizeof soa) == 0);
        T_ASSERT(dns_axfr_begin(&x, zones, 2, q, b.len) ==
                 (axfr ? DNS_R_FORMERR : 0));
        len = dns_axfr_next(&x, omem, sizeof omem);
        T_ASSERT(len > 0 && dns_msg_parse(&m, omem, (size_t)len) == 0);
        T_ASSERT(m.count[DNS_AN] == (axfr ? 0 : 3));
    }
    /* A cap no record fits in: an error, not a loop. */
    ql = query(q, "example.org.", DNS_T_IXFR, DNS_C_IN);
    T_ASSERT(dns_axfr_begin(&x, zones, 2, q, ql) == 0);
    T_ASSERT(dns_axfr_next(&x, omem, 40) == ATOLL_ERR_NOSPC);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    int ok = load() == 0;
    t_check("axfr_zones_load", ok, "the test zones load");
    if (!ok)
        return t_finish();
    RUN(axfr_one_message);
    RUN(axfr_many_messages);
    RUN(axfr_errors);
    RUN(axfr_ixfr_and_small_zone);
    for (size_t i = 0; i < 4096; i++) {
        free(got[i]);
        free(want[i]);
    }
    return t_finish();
}
