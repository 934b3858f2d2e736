/*
 * Fuzz target: lib/http's server loop (http_serve) on a fake stream that
 * hands the input over in pieces cut at random places, with a handler
 * that reads every request body (Content-Length or chunked) through
 * http_body_read in random sizes, then answers from memory or, when the
 * first byte says so, with http_serve_file on a small in-memory tree
 * (ranges, validators, the .gz sibling). Property: the requests the
 * handler sees, with their bodies and how each ended (the whole body, or
 * an error), are those the parser finds in the whole input in one piece;
 * and whatever the server writes starts with a status line.
 *
 * Input: byte 0 picks the limits (small ones reach 413 and the chunk
 * bounds) and the answer kind, bytes 1-3 seed the cuts and the read
 * sizes; the rest is what the client sends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#define PROP(cond)                                                         \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz-http: %s:%d: property failed: %s\n",     \
                    __FILE__, __LINE__, #cond);                            \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* What happened, as text: "H method target\n", body bytes, "E\n" at the
 * end of a body, "X\n" when it broke off. */
struct rec {
    char b[1 << 17];
    size_t n;
};

static void rec_put(struct rec *r, const void *p, size_t n)
{
    if (n > sizeof r->b - r->n)
        n = sizeof r->b - r->n; /* both records cut alike */
    memcpy(r->b + r->n, p, n);
    r->n += n;
}

static void rec_head(struct rec *r, const struct http_request *q)
{
    rec_put(r, "H ", 2);
    rec_put(r, q->method, q->method_len);
    rec_put(r, " ", 1);
    rec_put(r, q->target, q->target_len);
    rec_put(r, "\n", 1);
}

static struct rec want, got;
static uint64_t rng;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* ---- the fake stream ------------------------------------------------- */

struct fake {
    const uint8_t *data;
    size_t len, pos;
    size_t out_len;
    char out_head[16];
};

static long fake_read(void *ctx, void *buf, size_t len, uint64_t tmo)
{
    struct fake *f = ctx;
    size_t n = f->len - f->pos;

    (void)tmo;
    if (n == 0)
        return 0;
    uint32_t r = next_rand();
    size_t cut = r % 4 == 0 ? n : 1 + r / 4 % 64; /* all, or 1..64 */
    if (n > cut)
        n = cut;
    if (n > len)
        n = len;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (long)n;
}

static long fake_write(void *ctx, const void *buf, size_t len, uint64_t tmo)
{
    struct fake *f = ctx;

    (void)tmo;
    for (size_t i = 0; i < len && f->out_len + i < sizeof f->out_head; i++)
        f->out_head[f->out_len + i] = ((const char *)buf)[i];
    f->out_len += len;
    return (long)len;
}

static void fake_close(void *ctx, int abort_)
{
    (void)ctx;
    (void)abort_;
}

static uint64_t fake_clock(void) { return 0; }

/* ---- a small tree for http_serve_file -------------------------------- */

static uint8_t text[3000];

static const struct {
    const char *name;
    uint64_t size;
    int is_dir;
} files[] = {
    {"", 0, 1},
    {"a.txt", sizeof text, 0},
    {"a.txt.gz", 100, 0},
    {"d", 0, 1},
    {"d/index.html", 10, 0},
    {"e", 0, 0},
};

static int fs_lookup(void *ctx, const char *name, size_t len,
                     struct http_file *f)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (strlen(files[i].name) == len &&
            memcmp(files[i].name, name, len) == 0) {
            f->size = files[i].size;
            f->mtime = 784111777;
            f->is_dir = files[i].is_dir;
            f->handle = &files[i];
            return 0;
        }
    return ATOLL_ERR_NOENT;
}

static int fs_read(void *ctx, const struct http_file *f, uint64_t off,
                   void *buf, size_t len)
{
    (void)ctx;
    PROP(!f->is_dir && off <= f->size && len <= f->size - off);
    memcpy(buf, text + off % 1000, len); /* text repeats every 1000 */
    return 0;
}

static const struct http_fs fs = {fs_lookup, fs_read, NULL};
static int use_files;

/* ---- the handler and the one-piece parse ----------------------------- */

static int handler(void *arg, struct http_conn *c, const struct http_request *r)
{
    char buf[4096];
    long n;

    (void)arg;
    rec_head(&got, r);
    do {
        n = http_body_read(c, buf, 1 + next_rand() % sizeof buf);
        if (n > 0)
            rec_put(&got, buf, (size_t)n);
    } while (n > 0);
    rec_put(&got, n == 0 ? "E\n" : "X\n", 2);
    if (n < 0)
        return 0; /* the server answers the error */
    if (use_files)
        return http_serve_file(c, r, &fs);
    return http_reply_mem(c, 200, "text/plain", "ok\n", 3);
}

static void parse_whole(const uint8_t *d, size_t len,
                        const struct http_limits *lim)
{
    static uint8_t head[8192];
    static struct http_header hdrs[64];
    struct http_parser p;
    struct http_event ev;
    int in_req = 0;

    PROP(http_parser_init(&p, lim, head, sizeof head, hdrs, 64) == 0);
    for (;;) {
        long n = http_parse(&p, d, len, &ev);
        if (n < 0) {
            if (in_req)
                rec_put(&want, "X\n", 2);
            return;
        }
        d += n;
        len -= (size_t)n;
        if (ev.type == HTTP_EV_HEAD) {
            rec_head(&want, &p.req);
            in_req = 1;
        } else if (ev.type == HTTP_EV_BODY) {
            rec_put(&want, ev.data, ev.len);
        } else if (ev.type == HTTP_EV_END) {
            rec_put(&want, "E\n", 2);
            in_req = 0;
        } else {
            /* NEED: the input ended (inside a body: broken off) */
            if (ev.type == HTTP_EV_NEED && in_req)
                rec_put(&want, "X\n", 2);
            return;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const struct http_limits small = {
        .max_target = 40, .max_line = 60, .max_head = 400, .max_body = 100,
        .max_trailers = 40};
    static struct http_server srv;
    static struct fake f;
    struct http_server_config cfg = {0};

    if (len < 4)
        return 0;
    if (text[1] == 0)
        for (size_t i = 0; i < sizeof text; i++)
            text[i] = (uint8_t)('a' + i % 1000 % 26);
    if (data[0] & 1)
        cfg.limits = small;
    use_files = data[0] & 2;
    rng = ((uint64_t)data[1] << 16 | (uint64_t)data[2] << 8 | data[3]) + 1;
    data += 4;
    len -= 4;

    want.n = got.n = 0;
    parse_whole(data, len, (data[-4] & 1) ? &small : NULL);

    cfg.handler = handler;
    cfg.monotonic = fake_clock;
    cfg.wall = fake_clock;
    PROP(http_server_init(&srv, &cfg) == 0);
    memset(&f, 0, sizeof f);
    f.data = data;
    f.len = len;
    struct http_stream st = {fake_read, fake_write, fake_close, &f, NULL, NULL, NULL};
    http_serve(&srv, &st, "fuzz");

    PROP(got.n == want.n && memcmp(got.b, want.b, got.n) == 0);
    PROP(f.out_len == 0 ||
         memcmp(f.out_head, "HTTP/1.1 ", f.out_len < 9 ? f.out_len : 9) == 0);
    return 0;
}
