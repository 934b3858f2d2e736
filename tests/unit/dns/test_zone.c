/*
 * Host unit tests of lib/dns's zone files: every construct of the master
 * format, the presentation form of each type, each error with its
 * FILE:LINE text, the zone checks, duplicates and order, and the arena.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

static uint8_t mem[1 << 20];

static const uint8_t *N(const char *s)
{
    static uint8_t buf[4][DNS_NAME_MAX];
    static int k;
    uint8_t *b = buf[k++ & 3];
    if (dns_name_from_text(s, strlen(s), NULL, b) < 0)
        b[0] = 0xFF;
    return b;
}

static int load(struct dns_zone *z, const char *text, const char *origin)
{
    struct dns_arena a;
    dns_arena_init(&a, mem, sizeof mem);
    return dns_zone_load(z, &a, "t.zone", text, strlen(text),
                         origin ? N(origin) : NULL);
}

/* The records of owner/type, in zone order; returns how many. */
static int find(const struct dns_zone *z, const char *owner, uint16_t type,
                const struct dns_rr **first)
{
    int n = 0;
    *first = NULL;
    for (size_t i = 0; i < z->n; i++)
        if (z->rr[i].type == type && dns_name_eq(z->rr[i].owner, N(owner))) {
            if (!n++)
                *first = &z->rr[i];
        }
    return n;
}

static const char full[] =
    "; a zone with every construct\n"
    "$ORIGIN example.com.\n"
    "$TTL 1h\n"
    "@ IN SOA ns1 hostmaster.example.com. (\n"
    "        2024010101 ; serial\n"
    "        7200       ; refresh\n"
    "        3600 1209600\n"
    "        300 )\n"
    "       NS ns1\n"
    "       NS ns2.example.com.\n"
    "       MX 10 mail\n"
    "ns1    A 192.0.2.1\n"
    "ns2 300 IN AAAA 2001:db8::2\n"
    "www IN 600 A 192.0.2.10 ; class before TTL\n"
    "       TXT \"hello \\\"quoted\\\" world\" unquoted \"semi;colon\"\n"
    "a\\.b  CNAME www\n"
    "\\065scii TXT \"\\065\\066\"\n"
    "_sip._udp SRV 1 2 5060 sip\n"
    "@      CAA 0 issue \"ca.example.net\"\n"
    "svc    SVCB 1 svc-target alpn=\"h2,h3\" port=8443\n"
    "@      HTTPS 1 . ipv6hint=2001:db8::1 ipv4hint=192.0.2.1,192.0.2.2\n"
    "dn     DNAME example.net.\n"
    "sub    NS ns.sub\n"
    "       DS 12345 13 2 (3A0B5C1D\n"
    "                      0E2F)\n"
    "ns.sub A 192.0.2.53\n"
    "@      DNSKEY 257 3 13 ( AQID\n"
    "                         BA== )\n"
    "www    RRSIG A 13 3 600 20300101000000 20200101000000 12345 "
    "example.com. AQIDBAU=\n"
    "@      NSEC www A NS SOA MX RRSIG NSEC DNSKEY\n"
    "@      NSEC3PARAM 1 0 0 -\n"
    "hash   NSEC3 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG\n"
    "x      TYPE65280 \\# 4 0A000001\n"
    "y      A \\# 4 0A000002\n"
    "$ORIGIN deep.example.com.\n"
    "z      PTR www.example.com.\n"
    "www.example.com.  A 192.0.2.10 ; a duplicate, dropped\n";

