/*
 * lib/http's static files (http_serve_file) over a table of files, served
 * through http_serve on a fake stream: every answer checked as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#include "../../lib/check.h"

#define NS 1000000000ull
#define MTIME 784111777ull /* Sun, 06 Nov 1994 08:49:37 GMT */

static const struct {
    const char *name, *data; /* data NULL: a directory */
} tree[] = {
    {"index.html", "<h1>home</h1>\n"},
    {"a.txt", "0123456789"},
    {"a.txt.gz", "GZDATA"},
    {"docs", NULL},
    {"docs/index.html", "docs\n"},
    {"img/x.png", "\x89PNG\0\1\2"},
    {"empty.bin", ""},
};

static int fs_lookup(void *ctx, const char *name, size_t len,
                     struct http_file *f)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof tree / sizeof *tree; i++) {
        if (strlen(tree[i].name) == len &&
            memcmp(tree[i].name, name, len) == 0) {
            f->is_dir = tree[i].data == NULL;
            f->size = f->is_dir ? 0 : strlen(tree[i].data);
            if (strcmp(tree[i].name, "img/x.png") == 0)
                f->size = 7;
            f->mtime = MTIME;
            f->handle = tree[i].data;
            return 0;
        }
    }
    return ATOLL_ERR_NOENT;
}

static int fs_read(void *ctx, const struct http_file *f, uint64_t off,
                   void *buf, size_t len)
{
    (void)ctx;
    if (off + len > f->size)
        return ATOLL_ERR_INVAL;
    memcpy(buf, (const char *)f->handle + off, len);
    return 0;
}

static const struct http_fs fs = {fs_lookup, fs_read, NULL};

static int app(void *arg, struct http_conn *c, const struct http_request *r)
{
    (void)arg;
    return http_serve_file(c, r, &fs);
}

static uint64_t mono(void) { return 0; }
static uint64_t max_body;

static char out[65536];
static size_t out_len;
static const char *in;

static long s_read(void *ctx, void *buf, size_t len, uint64_t tmo)
{
    size_t n = strlen(in);
    (void)ctx;
    (void)tmo;
    if (n > len)
        n = len;
    memcpy(buf, in, n);
    in += n;
    return (long)n;
}

static long s_write(void *ctx, const void *buf, size_t len, uint64_t tmo)
{
    (void)ctx;
    (void)tmo;
    if (out_len + len >= sizeof out)
        return ATOLL_ERR_NOMEM;
    memcpy(out + out_len, buf, len);
    out_len += len;
    out[out_len] = 0;
    return (long)len;
}

static void s_close(void *ctx, int abort)
{
    (void)ctx;
    (void)abort;
}

/* One request (head lines after the request line given as extra). */
static const char *get(const char *method, const char *target,
                       const char *extra)
{
    static char req[2048];
    struct http_server srv;
    struct http_server_config cfg = {0};
    snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: h\r\n%s\r\n", method,
             target, extra);
    in = req;
    out_len = 0;
    out[0] = 0;
    cfg.handler = app;
    cfg.monotonic = mono;
    cfg.limits.max_body = max_body;
    http_server_init(&srv, &cfg);
    http_serve(&srv, &(struct http_stream){s_read, s_write, s_close, NULL, NULL, NULL, NULL},
               NULL);
    return out;
}

static const char *body(void)
{
    const char *b = strstr(out, "\r\n\r\n");
    return b ? b + 4 : "";
}

#define HAS(s) T_ASSERT(strstr(out, s) != NULL)
#define HASNT(s) T_ASSERT(strstr(out, s) == NULL)
#define STATUS(n) T_ASSERT(strncmp(out, "HTTP/1.1 " n " ", 13) == 0)

