/*
 * Host unit tests of lib/dns's answering core (dns_answer): zones written
 * here, queries built with lib/dns, every reply parsed back and checked
 * for its rcode, flags and each section as text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

static const char com[] =
    "$ORIGIN example.com.\n$TTL 3600\n"
    "@ SOA ns1 host 1 7200 3600 1209600 300\n"
    "@ NS ns1\n@ MX 10 mail\n@ MX 20 mail\n"
    "ns1 A 192.0.2.1\nmail A 192.0.2.2\nmail AAAA 2001:db8::2\n"
    "www A 192.0.2.10\nwww TXT \"hi\"\n"
    "www RRSIG A 13 3 3600 20300101000000 20200101000000 12345 "
    "example.com. AQIDBAU=\n"
    "@ RRSIG SOA 13 2 3600 20300101000000 20200101000000 12345 "
    "example.com. AQIDBAU=\n"
    "alias CNAME www\nchain1 CNAME chain2\nchain2 CNAME alias\n"
    "out CNAME www.example.org.\next CNAME www.elsewhere.net.\n"
    "loop1 CNAME loop2\nloop2 CNAME loop1\ngone CNAME nothere\n"
    "sub NS ns.sub\nsub NS ns.other.net.\nsub NS ns1\nsub DS 12345 13 2 3A0B5C1D\n"
    "ns.sub A 192.0.2.53\n"
    "deep NS ns1\ndeep DS 54321 13 2 0E2F\n"
    "*.wild A 192.0.2.99\n*.wild TXT \"w\"\nx.wild A 192.0.2.98\n"
    "c.ent A 192.0.2.7\n"
    "c0 CNAME c1\nc1 CNAME c2\nc2 CNAME c3\nc3 CNAME c4\nc4 CNAME c5\n"
    "c5 CNAME c6\nc6 CNAME c7\nc7 CNAME c8\nc8 CNAME c9\nc9 CNAME www\n"
    /* A cut whose 20 name servers' addresses are siblings (in the zone,
     * not below the cut): optional, they do not truncate. */
    "wide NS s00\nwide NS s01\nwide NS s02\nwide NS s03\nwide NS s04\n"
    "wide NS s05\nwide NS s06\nwide NS s07\nwide NS s08\nwide NS s09\n"
    "wide NS s10\nwide NS s11\nwide NS s12\nwide NS s13\nwide NS s14\n"
    "wide NS s15\nwide NS s16\nwide NS s17\nwide NS s18\nwide NS s19\n"
    "s00 A 192.0.2.100\ns01 A 192.0.2.101\ns02 A 192.0.2.102\ns03 A 192.0.2.103\n"
    "s04 A 192.0.2.104\ns05 A 192.0.2.105\ns06 A 192.0.2.106\ns07 A 192.0.2.107\n"
    "s08 A 192.0.2.108\ns09 A 192.0.2.109\ns10 A 192.0.2.110\ns11 A 192.0.2.111\n"
    "s12 A 192.0.2.112\ns13 A 192.0.2.113\ns14 A 192.0.2.114\ns15 A 192.0.2.115\n"
    "s16 A 192.0.2.116\ns17 A 192.0.2.117\ns18 A 192.0.2.118\ns19 A 192.0.2.119\n";

static const char org[] =
    "$ORIGIN example.org.\n$TTL 30\n"
    "@ SOA ns1.example.com. host 1 2 3 4 60\n@ NS ns1.example.com.\n"
    "www A 198.51.100.1\n* TXT \"org wildcard\"\nc.ent A 198.51.100.7\n"
    "*.cn CNAME www\ndn DNAME example.com.\n"
    "ln DNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com.\n";

static const char deep[] =
    "$ORIGIN deep.example.com.\n$TTL 60\n"
    "@ SOA ns1.example.com. host 1 2 3 4 5\n@ NS ns1.example.com.\n"
    "www A 203.0.113.1\n";

static uint8_t mem[3][1 << 18];
static struct dns_zone zones[4];
static int loaded;

