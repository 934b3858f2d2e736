/*
 * Host unit tests of lib/dns's wire format: names (text, decompression
 * with its limits, comparison), whole messages (crafted malformed ones
 * too), the builder's compression and size limit, RDATA of every type
 * through parse -> build -> parse.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../lib/check.h"

/* The wire form of absolute text name s (in one of four rotating
 * buffers, so a call may use several). */
static const uint8_t *N(const char *s)
{
    static uint8_t buf[4][DNS_NAME_MAX];
    static int k;
    uint8_t *b = buf[k++ & 3];
    if (dns_name_from_text(s, strlen(s), NULL, b) < 0)
        b[0] = 0xFF; /* never a valid start: a test using it fails */
    return b;
}

static int from_text(const char *s, const char *origin, uint8_t *out)
{
    return dns_name_from_text(s, strlen(s), origin ? N(origin) : NULL, out);
}

static void test_name_text(void)
{
    uint8_t n[DNS_NAME_MAX];
    char txt[1100];

    if (t_case("name_text_basic")) {
        t_int(from_text("www.Example.com.", NULL, n), 17, "length");
        t_mem(n, 17, "\3www\7Example\3com", 17, "wire");
        t_int(from_text("www", "example.com.", n), 17, "relative");
        t_mem(n, 17, "\3www\7example\3com", 17, "relative wire");
        t_int(from_text("@", "example.com.", n), 13, "@");
        t_int(from_text(".", NULL, n), 1, "root");
        t_int(from_text("www", NULL, n), ATOLL_ERR_FORMAT, "relative, no origin");
    }
    if (t_case("name_text_escapes")) {
        t_int(from_text("a\\.b.c.", NULL, n), 7, "\\. length");
        t_mem(n, 7, "\3a.b\1c", 7, "\\. stays in the label");
        t_int(from_text("\\065\\032x.", NULL, n), 5, "\\DDD");
        t_mem(n, 5, "\3A x", 5, "\\DDD bytes");
        t_int(from_text("\\256.", NULL, n), ATOLL_ERR_FORMAT, "\\256");
        t_int(from_text("a\\", NULL, n), ATOLL_ERR_FORMAT, "trailing \\");
        t_int(from_text("a\\06", NULL, n), ATOLL_ERR_FORMAT, "short \\DD");
        t_int(from_text("a..b.", NULL, n), ATOLL_ERR_FORMAT, "empty label");
        t_int(from_text(".a.", NULL, n), ATOLL_ERR_FORMAT, "leading dot");
        dns_name_to_text(N("a\\.b.\\000x.c."), txt, sizeof txt);
        t_str(txt, "a\\.b.\\000x.c.", "to_text escapes");
        dns_name_to_text(N("."), txt, sizeof txt);
        t_str(txt, ".", "root to_text");
        /* Every byte value in a label survives text and back. */
        uint8_t all[DNS_NAME_MAX], back[DNS_NAME_MAX];
        for (int b = 0; b < 256; b += 64) {
            all[0] = 63;
            for (int i = 0; i < 63; i++)
                all[1 + i] = (uint8_t)(b + i);
            all[64] = 1;
            all[65] = (uint8_t)(b + 63);
            all[66] = 0;
            dns_name_to_text(all, txt, sizeof txt);
            t_int(dns_name_from_text(txt, strlen(txt), NULL, back), 67,
                  "bytes back from text");
            t_mem(back, 67, all, 67, txt);
        }
    }
    if (t_case("name_text_limits")) {
        char s[600];
        memset(s, 'a', 63);
        strcpy(s + 63, ".");
        t_int(from_text(s, NULL, n), 65, "63-byte label");
        memset(s, 'a', 64);
        strcpy(s + 64, ".");
        t_int(from_text(s, NULL, n), ATOLL_ERR_FORMAT, "64-byte label");
        /* 4 labels of 63 = 256 bytes, 3 of 63 + 1 of 61 = 255 with root. */
        char *p = s;
        for (int k = 0; k < 4; k++) {
            memset(p, 'b', 63);
            p[63] = '.';
            p += 64;
        }
        *p = 0;
        t_int(from_text(s, NULL, n), ATOLL_ERR_FORMAT, "256-byte name");
        s[3 * 64 + 61] = '.';
        s[3 * 64 + 62] = 0;
        t_int(from_text(s, NULL, n), 255, "255-byte name");
        s[3 * 64 + 61] = 0;
        t_int(from_text(s, "x.", n), ATOLL_ERR_FORMAT, "origin overflows");
    }
}

