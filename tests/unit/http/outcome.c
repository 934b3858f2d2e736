/* http_outcome (outcome.h): the parser's events as text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "outcome.h"

struct sink {
    char *out;
    size_t cap, len;
    int over;
};

static void emit(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->out + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= s->cap - s->len) {
        s->over = 1;
        return;
    }
    s->len += (size_t)n;
}

static void emit_bytes(struct sink *s, const void *p, size_t n)
{
    if (s->cap - s->len <= n) {
        s->over = 1;
        return;
    }
    memcpy(s->out + s->len, p, n);
    s->len += n;
    s->out[s->len] = 0;
}

static void emit_head(struct sink *s, const struct http_request *r)
{
    emit(s, "HEAD %.*s %.*s path=%.*s host=%s%.*s 1.%u form=%u chunked=%u "
            "expect=%u ka=%u cl=%u:%llu",
         (int)r->method_len, r->method, (int)r->target_len, r->target,
         (int)r->path_len, r->path, r->host ? "" : "(none)",
         r->host ? (int)r->host_len : 0, r->host ? r->host : "",
         r->minor, r->form, r->chunked, r->expect_continue, r->keep_alive,
         r->has_length, (unsigned long long)r->content_length);
    for (unsigned i = 0; i < r->nheaders; i++)
        emit(s, " [%.*s=%.*s]", (int)r->headers[i].name_len,
             r->headers[i].name, (int)r->headers[i].value_len,
             r->headers[i].value);
    emit(s, "\n");
}

/* Body bytes of a request that did not end. */
static void emit_partial(struct sink *s, const unsigned char *body,
                         size_t blen)
{
    if (blen == 0)
        return;
    emit(s, "PARTIAL %zu:", blen);
    emit_bytes(s, body, blen);
    emit(s, "\n");
}

/* Feed one piece; 1 when the parser stopped (error or closed), -1 when it
 * broke its contract, else 0. body collects the body of this request. */
static int feed(struct http_parser *p, const unsigned char *d, size_t n,
                struct sink *s, unsigned char *body, size_t *blen)
{
    struct http_event ev;
    for (int guard = 0; guard < 100000; guard++) {
        long r = http_parse(p, d, n, &ev);
        if (r < 0) {
            emit_partial(s, body, *blen);
            emit(s, "ERR %u %ld\n", p->status, r);
            return 1;
        }
        if ((size_t)r > n)
            return -1;
        d += r;
        n -= (size_t)r;
        switch (ev.type) {
        case HTTP_EV_NEED:
            return n == 0 ? 0 : -1;
        case HTTP_EV_CLOSED:
            emit_partial(s, body, *blen);
            emit(s, "CLOSED\n");
            return 1;
        case HTTP_EV_HEAD:
            emit_head(s, &p->req);
            break;
        case HTTP_EV_BODY:
            if (ev.len == 0 || *blen + ev.len > 1 << 16)
                return -1;
            memcpy(body + *blen, ev.data, ev.len);
            *blen += ev.len;
            break;
        case HTTP_EV_END:
            if (*blen) {
                emit(s, "BODY %zu:", *blen);
                emit_bytes(s, body, *blen);
                emit(s, "\n");
            }
            *blen = 0;
            emit(s, "END\n");
            break;
        default:
            return -1;
        }
    }
    return -1;
}

long http_outcome(const unsigned char *data, size_t len, const size_t *cuts,
                  int ncuts, const struct http_limits *lim, size_t headcap,
                  unsigned maxh, char *out, size_t cap)
{
    static unsigned char head[8192];
    static unsigned char body[1 << 16];
    static struct http_header hdrs[64];
    struct http_parser p;
    struct sink s = {out, cap, 0, 0};
    size_t blen = 0, at = 0;
    if (cap == 0 || headcap > sizeof head || maxh > 64)
        return -1;
    out[0] = 0;
    if (http_parser_init(&p, lim, head, headcap, hdrs, (uint16_t)maxh))
        return -1;
    int rc = 0;
    int pieces = ncuts < 0 ? (int)len : ncuts + 1;
    for (int k = 0; k < pieces && rc == 0; k++) {
        size_t end = ncuts < 0 ? at + 1 : k < ncuts ? cuts[k] : len;
        if (end < at || end > len)
            return -1;
        rc = feed(&p, data + at, end - at, &s, body, &blen);
        at = end;
    }
    if (rc < 0)
        return -1;
    if (rc == 0) {
        emit_partial(&s, body, blen);
        emit(&s, "NEED\n");
    }
    return s.over ? -1 : (long)s.len;
}