static int load_all(void)
{
    /* The child zone first: the longest match, not the last. */
    const char *txt[] = {deep, com, org};
    for (int i = 0; i < 3; i++) {
        struct dns_arena a;
        dns_arena_init(&a, mem[i], sizeof mem[i]);
        if (dns_zone_load(&zones[i], &a, "t.zone", txt[i], strlen(txt[i]),
                          NULL) < 0) {
            fprintf(stderr, "# %s\n", zones[i].err);
            return -1;
        }
    }
    return 0;
}

/* A big RRset (60 TXT of 30 bytes) for truncation: the fourth zone. */
static char bigtxt[32768];
static uint8_t bigmem[1 << 18];

static int load_big(void)
{
    size_t o = (size_t)snprintf(bigtxt, sizeof bigtxt,
                                "$ORIGIN big.test.\n$TTL 60\n"
                                "@ SOA ns host 1 2 3 4 5\n@ NS ns\n");
    for (int i = 0; i < 60; i++)
        o += (size_t)snprintf(bigtxt + o, sizeof bigtxt - o,
                              "@ TXT \"record number %02d of the big set\"\n",
                              i);
    /* nK: K records, for replies around each size limit. */
    for (int k = 1; k <= 20; k++)
        for (int i = 0; i < k; i++)
            o += (size_t)snprintf(bigtxt + o, sizeof bigtxt - o,
                                  "n%d TXT \"record %02d of a set\"\n", k, i);
    struct dns_arena a;
    dns_arena_init(&a, bigmem, sizeof bigmem);
    return dns_zone_load(&zones[3], &a, "big.zone", bigtxt, o, NULL);
}

struct reply {
    int len;
    struct dns_msg m;
    uint8_t buf[65535];
    char sec[4][2048];
};

static const char *tname(uint16_t t)
{
    static char b[16];
    switch (t) {
    case DNS_T_A: return "A";
    case DNS_T_NS: return "NS";
    case DNS_T_CNAME: return "CNAME";
    case DNS_T_SOA: return "SOA";
    case DNS_T_MX: return "MX";
    case DNS_T_TXT: return "TXT";
    case DNS_T_AAAA: return "AAAA";
    case DNS_T_DNAME: return "DNAME";
    case DNS_T_OPT: return "OPT";
    case DNS_T_DS: return "DS";
    case DNS_T_RRSIG: return "RRSIG";
    }
    snprintf(b, sizeof b, "TYPE%u", t);
    return b;
}

/* Each section as "owner TYPE TTL [target]" lines joined by " | "; the
 * owner as the reply spells it (case kept). */
static void sections(struct reply *r)
{
    struct dns_msg_iter it;
    struct dns_rr_view v;
    memset(r->sec, 0, sizeof r->sec);
    dns_msg_iter_init(&r->m, &it);
    while (dns_msg_next(&r->m, &it, &v) == 1) {
        char o[1024], t[1024] = "";
        dns_name_to_text(v.owner, o, sizeof o);
        uint8_t rd[2048];
        int l = v.section == DNS_QD ? 0 :
                dns_rdata_unpack(r->buf, (size_t)r->len, v.rdata, v.rdlen,
                                 v.type, rd, sizeof rd);
        if (l > 0 && (v.type == DNS_T_CNAME || v.type == DNS_T_NS ||
                      v.type == DNS_T_DNAME))
            dns_name_to_text(rd, t, sizeof t);
        else if (l == 4 && v.type == DNS_T_A)
            snprintf(t, sizeof t, "%u.%u.%u.%u", rd[0], rd[1], rd[2], rd[3]);
        char *s = r->sec[v.section];
        size_t n = strlen(s);
        snprintf(s + n, sizeof r->sec[0] - n, "%s%s %s %u%s%s",
                 n ? " | " : "", o, tname(v.type),
                 v.section == DNS_QD ? 0 : (unsigned)v.ttl, *t ? " " : "", t);
    }
}

/* Ask name/type; edns: 0 none, else the payload size; ver and dobit go
 * in the OPT. */