static void test_name_unpack(void)
{
    uint8_t n[DNS_NAME_MAX];
    size_t pos;

    if (t_case("unpack_pointer_back")) {
        static const uint8_t m[] = {1, 'a', 3, 'c', 'o', 'm', 0,
                                    1, 'b', 0xC0, 2};
        pos = 7;
        t_int(dns_name_unpack(m, sizeof m, &pos, n, 1), 7, "length");
        t_mem(n, 7, "\1b\3com", 7, "name");
        t_uint(pos, 11, "pos after the pointer");
        pos = 7;
        t_int(dns_name_unpack(m, sizeof m, &pos, n, 0), ATOLL_ERR_FORMAT,
              "pointer refused when not allowed");
    }
    if (t_case("unpack_bad_pointers")) {
        static const uint8_t self[] = {0xC0, 0};
        static const uint8_t fwd[] = {0xC0, 2, 1, 'a', 0};
        static const uint8_t loop[] = {1, 'a', 0xC0, 4, 0xC0, 0};
        static const uint8_t cut[] = {1, 'a', 0xC0};
        pos = 0;
        t_int(dns_name_unpack(self, 2, &pos, n, 1), ATOLL_ERR_FORMAT, "self");
        pos = 0;
        t_int(dns_name_unpack(fwd, 5, &pos, n, 1), ATOLL_ERR_FORMAT,
              "forward");
        pos = 4; /* 4 -> 0 -> "a" then 2 -> 4: forward again */
        t_int(dns_name_unpack(loop, 6, &pos, n, 1), ATOLL_ERR_FORMAT, "loop");
        pos = 0;
        t_int(dns_name_unpack(cut, 3, &pos, n, 1), ATOLL_ERR_FORMAT,
              "pointer cut short");
    }
    if (t_case("unpack_bad_labels")) {
        /* Label types 0x40 and 0x80 with bytes enough behind them for a
         * length of 1 or 65: refused for their type, not their length. */
        uint8_t ext[67], rsv[67];
        memset(ext, 'a', sizeof ext);
        memset(rsv, 'a', sizeof rsv);
        ext[0] = 0x41;
        ext[66] = 0;
        rsv[0] = 0x81;
        rsv[2] = 0;
        static const uint8_t trunc[] = {5, 'a', 'b'};
        static const uint8_t noend[] = {1, 'a'};
        pos = 0;
        t_int(dns_name_unpack(ext, sizeof ext, &pos, n, 1), ATOLL_ERR_FORMAT,
              "0x40");
        pos = 0;
        t_int(dns_name_unpack(rsv, sizeof rsv, &pos, n, 1), ATOLL_ERR_FORMAT,
              "0x80");
        pos = 0;
        t_int(dns_name_unpack(trunc, 3, &pos, n, 1), ATOLL_ERR_FORMAT,
              "label past the end");
        pos = 0;
        t_int(dns_name_unpack(noend, 2, &pos, n, 1), ATOLL_ERR_FORMAT,
              "no root label");
    }
    if (t_case("unpack_long_names")) {
        /* Labels of 63 joined by pointers: 4 of them make 257 bytes. */
        uint8_t m[400];
        size_t o = 0;
        m[o++] = 0; /* root at 0 */
        size_t prev = 0;
        for (int k = 0; k < 4; k++) {
            size_t at = o;
            m[o++] = 63;
            memset(m + o, 'x', 63);
            o += 63;
            m[o++] = (uint8_t)(0xC0 | prev >> 8);
            m[o++] = (uint8_t)prev;
            prev = at;
        }
        pos = prev;
        t_int(dns_name_unpack(m, o, &pos, n, 1), ATOLL_ERR_FORMAT,
              "257 bytes over pointers");
        pos = 1 + 66 * 2; /* three labels: 193 bytes */
        t_int(dns_name_unpack(m, o, &pos, n, 1), 193, "193 bytes");
    }
    if (t_case("unpack_hop_limit")) {
        /* A chain of pointers each to the one before: 127 hops pass, 128
         * do not. */
        uint8_t m[2 + 2 * 130];
        m[0] = 0;
        m[1] = 0;
        for (int k = 0; k < 130; k++) {
            m[2 + 2 * k] = 0xC0;
            m[3 + 2 * k] = (uint8_t)(k == 0 ? 0 : 2 * k);
        }
        pos = 2 + 2 * 126;
        t_int(dns_name_unpack(m, sizeof m, &pos, n, 1), 1, "127 hops");
        pos = 2 + 2 * 127;
        t_int(dns_name_unpack(m, sizeof m, &pos, n, 1), ATOLL_ERR_FORMAT,
              "128 hops");
    }
}

