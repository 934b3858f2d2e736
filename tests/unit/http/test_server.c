/*
 * lib/http's server loop on a fake stream: scripted reads (pieces, or a
 * timeout that advances a fake clock), captured writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#include "../../lib/check.h"

#define NS 1000000000ull
#define TIMEOUT ((const char *)1) /* a script entry: the read times out */

static uint64_t clock_ns;
static uint64_t fake_mono(void) { return clock_ns; }
static uint64_t fake_wall(void) { return 784111777ull * NS; }

struct fake {
    const char *const *script;
    size_t next;
    size_t pos; /* in the current piece */
    char out[400000];
    size_t out_len;
    int writes, closed, aborted;
    int more;            /* the last more() */
    int more_calls;
    size_t unsent_more;  /* bytes written while more() was on, not yet ended */
    size_t out_at_more0; /* out_len when more(0) came */
    size_t max_read;
    int shutdowns;          /* shutdown() calls */
    size_t out_at_shutdown; /* out_len then */
    size_t next_at_shutdown; /* the script entry then */
};

static long fake_read(void *ctx, void *buf, size_t len, uint64_t tmo)
{
    struct fake *f = ctx;
    const char *piece = f->script[f->next];

    if (len > f->max_read)
        f->max_read = len;
    if (piece == NULL)
        return 0;
    if (piece == TIMEOUT) {
        clock_ns += tmo;
        f->next++;
        return ATOLL_ERR_TIMEDOUT;
    }
    size_t n = strlen(piece) - f->pos;
    if (n > len)
        n = len;
    memcpy(buf, piece + f->pos, n);
    f->pos += n;
    if (piece[f->pos] == 0) {
        f->next++;
        f->pos = 0;
    }
    clock_ns += NS / 10;
    return (long)n;
}

static long fake_write(void *ctx, const void *buf, size_t len, uint64_t tmo)
{
    struct fake *f = ctx;
    (void)tmo;
    if (f->out_len + len >= sizeof f->out)
        return ATOLL_ERR_NOMEM;
    memcpy(f->out + f->out_len, buf, len);
    f->out_len += len;
    f->out[f->out_len] = 0;
    f->writes++;
    if (f->more)
        f->unsent_more += len;
    return (long)len;
}

static void fake_more(void *ctx, int on)
{
    struct fake *f = ctx;
    f->more = on;
    f->more_calls++;
    if (!on)
        f->out_at_more0 = f->out_len;
}

static size_t space_now; /* what fake_space says */

static size_t fake_space(void *ctx)
{
    (void)ctx;
    return space_now;
}

static int fake_shutdown(void *ctx)
{
    struct fake *f = ctx;
    f->shutdowns++;
    f->out_at_shutdown = f->out_len;
    f->next_at_shutdown = f->next;
    return 0;
}

static void fake_close(void *ctx, int abort)
{
    struct fake *f = ctx;
    f->closed++;
    f->aborted = abort;
}

/* ---- the application ---------------------------------------------- */

static char big[100000];
static char last_body[4096];
static long last_body_len;

static struct http_server srv;

/* The source's reads, in order. */
static struct {
    uint64_t off;
    size_t len;
} reads[200];
static size_t nreads;

static int src_big(void *ctx, uint64_t off, void *buf, size_t len)
{
    (void)ctx;
    if (off + len > sizeof big)
        return ATOLL_ERR_INVAL;
    if (nreads < sizeof reads / sizeof reads[0])
        reads[nreads].off = off, reads[nreads].len = len;
    nreads++;
    memcpy(buf, big + off, len);
    return 0;
}

static int path_is(const struct http_request *r, const char *p)
{
    return r->path_len == strlen(p) && memcmp(r->path, p, r->path_len) == 0;
}