static const char *plain_get(void)
{
    get("GET", "/a.txt", "");
    STATUS("200");
    HAS("\r\nContent-Type: text/plain; charset=utf-8\r\n");
    HAS("\r\nContent-Length: 10\r\n");
    HAS("\r\nETag: \"a-2ebc98a1\"\r\n");
    HAS("\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    HAS("\r\nVary: Accept-Encoding\r\n");
    HASNT("Content-Encoding");
    T_ASSERT(strcmp(body(), "0123456789") == 0);
    return NULL;
}

static const char *binary_file(void)
{
    get("GET", "/img/x.png", "");
    STATUS("200");
    HAS("Content-Type: image/png\r\n");
    HASNT("Vary");
    T_ASSERT(memcmp(body(), "\x89PNG\0\1\2", 7) == 0);
    return NULL;
}

static const char *index_and_dirs(void)
{
    get("GET", "/", "");
    STATUS("200");
    T_ASSERT(strcmp(body(), "<h1>home</h1>\n") == 0);
    HAS("text/html");
    get("GET", "/docs/", "");
    T_ASSERT(strcmp(body(), "docs\n") == 0);
    get("GET", "/docs", "");
    STATUS("301");
    HAS("\r\nLocation: /docs/\r\n");
    get("GET", "/docs/?q=1", "");
    STATUS("200");
    return NULL;
}

static const char *not_found_and_escapes(void)
{
    get("GET", "/nope", "");
    STATUS("404");
    static const char *bad[] = {"/../a.txt", "/docs/../../a.txt",
                                "/a%2ftxt", "/a.txt%00", "/%2e%2e/a.txt",
                                "/a%5ctxt"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        get("GET", bad[i], "");
        if (strncmp(out, "HTTP/1.1 400 ", 13) != 0)
            T_FAILF("%s: %.20s", bad[i], out);
    }
    get("GET", "/docs/../a.txt", ""); /* inside the root: fine */
    STATUS("200");
    return NULL;
}

static const char *methods(void)
{
    get("POST", "/a.txt", "Content-Length: 0\r\n");
    STATUS("405");
    HAS("\r\nAllow: GET, HEAD\r\n");
    get("get", "/a.txt", "");
    STATUS("405");
    get("HEAD", "/a.txt", "");
    STATUS("200");
    HAS("Content-Length: 10\r\n");
    T_ASSERT(strcmp(body(), "") == 0);
    return NULL;
}

static const char *conditionals(void)
{
    get("GET", "/a.txt", "If-None-Match: \"a-2ebc98a1\"\r\n");
    STATUS("304");
    HAS("ETag: \"a-2ebc98a1\"");
    HASNT("Content-Length");
    T_ASSERT(strcmp(body(), "") == 0);
    get("GET", "/a.txt", "If-None-Match: \"x\", W/\"a-2ebc98a1\"\r\n");
    STATUS("304");
    get("GET", "/a.txt", "If-None-Match: *\r\n");
    STATUS("304");
    get("GET", "/a.txt", "If-None-Match: \"b-2ebc98a1\"\r\n");
    STATUS("200");
    get("GET", "/a.txt",
        "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    STATUS("304");
    get("GET", "/a.txt",
        "If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n");
    STATUS("200");
    /* If-None-Match wins over If-Modified-Since. */
    get("GET", "/a.txt", "If-None-Match: \"zz\"\r\n"
                         "If-Modified-Since: Sun, 06 Nov 2044 08:49:37 GMT\r\n");
    STATUS("200");
    get("GET", "/a.txt", "If-Modified-Since: yesterday\r\n");
    STATUS("200");
    return NULL;
}

static const char *ranges(void)
{
    get("GET", "/a.txt", "Range: bytes=2-5\r\n");
    STATUS("206");
    HAS("\r\nContent-Range: bytes 2-5/10\r\n");
    HAS("\r\nContent-Length: 4\r\n");
    T_ASSERT(strcmp(body(), "2345") == 0);
    get("GET", "/a.txt", "Range: bytes=7-\r\n");
    T_ASSERT(strcmp(body(), "789") == 0);
    get("GET", "/a.txt", "Range: bytes=-3\r\n");
    HAS("Content-Range: bytes 7-9/10\r\n");
    T_ASSERT(strcmp(body(), "789") == 0);
    get("GET", "/a.txt", "Range: bytes=-30\r\n");
    T_ASSERT(strcmp(body(), "0123456789") == 0);
    HAS("Content-Range: bytes 0-9/10\r\n");
    STATUS("206");
    get("GET", "/a.txt", "Range: bytes=5-100\r\n");
    HAS("Content-Range: bytes 5-9/10\r\n");
    get("GET", "/a.txt", "Range: bytes=10-\r\n");
    STATUS("416");
    HAS("\r\nContent-Range: bytes */10\r\n");
    get("GET", "/empty.bin", "Range: bytes=-1\r\n");
    STATUS("416");
    get("GET", "/a.txt", "Range: bytes=0-1,4-5\r\n");
    STATUS("200");
    get("GET", "/a.txt", "Range: bytes=5-2\r\n");
    STATUS("200");
    get("GET", "/a.txt", "Range: pages=1-2\r\n");
    STATUS("200");
    get("GET", "/a.txt", "Range: bytes=1-2\r\nIf-Range: \"old\"\r\n");
    STATUS("200");
    get("GET", "/a.txt", "Range: bytes=1-2\r\nIf-Range: \"a-2ebc98a1\"\r\n");
    STATUS("206");
    return NULL;
}

static const char *gzip_sibling(void)
{
    get("GET", "/a.txt", "Accept-Encoding: br, gzip\r\n");
    STATUS("200");
    HAS("\r\nContent-Encoding: gzip\r\n");
    HAS("\r\nVary: Accept-Encoding\r\n");
    HAS("Content-Type: text/plain");
    HAS("ETag: \"6-2ebc98a1-gz\"");
    T_ASSERT(strcmp(body(), "GZDATA") == 0);
    get("GET", "/a.txt", "Accept-Encoding: gzip;q=0, *\r\n");
    HASNT("Content-Encoding");
    get("GET", "/a.txt", "Accept-Encoding: *;q=0.5\r\n");
    HAS("Content-Encoding: gzip");
    get("GET", "/a.txt", "Accept-Encoding: deflate\r\n");
    HASNT("Content-Encoding");
    T_ASSERT(strcmp(body(), "0123456789") == 0);
    get("GET", "/img/x.png", "Accept-Encoding: gzip\r\n");
    HASNT("Content-Encoding");
    return NULL;
}

static const char *body_limit(void)
{
    max_body = 8;
    get("GET", "/a.txt", "Transfer-Encoding: chunked\r\n\r\n"
                         "9\r\n123456789\r\n0\r\n");
    STATUS("413");
    HAS("Connection: close\r\n");
    get("GET", "/a.txt", "Transfer-Encoding: chunked\r\n\r\n"
                         "8\r\n12345678\r\n0\r\n");
    STATUS("200");
    T_ASSERT(strcmp(body(), "0123456789") == 0);
    max_body = 0;
    return NULL;
}

static const char *mime(void)
{
    T_ASSERT(strcmp(http_mime_type("a/b.CSS", 7), "text/css; charset=utf-8") == 0);
    T_ASSERT(strcmp(http_mime_type("x.woff2", 7), "font/woff2") == 0);
    T_ASSERT(strcmp(http_mime_type("x", 1), "application/octet-stream") == 0);
    T_ASSERT(strcmp(http_mime_type("a.b/c", 5), "application/octet-stream") == 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(plain_get);
    RUN(binary_file);
    RUN(index_and_dirs);
    RUN(not_found_and_escapes);
    RUN(methods);
    RUN(conditionals);
    RUN(ranges);
    RUN(gzip_sibling);
    RUN(body_limit);
    RUN(mime);
    return t_finish();
}