static void test_name_cmp(void)
{
    if (t_case("name_eq_case")) {
        t_ok(dns_name_eq(N("WwW.ExAmple."), N("www.example.")), "eq");
        t_ok(!dns_name_eq(N("www.example."), N("ww.example.")), "ne");
        /* One a suffix or prefix of the other, labels alike. */
        t_ok(!dns_name_eq(N("www.example."), N("www.example.com.")),
             "a prefix");
        t_ok(!dns_name_eq(N("www.example.com."), N("www.example.")),
             "longer");
        t_ok(!dns_name_eq(N("example."), N("www.example.")), "a suffix");
        t_ok(dns_name_is_sub(N("a.B.example."), N("b.EXAMPLE.")), "sub");
        t_ok(dns_name_is_sub(N("example."), N("example.")), "itself");
        t_ok(!dns_name_is_sub(N("ab.example."), N("b.example.")), "not sub");
        t_int(dns_name_labels(N("a.b.c.")), 3, "labels");
    }
    if (t_case("name_canonical_order")) {
        /* RFC 4034 section 6.1's example, in order. */
        static const char *const v[] = {
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
            "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.",
            "*.z.example.", "\\200.z.example."};
        for (int k = 0; k + 1 < 9; k++) {
            uint8_t a[DNS_NAME_MAX];
            memcpy(a, N(v[k]), DNS_NAME_MAX);
            t_ok(dns_name_cmp(a, N(v[k + 1])) < 0, "%s < %s", v[k], v[k + 1]);
            t_ok(dns_name_cmp(N(v[k + 1]), a) > 0, "%s > %s", v[k + 1], v[k]);
        }
        t_int(dns_name_cmp(N("A.example."), N("a.EXAMPLE.")), 0, "equal");
    }
}

/* ---- messages ------------------------------------------------------ */

/* A query for www.example.com/A with an OPT of payload 1232, DO set. */
static const uint8_t query[] = {
    0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
    3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm',
    0, 0, 1, 0, 1,
    0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0};

