/*
 * lib/http's request parser: every rule with the status it answers, and
 * the same outcome whatever the split of the input (every cut position,
 * every pair of cuts for short requests, one byte at a time).
 */
#include <stdio.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#include "../../lib/check.h"
#include "outcome.h"

static char one[1 << 17], other[1 << 17];

static long outcome_lim(const char *req, const size_t *cuts, int ncuts,
                        const struct http_limits *lim, size_t headcap,
                        unsigned maxh, char *out)
{
    return http_outcome((const unsigned char *)req, strlen(req), cuts, ncuts,
                        lim, headcap, maxh, out, sizeof one);
}

/* One case: the one-shot outcome contains every line of want (separated
 * by '|'), and byte-at-a-time parsing gives the same outcome. */
static void expect_lim(const char *name, const struct http_limits *lim,
                       size_t headcap, unsigned maxh, const char *req,
                       const char *want)
{
    if (outcome_lim(req, 0, 0, lim, headcap, maxh, one) < 0) {
        t_check(name, 0, "the outcome overflowed or the parser misbehaved");
        return;
    }
    char w[512];
    snprintf(w, sizeof w, "%s", want);
    for (char *tok = strtok(w, "|"); tok; tok = strtok(0, "|")) {
        if (!strstr(one, tok)) {
            char why[1024];
            snprintf(why, sizeof why, "no \"%.100s\" in:\n%.800s", tok, one);
            t_check(name, 0, why);
            return;
        }
    }
    if (outcome_lim(req, 0, -1, lim, headcap, maxh, other) < 0 ||
        strcmp(one, other) != 0) {
        t_check(name, 0, "byte-at-a-time parsing differs");
        return;
    }
    t_check(name, 1, "");
}

static void expect(const char *name, const char *req, const char *want)
{
    expect_lim(name, 0, 8192, 16, req, want);
}

#define H "Host: h\r\n"

static void request_line(void)
{
    expect("get", "GET /a?b HTTP/1.1\r\n" H "\r\n",
           "HEAD GET /a?b path=/a?b host=h 1.1 form=1 chunked=0 expect=0 "
           "ka=1 cl=0:0 [Host=h]\nEND\nNEED");
    expect("leading empty lines skipped", "\r\n\nGET / HTTP/1.1\r\n" H "\r\n",
           "HEAD GET /|END");
    expect("bare LF line ends", "GET / HTTP/1.1\n" H "\n", "HEAD GET /|END");
    expect("absolute-form", "GET http://x.example:8/p?q HTTP/1.1\r\n" H "\r\n",
           "HEAD GET http://x.example:8/p?q path=/p?q host=h 1.1 form=2");
    expect("absolute-form without path",
           "GET http://x.example HTTP/1.1\r\n" H "\r\n", "path= host=h");
    expect("asterisk for OPTIONS", "OPTIONS * HTTP/1.1\r\n" H "\r\n",
           "HEAD OPTIONS * path=* host=h 1.1 form=3");
    expect("asterisk for GET: 400", "GET * HTTP/1.1\r\n" H "\r\n", "ERR 400");
    expect("CONNECT: 501", "CONNECT h:443 HTTP/1.1\r\n" H "\r\n",
           "ERR 501 -95");
    expect("bad target form: 400", "GET a/b HTTP/1.1\r\n" H "\r\n",
           "ERR 400 -124");
    expect("HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", "1.0 form=1|ka=0|END");
    expect("HTTP/2.0: 505", "GET / HTTP/2.0\r\n" H "\r\n", "ERR 505 -95");
    expect("HTTP/1.2: 505", "GET / HTTP/1.2\r\n" H "\r\n", "ERR 505");
    expect("HTTP/0.9: 505", "GET / HTTP/0.9\r\n" H "\r\n", "ERR 505");
    expect("http/1.1 lower case: 400", "GET / http/1.1\r\n" H "\r\n",
           "ERR 400");
    expect("HTTP/1.10: 400", "GET / HTTP/1.10\r\n" H "\r\n", "ERR 400");
    expect("HTTP/11: 400", "GET / HTTP/11\r\n" H "\r\n", "ERR 400");
    expect("no version: 400", "GET /\r\n" H "\r\n", "ERR 400");
    expect("two spaces: 400", "GET  / HTTP/1.1\r\n" H "\r\n", "ERR 400");
    expect("trailing space: 400", "GET / HTTP/1.1 \r\n" H "\r\n", "ERR 400");
    expect("method not a token: 400", "GE(T / HTTP/1.1\r\n" H "\r\n",
           "ERR 400");
    expect("method too long: 501",
           "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG / HTTP/1.1\r\n" H "\r\n",
           "ERR 501");
    expect("method of 32 bytes",
           "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF / HTTP/1.1\r\n" H "\r\n",
           "HEAD ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF /");
    expect("control in target: 400", "GET /a\tb HTTP/1.1\r\n" H "\r\n",
           "ERR 400");
    expect("non-ASCII in target: 400", "GET /\xc3\xa9 HTTP/1.1\r\n" H "\r\n",
           "ERR 400");
    expect("bare CR in request line: 400", "GET /\r HTTP/1.1\r\n" H "\r\n",
           "ERR 400");
    struct http_limits lim = {.max_target = 16};
    expect_lim("target of 16 bytes", &lim, 8192, 16,
               "GET /23456789abcdefg HTTP/1.1\r\n" H "\r\n", "END");
    expect_lim("target of 17 bytes: 414", &lim, 8192, 16,
               "GET /23456789abcdefgh HTTP/1.1\r\n" H "\r\n", "ERR 414 -12");
    expect_lim("target longer than the buffer: 414", 0, 64, 16,
               "GET /234567890123456789012345678901234567890123456789012345"
               "678901234567890 HTTP/1.1\r\n" H "\r\n",
               "ERR 414");
}

