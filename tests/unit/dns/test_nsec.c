/*
 * Host unit tests of lib/dns's DNSSEC denial proofs (RFC 4035 section
 * 3.1.3): a zone signed here with ldns-signzone (Debian ldnsutils; SKIP
 * without it), loaded, and asked with and without DO; each authority
 * section compared, as a sorted set of "owner TYPE" (RRSIGs as "owner
 * RRSIG COVERED"), with the records RFC 4035 asks for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

static const char zone_text[] =
    "$ORIGIN example.\n$TTL 3600\n"
    "@ SOA ns1 host 1 7200 3600 1209600 300\n@ NS ns1\n"
    "ns1 A 192.0.2.1\nwww A 192.0.2.10\n*.wild TXT \"w\"\nb.wild A 192.0.2.8\n"
    "c.ent A 192.0.2.7\nsub NS ns.sub\nns.sub A 192.0.2.53\n"
    "sec NS ns1\nsec DS 12345 13 2 "
    "3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D\n";

static char dir[] = "/tmp/atoll-dns-nsec-XXXXXX";
static char signed_text[1 << 17];
static uint8_t zmem[1 << 18];
static struct dns_zone zone;

/* Sign zone_text with a fresh ECDSA key; opts are ldns-signzone's. */
static int sign(const char *opts)
{
    char cmd[1024];
    FILE *f;
    snprintf(cmd, sizeof cmd, "%s/z", dir);
    if (!(f = fopen(cmd, "w")))
        return -1;
    fputs(zone_text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd %s && k=$(ldns-keygen -a ECDSAP256SHA256 example) && "
             "ldns-signzone %s -f s -o example z $k", dir, opts);
    if (system(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/s", dir);
    if (!(f = fopen(cmd, "r")))
        return -1;
    size_t n = fread(signed_text, 1, sizeof signed_text - 1, f);
    fclose(f);
    struct dns_arena a;
    static const uint8_t origin[] = "\7example";
    dns_arena_init(&a, zmem, sizeof zmem);
    if (dns_zone_load(&zone, &a, "signed", signed_text, n, origin) < 0) {
        fprintf(stderr, "# %s\n", zone.err);
        return -1;
    }
    return 0;
}

static const char *tname(uint16_t t)
{
    static char b[4][16];
    static int k;
    switch (t) {
    case DNS_T_A: return "A";
    case DNS_T_NS: return "NS";
    case DNS_T_SOA: return "SOA";
    case DNS_T_TXT: return "TXT";
    case DNS_T_DS: return "DS";
    case DNS_T_RRSIG: return "RRSIG";
    case DNS_T_NSEC: return "NSEC";
    case DNS_T_NSEC3: return "NSEC3";
    }
    k = (k + 1) % 4;
    snprintf(b[k], sizeof b[k], "TYPE%u", t);
    return b[k];
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Section sec of the reply to name/type (DO as given) as sorted lines
 * joined by " | "; rcode into *rc. */
static const char *ask(const char *name, uint16_t type, int dobit,
                       enum dns_section sec, int *rc)
{
    static char out[4096];
    static char lines[64][128];
    uint8_t q[512], n[DNS_NAME_MAX], r[4096];
    struct dns_builder b;
    struct dns_msg m;
    struct dns_msg_iter it;
    struct dns_rr_view v;
    int nl = 0;
    dns_name_from_text(name, strlen(name), NULL, n);
    dns_build_init(&b, q, sizeof q, 1, 0);
    dns_build_question(&b, n, type, DNS_C_IN);
    dns_build_opt(&b, 4096, 0, 0, dobit);
    int len = dns_answer(&zone, 1, q, b.len, r, sizeof r, 0);
    if (len <= 0 || dns_msg_parse(&m, r, (size_t)len) < 0)
        return "(no reply)";
    *rc = DNS_RCODE(m.flags);
    dns_msg_iter_init(&m, &it);
    while (dns_msg_next(&m, &it, &v) == 1 && nl < 64) {
        char o[300];
        if (v.section != sec || v.type == DNS_T_OPT)
            continue;
        dns_name_to_text(v.owner, o, sizeof o);
        int k = snprintf(lines[nl], sizeof lines[nl], "%s %s", o,
                         tname(v.type));
        if (v.type == DNS_T_RRSIG)
            snprintf(lines[nl] + k, sizeof lines[nl] - (size_t)k, " %s",
                     tname((uint16_t)(r[v.rdata] << 8 | r[v.rdata + 1])));
        nl++;
    }
    qsort(lines, (size_t)nl, sizeof lines[0], cmpstr);
    out[0] = 0;
    for (int i = 0; i < nl; i++) {
        if (i)
            strcat(out, " | ");
        strcat(out, lines[i]);
    }
    return out;
}

static void expect(const char *cname, const char *name, uint16_t type,
                   int want_rc, const char *want_ns)
{
    int rc = -1;
    if (!t_case(cname))
        return;
    const char *got = ask(name, type, 1, DNS_NS, &rc);
    t_int(rc, want_rc, "rcode");
    t_str(got, want_ns, "authority with DO");
    got = ask(name, type, 0, DNS_NS, &rc);
    t_ok(!strstr(got, "NSEC") && !strstr(got, "RRSIG"),
         "no NSEC or RRSIG without DO: %s", got);
}

#define SOA "example. RRSIG SOA | example. SOA"
#define NSEC(o) o " NSEC | " o " RRSIG NSEC"

static void test_nsec(void)
{
    /* NXDOMAIN: the NSEC covering the name (ns1 < nx < sec) and the one
     * covering *.example (the apex's). */
    expect("nsec_nxdomain", "nx.example.", DNS_T_A, 3,
           NSEC("example.") " | " SOA " | " NSEC("ns1.example."));
    expect("nsec_nodata", "www.example.", DNS_T_AAAA, 0,
           SOA " | " NSEC("www.example."));
    /* An empty non-terminal: the NSEC covering it (example. -> c.ent). */
    expect("nsec_ent_nodata", "ent.example.", DNS_T_A, 0,
           NSEC("example.") " | " SOA);
    /* A wildcard answer: the NSEC proving x.wild does not exist (the
     * wildcard's for a.wild, b.wild's for x.wild). */
    expect("nsec_wildcard_answer", "a.wild.example.", DNS_T_TXT, 0,
           NSEC("*.wild.example."));
    expect("nsec_wildcard_answer_2", "x.wild.example.", DNS_T_TXT, 0,
           NSEC("b.wild.example."));
    /* Wildcard NODATA: the wildcard's NSEC (its types) and the one
     * covering the name, once if they are the same. */
    expect("nsec_wildcard_nodata", "a.wild.example.", DNS_T_A, 0,
           NSEC("*.wild.example.") " | " SOA);
    expect("nsec_wildcard_nodata_2", "x.wild.example.", DNS_T_A, 0,
           NSEC("*.wild.example.") " | " NSEC("b.wild.example.") " | " SOA);
    /* Referrals: unsigned (the cut's NSEC shows no DS), signed (DS). */
    expect("nsec_referral_unsigned", "a.sub.example.", DNS_T_A, 0,
           "sub.example. NS | " NSEC("sub.example."));
    expect("nsec_referral_signed", "a.sec.example.", DNS_T_A, 0,
           "sec.example. DS | sec.example. NS | sec.example. RRSIG DS");
    expect("nsec_ds_nodata_at_cut", "sub.example.", DNS_T_DS, 0,
           SOA " | " NSEC("sub.example."));
    int rc;
    t_case("nsec_wildcard_answer_section");
    t_str(ask("x.wild.example.", DNS_T_TXT, 1, DNS_AN, &rc),
          "x.wild.example. RRSIG TXT | x.wild.example. TXT", "answer");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    if (system("command -v ldns-signzone >/dev/null 2>&1") != 0) {
        t_skip("nsec_signed_zone", "no ldns-signzone (Debian ldnsutils)");
        return t_finish();
    }
    if (!mkdtemp(dir))
        return 1;
    int ok = sign("") == 0;
    t_check("nsec_signed_zone_loads", ok, "ldns-signzone's zone loads");
    if (ok)
        test_nsec();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return t_finish();
}