static void test_parse(void)
{
    struct dns_msg m;
    uint8_t b[512];

    if (t_case("parse_query_edns")) {
        t_int(dns_msg_parse(&m, query, sizeof query), 0, "parse");
        t_uint(m.id, 0x1234, "id");
        t_uint(m.flags, DNS_F_RD, "flags");
        t_int(m.edns.present, 1, "OPT");
        t_uint(m.edns.payload, 1232, "payload");
        t_int(m.edns.do_bit, 1, "DO");
        t_uint(m.edns.version, 0, "version");
        struct dns_msg_iter it;
        struct dns_rr_view rr;
        dns_msg_iter_init(&m, &it);
        t_int(dns_msg_next(&m, &it, &rr), 1, "question");
        t_ok(dns_name_eq(rr.owner, N("www.example.com.")), "qname");
        t_uint(rr.type, DNS_T_A, "qtype");
        t_int(dns_msg_next(&m, &it, &rr), 1, "OPT");
        t_uint(rr.section, DNS_AR, "OPT section");
        t_int(dns_msg_next(&m, &it, &rr), 0, "end");
    }
    if (t_case("parse_edns_version_small_payload")) {
        memcpy(b, query, sizeof query);
        /* OPT: root, type (2), class = payload (2), TTL (4), rdlen (2) */
        b[sizeof query - 5] = 1;   /* version 1: wants BADVERS */
        b[sizeof query - 8] = 0;   /* payload 0x00D0 = 208 */
        b[sizeof query - 4] = 0;   /* DO clear */
        t_int(dns_msg_parse(&m, b, sizeof query), 0, "parse");
        t_uint(m.edns.version, 1, "version");
        t_uint(m.edns.payload, 512, "payload below 512 read as 512");
        t_int(m.edns.do_bit, 0, "DO clear");
    }
    if (t_case("parse_bad_opt")) {
        uint8_t two[sizeof query + 11];
        memcpy(two, query, sizeof query);
        memcpy(two + sizeof query, query + sizeof query - 11, 11);
        two[11] = 2;
        t_int(dns_msg_parse(&m, two, sizeof two), ATOLL_ERR_FORMAT,
              "two OPTs");
        memcpy(b, query, sizeof query);
        b[11] = 0;
        b[7] = 1; /* the OPT counted in the answer section */
        t_int(dns_msg_parse(&m, b, sizeof query), ATOLL_ERR_FORMAT,
              "OPT as an answer");
        uint8_t named[sizeof query + 2];
        memcpy(named, query, sizeof query - 11);
        memcpy(named + sizeof query - 11, "\1a", 2);
        memcpy(named + sizeof query - 9, query + sizeof query - 11, 11);
        t_int(dns_msg_parse(&m, named, sizeof named), ATOLL_ERR_FORMAT,
              "OPT owner not the root");
        memcpy(b, query, sizeof query);
        b[sizeof query - 1] = 4; /* option data claimed, none there */
        t_int(dns_msg_parse(&m, b, sizeof query), ATOLL_ERR_FORMAT,
              "OPT rdlen past the end");
    }
    if (t_case("parse_counts_that_lie")) {
        memcpy(b, query, sizeof query);
        b[5] = 2;
        t_int(dns_msg_parse(&m, b, sizeof query), ATOLL_ERR_FORMAT,
              "QDCOUNT 2, one question");
        memcpy(b, query, sizeof query);
        b[11] = 0;
        t_int(dns_msg_parse(&m, b, sizeof query), ATOLL_ERR_FORMAT,
              "ARCOUNT 0: trailing bytes");
        memcpy(b, query, sizeof query);
        b[6] = b[7] = b[8] = b[9] = 0xFF;
        t_int(dns_msg_parse(&m, b, sizeof query), ATOLL_ERR_FORMAT,
              "huge counts");
        t_int(dns_msg_parse(&m, query, 11), ATOLL_ERR_FORMAT, "short header");
        for (size_t cut = 12; cut < sizeof query; cut++)
            t_int(dns_msg_parse(&m, query, cut), ATOLL_ERR_FORMAT,
                  "truncated message");
    }
}

/* A message of one question whose name is the given bytes. */
static int parse_qname(const uint8_t *name, size_t n)
{
    uint8_t m[400] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    struct dns_msg msg;
    memcpy(m + 12, name, n);
    memcpy(m + 12 + n, "\0\1\0\1", 4);
    return dns_msg_parse(&msg, m, 12 + n + 4);
}

static void test_parse_names(void)
{
    if (!t_case("parse_bad_qnames"))
        return;
    t_int(parse_qname((const uint8_t *)"\3www\0", 5), 0, "good name");
    t_int(parse_qname((const uint8_t *)"\xC0\x0C", 2), ATOLL_ERR_FORMAT,
          "pointer to itself");
    t_int(parse_qname((const uint8_t *)"\xC0\x0E\0", 3), ATOLL_ERR_FORMAT,
          "pointer forward");
    t_int(parse_qname((const uint8_t *)"\1a\xC0\x0C", 4), ATOLL_ERR_FORMAT,
          "loop through its own start");
    uint8_t long_name[300];
    size_t o = 0;
    for (int k = 0; k < 5; k++) { /* 5 labels of 50: 256 bytes */
        long_name[o++] = 50;
        memset(long_name + o, 'x', 50);
        o += 50;
    }
    long_name[o++] = 0;
    t_int(parse_qname(long_name, o), ATOLL_ERR_FORMAT, "256-byte name");
    long_name[0] = 49; /* 255 bytes: the first label one shorter */
    memmove(long_name + 50, long_name + 51, o - 51);
    t_int(parse_qname(long_name, o - 1), 0, "255-byte name");
    long_name[0] = 64; /* 64 is 0x40: no label is longer than 63 */
    t_int(parse_qname(long_name, o - 1), ATOLL_ERR_FORMAT, "64-byte label");
}

/* An answer with compressed names in NS, MX and SOA RDATA. */
static const uint8_t answer[] = {
    0, 1, 0x84, 0, 0, 1, 0, 3, 0, 0, 0, 0,
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 2, 0, 1,         /* 12 */
    0xC0, 12, 0, 2, 0, 1, 0, 0, 0x0E, 0x10, 0, 5,                /* 25 */
    2, 'n', 's', 0xC0, 12,                                       /* 37 */
    0xC0, 12, 0, 15, 0, 1, 0, 0, 0x0E, 0x10, 0, 4,               /* 42 */
    0, 10, 0xC0, 37,                                             /* 54 */
    0xC0, 12, 0, 6, 0, 1, 0, 0, 0x0E, 0x10, 0, 26,               /* 58 */
    0xC0, 37, 1, 'h', 0xC0, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
    0, 0, 0, 4, 0, 0, 0, 5};