static void fields(void)
{
    expect("fields and OWS", "GET / HTTP/1.1\r\nHost:h\r\nA: \t1 2 \t\r\n"
           "B:\r\nX-y: v\xe9\r\n\r\n",
           "[Host=h] [A=1 2] [B=]");
    expect("obs-text in a value", "GET / HTTP/1.1\r\n" H "A: \xe9\xff\r\n\r\n",
           "[A=\xe9\xff]\nEND");
    expect("obs-fold: 400", "GET / HTTP/1.1\r\n" H "A: 1\r\n 2\r\n\r\n",
           "ERR 400");
    expect("space before the first field: 400",
           "GET / HTTP/1.1\r\n Host: h\r\n\r\n", "ERR 400");
    expect("tab before the first field: 400",
           "GET / HTTP/1.1\r\n\tHost: h\r\n\r\n", "ERR 400");
    expect("space before the colon: 400",
           "GET / HTTP/1.1\r\nHost : h\r\n\r\n", "ERR 400");
    expect("no colon: 400", "GET / HTTP/1.1\r\n" H "Bad\r\n\r\n", "ERR 400");
    expect("empty name: 400", "GET / HTTP/1.1\r\n" H ": v\r\n\r\n",
           "ERR 400");
    expect("name not a token: 400", "GET / HTTP/1.1\r\n" H "A(b: v\r\n\r\n",
           "ERR 400");
    static const char nul[] = "GET / HTTP/1.1\r\nHost: h\r\nA: x\0y\r\n\r\n";
    if (http_outcome((const unsigned char *)nul, sizeof nul - 1, 0, 0, 0,
                     8192, 16, one, sizeof one) < 0)
        one[0] = 0;
    t_check("NUL in a value: 400", strstr(one, "ERR 400") != 0, one);
    expect("bare CR in a value: 400", "GET / HTTP/1.1\r\n" H "A: x\ry\r\n\r\n",
           "ERR 400");
    expect("control in a value: 400",
           "GET / HTTP/1.1\r\n" H "A: x\x01y\r\n\r\n", "ERR 400");
    expect("DEL in a value: 400", "GET / HTTP/1.1\r\n" H "A: x\x7fy\r\n\r\n",
           "ERR 400");
    expect("CR CR LF: 400", "GET / HTTP/1.1\r\n" H "\r\r\n", "ERR 400");
    expect("mixed CR LF and LF", "GET / HTTP/1.1\n" H "A: 1\n\r\n", "END");

    struct http_limits lim = {.max_line = 10};
    expect_lim("field line of max_line bytes", &lim, 8192, 16,
               "GET / HTTP/1.1\r\n" H "A: 4567890\r\n\r\n", "[A=4567890]");
    expect_lim("field line over max_line: 431", &lim, 8192, 16,
               "GET / HTTP/1.1\r\n" H "A: 45678901\r\n\r\n", "ERR 431 -12");
    struct http_limits lh = {.max_head = 46};
    expect_lim("head of max_head bytes", &lh, 8192, 16,
               "GET / HTTP/1.1\r\n" H "A: 01234567890123\r\n\r\n", "END");
    expect_lim("head over max_head: 431", &lh, 8192, 16,
               "GET / HTTP/1.1\r\n" H "A: 012345678901234\r\n\r\n",
               "ERR 431");
    expect_lim("head filling the buffer", 0, 38, 16,
               "GET / HTTP/1.1\r\n" H "A: 01234567890123\r\n\r\n", "END");
    expect_lim("head over the buffer: 431", 0, 37, 16,
               "GET / HTTP/1.1\r\n" H "A: 01234567890123\r\n\r\n", "ERR 431");
    expect_lim("3 fields of 3", 0, 8192, 3,
               "GET / HTTP/1.1\r\n" H "A: 1\r\nB: 2\r\n\r\n", "END");
    expect_lim("4 fields of 3: 431", 0, 8192, 3,
               "GET / HTTP/1.1\r\n" H "A: 1\r\nB: 2\r\nC: 3\r\n\r\n",
               "ERR 431");
}