static struct reply *ask_ex(const char *name, uint16_t type, uint16_t rclass,
                            uint16_t edns, uint8_t ver, int dobit,
                            unsigned flags)
{
    static struct reply r;
    uint8_t q[512], n[DNS_NAME_MAX];
    struct dns_builder b;
    memset(&r, 0, sizeof r);
    dns_name_from_text(name, strlen(name), NULL, n);
    dns_build_init(&b, q, sizeof q, 0x1234, DNS_F_RD);
    dns_build_question(&b, n, type, rclass);
    if (edns)
        dns_build_opt(&b, edns, 0, ver, dobit);
    r.len = dns_answer(zones, 4, q, b.len, r.buf, sizeof r.buf, flags);
    if (r.len > 0 && dns_msg_parse(&r.m, r.buf, (size_t)r.len) == 0)
        sections(&r);
    else
        r.len = -1;
    return &r;
}

static struct reply *ask(const char *name, uint16_t type)
{
    return ask_ex(name, type, DNS_C_IN, 0, 0, 0, 0);
}

static int rcode(const struct reply *r)
{
    return DNS_RCODE(r->m.flags);
}

static int aa(const struct reply *r)
{
    return !!(r->m.flags & DNS_F_AA);
}

/* rcode, AA and the answer, authority and additional sections. */
static void expect(const char *name, const struct reply *r, int rc, int a,
                   const char *an, const char *ns, const char *ar)
{
    if (!t_case(name))
        return;
    if (!t_ok(r->len > 0, "a reply that parses"))
        return;
    t_int(r->m.id, 0x1234, "id echoed");
    t_ok(r->m.flags & DNS_F_QR, "QR");
    t_ok(r->m.flags & DNS_F_RD, "RD copied");
    t_int(rcode(r), rc, "rcode");
    t_int(aa(r), a, "AA");
    t_str(r->sec[DNS_AN], an, "answer");
    t_str(r->sec[DNS_NS], ns, "authority");
    t_str(r->sec[DNS_AR], ar, "additional");
}

#define SOA_COM "example.com. SOA 300"
#define SOA_ORG "example.org. SOA 30"

static void test_basic(void)
{
    expect("answer_exact", ask("www.example.com.", DNS_T_A), 0, 1,
           "www.example.com. A 3600 192.0.2.10", "", "");
    expect("answer_case_kept", ask("wWw.ExAmple.COM.", DNS_T_A), 0, 1,
           "wWw.ExAmple.COM. A 3600 192.0.2.10", "", "");
    expect("answer_nodata", ask("www.example.com.", DNS_T_AAAA), 0, 1, "",
           SOA_COM, "");
    expect("answer_nxdomain", ask("nothere.example.com.", DNS_T_A), 3, 1, "",
           SOA_COM, "");
    expect("answer_nxdomain_ttl_soa_ttl", ask("a.b.ent.example.org.",
           DNS_T_A), 3, 1, "", SOA_ORG, "");
    expect("answer_mx_additional", ask("example.com.", DNS_T_MX), 0, 1,
           "example.com. MX 3600 | example.com. MX 3600", "",
           "mail.example.com. A 3600 192.0.2.2 | mail.example.com. AAAA 3600");
    expect("answer_any", ask("www.example.com.", DNS_T_ANY), 0, 1,
           "www.example.com. A 3600 192.0.2.10 | www.example.com. TXT 3600",
           "", "");
    expect("answer_refused_outside", ask("www.example.net.", DNS_T_A), 5, 0,
           "", "", "");
    expect("answer_refused_class", ask_ex("www.example.com.", DNS_T_A, 3, 0,
           0, 0, 0), 5, 0, "", "", "");
    /* QCLASS ANY: answered as IN without AA, a denial without the SOA
     * (as NSD). */
    expect("answer_class_any", ask_ex("www.example.com.", DNS_T_A,
           DNS_C_ANY, 0, 0, 0, 0), 0, 0, "www.example.com. A 3600 192.0.2.10",
           "", "");
    expect("answer_class_any_nxdomain", ask_ex("nothere.example.com.",
           DNS_T_A, DNS_C_ANY, 0, 0, 0, 0), 3, 0, "", "", "");
    expect("answer_class_any_nodata", ask_ex("www.example.com.", DNS_T_AAAA,
           DNS_C_ANY, 0, 0, 0, 0), 0, 0, "", "", "");
}