static void test_full(void)
{
    struct dns_zone z;
    const struct dns_rr *r;
    int rc = load(&z, full, NULL);

    if (!t_case("zone_every_construct"))
        return;
    if (!t_int(rc, 0, z.err))
        return;
    t_ok(dns_name_eq(z.origin, N("example.com.")), "origin from $ORIGIN");
    t_uint(z.n, 26, "records, the duplicate dropped");
    t_int(find(&z, "example.com.", DNS_T_SOA, &r), 1, "SOA");
    if (r) {
        t_uint(r->ttl, 3600, "$TTL 1h");
        t_uint(r->line, 4, "SOA line");
        t_mem(r->rdata, 42,
              "\3ns1\7example\3com\0\12hostmaster\7example\3com\0"
              "\x78\xA3\xF1\x75\0\0\x1C\x20",
              42, "SOA over parentheses");
        t_mem(r->rdata + r->rdlen - 4, 4, "\0\0\1\x2C", 4, "minimum");
    }
    t_int(find(&z, "example.com.", DNS_T_NS, &r), 2, "NS, owner omitted");
    t_int(find(&z, "ns2.example.com.", DNS_T_AAAA, &r), 1, "AAAA");
    if (r)
        t_uint(r->ttl, 300, "explicit TTL");
    t_int(find(&z, "www.example.com.", DNS_T_A, &r), 1, "A once");
    if (r)
        t_uint(r->ttl, 600, "TTL after the class");
    t_int(find(&z, "www.example.com.", DNS_T_TXT, &r), 1, "TXT");
    if (r)
        t_mem(r->rdata, r->rdlen,
              "\24hello \"quoted\" world\10unquoted\12semi;colon", 41,
              "TXT strings");
    t_int(find(&z, "a\\.b.example.com.", DNS_T_CNAME, &r), 1, "\\. owner");
    t_int(find(&z, "Ascii.example.com.", DNS_T_TXT, &r), 1, "\\065 owner");
    if (r)
        t_mem(r->rdata, r->rdlen, "\2AB", 3, "\\DDD in a string");
    t_int(find(&z, "_sip._udp.example.com.", DNS_T_SRV, &r), 1, "SRV");
    t_int(find(&z, "example.com.", DNS_T_CAA, &r), 1, "CAA");
    if (r)
        t_mem(r->rdata, r->rdlen, "\0\5issueca.example.net", 21, "CAA");
    t_int(find(&z, "svc.example.com.", DNS_T_SVCB, &r), 1, "SVCB");
    if (r)
        t_mem(r->rdata + r->rdlen - 16, 16,
              "\0\1\0\6\2h2\2h3\0\3\0\2\x20\xFB", 16, "SVCB params");
    t_int(find(&z, "example.com.", DNS_T_HTTPS, &r), 1, "HTTPS");
    if (r)
        t_mem(r->rdata + 3, 4, "\0\4\0\10", 4, "ipv4hint sorted first");
    t_int(find(&z, "sub.example.com.", DNS_T_DS, &r), 1, "DS");
    if (r)
        t_mem(r->rdata, r->rdlen, "\x30\x39\15\2\x3A\x0B\x5C\x1D\x0E\x2F",
              10, "DS digest across lines");
    t_int(find(&z, "example.com.", DNS_T_DNSKEY, &r), 1, "DNSKEY");
    if (r)
        t_mem(r->rdata, r->rdlen, "\1\1\3\15\1\2\3\4", 8, "DNSKEY base64");
    t_int(find(&z, "hash.example.com.", DNS_T_NSEC3, &r), 1, "NSEC3");
    if (r)
        t_mem(r->rdata, 9, "\1\1\0\14\4\xAA\xBB\xCC\xDD", 9, "NSEC3 salt");
    t_int(find(&z, "x.example.com.", 65280, &r), 1, "TYPE65280 \\#");
    if (r)
        t_mem(r->rdata, r->rdlen, "\12\0\0\1", 4, "opaque RDATA");
    t_int(find(&z, "y.example.com.", DNS_T_A, &r), 1, "A in \\# form");
    t_int(find(&z, "z.deep.example.com.", DNS_T_PTR, &r), 1,
          "second $ORIGIN");
    for (size_t i = 1; i < z.n; i++) {
        int c = dns_name_cmp(z.rr[i - 1].owner, z.rr[i].owner);
        if (!t_ok(c < 0 || (c == 0 && z.rr[i - 1].type <= z.rr[i].type),
                  "record %zu out of order", i))
            break;
    }
}

/* Each zone must fail with exactly this FILE:LINE prefix and contain the
 * message. The test puts "$TTL 60" before each text (so the lines here
 * count from 2) unless the text starts with '!'. */
