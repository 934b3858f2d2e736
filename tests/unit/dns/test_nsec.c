/*
 * Host unit tests of lib/dns's DNSSEC denial proofs (RFC 4035 section
 * 3.1.3, RFC 5155 section 7.2): a zone signed here with ldns-signzone
 * (Debian ldnsutils; SKIP without it), with NSEC and with NSEC3 (salt and
 * iterations or none, opt-out), loaded, and asked with and without DO;
 * each authority section compared, as a sorted set of "owner TYPE"
 * (RRSIGs as "owner RRSIG COVERED"), with the records the RFCs ask for.
 * For NSEC3 the expected owners come from ldns-nsec3-hash and the signed
 * zone's own chain (the record before a hash covers it), not from lib/dns.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../../lib/dns/dns_internal.h"
#include "../../lib/check.h"

static const char zone_text[] =
    "$ORIGIN example.\n$TTL 3600\n"
    "@ SOA ns1 host 1 7200 3600 1209600 300\n@ NS ns1\n"
    "ns1 A 192.0.2.1\nwww A 192.0.2.10\n*.wild TXT \"w\"\nb.wild A 192.0.2.8\n"
    "c.ent A 192.0.2.7\nsub NS ns.sub\nns.sub A 192.0.2.53\n"
    "*.wc CNAME a.sub\n"
    "sec NS ns1\nsec DS 12345 13 2 "
    "3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D\n";

static char dir[] = "/tmp/atoll-dns-nsec-XXXXXX";
static char signed_text[1 << 17];
static uint8_t zmem[1 << 18];
static struct dns_zone zone;

/* Sign zone_text with a fresh ECDSA key; opts are ldns-signzone's; post
 * (or NULL) a shell command run on the signed file s afterwards. */
static int sign(const char *opts, const char *post)
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
    snprintf(cmd, sizeof cmd, "cd %s && %s", dir, post ? post : "true");
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
    /* A wildcard CNAME into a delegation: the wildcard's proof, then the
     * referral (the proof goes before the glue). */
    expect("nsec_wildcard_cname_referral", "x.wc.example.", DNS_T_A, 0,
           NSEC("*.wc.example.") " | sub.example. NS | " NSEC("sub.example."));
    int rc;
    t_case("nsec_wildcard_answer_section");
    t_str(ask("x.wild.example.", DNS_T_TXT, 1, DNS_AN, &rc),
          "x.wild.example. RRSIG TXT | x.wild.example. TXT", "answer");
}

/* ---- NSEC3 --------------------------------------------------------------- */