static int app(void *arg, struct http_conn *c, const struct http_request *r)
{
    (void)arg;
    if (path_is(r, "/hello"))
        return http_reply_mem(c, 200, "text/plain", "hello\n", 6);
    if (path_is(r, "/big"))
        return http_reply_source(c, 200, "application/octet-stream",
                                 sizeof big, src_big, NULL, 0);
    if (path_is(r, "/part")) /* bytes 1000-98999 */
        return http_reply_source(c, 206, "application/octet-stream",
                                 98000, src_big, NULL, 1000);
    if (path_is(r, "/held")) { /* another connection holds bulk buffer 0 */
        srv.bulk_busy |= 1;
        return http_reply_source(c, 200, "application/octet-stream",
                                 sizeof big, src_big, NULL, 0);
    }
    if (path_is(r, "/stream")) {
        http_reply_start(c, 200, "text/plain", -1);
        http_reply_write(c, "abc", 3);
        http_reply_write(c, "defgh", 5);
        return http_reply_end(c);
    }
    if (path_is(r, "/upload")) {
        long n, t = 0;
        while ((n = http_body_read(c, last_body + t,
                                   sizeof last_body - (size_t)t)) > 0)
            t += n;
        last_body_len = n < 0 ? n : t;
        if (n < 0)
            return (int)n;
        return http_reply_mem(c, 200, "text/plain", "ok\n", 3);
    }
    if (path_is(r, "/ignore"))
        return http_reply_mem(c, 200, "text/plain", "x", 1);
    if (path_is(r, "/static")) {
        http_reply_header(c, "Allow", "GET, HEAD");
        return http_reply_error(c, 405);
    }
    if (path_is(r, "/inject")) {
        if (http_reply_header(c, "X-A", "1") != 0 ||
            http_reply_header(c, "X-Bad", "a\r\nEvil: 1") != ATOLL_ERR_INVAL)
            return http_reply_error(c, 500);
        return http_reply_mem(c, 200, "text/plain", "i", 1);
    }
    if (path_is(r, "/silent"))
        return 0;
    return http_reply_error(c, 404);
}

static struct fake f;
static uint8_t bulk_mem[2][65536];
static unsigned bulk_n; /* bulk buffers configured for serve() */
static int with_space;  /* serve()'s stream has space() */

/* Serve the script; the output in f.out. */
static int serve(const char *const *script, uint64_t max_body)
{
    struct http_server_config cfg = {0};
    memset(&f, 0, sizeof f);
    f.script = script;
    cfg.handler = app;
    cfg.monotonic = fake_mono;
    cfg.wall = fake_wall;
    cfg.limits.max_body = max_body;
    cfg.bulk = bulk_mem;
    cfg.bulk_size = sizeof bulk_mem[0];
    cfg.bulk_count = bulk_n;
    nreads = 0;
    last_body_len = -1000;
    if (http_server_init(&srv, &cfg) != 0)
        return -1000;
    return http_serve(&srv, &(struct http_stream){fake_read, fake_write,
                                                  fake_close, &f, fake_more,
                                                  with_space ? fake_space
                                                             : NULL,
                                                  fake_shutdown},
                      "peer");
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static const char *get_hello(void)
{
    static const char *const s[] = {"GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strcmp(f.out, "HTTP/1.1 200 OK\r\nServer: atoll\r\n"
                           "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                           "Content-Type: text/plain\r\n"
                           "Content-Length: 6\r\n\r\nhello\n") == 0);
    T_ASSERT(f.closed == 1 && f.aborted == 0);
    T_ASSERT(srv.stats.requests == 1 && srv.stats.status_2xx == 1);
    T_ASSERT(f.more_calls == 0); /* a short answer goes at once */
    return NULL;
}