static void test_rdata_decompress(void)
{
    struct dns_msg m;
    struct dns_msg_iter it;
    struct dns_rr_view rr;
    uint8_t rd[300];

    if (!t_case("rdata_decompressed"))
        return;
    t_int(dns_msg_parse(&m, answer, sizeof answer), 0, "parse");
    dns_msg_iter_init(&m, &it);
    dns_msg_next(&m, &it, &rr);
    dns_msg_next(&m, &it, &rr);
    t_int(dns_rdata_unpack(answer, sizeof answer, rr.rdata, rr.rdlen, rr.type,
                           rd, sizeof rd), 12, "NS length");
    t_mem(rd, 12, "\2ns\7example", 12, "NS target");
    dns_msg_next(&m, &it, &rr);
    t_int(dns_rdata_unpack(answer, sizeof answer, rr.rdata, rr.rdlen, rr.type,
                           rd, sizeof rd), 14, "MX length");
    t_mem(rd, 14, "\0\12\2ns\7example", 14, "MX");
    dns_msg_next(&m, &it, &rr);
    t_int(dns_rdata_unpack(answer, sizeof answer, rr.rdata, rr.rdlen, rr.type,
                           rd, sizeof rd), 12 + 11 + 20, "SOA length");
    t_mem(rd, 23, "\2ns\7example\0\1h\7example", 23, "SOA names");
    t_int(dns_rdata_unpack(answer, sizeof answer, rr.rdata, rr.rdlen, rr.type,
                           rd, 10), ATOLL_ERR_NOSPC, "small buffer");
}

