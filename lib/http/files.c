/*
 * lib/http's static files: a request answered from a file tree (struct
 * http_fs) with validators, conditionals, one byte range and gzip
 * siblings. Only the first range of a Range field is ever considered and
 * only when it is the only one (RFC 9110 §14.2 lets a server ignore
 * Range).
 */
#include <atoll/err.h>
#include <atoll/http.h>

#include "http_internal.h"

#define NAME_CAP 2048

/* A bounded string under construction; over is set when it did not fit. */
struct sbuf {
    char *p;
    size_t n, cap;
    int over;
};

static void sb_mem(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->over = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        b->p[b->n++] = s[i];
    b->p[b->n] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    sb_mem(b, s, n);
}

static void sb_u64(struct sbuf *b, uint64_t v, unsigned base)
{
    char t[24];
    size_t i = sizeof t;
    do {
        t[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    sb_mem(b, t + i, sizeof t - i);
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* The next comma-separated element of v[*i..n), OWS trimmed. */
static int next_elem(const char *v, size_t n, size_t *i, const char **e,
                     size_t *el)
{
    while (*i < n && (is_ows(v[*i]) || v[*i] == ','))
        (*i)++;
    if (*i >= n)
        return 0;
    size_t s = *i;
    while (*i < n && v[*i] != ',')
        (*i)++;
    size_t end = *i;
    while (end > s && is_ows(v[end - 1]))
        end--;
    *e = v + s;
    *el = end - s;
    return 1;
}

/* Whether an Accept-Encoding element "coding[;q=x]" has a q of zero. */
static int q_zero(const char *e, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (e[i] == ';') {
            size_t j = i + 1;
            while (j < n && is_ows(e[j]))
                j++;
            if (j + 1 < n && (e[j] == 'q' || e[j] == 'Q') &&
                e[j + 1] == '=') {
                for (j += 2; j < n; j++)
                    if (e[j] >= '1' && e[j] <= '9')
                        return 0;
                return 1;
            }
        }
    }
    return 0;
}

/* Whether the client accepts gzip (an explicit gzip, x-gzip or *). */
static int accepts_gzip(const struct http_request *r)
{
    int yes = 0;
    for (uint16_t h = 0; h < r->nheaders; h++) {
        const struct http_header *f = &r->headers[h];
        const char *e;
        size_t el, i = 0;
        if (!http_eq_nocase(f->name, f->name_len, "accept-encoding"))
            continue;
        while (next_elem(f->value, f->value_len, &i, &e, &el)) {
            size_t tl = 0;
            while (tl < el && e[tl] != ';' && !is_ows(e[tl]))
                tl++;
            if (http_eq_nocase(e, tl, "gzip") ||
                http_eq_nocase(e, tl, "x-gzip")) {
                if (q_zero(e, el))
                    return 0; /* gzip;q=0 refuses even beside * */
                yes = 1;
            } else if (http_eq_nocase(e, tl, "*") && !q_zero(e, el)) {
                yes = 1;
            }
        }
    }
    return yes;
}

/* If-None-Match: "*" or a list of entity tags; weak comparison. */
static int etag_matches(const struct http_header *h, const char *etag,
                        size_t elen)
{
    const char *e;
    size_t el, i = 0;
    while (next_elem(h->value, h->value_len, &i, &e, &el)) {
        if (el == 1 && e[0] == '*')
            return 1;
        if (el > 2 && e[0] == 'W' && e[1] == '/') {
            e += 2;
            el -= 2;
        }
        if (el == elen) {
            size_t k = 0;
            while (k < el && e[k] == etag[k])
                k++;
            if (k == el)
                return 1;
        }
    }
    return 0;
}

static int digits(const char *s, size_t n, uint64_t *v)
{
    *v = 0;
    if (n == 0 || n > 19)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (uint64_t)(s[i] - '0');
    }
    return 0;
}

/* A Range field against a file of size bytes: 0 ignore (whole file), 1
 * the range [*a, *b], -1 unsatisfiable (416). */
static int parse_range(const struct http_header *h, uint64_t size,
                       uint64_t *a, uint64_t *b)
{
    const char *v = h->value;
    size_t n = h->value_len, dash;

    if (n < 7 || !http_eq_nocase(v, 6, "bytes="))
        return 0;
    v += 6;
    n -= 6;
    for (size_t i = 0; i < n; i++)
        if (v[i] == ',')
            return 0; /* several ranges: the whole file */
    while (n > 0 && is_ows(v[n - 1]))
        n--;
    for (dash = 0; dash < n && v[dash] != '-'; dash++)
        ;
    if (dash == n)
        return 0;
    if (dash == 0) { /* "-N": the last N bytes */
        uint64_t len;
        if (digits(v + 1, n - 1, &len) != 0)
            return 0;
        if (len == 0 || size == 0)
            return -1;
        *a = len >= size ? 0 : size - len;
        *b = size - 1;
        return 1;
    }
    if (digits(v, dash, a) != 0)
        return 0;
    if (dash + 1 == n) {
        *b = UINT64_MAX;
    } else if (digits(v + dash + 1, n - dash - 1, b) != 0 || *b < *a) {
        return 0;
    }
    if (*a >= size)
        return -1;
    if (*b >= size)
        *b = size - 1;
    return 1;
}

/* Methods are case-sensitive (RFC 9110 §9.1). */
static int method_is(const struct http_request *r, const char *m)
{
    size_t i = 0;
    for (; i < r->method_len; i++)
        if (m[i] != r->method[i])
            return 0;
    return m[i] == 0;
}

/* If-Range: the strong ETag itself, or the Last-Modified date. */
static int if_range_ok(const struct http_header *ir, const char *tag,
                       size_t tlen, uint64_t mtime)
{
    size_t i = 0;
    if (ir->value_len == tlen) {
        while (i < tlen && ir->value[i] == tag[i])
            i++;
        if (i == tlen)
            return 1;
    }
    return http_date_parse(ir->value, ir->value_len) == (int64_t)mtime;
}

struct file_src {
    const struct http_fs *fs;
    const struct http_file *f;
};

static int read_src(void *ctx, uint64_t off, void *buf, size_t len)
{
    const struct file_src *s = ctx;
    return s->fs->read(s->fs->ctx, s->f, off, buf, len);
}

static int redirect_dir(struct http_conn *c, const char *path, size_t len)
{
    char loc[NAME_CAP + 2];
    struct sbuf b = {loc, 0, sizeof loc, 0};
    sb_mem(&b, path, len);
    sb_str(&b, "/");
    if (b.over || http_reply_header(c, "Location", loc) != 0)
        return http_reply_error(c, 404);
    return http_reply_error(c, 301);
}

int http_serve_file(struct http_conn *c, const struct http_request *req,
                    const struct http_fs *fs)
{
    char path[NAME_CAP], tmp[80], tag[64];
    struct http_file f, gz;
    const struct http_header *h;
    int is_head = method_is(req, "HEAD");
    int is_get = method_is(req, "GET");
    int use_gz = 0, has_gz = 0;

    /* A body (allowed, if pointless, on GET) is read and dropped first, so
     * one over the limit is a 413 rather than an answer and a reset. */
    if (req->chunked || req->content_length > 0) {
        uint8_t drop[512];
        long r;
        while ((r = http_body_read(c, drop, sizeof drop)) > 0)
            ;
        if (r < 0)
            return (int)r; /* the server answers the parser's status */
    }
    if (!is_get && !is_head) {
        http_reply_header(c, "Allow", "GET, HEAD");
        return http_reply_error(c, 405);
    }
    if (req->form == HTTP_TARGET_ASTERISK)
        return http_reply_error(c, 400);
    long n = http_path_normalize(req->path, req->path_len, path,
                                 sizeof path - 16);
    if (n < 0)
        return http_reply_error(c, n == ATOLL_ERR_RANGE ? 414 : 400);
    size_t len = (size_t)n;
    if (path[len - 1] == '/') {
        const char *ix = "index.html";
        for (size_t i = 0; ix[i]; i++)
            path[len++] = ix[i];
    }
    if (fs->lookup(fs->ctx, path + 1, len - 1, &f) != 0)
        return http_reply_error(c, 404);
    if (f.is_dir)
        return redirect_dir(c, path, len);
    /* The gzip sibling: "NAME.gz" (room was kept above). */
    path[len] = '.';
    path[len + 1] = 'g';
    path[len + 2] = 'z';
    if (fs->lookup(fs->ctx, path + 1, len + 2, &gz) == 0 && !gz.is_dir) {
        has_gz = 1;
        use_gz = accepts_gzip(req);
    }
    const char *ctype = http_mime_type(path + 1, len - 1);
    if (use_gz) {
        f = gz;
        http_reply_header(c, "Content-Encoding", "gzip");
    }
    if (has_gz)
        http_reply_header(c, "Vary", "Accept-Encoding");

    struct sbuf t = {tag, 0, sizeof tag, 0};
    sb_str(&t, "\"");
    sb_u64(&t, f.size, 16);
    sb_str(&t, "-");
    sb_u64(&t, f.mtime, 16);
    sb_str(&t, use_gz ? "-gz\"" : "\"");
    http_date_format(f.mtime, tmp);
    http_reply_header(c, "ETag", tag);
    http_reply_header(c, "Last-Modified", tmp);

    if ((h = http_header_find(req, "if-none-match")) != 0) {
        if (etag_matches(h, tag, t.n))
            return http_reply_mem(c, 304, 0, 0, 0);
    } else if ((h = http_header_find(req, "if-modified-since")) != 0) {
        int64_t ims = http_date_parse(h->value, h->value_len);
        if (ims >= 0 && f.mtime <= (uint64_t)ims)
            return http_reply_mem(c, 304, 0, 0, 0);
    }

    uint64_t a = 0, b = 0;
    int rg = 0;
    http_reply_header(c, "Accept-Ranges", "bytes");
    if ((h = http_header_find(req, "range")) != 0) {
        const struct http_header *ir = http_header_find(req, "if-range");
        rg = parse_range(h, f.size, &a, &b);
        if (ir != 0 && !if_range_ok(ir, tag, t.n, f.mtime))
            rg = 0; /* the client's copy is not this one: whole file */
    }
    struct sbuf cr = {tmp, 0, sizeof tmp, 0};
    struct file_src src = {fs, &f};
    if (rg < 0) {
        sb_str(&cr, "bytes */");
        sb_u64(&cr, f.size, 10);
        http_reply_header(c, "Content-Range", tmp);
        return http_reply_error(c, 416);
    }
    if (rg > 0) {
        sb_str(&cr, "bytes ");
        sb_u64(&cr, a, 10);
        sb_str(&cr, "-");
        sb_u64(&cr, b, 10);
        sb_str(&cr, "/");
        sb_u64(&cr, f.size, 10);
        http_reply_header(c, "Content-Range", tmp);
        return http_reply_source(c, 206, ctype, b - a + 1, read_src, &src,
                                 a);
    }
    return http_reply_source(c, 200, ctype, f.size, read_src, &src, 0);
}