static const char *keep_alive(void)
{
    static const char *const s[] = {
        "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(count_of(f.out, "HTTP/1.1 200 OK") == 2);
    T_ASSERT(count_of(f.out, "HTTP/1.1 404 Not Found") == 1);
    T_ASSERT(count_of(f.out, "Connection: close") == 0);
    T_ASSERT(f.writes == 3);
    return NULL;
}

static const char *pipelined(void)
{
    static const char *const s[] = {
        "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
        "HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n"
        "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n",
        NULL};
    T_ASSERT(serve(s, 0) == 0);
    /* Answered in order, in one write. */
    T_ASSERT(f.writes == 1);
    const char *a = strstr(f.out, "hello\n");
    const char *b = strstr(f.out, "Transfer-Encoding: chunked");
    T_ASSERT(a != NULL && b != NULL && a < b);
    T_ASSERT(count_of(f.out, "hello\n") == 1); /* HEAD: no body */
    T_ASSERT(count_of(f.out, "Content-Length: 6") == 2);
    T_ASSERT(strstr(f.out, "\r\n\r\n3\r\nabc\r\n5\r\ndefgh\r\n0\r\n\r\n"));
    return NULL;
}

static const char *head_no_body(void)
{
    static const char *const s[] = {"HEAD /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strstr(f.out, "Content-Length: 100000\r\n"));
    T_ASSERT(strlen(strstr(f.out, "\r\n\r\n")) == 4);
    return NULL;
}

static const char *connection_close(void)
{
    static const char *const s[] = {
        "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
        NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(count_of(f.out, "HTTP/1.1 200") == 1);
    T_ASSERT(strstr(f.out, "Connection: close\r\n"));
    return NULL;
}

static const char *http10(void)
{
    static const char *const s[] = {
        "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET /stream HTTP/1.0\r\n\r\n", "GET /hello HTTP/1.0\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strstr(f.out, "Connection: keep-alive\r\n"));
    /* 1.0, unknown length: no chunking, the close ends the body. */
    T_ASSERT(strstr(f.out, "Connection: close\r\n\r\nabcdefgh"));
    T_ASSERT(count_of(f.out, "HTTP/1.1 200") == 2);
    return NULL;
}

static const char *big_source(void)
{
    static const char *const s[] = {"GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + i / 251);
    T_ASSERT(serve(s, 0) == 0);
    const char *body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT((size_t)(f.out + f.out_len - body) == sizeof big);
    T_ASSERT(memcmp(body, big, sizeof big) == 0);
    return NULL;
}

/* Body pieces a block device reads in one call: a power of two at a
 * multiple of 4096 (or of itself, if shorter), but the last; a range
 * from an odd offset reaches such a multiple in its first piece. */
static const char *aligned_pieces(void)
{
    static const char *const s[] = {"GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    "GET /part HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    size_t part = 0;
    bulk_n = 0;
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(nreads > 2 && nreads < sizeof reads / sizeof reads[0]);
    for (size_t i = 0; i < nreads; i++) {
        uint64_t o = reads[i].off;
        size_t n = reads[i].len, a = n < 4096 ? n : 4096;
        if (o == 1000)
            part = i;
        if (i + 1 == nreads || reads[i + 1].off == 1000)
            continue; /* a body's last piece */
        if (o == 1000) {
            T_ASSERT((o + n) % 4096 == 0);
            continue;
        }
        T_ASSERT(n >= 4096 && (n & (n - 1)) == 0);
        T_ASSERT(o % a == 0);
    }
    T_ASSERT(part > 0);
    T_ASSERT(srv.stats.bulk_lent == 0);
    return NULL;
}

/* With a bulk buffer, a long body goes in 64 KiB writes, the buffer is
 * given back after each answer; taken by another, the connection's own
 * 8 KiB buffer does the work (more writes, the same bytes) and the other's
 * stays lent. */
static const char *bulk_buffer(void)
{
    static const char *const s[] = {"GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    "GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    static const char *const held[] = {
        "GET /held HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + i / 251);
    bulk_n = 1;
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 2 && srv.bulk_busy == 0);
    T_ASSERT(f.writes <= 2 * 3 + 1);
    /* more() on around each long body, off once it is all written: the
     * short answer after them is written with it off. */
    T_ASSERT(f.more_calls == 4 && f.more == 0);
    T_ASSERT(f.unsent_more > 2 * sizeof big);
    size_t last = f.out_len - 12;
    while (last > 0 && memcmp(f.out + last, "HTTP/1.1 200", 12) != 0)
        last--;
    T_ASSERT(f.out_at_more0 == last && last > 2 * sizeof big);
    const char *body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);
    /* The second head and body follow the first body, then hello. */
    body += sizeof big;
    T_ASSERT(strncmp(body, "HTTP/1.1 200", 12) == 0);
    body = strstr(body, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);
    body += sizeof big;
    T_ASSERT((size_t)(f.out + f.out_len - body) > 6);
    T_ASSERT(memcmp(f.out + f.out_len - 6, "hello\n", 6) == 0);

    T_ASSERT(serve(held, 0) == 0);
    bulk_n = 0;
    T_ASSERT(srv.stats.bulk_lent == 0 && srv.bulk_busy == 1);
    T_ASSERT(f.more_calls == 2 && f.out_at_more0 == f.out_len); /* all out */
    T_ASSERT(f.writes >= (int)(sizeof big / 8192));
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT((size_t)(f.out + f.out_len - body) == sizeof big);
    T_ASSERT(memcmp(body, big, sizeof big) == 0);

    /* A bulk buffer shorter than 16 KiB, or more than 32, is refused. */
    struct http_server_config cfg = {0};
    cfg.handler = app;
    cfg.monotonic = fake_mono;
    cfg.bulk = bulk_mem;
    cfg.bulk_size = 8192;
    cfg.bulk_count = 1;
    T_ASSERT(http_server_init(&srv, &cfg) == ATOLL_ERR_INVAL);
    cfg.bulk_size = 16384;
    T_ASSERT(http_server_init(&srv, &cfg) == 0);
    cfg.bulk_count = 33;
    T_ASSERT(http_server_init(&srv, &cfg) == ATOLL_ERR_INVAL);
    return NULL;
}

/* A stream with space(): the buffer is lent one buffer's worth at a
 * time, only when that much fits, and given back each time. */
static const char *bulk_by_piece(void)
{
    static const char *const s[] = {"GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    "GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    static const char *const held[] = {
        "GET /held HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    const char *body;
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 5 + i / 253);
    bulk_n = 1;
    with_space = 1;
    space_now = 65536;
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 6 && srv.bulk_busy == 0);
    T_ASSERT(f.writes <= 6);
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);
    body = strstr(body + sizeof big, "\r\n\r\n") + 4;
    T_ASSERT((size_t)(f.out + f.out_len - body) == sizeof big);
    T_ASSERT(memcmp(body, big, sizeof big) == 0);

    space_now = 65535; /* a whole buffer would wait: 32 KiB of it */
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 2 * 4 && f.writes <= 2 * 4);
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);

    space_now = 1 << 20; /* room for more: still 64 KiB at a time */
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 6 && f.writes <= 6);
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);

    space_now = 16383; /* not even 16 KiB: the own buffer */
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 0 && f.writes >= 20);
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT(memcmp(body, big, sizeof big) == 0);

    space_now = 1 << 20;
    T_ASSERT(serve(held, 0) == 0);
    T_ASSERT(srv.stats.bulk_lent == 0 && srv.bulk_busy == 1);
    body = strstr(f.out, "\r\n\r\n") + 4;
    T_ASSERT((size_t)(f.out + f.out_len - body) == sizeof big);
    T_ASSERT(memcmp(body, big, sizeof big) == 0);
    bulk_n = 0;
    with_space = 0;
    return NULL;
}