static void test_rdata_bad(void)
{
    /* RDATA that does not match its type inside an otherwise good
     * message: header, root question, one answer. */
    static const struct {
        const char *what;
        uint16_t type;
        uint8_t len;
        const char *rd;
    } bad[] = {
        {"A of 5", DNS_T_A, 5, "\1\2\3\4\5"},
        {"AAAA of 4", DNS_T_AAAA, 4, "\1\2\3\4"},
        {"MX without name", DNS_T_MX, 2, "\0\1"},
        {"SOA short", DNS_T_SOA, 12, "\0\0\0\0\0\0\0\0\0\0\0\0"},
        {"TXT string past end", DNS_T_TXT, 3, "\5ab"},
        {"TXT empty", DNS_T_TXT, 0, ""},
        {"CAA empty tag", DNS_T_CAA, 3, "\0\0x"},
        {"DNAME compressed", DNS_T_DNAME, 2, "\xC0\x0C"},
        {"RRSIG compressed signer", DNS_T_RRSIG, 21,
         "\0\1\10\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xC0\x0C\1"},
        {"NSEC window out of order", DNS_T_NSEC, 7, "\0\1\1\x40\0\1\x40"},
        {"NSEC window of 33", DNS_T_NSEC, 3, "\0\0\41"},
        {"NSEC3 empty hash", DNS_T_NSEC3, 6, "\1\0\0\0\0\0"},
        {"SVCB keys unsorted", DNS_T_SVCB, 11, "\0\1\0\0\3\0\0\0\1\0\0"},
        {"SVCB key repeated", DNS_T_SVCB, 11, "\0\1\0\0\3\0\0\0\3\0\0"},
        {"DS without digest", DNS_T_DS, 4, "\0\1\10\2"},
        {"OPT option past end", DNS_T_OPT, 4, "\0\1\0\5"},
        {"NS name past rdlen", DNS_T_NS, 2, "\3ab"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint8_t m[128] = {0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0,
                          0, 0, 1, 0, 1};
        size_t o = 17;
        m[o++] = 0; /* owner: root */
        m[o++] = (uint8_t)(bad[k].type >> 8);
        m[o++] = (uint8_t)bad[k].type;
        m[o++] = 0;
        m[o++] = 1;
        memset(m + o, 0, 4);
        o += 4;
        m[o++] = 0;
        m[o++] = bad[k].len;
        memcpy(m + o, bad[k].rd, bad[k].len);
        o += bad[k].len;
        struct dns_msg msg;
        char name[80];
        snprintf(name, sizeof name, "rdata_bad: %s", bad[k].what);
        if (bad[k].type == DNS_T_NS) /* the name runs on past rdlen */
            m[o++] = 0;
        t_check(name, dns_msg_parse(&msg, m, o) == ATOLL_ERR_FORMAT,
                "parsed as good");
    }
}

/* ---- building -------------------------------------------------------- */

static void test_build(void)
{
    uint8_t buf[600], rd[64];
    struct dns_builder b;
    struct dns_msg m;

    if (t_case("build_compression")) {
        dns_build_init(&b, buf, sizeof buf, 7, DNS_F_QR | DNS_F_AA);
        t_int(dns_build_question(&b, N("WWW.example.com."), DNS_T_A, 1), 0,
              "question");
        t_int(dns_build_rr(&b, DNS_AN, N("www.example.com."), DNS_T_A, 1, 60,
                           (const uint8_t *)"\1\2\3\4", 4), 0, "A");
        /* header 12 + question 17+4 + answer 2+10+4 */
        t_uint(b.len, 12 + 21 + 16, "owner compressed to a pointer");
        t_mem(buf + 33, 2, "\xC0\x0C", 2, "pointer to the question");
        size_t l0 = b.len;
        int l = dns_name_from_text("ns1.example.com.", 16, NULL, rd);
        t_int(dns_build_rr(&b, DNS_NS, N("example.com."), DNS_T_NS, 1, 60,
                           rd, (uint16_t)l), 0, "NS");
        /* owner -> pointer (2); rdata "ns1" + pointer (6) */
        t_uint(b.len - l0, 2 + 10 + 6, "NS owner and target compressed");
        t_mem(buf + 12, 4, "\3WWW", 4, "case kept");
        t_int(dns_msg_parse(&m, buf, b.len), 0, "parses");
        t_uint(m.count[DNS_QD] + m.count[DNS_AN] + m.count[DNS_NS], 3,
               "counts");
        t_int(dns_build_rr(&b, DNS_AN, N("x."), DNS_T_A, 1, 60,
                           (const uint8_t *)"\1\2\3\4", 4), ATOLL_ERR_INVAL,
              "answer after authority");
    }
    if (t_case("build_no_compress_srv")) {
        dns_build_init(&b, buf, sizeof buf, 7, DNS_F_QR);
        dns_build_question(&b, N("_sip._udp.example.com."), DNS_T_SRV, 1);
        memcpy(rd, "\0\1\0\2\0\3", 6);
        int l = dns_name_from_text("example.com.", 12, NULL, rd + 6);
        dns_build_rr(&b, DNS_AN, N("_sip._udp.example.com."), DNS_T_SRV, 1,
                     60, rd, (uint16_t)(6 + l));
        t_mem(buf + b.len - 13, 13, "\7example\3com", 13,
              "SRV target written in full (RFC 3597 section 4)");
    }
    if (t_case("build_size_limit")) {
        /* A 512-byte message filled with A records: the one that does not
         * fit is refused and the message stays whole. */
        dns_build_init(&b, buf, 512, 9, DNS_F_QR);
        dns_build_question(&b, N("big.example."), DNS_T_A, 1);
        int added = 0, rc;
        uint8_t a[4] = {10, 0, 0, 0};
        while ((rc = dns_build_rr(&b, DNS_AN, N("big.example."), DNS_T_A, 1,
                                  60, a, 4)) == 0) {
            a[3]++;
            added++;
        }
        t_int(rc, ATOLL_ERR_NOSPC, "NOSPC at the limit");
        t_int(added, (512 - 12 - 17) / 16, "records that fit");
        t_ok(b.len <= 512 && b.len + 16 > 512, "length %zu", b.len);
        t_int(dns_msg_parse(&m, buf, b.len), 0, "still parses");
        t_uint(m.count[DNS_AN], (unsigned)added, "ANCOUNT");
        size_t before = b.len;
        t_int(dns_build_opt(&b, 1232, 0, 0, 1), ATOLL_ERR_NOSPC, "OPT");
        t_uint(b.len, before, "unchanged after NOSPC");
    }
    if (t_case("build_opt")) {
        dns_build_init(&b, buf, sizeof buf, 1, DNS_F_QR);
        dns_build_question(&b, N("example."), DNS_T_SOA, 1);
        t_int(dns_build_opt(&b, 1232, 1, 0, 1), 0, "OPT");
        t_int(dns_msg_parse(&m, buf, b.len), 0, "parses");
        t_uint(m.edns.payload, 1232, "payload");
        t_uint(m.edns.ext_rcode, 1, "extended rcode (BADVERS = 16)");
        t_int(m.edns.do_bit, 1, "DO");
    }
}

/* Every type's presentation form, for the round trip. */
static const struct {
    uint16_t type;
    const char *text;
} every[] = {
    {DNS_T_A, "192.0.2.1"},
    {DNS_T_AAAA, "2001:db8::1"},
    {DNS_T_NS, "ns1.example.com."},
    {DNS_T_CNAME, "Target.example.com."},
    {DNS_T_SOA, "ns1.example.com. host.example.com. 1 7200 3600 1209600 300"},
    {DNS_T_MX, "10 mail.example.com."},
    {DNS_T_TXT, "\"hello world\" two"},
    {DNS_T_PTR, "host.example.com."},
    {DNS_T_SRV, "1 2 5060 sip.example.com."},
    {DNS_T_CAA, "0 issue \"ca.example.net\""},
    {DNS_T_DNAME, "example.net."},
    {DNS_T_SVCB, "1 svc.example.com. alpn=h2,h3 port=8443"},
    {DNS_T_HTTPS, "1 . ipv4hint=192.0.2.1 ipv6hint=2001:db8::1"},
    {DNS_T_DS, "12345 13 2 3A0B5C1D0E2F"},
    {DNS_T_DNSKEY, "257 3 13 AQIDBA=="},
    {DNS_T_RRSIG, "A 13 3 300 20300101000000 20200101000000 12345 "
                  "example.com. AQIDBAU="},
    {DNS_T_NSEC, "host.example.com. A MX RRSIG NSEC TYPE1234"},
    {DNS_T_NSEC3, "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG"},
    {DNS_T_NSEC3PARAM, "1 0 10 AABBCCDD"},
    {65280, "\\# 3 abcdef"},
};

/* Split text into tokens (no escapes, quotes kept off) for
 * dns_rdata_from_text. */
static int tokens(const char *s, const char **tok, size_t *tlen,
                  uint8_t *quoted)
{
    int n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        quoted[n] = *s == '"';
        const char *st = s + quoted[n];
        const char *e = st;
        while (*e && (quoted[n] ? *e != '"' : *e != ' '))
            e++;
        tok[n] = st;
        tlen[n++] = (size_t)(e - st);
        s = *e ? e + 1 : e;
    }
    return n;
}