static void test_cname(void)
{
    expect("cname_followed", ask("alias.example.com.", DNS_T_A), 0, 1,
           "alias.example.com. CNAME 3600 www.example.com. | "
           "www.example.com. A 3600 192.0.2.10", "", "");
    expect("cname_chain", ask("chain1.example.com.", DNS_T_A), 0, 1,
           "chain1.example.com. CNAME 3600 chain2.example.com. | "
           "chain2.example.com. CNAME 3600 alias.example.com. | "
           "alias.example.com. CNAME 3600 www.example.com. | "
           "www.example.com. A 3600 192.0.2.10", "", "");
    expect("cname_qtype_cname", ask("alias.example.com.", DNS_T_CNAME), 0, 1,
           "alias.example.com. CNAME 3600 www.example.com.", "", "");
    expect("cname_into_other_zone", ask("out.example.com.", DNS_T_A), 0, 1,
           "out.example.com. CNAME 3600 www.example.org. | "
           "www.example.org. A 30 198.51.100.1", "", "");
    expect("cname_out_of_zones", ask("ext.example.com.", DNS_T_A), 0, 1,
           "ext.example.com. CNAME 3600 www.elsewhere.net.", "", "");
    expect("cname_to_nxdomain", ask("gone.example.com.", DNS_T_A), 3, 1,
           "gone.example.com. CNAME 3600 nothere.example.com.", SOA_COM, "");
    struct reply *r = ask("loop1.example.com.", DNS_T_A);
    if (t_case("cname_loop_bounded") && t_ok(r->len > 0, "a reply")) {
        t_int(rcode(r), 0, "rcode");
        t_str(r->sec[DNS_AN],
              "loop1.example.com. CNAME 3600 loop2.example.com. | "
              "loop2.example.com. CNAME 3600 loop1.example.com.",
              "each CNAME once (as NSD)");
    }
    r = ask("c0.example.com.", DNS_T_A);
    if (t_case("cname_chain_bounded") && t_ok(r->len > 0, "a reply")) {
        t_int(rcode(r), 0, "rcode");
        t_int(r->m.count[DNS_AN], 9, "c0..c8: 9 CNAMEs, then the chain ends");
    }
}

static void test_cut(void)
{
    expect("referral", ask("www.sub.example.com.", DNS_T_A), 0, 0, "",
           "sub.example.com. NS 3600 ns.sub.example.com. | "
           "sub.example.com. NS 3600 ns.other.net. | "
           "sub.example.com. NS 3600 ns1.example.com.",
           "ns.sub.example.com. A 3600 192.0.2.53 | "
           "ns1.example.com. A 3600 192.0.2.1");
    expect("referral_at_cut", ask("sub.example.com.", DNS_T_A), 0, 0, "",
           "sub.example.com. NS 3600 ns.sub.example.com. | "
           "sub.example.com. NS 3600 ns.other.net. | "
           "sub.example.com. NS 3600 ns1.example.com.",
           "ns.sub.example.com. A 3600 192.0.2.53 | "
           "ns1.example.com. A 3600 192.0.2.1");
    /* Under DO from a zone without an RRSIG of its DNSKEY (unsigned, as
     * NSD tells), the cut's DS stays out. */
    struct reply *r = ask_ex("www.sub.example.com.", DNS_T_A, DNS_C_IN, 1232,
                             0, 1, 0);
    if (t_case("referral_do_unsigned_no_ds") && t_ok(r->len > 0, "a reply")) {
        t_ok(strstr(r->sec[DNS_NS], "sub.example.com. NS 3600") != NULL,
             "NS: %s", r->sec[DNS_NS]);
        t_ok(strstr(r->sec[DNS_NS], " DS ") == NULL, "DS: %s",
             r->sec[DNS_NS]);
    }
    r = ask("www.wide.example.com.", DNS_T_A);
    if (t_case("referral_sibling_glue_optional") &&
        t_ok(r->len > 0, "a reply")) {
        t_ok(!(r->m.flags & DNS_F_TC), "no TC");
        t_int(r->m.count[DNS_NS], 20, "all 20 NS");
        t_ok(r->m.count[DNS_AR] > 0 && r->m.count[DNS_AR] < 20,
             "the sibling addresses that fit (%u)", r->m.count[DNS_AR]);
        t_ok(r->len <= 512, "within 512 (%d)", r->len);
    }
    expect("ds_at_cut_from_parent", ask("sub.example.com.", DNS_T_DS), 0, 1,
           "sub.example.com. DS 3600", "", "");
    expect("zones_longest_match", ask("www.deep.example.com.", DNS_T_A), 0,
           1, "www.deep.example.com. A 60 203.0.113.1", "", "");
    expect("zones_ds_at_child_apex", ask("deep.example.com.", DNS_T_DS), 0,
           1, "deep.example.com. DS 3600", "", "");
    expect("zones_child_apex_soa", ask("deep.example.com.", DNS_T_SOA), 0,
           1, "deep.example.com. SOA 60", "", "");
}