static void host_and_connection(void)
{
    expect("no Host in 1.1: 400", "GET / HTTP/1.1\r\nA: 1\r\n\r\n",
           "ERR 400");
    expect("two Hosts: 400", "GET / HTTP/1.1\r\n" H "host: g\r\n\r\n",
           "ERR 400");
    expect("two Hosts in 1.0: 400", "GET / HTTP/1.0\r\n" H H "\r\n",
           "ERR 400");
    expect("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "host= 1.1");
    expect("Host case-insensitive", "GET / HTTP/1.1\r\nhOST: x\r\n\r\n",
           "host=x 1.1");
    expect("1.1 persists", "GET / HTTP/1.1\r\n" H "\r\n", "ka=1");
    expect("1.1 Connection: close", "GET / HTTP/1.1\r\n" H
           "Connection: foo, Close\r\n\r\nGET / HTTP/1.1\r\n",
           "ka=0|END\nCLOSED");
    expect("1.0 closes", "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n",
           "ka=0|END\nCLOSED");
    expect("1.0 Connection: keep-alive",
           "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
           "GET /2 HTTP/1.0\r\n\r\n",
           "HEAD GET / path=/ host=(none) 1.0 form=1 chunked=0 expect=0 ka=1|"
           "HEAD GET /2 path=/2 host=(none) 1.0 form=1 chunked=0 expect=0 ka=0");
    expect("1.0 keep-alive, close", "GET / HTTP/1.0\r\n"
           "Connection: keep-alive\r\nConnection: close\r\n\r\n", "ka=0");
    expect("Expect: 100-continue", "POST / HTTP/1.1\r\n" H
           "Expect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
           "expect=1|BODY 1:x");
    expect("Expect in 1.0 ignored", "POST / HTTP/1.0\r\n"
           "Expect: 100-continue\r\n\r\n", "expect=0");
    expect("Expect: other: 417", "GET / HTTP/1.1\r\n" H "Expect: x\r\n\r\n",
           "ERR 417");
    expect("pipelined requests",
           "POST /1 HTTP/1.1\r\n" H "Content-Length: 3\r\n\r\nabc"
           "GET /2 HTTP/1.1\r\n" H "\r\n"
           "POST /3 HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n"
           "2\r\nde\r\n0\r\n\r\nGET /4 HTTP/1.1\r\n",
           "HEAD POST /1|BODY 3:abc\nEND\nHEAD GET /2|END\nHEAD POST /3|"
           "BODY 2:de\nEND\nNEED");
}

static void framing(void)
{
    expect("Content-Length body", "POST / HTTP/1.1\r\n" H
           "Content-Length: 5\r\n\r\nhelloGET",
           "cl=1:5|BODY 5:hello\nEND\nNEED");
    expect("Content-Length: 0", "POST / HTTP/1.1\r\n" H
           "Content-Length: 0\r\n\r\n", "cl=1:0|END");
    expect("Content-Length: 5, 5", "POST / HTTP/1.1\r\n" H
           "Content-Length: 5, 5\r\n\r\nhello", "BODY 5:hello");
    expect("Content-Length repeated equal", "POST / HTTP/1.1\r\n" H
           "Content-Length: 2\r\nContent-Length: 02\r\n\r\nhi", "BODY 2:hi");
    expect("Content-Length differing lines: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "ERR 400");
    expect("Content-Length: 2, 3: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: 2, 3\r\n\r\nhi", "ERR 400");
    expect("Content-Length: 1x: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: 1x\r\n\r\n", "ERR 400");
    expect("Content-Length: -1: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: -1\r\n\r\n", "ERR 400");
    expect("Content-Length: +1: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: +1\r\n\r\n", "ERR 400");
    expect("Content-Length empty: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length:\r\n\r\n", "ERR 400");
    expect("Content-Length: , : 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: , \r\n\r\n", "ERR 400");
    expect("Content-Length: 1 2: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: 1 2\r\n\r\n", "ERR 400");
    expect("Content-Length 2^64: 400", "POST / HTTP/1.1\r\n" H
           "Content-Length: 18446744073709551616\r\n\r\n", "ERR 400");
    expect("Content-Length 2^64-1: 413", "POST / HTTP/1.1\r\n" H
           "Content-Length: 18446744073709551615\r\n\r\n", "ERR 413");
    struct http_limits lim = {.max_body = 4};
    expect_lim("body of max_body", &lim, 8192, 16, "POST / HTTP/1.1\r\n" H
               "Content-Length: 4\r\n\r\nabcd", "BODY 4:abcd");
    expect_lim("body over max_body: 413", &lim, 8192, 16,
               "POST / HTTP/1.1\r\n" H "Content-Length: 5\r\n\r\nabcde",
               "ERR 413 -12");
    expect_lim("chunked of max_body", &lim, 8192, 16, "POST / HTTP/1.1\r\n" H
               "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n"
               "0\r\n\r\n", "BODY 4:abcd\nEND");
    expect_lim("chunked over max_body: 413", &lim, 8192, 16,
               "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n"
               "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n", "PARTIAL 2:ab\nERR 413");

    const char *te = "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n";
    char buf[1024];
#define CHUNKED(name, body, want)                                          \
    do {                                                                   \
        snprintf(buf, sizeof buf, "%s%s", te, body);                        \
        expect(name, buf, want);                                           \
    } while (0)
    CHUNKED("chunked body", "5\r\nhello\r\nA;ext=1;x=\"q\"\r\n0123456789\r\n"
            "0\r\nT: v\r\n\r\nGET",
            "chunked=1|BODY 15:hello0123456789\nEND\nNEED");
    CHUNKED("chunk size in hex, either case", "a\r\n0123456789\r\nB\r\n"
            "0123456789x\r\n00\r\n\r\n", "BODY 21:");
    CHUNKED("chunk ext after BWS", "1 ;a\r\nx\r\n0\t;b=c\r\n\r\n",
            "BODY 1:x\nEND");
    CHUNKED("chunked with bare LF", "1\nx\n0\n\n", "BODY 1:x\nEND");
    CHUNKED("chunk size not hex: 400", "g\r\n", "ERR 400");
    CHUNKED("chunk size empty: 400", "\r\n", "ERR 400");
    CHUNKED("chunk size after space: 400", " 1\r\nx\r\n", "ERR 400");
    CHUNKED("chunk size 16 digits", "0000000000000001\r\nx\r\n0\r\n\r\n",
            "BODY 1:x");
    CHUNKED("chunk size overflow: 400", "10000000000000000\r\n", "ERR 400");
    CHUNKED("chunk size 2^64-1: 413", "ffffffffffffffff\r\n", "ERR 413");
    CHUNKED("chunk data too long: 400", "1\r\nxy\r\n", "PARTIAL 1:x\nERR 400");
    CHUNKED("chunk data CR without LF: 400", "1\r\nx\ry", "ERR 400");
    CHUNKED("chunk data followed by a byte, not CR LF: 400",
            "1\r\nxy0\r\n\r\n", "PARTIAL 1:x\nERR 400");
    CHUNKED("chunk ext without a size: 400", ";x\r\n", "ERR 400");
    CHUNKED("control in chunk ext: 400", "1;\x01\r\nx\r\n", "ERR 400");
    CHUNKED("trailer obs-fold: 400", "0\r\nA: 1\r\n 2\r\n\r\n", "ERR 400");
    CHUNKED("trailer without colon: 400", "0\r\nA\r\n\r\n", "ERR 400");
    CHUNKED("trailer NUL: 400", "0\r\nA: \x01\r\n\r\n", "ERR 400");
    struct http_limits lt = {.max_trailers = 14};
    snprintf(buf, sizeof buf, "%s0\r\nA: 1234567\r\n\r\n", te);
    expect_lim("trailers of max_trailers", &lt, 8192, 16, buf, "END");
    snprintf(buf, sizeof buf, "%s0\r\nA: 12345678\r\n\r\n", te);
    expect_lim("trailers over max_trailers: 431", &lt, 8192, 16, buf,
               "ERR 431");
    struct http_limits ll = {.max_line = 30};
    snprintf(buf, sizeof buf, "%s1;%s\r\nx\r\n0\r\n\r\n", te,
             "abcdefghijklmnopqrstuvwxyz0");
    expect_lim("chunk-size line of max_line", &ll, 8192, 16, buf, "END");
    snprintf(buf, sizeof buf, "%s1;%s\r\nx\r\n0\r\n\r\n", te,
             "abcdefghijklmnopqrstuvwxyz01");
    expect_lim("chunk-size line over max_line: 400", &ll, 8192, 16, buf,
               "ERR 400");

    expect("Transfer-Encoding: gzip: 501", "POST / HTTP/1.1\r\n" H
           "Transfer-Encoding: gzip\r\n\r\n", "ERR 501");
    expect("Transfer-Encoding: gzip, chunked: 501", "POST / HTTP/1.1\r\n" H
           "Transfer-Encoding: gzip, chunked\r\n\r\n", "ERR 501");
    expect("Transfer-Encoding: chunked twice: 400", "POST / HTTP/1.1\r\n" H
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
           "ERR 400");
    expect("Transfer-Encoding empty: 400", "POST / HTTP/1.1\r\n" H
           "Transfer-Encoding: ,\r\n\r\n", "ERR 400");
    expect("Transfer-Encoding: CHUNKED", "POST / HTTP/1.1\r\n" H
           "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n", "chunked=1|END");
    expect("Content-Length and Transfer-Encoding: 400", "POST / HTTP/1.1\r\n"
           H "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
           "0\r\n\r\n", "ERR 400");
    expect("Transfer-Encoding in 1.0: 400", "POST / HTTP/1.0\r\n"
           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "ERR 400");
}

static void api(void)
{
    static uint8_t buf[256];
    static struct http_header h[4];
    struct http_parser p;
    struct http_event ev;
    const char *req = "GET / HTTP/1.1\r\nhost: x\r\nX-A: 1\r\n\r\n";
    t_check("init refuses no buffer",
            http_parser_init(&p, 0, 0, 10, h, 4) == ATOLL_ERR_INVAL, "");
    http_parser_init(&p, 0, buf, sizeof buf, h, 4);
    long n = http_parse(&p, (const uint8_t *)req, strlen(req), &ev);
    const struct http_header *f = http_header_find(&p.req, "x-a");
    t_check("head event at the empty line",
            ev.type == HTTP_EV_HEAD && n == (long)strlen(req), "");
    t_check("http_header_find, any case",
            f && f->value_len == 1 && f->value[0] == '1' &&
                !http_header_find(&p.req, "x-b"), "");
    n = http_parse(&p, (const uint8_t *)"\x01", 1, &ev);
    t_check("end event uses no byte", ev.type == HTTP_EV_END && n == 0, "");
    n = http_parse(&p, (const uint8_t *)"\x01", 1, &ev);
    long again = http_parse(&p, (const uint8_t *)"GET", 3, &ev);
    t_check("an error is sticky",
            n == ATOLL_ERR_FORMAT && again == n && p.status == 400 &&
                p.req.keep_alive == 0, "");
}

/* The requests cut at every position and every pair of positions. */
static const char *const split_reqs[] = {
    "GET /a?b HTTP/1.1\r\nHost: h\r\nA: 1 2\r\n\r\n",
    "\r\nPOST /p HTTP/1.1\nHost: h\nContent-Length: 4\n\nbody"
    "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\nGE",
    "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"
    "GET",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    "3\r\nabcd\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n 2\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
    "Transfer-Encoding: chunked\r\n\r\n",
    "GET / HTTP/3.0\r\n\r\n",
};

static void splits(void)
{
    for (size_t r = 0; r < sizeof split_reqs / sizeof *split_reqs; r++) {
        const char *req = split_reqs[r];
        size_t len = strlen(req);
        char name[64];
        long ol = outcome_lim(req, 0, 0, 0, 8192, 16, one);
        int bad = ol < 0;
        size_t cuts[2], runs = 0;
        for (size_t a = 0; a <= len && !bad; a++) {
            for (size_t b = a; b <= len && !bad; b++) {
                cuts[0] = a;
                cuts[1] = b;
                runs++;
                if (outcome_lim(req, cuts, 2, 0, 8192, 16, other) < 0 ||
                    strcmp(one, other) != 0)
                    bad = 1;
            }
        }
        snprintf(name, sizeof name, "split request %zu: %zu cut pairs", r,
                 runs);
        char why[256];
        snprintf(why, sizeof why, "differs with cuts at %zu and %zu",
                 cuts[0], cuts[1]);
        t_check(name, !bad, why);
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    request_line();
    fields();
    host_and_connection();
    framing();
    api();
    splits();
    return t_finish();
}