static void test_round_trip(void)
{
    uint8_t rd[20][300];
    int rl[20];
    size_t k, n = sizeof every / sizeof every[0];
    const char *why;

    for (k = 0; k < n; k++) {
        const char *tok[32];
        size_t tlen[32];
        uint8_t q[32];
        int nt = tokens(every[k].text, tok, tlen, q);
        rl[k] = dns_rdata_from_text(every[k].type, tok, tlen, q, nt,
                                    N("example.com."), rd[k], sizeof rd[k],
                                    &why);
        char name[80];
        snprintf(name, sizeof name, "rdata_text: type %u", every[k].type);
        t_check(name, rl[k] > 0, why);
    }
    if (!t_case("round_trip_every_type"))
        return;
    uint8_t buf[4096], buf2[4096];
    struct dns_builder b;
    dns_build_init(&b, buf, sizeof buf, 42, DNS_F_QR | DNS_F_AA);
    dns_build_question(&b, N("example.com."), DNS_T_ANY, 1);
    for (k = 0; k < n; k++)
        if (rl[k] > 0)
            t_int(dns_build_rr(&b, DNS_AN, N("example.com."), every[k].type,
                               1, 300, rd[k], (uint16_t)rl[k]), 0, "build");
    struct dns_msg m;
    t_int(dns_msg_parse(&m, buf, b.len), 0, "parse");
    t_uint(m.count[DNS_AN], n, "answers");
    /* Parse each record back, compare with the text's RDATA, and build a
     * second message from what was parsed: the same bytes. */
    struct dns_msg_iter it;
    struct dns_rr_view rr;
    struct dns_builder b2;
    dns_build_init(&b2, buf2, sizeof buf2, 42, DNS_F_QR | DNS_F_AA);
    dns_msg_iter_init(&m, &it);
    k = 0;
    while (dns_msg_next(&m, &it, &rr) == 1) {
        if (rr.section == DNS_QD) {
            dns_build_question(&b2, rr.owner, rr.type, rr.rclass);
            continue;
        }
        uint8_t out[300];
        int l = dns_rdata_unpack(buf, b.len, rr.rdata, rr.rdlen, rr.type, out,
                                 sizeof out);
        t_mem(out, l < 0 ? 0 : (unsigned long)l, rd[k],
              rl[k] < 0 ? 0 : (unsigned long)rl[k], "RDATA back");
        t_uint(rr.type, every[k].type, "type");
        dns_build_rr(&b2, DNS_AN, rr.owner, rr.type, rr.rclass, rr.ttl, out,
                     (uint16_t)l);
        k++;
    }
    t_mem(buf2, b2.len, buf, b.len, "rebuilt message identical");
}