/* RFC 5155 Appendix A: salt aabbccdd, 12 iterations. */
static void nsec3_hash_rfc5155(void)
{
    static const struct {
        const char *name, *hash;
    } v[] = {
        {"example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
        {"a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
        {"NS1.Example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
        {"*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
        {"x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"},
        {"xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"},
    };
    static const uint8_t salt[] = {0xaa, 0xbb, 0xcc, 0xdd};
    static const uint8_t apex[] = "\7example";
    struct dns_nsec3 p = {salt, 4, 12};
    if (!t_case("nsec3_hash_rfc5155_appendix_a"))
        return;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t n[DNS_NAME_MAX], h[DNS_NAME_MAX];
        char text[300], want[300];
        dns_name_from_text(v[i].name, strlen(v[i].name), NULL, n);
        t_int(dns_nsec3_hash(&p, apex, n, h), 33 + 9, "hashed name length");
        dns_name_to_text(h, text, sizeof text);
        snprintf(want, sizeof want, "%s.example.", v[i].hash);
        t_str(text, want, v[i].name);
    }
}

/* The oracle: the chain's hashes (lower case, sorted) from the signed
 * text, and hashes by ldns-nsec3-hash with the zone's parameters. */
static char chain[64][40];
static int nchain;
static char hash_opts[64];

static void read_chain(const char *salt)
{
    const char *p = signed_text;
    nchain = 0;
    while (*p && nchain < 64) {
        char own[300], ttl[32], cls[16], type[32], f[3][16], sl[64];
        if (sscanf(p, "%299s %31s %15s %31s %15s %15s %15s %63s", own, ttl,
                   cls, type, f[0], f[1], f[2], sl) == 8 &&
            strcmp(type, "NSEC3") == 0 && strlen(own) > 32 &&
            strcasecmp(sl, salt) == 0) {
            memcpy(chain[nchain], own, 32);
            chain[nchain][32] = 0;
            for (char *c = chain[nchain]; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c + 32);
            nchain++;
        }
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    qsort(chain, (size_t)nchain, sizeof chain[0], cmpstr);
}

static void nsec3_hash_of(const char *name, char out[40])
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ldns-nsec3-hash %s '%s'", hash_opts, name);
    FILE *f = popen(cmd, "r");
    out[0] = 0;
    if (f) {
        if (fscanf(f, "%32s", out) != 1)
            out[0] = 0;
        pclose(f);
    }
}

/* "H.example." of the chain's record matching (cover 0) or covering
 * (cover 1) name. */
static const char *n3(const char *name, int cover)
{
    static char res[8][64];
    static int k;
    char h[40];
    nsec3_hash_of(name, h);
    k = (k + 1) % 8;
    const char *o = NULL;
    for (int i = 0; i < nchain; i++) {
        int c = strcmp(chain[i], h);
        if (!cover && c == 0)
            o = chain[i];
        if (cover && c < 0)
            o = chain[i]; /* the last one before the hash */
    }
    if (cover && !o && nchain) /* before the first: the last wraps */
        o = chain[nchain - 1];
    for (int i = 0; cover && i < nchain; i++)
        if (strcmp(chain[i], h) == 0)
            o = NULL; /* the hash exists: nothing covers it */
    snprintf(res[k], sizeof res[k], "%.40s.example.", o ? o : "(none)");
    return res[k];
}

/* The expected authority: fixed lines (" | " separated, may be "") and
 * NSEC3 owners (each with its RRSIG), sorted and joined as ask() does. */
static const char *want(const char *fixed, const char *o1, const char *o2,
                        const char *o3)
{
    static char out[4096];
    char lines[24][128];
    int n = 0;
    const char *own[3] = {o1, o2, o3};
    for (const char *p = fixed; p && *p && n < 20;) {
        const char *e = strstr(p, " | ");
        size_t l = e ? (size_t)(e - p) : strlen(p);
        snprintf(lines[n++], sizeof lines[0], "%.*s", (int)l, p);
        p = e ? e + 3 : p + l;
    }
    for (int i = 0; i < 3; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= own[j] && own[i] && strcmp(own[i], own[j]) == 0;
        if (!own[i] || dup)
            continue;
        snprintf(lines[n++], sizeof lines[0], "%s NSEC3", own[i]);
        snprintf(lines[n++], sizeof lines[0], "%s RRSIG NSEC3", own[i]);
    }
    qsort(lines, (size_t)n, sizeof lines[0], cmpstr);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, " | ");
        strcat(out, lines[i]);
    }
    return out;
}

/* A case name that lives on (the harness keeps the pointer). */
static const char *case_name(const char *v, const char *what)
{
    static char pool[64][64];
    static int k;
    k = (k + 1) % 64;
    snprintf(pool[k], sizeof pool[k], "nsec3_%s_%s", v, what);
    return pool[k];
}

static void nsec3_cases(const char *v, int optout)
{
    int rc;
#define N3CASE(s) case_name(v, s)
    /* 7.2.2 NXDOMAIN: the closest encloser's (example.), the next closer
     * name's cover, the cover of the wildcard at the encloser. */
    expect(N3CASE("nxdomain"), "nx.example.", DNS_T_A, 3,
           want(SOA, n3("example.", 0), n3("nx.example.", 1),
                n3("*.example.", 1)));
    /* Deeper: encloser www, next closer y.www. */
    expect(N3CASE("nxdomain_deep"), "x.y.www.example.", DNS_T_A, 3,
           want(SOA, n3("www.example.", 0), n3("y.www.example.", 1),
                n3("*.www.example.", 1)));
    /* 7.2.3 NODATA: the name's NSEC3; an empty non-terminal has one. */
    expect(N3CASE("nodata"), "www.example.", DNS_T_AAAA, 0,
           want(SOA, n3("www.example.", 0), NULL, NULL));
    expect(N3CASE("ent_nodata"), "ent.example.", DNS_T_A, 0,
           want(SOA, n3("ent.example.", 0), NULL, NULL));
    /* 7.2.6 wildcard answer: the next closer name's cover only. */
    expect(N3CASE("wildcard_answer"), "a.wild.example.", DNS_T_TXT, 0,
           want("", n3("a.wild.example.", 1), NULL, NULL));
    t_case(N3CASE("wildcard_answer_section"));
    t_str(ask("a.wild.example.", DNS_T_TXT, 1, DNS_AN, &rc),
          "a.wild.example. RRSIG TXT | a.wild.example. TXT", "answer");
    /* 7.2.5 wildcard NODATA: closest encloser proof and the wildcard's. */
    expect(N3CASE("wildcard_nodata"), "a.wild.example.", DNS_T_A, 0,
           want(SOA, n3("wild.example.", 0), n3("a.wild.example.", 1),
                n3("*.wild.example.", 0)));
    /* The wildcard asked by its own name: its NSEC3 and its encloser's
     * (7.2.5; as NSD). */
    expect(N3CASE("wildcard_itself_nodata"), "*.wild.example.", DNS_T_A, 0,
           want(SOA, n3("*.wild.example.", 0), n3("wild.example.", 0),
                NULL));
    /* 7.2.8: an NSEC3 owner name does not exist (www's, asked). */
    char hw[40], hn[64];
    nsec3_hash_of("www.example.", hw);
    snprintf(hn, sizeof hn, "%s.example.", hw);
    expect(N3CASE("owner_name_nxdomain"), hn, DNS_T_A, 3,
           want(SOA, n3("example.", 0), n3(hn, 1), n3("*.example.", 1)));
    char below[80];
    snprintf(below, sizeof below, "x.%s", hn);
    expect(N3CASE("below_owner_name_nxdomain"), below, DNS_T_A, 3,
           want(SOA, n3("example.", 0), n3(hn, 1), n3("*.example.", 1)));
    /* A wildcard CNAME into a delegation: the next closer's cover, then
     * the referral's proof. */
    expect(N3CASE("wildcard_cname_referral"), "x.wc.example.", DNS_T_A, 0,
           optout ? want("sub.example. NS", n3("x.wc.example.", 1),
                         n3("example.", 0), n3("sub.example.", 1))
                  : want("sub.example. NS", n3("x.wc.example.", 1),
                         n3("sub.example.", 0), NULL));
    /* A signed delegation: its DS, no NSEC3. */
    expect(N3CASE("referral_signed"), "a.sec.example.", DNS_T_A, 0,
           "sec.example. DS | sec.example. NS | sec.example. RRSIG DS");
    expect(N3CASE("positive"), "b.wild.example.", DNS_T_A, 0, "");
    if (!optout) {
        /* 7.2.7 an unsigned delegation with its own NSEC3 (no DS bit);
         * 7.2.4 DS NODATA at it: the same. */
        expect(N3CASE("referral_unsigned"), "a.sub.example.", DNS_T_A, 0,
               want("sub.example. NS", n3("sub.example.", 0), NULL, NULL));
        expect(N3CASE("ds_nodata_at_cut"), "sub.example.", DNS_T_DS, 0,
               want(SOA, n3("sub.example.", 0), NULL, NULL));
        return;
    }
    /* Opt-out, the cut left out of the chain: the closest provable
     * encloser (the apex) and the opt-out NSEC3 covering the cut. */
    expect(N3CASE("optout_referral"), "a.sub.example.", DNS_T_A, 0,
           want("sub.example. NS", n3("example.", 0), n3("sub.example.", 1),
                NULL));
    expect(N3CASE("optout_referral_glue"), "ns.sub.example.", DNS_T_A, 0,
           want("sub.example. NS", n3("example.", 0), n3("sub.example.", 1),
                NULL));
    expect(N3CASE("optout_ds_nodata"), "sub.example.", DNS_T_DS, 0,
           want(SOA, n3("example.", 0), n3("sub.example.", 1), NULL));
    t_case(N3CASE("optout_cut_not_in_chain"));
    t_str(n3("sub.example.", 0), "(none).example.", "sub's NSEC3 removed");
#undef N3CASE
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* the load of others aside */
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The cost of NSEC3 (printed, as a comment): one hashed name at the
 * zone's iterations, and an NXDOMAIN answer with DO (three hashes) less
 * the same answer without DO. */
static void nsec3_cost(const char *v, const struct dns_nsec3 *p)
{
    static const char *const names[] = {"nx.example.", "x.y.www.example.",
                                        "a.b.c.example.", "zz.example."};
    uint8_t q[4][512], r[4096], h[DNS_NAME_MAX];
    size_t ql[4];
    for (int i = 0; i < 4; i++) {
        uint8_t n[DNS_NAME_MAX];
        struct dns_builder b;
        dns_name_from_text(names[i], strlen(names[i]), NULL, n);
        dns_build_init(&b, q[i], sizeof q[i], 1, 0);
        dns_build_question(&b, n, DNS_T_A, DNS_C_IN);
        dns_build_opt(&b, 4096, 0, 0, 1);
        ql[i] = b.len;
    }
    int n = 20000, ok = 1;
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        dns_nsec3_hash(p, zone.origin, zone.origin, h);
    double hash = (now_ns() - t0) / n;
    double with = 0, without = 0;
    for (int pass = 0; pass < 2; pass++) {
        /* The DO bit is the last byte of the OPT's TTL: 2 bytes before
         * its RDLENGTH at the end of the query. */
        for (int i = 0; i < 4; i++)
            q[i][ql[i] - 4] = pass ? 0x80 : 0;
        t0 = now_ns();
        for (int i = 0; i < n; i++)
            ok &= dns_answer(&zone, 1, q[i & 3], ql[i & 3], r, sizeof r, 0) > 0;
        *(pass ? &with : &without) = (now_ns() - t0) / n;
    }
    printf("# nsec3 %s (%u iterations): %.0f ns a hash; NXDOMAIN %.0f ns "
           "with DO, %.0f without (%d queries; CPU time, this build)\n", v,
           p->iterations, hash, with, without, n);
    t_check(case_name(v, "cost_answers"), ok, "every query answered");
}

/* Drop sub.example.'s NSEC3 (and its RRSIG) from the chain of s, the
 * record before it pointing past it, as an opt-out signer leaves an
 * unsigned delegation out (ldns-signzone -p keeps it). Signatures are
 * not checked here. */
#define OPTOUT_POST                                                        \
    "h=$(ldns-nsec3-hash -t 0 sub.example. | tr -d . | tr a-z A-Z); "      \
    "awk -v h=$h 'BEGIN { IGNORECASE = 1 } "                               \
    "toupper($1) == h \".EXAMPLE.\" && $4 == \"NSEC3\" { print $9 }' s "    \
    ">next && n=$(cat next) && [ -n \"$n\" ] && "                          \
    "awk -v h=$h -v n=$n 'toupper($1) == h \".EXAMPLE.\" { next } "        \
    "$4 == \"NSEC3\" && toupper($9) == h { $9 = n } { print }' s >s2 && "   \
    "mv s2 s"

/* A second chain (another salt, same iterations) beside the first, as
 * while a chain is replaced: only the NSEC3PARAM's chain may answer. */
#define TWO_CHAINS_POST                                                    \
    "k=$(ls -t K*.private | head -n 1) && "                                \
    "ldns-signzone -n -t 2 -s 01020304 -f s_b -o example z ${k%.private} && "  \
    "awk '$4 == \"NSEC3\" || ($4 == \"RRSIG\" && $5 == \"NSEC3\")' s_b >>s"

static void nsec3_variants(void)
{
    static const struct {
        const char *name, *sign, *hash, *salt, *post;
        int optout;
    } v[] = {
        {"salt_iter", "-n -t 2 -s aabbccdd", "-t 2 -s aabbccdd", "aabbccdd",
         NULL, 0},
        {"nosalt_iter0", "-n -t 0", "-t 0", "-", NULL, 0},
        {"optout", "-n -p -t 0", "-t 0", "-", OPTOUT_POST, 1},
        {"two_chains", "-n -t 2 -s aabbccdd", "-t 2 -s aabbccdd", "aabbccdd",
         TWO_CHAINS_POST, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char c[64];
        snprintf(c, sizeof c, "nsec3_%s_zone_loads", v[i].name);
        int ok = sign(v[i].sign, v[i].post) == 0;
        struct dns_nsec3 p;
        size_t a;
        for (a = 0; a < zone.n && zone.rr[a].type != DNS_T_NSEC3PARAM; a++)
            ;
        ok = ok && a < zone.n && dns_nsec3_param(&zone.rr[a], &p) == 0;
        t_check(c, ok, "signed with NSEC3 and loaded");
        if (!ok)
            continue;
        snprintf(hash_opts, sizeof hash_opts, "%s", v[i].hash);
        read_chain(v[i].salt);
        size_t other = 0;
        for (a = 0; a < zone.n; a++)
            other += zone.rr[a].type == DNS_T_NSEC3 &&
                     !dns_nsec3_in_chain(&p, &zone.rr[a]);
        if (strcmp(v[i].name, "two_chains") == 0)
            t_check("nsec3_two_chains_both_loaded", other == (size_t)nchain,
                    "as many NSEC3 records of the other chain as of this");
        nsec3_cases(v[i].name, v[i].optout);
        nsec3_cost(v[i].name, &p);
    }
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
    int ok = sign("", NULL) == 0;
    t_check("nsec_signed_zone_loads", ok, "ldns-signzone's zone loads");
    if (ok)
        test_nsec();
    nsec3_hash_rfc5155();
    nsec3_variants();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return t_finish();
}
