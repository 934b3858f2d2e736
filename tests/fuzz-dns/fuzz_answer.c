/*
 * Fuzz target: dns_answer (lib/dns answer.c) on queries parsed from the
 * input bytes, against a fixed zone with a delegation and glue,
 * wildcards, an empty non-terminal, CNAME chains and a loop, a DNAME, a
 * large RRset and an NSEC3 chain. Every reply must parse, echo the id, opcode and the
 * question as asked, stay within the UDP limit (512, or the client's
 * EDNS size), carry no answer with TC or an error rcode, and over TCP
 * never be truncated.
 */
#include <string.h>

#include <atoll/dns.h>
#include <atoll/err.h>

#include "fuzz_dns.h"

static const char zone[] =
    "$ORIGIN example.com.\n$TTL 300\n"
    "@ SOA ns1 host 1 2 3 4 60\n@ NS ns1\n@ MX 10 mail\n"
    "ns1 A 192.0.2.1\nmail A 192.0.2.2\nmail AAAA 2001:db8::2\n"
    "www A 192.0.2.10\nwww TXT \"hi\"\n"
    "www RRSIG A 13 3 300 20300101000000 20200101000000 1 example.com. AQID\n"
    "a CNAME b\nb CNAME www\nl1 CNAME l2\nl2 CNAME l1\nx CNAME y.example.\n"
    "sub NS ns.sub\nsub NS ns.other.\nns.sub A 192.0.2.53\n"
    "* TXT \"wild\"\n*.w CNAME a\nc.ent A 192.0.2.7\n"
    "dn DNAME example.com.\n"
    /* An NSEC3 chain (salt ab, 1 iteration; hashes of sub, the apex,
     * the apex's wildcard, www, ent) for the NSEC3 proofs under DO. */
    "@ NSEC3PARAM 1 0 1 ab\n"
    "57rtcsjvcc6n17l6obfjea7do18qkdb2 NSEC3 1 1 1 ab "
    "c0sle8clqc1bfoh7e2ojboi5d0seulp0 NS\n"
    "c0sle8clqc1bfoh7e2ojboi5d0seulp0 NSEC3 1 0 1 ab "
    "d39iqvb60lqnsg13voj35ts6d004831n SOA NS MX NSEC3PARAM\n"
    "d39iqvb60lqnsg13voj35ts6d004831n NSEC3 1 0 1 ab "
    "p01kefp5jferk5ben9gtarq2tbvs4pg9 TXT\n"
    "p01kefp5jferk5ben9gtarq2tbvs4pg9 NSEC3 1 0 1 ab "
    "rg7b7eqj88sm4tbeu5tm6d25vfat5qam A TXT RRSIG\n"
    "rg7b7eqj88sm4tbeu5tm6d25vfat5qam NSEC3 1 0 1 ab "
    "57rtcsjvcc6n17l6obfjea7do18qkdb2\n"
    "big TXT \"0123456789012345678901234567890123456789\"\n"
    "big TXT \"1123456789012345678901234567890123456789\"\n"
    "big TXT \"2123456789012345678901234567890123456789\"\n"
    "big TXT \"3123456789012345678901234567890123456789\"\n"
    "big TXT \"4123456789012345678901234567890123456789\"\n"
    "big TXT \"5123456789012345678901234567890123456789\"\n"
    "big TXT \"6123456789012345678901234567890123456789\"\n"
    "big TXT \"7123456789012345678901234567890123456789\"\n"
    "big TXT \"8123456789012345678901234567890123456789\"\n"
    "big TXT \"9123456789012345678901234567890123456789\"\n"
    "big TXT \"a123456789012345678901234567890123456789\"\n"
    "big TXT \"b123456789012345678901234567890123456789\"\n";

static uint8_t mem[1 << 16];
static struct dns_zone z;
static int loaded;
static uint8_t out[65535];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void check(const uint8_t *data, size_t len, unsigned flags)
{
    int l = dns_answer(&z, 1, data, len, out, sizeof out, flags);
    if (len < DNS_HEADER_LEN || (data[2] & 0x80)) {
        PROP(l < 0);
        return;
    }
    PROP(l >= DNS_HEADER_LEN);
    struct dns_msg q, r;
    int qok = dns_msg_parse(&q, data, len) == 0;
    PROP(dns_msg_parse(&r, out, (size_t)l) == 0);
    PROP(r.id == (data[0] << 8 | data[1]));
    PROP(r.flags & DNS_F_QR);
    PROP(DNS_OPCODE(r.flags) == DNS_OPCODE(data[2] << 8));
    size_t lim = 512;
    if (flags & DNS_ANSWER_TCP)
        lim = 65535;
    else if (qok && q.edns.present)
        lim = q.edns.payload;
    PROP((size_t)l <= lim);
    PROP(!(flags & DNS_ANSWER_TCP) || !(r.flags & DNS_F_TC));
    PROP(!(r.flags & DNS_F_TC) || r.count[DNS_AN] == 0);
    int rc = DNS_RCODE(r.flags);
    if (rc == DNS_R_FORMERR || rc == DNS_R_NOTIMP || rc == DNS_R_REFUSED)
        PROP(r.count[DNS_AN] == 0 && !(r.flags & DNS_F_AA));
    PROP(r.edns.present == (qok && q.edns.present));
    if (!qok || q.count[DNS_QD] != 1)
        return;
    /* The question comes back as asked, case and all. */
    struct dns_msg_iter i1, i2;
    struct dns_rr_view v1, v2;
    dns_msg_iter_init(&q, &i1);
    dns_msg_iter_init(&r, &i2);
    PROP(dns_msg_next(&q, &i1, &v1) == 1 && dns_msg_next(&r, &i2, &v2) == 1);
    PROP(v2.section == DNS_QD && v1.type == v2.type &&
         v1.rclass == v2.rclass);
    PROP(memcmp(v1.owner, v2.owner, dns_name_len(v1.owner)) == 0);
    /* Class ANY is answered as IN, never with AA, and a denial to it
     * carries no SOA (as NSD). A truncated NXDOMAIN keeps its rcode
     * with the question alone (a long name's proofs need not fit). */
    int any = v1.rclass == DNS_C_ANY;
    int nx = rc == DNS_R_NXDOMAIN && !(r.flags & DNS_F_TC);
    if (any)
        PROP(!(r.flags & DNS_F_AA));
    if (nx && !any)
        PROP(r.count[DNS_NS] >= 1);
    /* Under DO an NXDOMAIN carries NSEC3s besides the SOA: the zone's
     * chain always matches its apex, a provable encloser. */
    if (nx && q.edns.present && q.edns.do_bit)
        PROP(r.count[DNS_NS] >= (any ? 1 : 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (!loaded) {
        struct dns_arena a;
        dns_arena_init(&a, mem, sizeof mem);
        PROP(dns_zone_load(&z, &a, "fuzz.zone", zone, sizeof zone - 1,
                           NULL) == 0);
        loaded = 1;
    }
    check(data, len, 0);
    check(data, len, DNS_ANSWER_TCP);
    return 0;
}