static const char *expect_continue(void)
{
    static const char *const s[] = {
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        "Expect: 100-continue\r\n\r\n",
        "12345", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK",
                     40) == 0);
    T_ASSERT(last_body_len == 5 && memcmp(last_body, "12345", 5) == 0);
    return NULL;
}

static const char *expect_unread_closes(void)
{
    static const char *const s[] = {
        "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        "Expect: 100-continue\r\n\r\n",
        NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strstr(f.out, "100 Continue") == NULL);
    T_ASSERT(strstr(f.out, "Connection: close\r\n"));
    return NULL;
}

static const char *chunked_upload(void)
{
    static const char *const s[] = {
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "\r\n3\r\nabc\r\n",
        "2\r\nde\r\n0\r\n\r\n", "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
        NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(last_body_len == 5 && memcmp(last_body, "abcde", 5) == 0);
    if (count_of(f.out, "HTTP/1.1 200") != 2)
        T_FAILF("got %s", f.out);
    return NULL;
}

static const char *body_skipped(void)
{
    static const char *const s[] = {
        "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234",
        "56789GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(count_of(f.out, "HTTP/1.1 200") == 2);
    T_ASSERT(strstr(f.out, "hello\n"));
    return NULL;
}

static const char *too_large_413(void)
{
    static const char *const s[] = {
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n",
        NULL};
    T_ASSERT(serve(s, 8) < 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 413 Content Too Large\r\n", 32) == 0);
    T_ASSERT(strstr(f.out, "Connection: close\r\n"));
    T_ASSERT(srv.stats.status_4xx == 1);
    return NULL;
}

/* The client is still sending when the 413 goes: the server half-closes
 * after the answer and reads the rest before closing, so that the close
 * is not a reset that destroys the answer (a lingering close). */
static const char *too_large_drained(void)
{
    static const char *const s[] = {
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n"
        "0123456789abcdef",
        "0123456789abcdef", "0123456789abcdef", "0123456789abcdef", NULL};
    T_ASSERT(serve(s, 8) < 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 413 ", 13) == 0);
    T_ASSERT(f.shutdowns == 1 && f.out_at_shutdown == f.out_len);
    T_ASSERT(f.next == 4); /* every piece read, to the client's end */
    T_ASSERT(f.closed == 1 && f.aborted == 0);
    T_ASSERT(srv.stats.lingering_closes == 1);
    return NULL;
}

/* A client that never stops sending is drained for at most 5 s; one that
 * goes quiet, for one 1 s wait. */
static const char *linger_bounded(void)
{
    static const char *s[300];
    uint64_t t0;

    s[0] = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n"
           "\r\n0123456789abcdef";
    for (int i = 1; i < 299; i++)
        s[i] = "0123456789abcdef"; /* each read advances the clock 0.1 s */
    s[299] = NULL;
    T_ASSERT(serve(s, 8) < 0);
    T_ASSERT(f.shutdowns == 1 && f.closed == 1);
    /* 5 s of 0.1 s reads: about 50 after the answer, not all 298. */
    if (f.next - f.next_at_shutdown < 45 || f.next - f.next_at_shutdown > 55)
        T_FAILF("drained %zu pieces", f.next - f.next_at_shutdown);

    static const char *const q[] = {
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 99\r\n\r\n"
        "0123456789abcdef",
        TIMEOUT, "0123456789abcdef", NULL};
    clock_ns = 0;
    T_ASSERT(serve(q, 8) < 0);
    t0 = clock_ns;
    T_ASSERT(f.shutdowns == 1 && f.next == 2); /* stopped at the quiet */
    T_ASSERT(t0 >= NS && t0 < 2 * NS);
    return NULL;
}

/* An answer that closes with the request read to its end: no lingering. */
static const char *no_linger_after_whole_request(void)
{
    static const char *const s[] = {
        "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(count_of(f.out, "HTTP/1.1 200") == 1);
    T_ASSERT(f.shutdowns == 0 && srv.stats.lingering_closes == 0);
    return NULL;
}

static const char *method_405(void)
{
    static const char *const s[] = {
        "DELETE /static HTTP/1.1\r\nHost: a\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 405 Method Not Allowed\r\n", 33) == 0);
    T_ASSERT(strstr(f.out, "\r\nAllow: GET, HEAD\r\n"));
    return NULL;
}

static const char *no_answer_500(void)
{
    static const char *const s[] = {"GET /silent HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 500 ", 13) == 0);
    return NULL;
}

static const char *parse_errors(void)
{
    static const struct {
        const char *req, *status;
    } e[] = {
        {"GET /a HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n", "400"},
        {"GET /a HTTP/2.0\r\nHost: a\r\n\r\n", "505"},
        {"GET /a HTTP/1.1\r\n\r\n", "400"}, /* no Host */
        {"GET /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
         "501"},
    };
    for (size_t i = 0; i < sizeof e / sizeof *e; i++) {
        const char *s[] = {e[i].req, "GET /hello HTTP/1.1\r\n\r\n", NULL};
        T_ASSERT(serve(s, 0) < 0);
        if (strncmp(f.out + 9, e[i].status, 3) != 0 ||
            !strstr(f.out, "Connection: close\r\n") ||
            count_of(f.out, "HTTP/1.1") != 1)
            T_FAILF("%s: got %.40s", e[i].req, f.out);
    }
    return NULL;
}

static const char *huge_header_431(void)
{
    static char line[20000];
    const char *s[] = {"GET /a HTTP/1.1\r\nHost: a\r\nX: ", line, NULL};
    memset(line, 'x', sizeof line - 1);
    T_ASSERT(serve(s, 0) < 0);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 431 ", 13) == 0);
    T_ASSERT(f.max_read <= 8192); /* the bounded input buffer */
    return NULL;
}

static const char *timeout_408(void)
{
    static const char *const s[] = {"GET /hello HTT", TIMEOUT,
                                    "P/1.1\r\n\r\n", NULL};
    T_ASSERT(serve(s, 0) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0);
    T_ASSERT(strstr(f.out, "Connection: close\r\n"));
    T_ASSERT(srv.stats.timeouts_408 == 1 && f.closed == 1);
    return NULL;
}

/* A slowloris: one byte per read, 0.1 s each (the fake clock); the head
 * never completes within the request timeout (10 s). */
static const char *slow_head_408(void)
{
    static const char *s[400];
    static char bytes[400][2];
    const char *req = "GET /hello HTTP/1.1\r\nHost: a\r\nX-Pad: ";
    for (size_t i = 0; i < 399; i++) {
        bytes[i][0] = i < strlen(req) ? req[i] : 'p';
        s[i] = bytes[i];
    }
    s[399] = NULL;
    T_ASSERT(serve(s, 0) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT(strncmp(f.out, "HTTP/1.1 408 ", 13) == 0);
    T_ASSERT(f.script[f.next] != NULL); /* stopped reading early */
    return NULL;
}

static const char *idle_close_silent(void)
{
    static const char *const s[] = {"GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                                    TIMEOUT, "GET /hello HTTP/1.1\r\n\r\n",
                                    NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(count_of(f.out, "HTTP/1.1 ") == 1); /* no 408 when idle */
    T_ASSERT(srv.stats.idle_closes == 1);
    return NULL;
}

static const char *header_injection(void)
{
    static const char *const s[] = {"GET /inject HTTP/1.1\r\nHost: a\r\n\r\n",
                                    NULL};
    T_ASSERT(serve(s, 0) == 0);
    T_ASSERT(strstr(f.out, "\r\nX-A: 1\r\n"));
    T_ASSERT(strstr(f.out, "Evil") == NULL);
    T_ASSERT(strstr(f.out, "X-Bad") == NULL);
    return NULL;
}

static const char *dates(void)
{
    char d[30];
    http_date_format(784111777, d);
    T_ASSERT(strcmp(d, "Sun, 06 Nov 1994 08:49:37 GMT") == 0);
    http_date_format(0, d);
    T_ASSERT(strcmp(d, "Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    http_date_format(951782400, d); /* leap day */
    T_ASSERT(strcmp(d, "Tue, 29 Feb 2000 00:00:00 GMT") == 0);
    T_ASSERT(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29) ==
             784111777);
    T_ASSERT(http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", 29) == -1);
    T_ASSERT(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30) == -1);
    for (uint64_t t = 0; t < 5000000000ull; t += 86400ull * 37 + 4321) {
        http_date_format(t, d);
        if (http_date_parse(d, 29) != (int64_t)t)
            T_FAILF("%llu -> %s", (unsigned long long)t, d);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(get_hello);
    RUN(keep_alive);
    RUN(pipelined);
    RUN(head_no_body);
    RUN(connection_close);
    RUN(http10);
    RUN(big_source);
    RUN(aligned_pieces);
    RUN(bulk_buffer);
    RUN(bulk_by_piece);
    RUN(expect_continue);
    RUN(expect_unread_closes);
    RUN(chunked_upload);
    RUN(body_skipped);
    RUN(too_large_413);
    RUN(too_large_drained);
    RUN(linger_bounded);
    RUN(no_linger_after_whole_request);
    RUN(method_405);
    RUN(no_answer_500);
    RUN(parse_errors);
    RUN(huge_header_431);
    RUN(timeout_408);
    RUN(slow_head_408);
    RUN(idle_close_silent);
    RUN(header_injection);
    RUN(dates);
    return t_finish();
}