static void test_wild(void)
{
    expect("wildcard_match", ask("foo.wild.example.com.", DNS_T_A), 0, 1,
           "foo.wild.example.com. A 3600 192.0.2.99", "", "");
    expect("wildcard_deeper", ask("a.B.wild.example.com.", DNS_T_A), 0, 1,
           "a.B.wild.example.com. A 3600 192.0.2.99", "", "");
    expect("wildcard_exact_wins", ask("x.wild.example.com.", DNS_T_A), 0, 1,
           "x.wild.example.com. A 3600 192.0.2.98", "", "");
    expect("wildcard_exact_nodata", ask("x.wild.example.com.", DNS_T_TXT), 0,
           1, "", SOA_COM, "");
    expect("wildcard_nodata", ask("foo.wild.example.com.", DNS_T_AAAA), 0, 1,
           "", SOA_COM, "");
    expect("ent_nodata", ask("ent.example.com.", DNS_T_A), 0, 1, "", SOA_COM,
           "");
    expect("ent_nodata_with_wildcard", ask("ent.example.org.", DNS_T_TXT), 0,
           1, "", SOA_ORG, "");
    expect("ent_blocks_wildcard", ask("y.ent.example.org.", DNS_T_TXT), 3, 1,
           "", SOA_ORG, "");
    expect("wildcard_apex", ask("nothere.example.org.", DNS_T_TXT), 0, 1,
           "nothere.example.org. TXT 30", "", "");
    expect("wildcard_cname", ask("q.cn.example.org.", DNS_T_A), 0, 1,
           "q.cn.example.org. CNAME 30 www.example.org. | "
           "www.example.org. A 30 198.51.100.1", "", "");
}

static void test_dname(void)
{
    expect("dname_synthesis", ask("www.dn.example.org.", DNS_T_A), 0, 1,
           "dn.example.org. DNAME 30 example.com. | "
           "www.dn.example.org. CNAME 30 www.example.com. | "
           "www.example.com. A 3600 192.0.2.10", "", "");
    expect("dname_owner_itself", ask("dn.example.org.", DNS_T_DNAME), 0, 1,
           "dn.example.org. DNAME 30 example.com.", "", "");
    expect("dname_to_nxdomain", ask("no.dn.example.org.", DNS_T_A), 3, 1,
           "dn.example.org. DNAME 30 example.com. | "
           "no.dn.example.org. CNAME 30 no.example.com.", SOA_COM, "");
}

/* A substitution longer than 255 bytes: YXDOMAIN (RFC 6672 2.2). */
static void test_yxdomain(void)
{
    char q[128];
    memset(q, 'x', 60);
    strcpy(q + 60, ".ln.example.org.");
    struct reply *r = ask(q, DNS_T_A);
    if (t_case("dname_yxdomain") && t_ok(r->len > 0, "a reply")) {
        t_int(rcode(r), 6, "YXDOMAIN");
        t_int(aa(r), 1, "AA");
        t_int(r->m.count[DNS_AN], 1, "the DNAME only");
    }
}

static int opt_of(const struct reply *r, struct dns_edns *e)
{
    *e = r->m.edns;
    return e->present;
}