static void test_rdata_values(void)
{
    /* A few RDATA values checked byte by byte. */
    static const struct {
        uint16_t type;
        const char *text;
        unsigned len;
        const char *want;
    } v[] = {
        {DNS_T_AAAA, "::ffff:1.2.3.4", 16,
         "\0\0\0\0\0\0\0\0\0\0\xff\xff\1\2\3\4"},
        {DNS_T_AAAA, "1:2:3:4:5:6:7::", 16,
         "\0\1\0\2\0\3\0\4\0\5\0\6\0\7\0\0"},
        {DNS_T_NSEC, "a. A MX RRSIG NSEC TYPE1234", 3 + 2 + 6 + 2 + 27,
         "\1a\0\0\6\x40\1\0\0\0\3\4\x1b\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
         "\0\0\0\0\0\0\0\x20"},
        {DNS_T_NSEC3PARAM, "1 0 10 -", 5, "\1\0\0\12\0"},
        {DNS_T_DNSKEY, "256 3 8 AQID BA==", 8, "\1\0\3\10\1\2\3\4"},
        {DNS_T_DNSKEY, "256 3 8 YWJj ZA==", 8, "\1\0\3\10abcd"},
        {DNS_T_NSEC3, "1 0 1 - 0123456789abcdefghijklmnopqrstuv", 4 + 1 + 21,
         "\1\0\0\1\0\24\x00\x44\x32\x14\xc7\x42\x54\xb6\x35\xcf\x84\x65"
         "\x3a\x56\xd7\xc6\x75\xbe\x77\xdf"},
        {DNS_T_RRSIG, "MX 8 2 60 1 2 3 a. AA==", 18 + 3 + 1,
         "\0\17\10\2\0\0\0\74\0\0\0\1\0\0\0\2\0\3\1a\0\0"},
        {DNS_T_RRSIG, "MX 8 2 60 19700101000010 20380119031408 3 a. AA==",
         18 + 3 + 1,
         "\0\17\10\2\0\0\0\74\0\0\0\12\x80\0\0\0\0\3\1a\0\0"},
        {DNS_T_SVCB, "1 . port=53 mandatory=port alpn=h2", 3 + 6 + 7 + 6,
         "\0\1\0\0\0\0\2\0\3\0\1\0\3\2h2\0\3\0\2\0\65"},
        {DNS_T_SOA, "a. b. 4294967295 1h 1d 1w 30m", 6 + 20,
         "\1a\0\1b\0\xff\xff\xff\xff\0\0\x0e\x10\0\1\x51\x80\0\x09\x3a\x80"
         "\0\0\7\x08"},
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        const char *tok[32], *why;
        size_t tlen[32];
        uint8_t q[32], out[300];
        int nt = tokens(v[k].text, tok, tlen, q);
        int l = dns_rdata_from_text(v[k].type, tok, tlen, q, nt, NULL, out,
                                    sizeof out, &why);
        /* t_case keeps the name until the next case: two buffers. */
        static char names[2][100];
        char *name = names[k & 1];
        snprintf(name, sizeof names[0], "rdata_value: %s", v[k].text);
        if (!t_case(name))
            continue;
        t_int(l, (int)v[k].len, why);
        t_mem(out, l < 0 ? 0 : (unsigned long)l, v[k].want, v[k].len,
              "bytes");
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    test_name_text();
    test_name_unpack();
    test_name_cmp();
    test_parse();
    test_parse_names();
    test_rdata_decompress();
    test_rdata_bad();
    test_build();
    test_round_trip();
    test_rdata_values();
    return t_finish();
}