static const struct {
    const char *what, *text, *prefix, *msg;
} errors[] = {
    {"unknown type", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\n@ FOO x\n",
     "t.zone:4: ", "unknown type"},
    {"bad A", "@ SOA a. b. 1 2 3 4 5\n\n@ A 1.2.3\n", "t.zone:4: ",
     "bad IPv4"},
    {"bad AAAA", "@ AAAA 1::2::3\n", "t.zone:2: ", "bad IPv6"},
    {"label too long", "@ NS a\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxx A 1.2.3.4\n", "t.zone:3: ", "bad owner"},
    {"unbalanced (", "@ SOA a. b. (\n 1 2 3 4 5\n", "t.zone:2: ",
     "never closed"},
    {"unbalanced )", "@ NS a. )\n", "t.zone:2: ", "without '('"},
    {"unterminated quote", "@ TXT \"abc\n", "t.zone:2: ", "unterminated"},
    {"no owner yet", " A 1.2.3.4\n", "t.zone:2: ", "no owner"},
    {"no TTL", "!$ORIGIN example.com.\n@ NS a.\n", "t.zone:2: ", "no TTL"},
    {"bad TTL", "@ 1h30 NS a.\n", "t.zone:2: ", "bad TTL"},
    {"class CH", "@ CH TXT x\n", "t.zone:2: ", "only class IN"},
    {"meta type", "@ TYPE255 \\# 0\n", "t.zone:2: ", "meta type"},
    {"\\# length mismatch", "@ TYPE99 \\# 3 0A0B\n", "t.zone:2: ",
     "does not match"},
    {"\\# odd hex", "@ TYPE99 \\# 2 0A0\n", "t.zone:2: ", "odd number"},
    {"\\# of a bad A", "@ A \\# 3 0A0B0C\n", "t.zone:2: ", "malformed"},
    {"extra data", "@ A 1.2.3.4 5\n", "t.zone:2: ", "extra data"},
    {"out of zone", "@ NS a.\nwww.example.net. A 1.2.3.4\n", "t.zone:3: ",
     "www.example.net. is outside the zone example.com."},
    {"$INCLUDE", "$INCLUDE other.zone\n", "t.zone:2: ", "not supported"},
    {"unknown directive", "$GENERATE 1-2 a A 1.2.3.4\n", "t.zone:2: ",
     "unknown directive"},
    {"TXT over 255", "@ TXT xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "\n", "t.zone:2: ", "longer than 255"},
    {"bad base64", "@ DNSKEY 257 3 13 AQI*\n", "t.zone:2: ", "base64"},
    {"bad base32hex", "@ NSEC3 1 0 0 - WXYZ A\n", "t.zone:2: ", "base32hex"},
    {"bad bitmap type", "@ NSEC a. A BOGUS\n", "t.zone:2: ", "type bitmap"},
    {"SVCB key twice", "@ SVCB 1 . port=1 port=2\n", "t.zone:2: ", "twice"},
    {"SVCB unknown key", "@ SVCB 1 . color=red\n", "t.zone:2: ",
     "unknown SvcParam"},
    {"RRSIG bad time", "@ RRSIG A 8 2 60 20301301000000 1 2 a. AA==\n",
     "t.zone:2: ", "expiration"},
    {"no records", "; nothing\n\n", "t.zone:4: ", "no records"},
    /* The zone checks. */
    {"no SOA", "@ NS a.\n", "t.zone:1: ", "no SOA"},
    {"two SOAs", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\n@ SOA a. b. 2 2 3 4 5\n",
     "t.zone:", "a second SOA"},
    {"SOA below the apex", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nx SOA a. b. 1 2 "
     "3 4 5\n", "t.zone:4: ", "not at the apex"},
    {"$ORIGIN does not move the apex", "$ORIGIN sub.example.com.\n"
     "@ SOA a. b. 1 2 3 4 5\n@ NS a.\n", "t.zone:3: ", "not at the apex"},
    {"no NS at the apex", "@ SOA a. b. 1 2 3 4 5\n", "t.zone:2: ",
     "no NS records"},
    {"CNAME and A", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nw A 1.2.3.4\n"
     "w CNAME x\n", "t.zone:5: ", "CNAME beside other data"},
    {"two CNAMEs", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nw CNAME x\nw CNAME y\n",
     "t.zone:", "more than one CNAME"},
    {"CNAME at the apex", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\n@ CNAME x\n",
     "t.zone:4: ", "CNAME beside"},
    {"data below a cut", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nsub NS ns.sub\n"
     "ns.sub A 1.2.3.4\nmail.sub MX 1 x\n", "t.zone:6: ",
     "mail.sub.example.com. is below the delegation at sub.example.com."},
    {"data at a cut", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nsub NS ns.sub\n"
     "sub TXT x\n", "t.zone:5: ", "beside the delegation"},
    {"below a DNAME", "@ SOA a. b. 1 2 3 4 5\n@ NS a.\nd DNAME x.\n"
     "a.d A 1.2.3.4\n", "t.zone:5: ", "below the DNAME"},
};

static void test_errors(void)
{
    for (size_t k = 0; k < sizeof errors / sizeof errors[0]; k++) {
        struct dns_zone z;
        static char names[2][100]; /* t_case keeps the name a while */
        char *name = names[k & 1];
        char text[1024];
        const char *t = errors[k].text;
        snprintf(text, sizeof text, "%s%s", t[0] == '!' ? "" : "$TTL 60\n",
                 t[0] == '!' ? t + 1 : t);
        int rc = load(&z, text, "example.com.");
        snprintf(name, sizeof names[0], "zone_error: %s", errors[k].what);
        if (!t_case(name))
            continue;
        t_ok(rc < 0, "loaded: rc %d", rc);
        t_ok(strncmp(z.err, errors[k].prefix, strlen(errors[k].prefix)) == 0
             && strstr(z.err, errors[k].msg) != NULL,
             "message \"%s\", want %s...%s", z.err, errors[k].prefix,
             errors[k].msg);
    }
}

static void test_checks_pass(void)
{
    struct dns_zone z;
    if (t_case("zone_glue_ds_rrsig_allowed")) {
        int rc = load(&z,
                      "$TTL 60\n@ SOA a. b. 1 2 3 4 5\n@ NS ns.sub\n"
                      "sub NS ns.sub\nsub DS 1 8 2 AB\nsub A 192.0.2.9\n"
                      "ns.sub A 192.0.2.1\nns.sub AAAA ::1\n"
                      "c CNAME x\nc RRSIG CNAME 8 2 60 1 2 3 a. AA==\n"
                      "c NSEC d A\n",
                      "example.com.");
        t_int(rc, 0, z.err);
    }
    if (t_case("zone_origin_given_no_records_dir")) {
        int rc = load(&z, "@ 60 SOA a. b. 1 2 3 4 5\n NS a.\n", "Example.");
        t_int(rc, 0, z.err);
        t_uint(z.n, 2, "records");
        t_ok(z.n == 2 && z.rr[1].owner == z.rr[0].owner,
             "owner name shared");
    }
    if (t_case("zone_last_ttl_rfc1035")) {
        int rc = load(&z, "@ 60 SOA a. b. 1 2 3 4 5\n@ 120 NS a.\nw A 1.2.3.4\n",
                      "example.");
        const struct dns_rr *r;
        t_int(rc, 0, z.err);
        find(&z, "w.example.", DNS_T_A, &r);
        t_ok(r && r->ttl == 120, "TTL of the last record with one");
    }
}

static void test_memory(void)
{
    /* A zone of 10,000 A records and the arena it needs; then a smaller
     * arena fails with NOMEM and a message. */
    size_t cap = 10000 * 40 + 200, o = 0;
    char *text = malloc(cap);
    if (!text)
        return;
    o += (size_t)snprintf(text + o, cap - o,
                          "$TTL 60\n@ SOA a. b. 1 2 3 4 5\n@ NS a.\n");
    for (int k = 0; k < 10000; k++)
        o += (size_t)snprintf(text + o, cap - o, "h%d A 10.%d.%d.%d\n", k,
                              k >> 16, (k >> 8) & 255, k & 255);
    struct dns_arena a;
    struct dns_zone z;
    dns_arena_init(&a, mem, sizeof mem);
    int rc = dns_zone_load(&z, &a, "big.zone", text, o, N("example."));
    size_t used = a.lo + (sizeof mem - a.hi);
    if (t_case("zone_10000_records")) {
        t_int(rc, 0, z.err);
        t_uint(z.n, 10002, "records");
        printf("# 10,002-record zone: %zu bytes of arena (%zu per record)\n",
               used, used / 10002);
        /* 32 for the record, ~15 for the owner, 4 for the address, 13
         * for the index (8-byte slots, 10,002 names in 16,384). */
        t_ok(used < 10002 * 68, "arena use %zu", used);
    }
    if (t_case("zone_arena_too_small")) {
        dns_arena_init(&a, mem, used / 2);
        rc = dns_zone_load(&z, &a, "big.zone", text, o, N("example."));
        t_int(rc, ATOLL_ERR_NOMEM, "NOMEM");
        t_ok(strncmp(z.err, "big.zone:", 9) == 0 &&
             strstr(z.err, "out of memory") != NULL, "message %s", z.err);
    }
    if (t_case("zone_arena_tiny")) {
        /* Arenas around the size of the loader's own entry, at every
         * alignment: NOMEM, never a write outside. */
        static const char small[] = "@ 60 SOA a. b. 1 2 3 4 5\n@ NS a.\n";
        int nomem = 0, ok = 0;
        for (size_t size = 4000; size < 5200; size += 7)
            for (size_t off = 0; off < 8; off++) {
                dns_arena_init(&a, mem + off, size);
                rc = dns_zone_load(&z, &a, "s", small, strlen(small),
                                   N("example."));
                nomem += rc == ATOLL_ERR_NOMEM;
                ok += rc == 0;
                t_ok(rc == 0 || rc == ATOLL_ERR_NOMEM, "rc %d", rc);
                t_ok(a.lo <= a.hi && a.hi <= size, "arena %zu..%zu of %zu",
                     a.lo, a.hi, size);
            }
        t_ok(nomem > 0 && ok > 0, "%d NOMEM, %d loaded", nomem, ok);
    }
    free(text);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    test_full();
    test_errors();
    test_checks_pass();
    test_memory();
    return t_finish();
}