static void test_edns(void)
{
    struct dns_edns e;
    struct reply *r = ask_ex("www.example.com.", DNS_T_A, DNS_C_IN, 4096, 0,
                             0, 0);
    if (t_case("edns_echoed") && t_ok(r->len > 0, "a reply")) {
        t_ok(opt_of(r, &e), "OPT in the reply");
        t_int(e.payload, DNS_EDNS_PAYLOAD, "the server's payload size");
        t_int(e.do_bit, 0, "no DO");
        t_str(r->sec[DNS_AN], "www.example.com. A 3600 192.0.2.10", "answer");
    }
    r = ask_ex("www.example.com.", DNS_T_A, DNS_C_IN, 1232, 1, 0, 0);
    if (t_case("edns_badvers") && t_ok(r->len > 0, "a reply")) {
        t_ok(opt_of(r, &e), "OPT in the reply");
        t_int(rcode(r), 0, "header rcode 0");
        t_int(e.ext_rcode, 1, "extended rcode 1: BADVERS");
        t_int(e.version, 0, "our version");
        t_int(r->m.count[DNS_AN], 0, "no answer");
    }
    r = ask_ex("www.example.com.", DNS_T_A, DNS_C_IN, 1232, 0, 1, 0);
    if (t_case("dnssec_rrsig_with_do") && t_ok(r->len > 0, "a reply")) {
        t_ok(opt_of(r, &e) && e.do_bit, "DO echoed");
        t_str(r->sec[DNS_AN], "www.example.com. A 3600 192.0.2.10 | "
              "www.example.com. RRSIG 3600", "answer with its RRSIG");
    }
    r = ask_ex("www.example.com.", DNS_T_AAAA, DNS_C_IN, 1232, 0, 1, 0);
    if (t_case("dnssec_negative_soa_rrsig") && t_ok(r->len > 0, "a reply")) {
        t_int(rcode(r), 0, "NODATA");
        t_str(r->sec[DNS_NS], SOA_COM " | example.com. RRSIG 300",
              "the SOA with its RRSIG, both at the negative TTL");
    }
    r = ask("www.example.com.", DNS_T_AAAA);
    t_check("dnssec_no_rrsig_without_do",
            r->len > 0 && !strcmp(r->sec[DNS_NS], SOA_COM),
            "no RRSIG without DO");
    r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, 0, 0, 0, 0);
    if (t_case("tc_without_edns") && t_ok(r->len > 0, "a reply")) {
        t_ok(r->m.flags & DNS_F_TC, "TC");
        t_ok(r->m.flags & DNS_F_AA, "AA kept (as NSD)");
        t_ok(r->len <= 512, "within 512 bytes (%d)", r->len);
        t_int(r->m.count[DNS_QD], 1, "the question");
        t_int(r->m.count[DNS_AN], 0, "no partial RRset");
    }
    r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, 1232, 0, 0, 0);
    if (t_case("tc_edns_small") && t_ok(r->len > 0, "a reply")) {
        t_ok(r->m.flags & DNS_F_TC, "TC");
        t_ok(r->len <= 1232, "within 1232 bytes (%d)", r->len);
        t_ok(opt_of(r, &e), "OPT kept");
    }
    r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, 4096, 0, 0, 0);
    if (t_case("tc_edns_fits") && t_ok(r->len > 0, "a reply")) {
        t_ok(!(r->m.flags & DNS_F_TC), "no TC");
        t_int(r->m.count[DNS_AN], 60, "all 60 records");
        t_ok(r->len > 1232 && r->len <= 4096, "size %d", r->len);
    }
    r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, 0, 0, 0, DNS_ANSWER_TCP);
    if (t_case("tc_not_over_tcp") && t_ok(r->len > 0, "a reply")) {
        t_ok(!(r->m.flags & DNS_F_TC), "no TC");
        t_int(r->m.count[DNS_AN], 60, "all 60 records");
    }
}

static void test_bad(void)
{
    uint8_t q[64], out[512];
    struct dns_builder b;
    struct dns_msg m;
    uint8_t n[DNS_NAME_MAX];
    dns_name_from_text("www.example.com.", 16, NULL, n);

    dns_build_init(&b, q, sizeof q, 0x4242, 0);
    dns_build_question(&b, n, DNS_T_A, DNS_C_IN);
    int l = dns_answer(zones, 4, q, b.len - 3, out, sizeof out, 0);
    if (t_case("formerr_truncated") && t_ok(l > 0, "a reply")) {
        t_ok(dns_msg_parse(&m, out, (size_t)l) == 0, "parses");
        t_int(m.id, 0x4242, "id");
        t_int(DNS_RCODE(m.flags), DNS_R_FORMERR, "FORMERR");
        t_ok(m.flags & DNS_F_QR, "QR");
    }
    dns_build_question(&b, n, DNS_T_A, DNS_C_IN);
    l = dns_answer(zones, 4, q, b.len, out, sizeof out, 0);
    t_check("formerr_two_questions",
            l > 0 && dns_msg_parse(&m, out, (size_t)l) == 0 &&
            DNS_RCODE(m.flags) == DNS_R_FORMERR && !(m.flags & DNS_F_AA),
            "two questions: FORMERR");
    dns_build_init(&b, q, sizeof q, 0x4242, 2 << 11); /* STATUS */
    dns_build_question(&b, n, DNS_T_A, DNS_C_IN);
    l = dns_answer(zones, 4, q, b.len, out, sizeof out, 0);
    t_check("notimp_opcode",
            l > 0 && dns_msg_parse(&m, out, (size_t)l) == 0 &&
            DNS_RCODE(m.flags) == DNS_R_NOTIMP && DNS_OPCODE(m.flags) == 2,
            "opcode STATUS: NOTIMP, opcode echoed");
    dns_build_init(&b, q, sizeof q, 0x4242, DNS_F_QR);
    dns_build_question(&b, n, DNS_T_A, DNS_C_IN);
    l = dns_answer(zones, 4, q, b.len, out, sizeof out, 0);
    t_check("response_not_answered", l < 0, "a response gets no reply");
    t_check("short_not_answered",
            dns_answer(zones, 4, q, 11, out, sizeof out, 0) < 0,
            "under 12 bytes: no reply");
}

/* Over UDP the reply is truncated exactly when the whole answer (as sent
 * over TCP, OPT included) exceeds the limit: 512 without EDNS, else the
 * client's size; below it the UDP reply is the TCP one. */
static void test_tc_boundary(void)
{
    static uint8_t full[65535];
    int bad = 0, tcs = 0, fits = 0;
    for (int k = 1; k <= 20; k++) {
        char nm[32];
        snprintf(nm, sizeof nm, "n%d.big.test.", k);
        for (int e = 0; e < 2; e++) {
            uint16_t sz = e ? 512 : 0;
            struct reply *r = ask_ex(nm, DNS_T_TXT, DNS_C_IN, sz, 0, 0,
                                     DNS_ANSWER_TCP);
            int fl = r->len;
            memcpy(full, r->buf, (size_t)(fl > 0 ? fl : 0));
            r = ask_ex(nm, DNS_T_TXT, DNS_C_IN, sz, 0, 0, 0);
            int tc = r->len > 0 && (r->m.flags & DNS_F_TC);
            if (fl <= 0 || r->len <= 0 || r->len > 512 || tc != (fl > 512) ||
                (!tc && (r->len != fl || memcmp(r->buf, full, (size_t)fl))))
                bad++;
            tcs += tc;
            fits += !tc;
        }
    }
    struct reply *r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, 4096, 0, 0,
                             DNS_ANSWER_TCP);
    int fl = r->len;
    for (int d = -1; d <= 0; d++) {
        r = ask_ex("big.test.", DNS_T_TXT, DNS_C_IN, (uint16_t)(fl + d), 0, 0,
                   0);
        int tc = r->len > 0 && (r->m.flags & DNS_F_TC);
        if (r->len <= 0 || r->len > fl + d || tc != (d < 0))
            bad++;
    }
    if (!t_case("tc_boundary"))
        return;
    t_int(bad, 0, "replies truncated other than exactly past the limit");
    t_ok(tcs > 0 && fits > 0, "both sides of the limit seen (%d TC, %d not)",
         tcs, fits);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    loaded = load_all() == 0 && load_big() == 0;
    t_check("answer_zones_load", loaded, "the test zones load");
    if (!loaded)
        return t_finish();
    test_basic();
    test_cname();
    test_cut();
    test_wild();
    test_dname();
    test_yxdomain();
    test_edns();
    test_tc_boundary();
    test_bad();
    return t_finish();
}
