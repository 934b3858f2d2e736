/*
 * The incremental request parser: one byte at a time through the head and
 * the chunked framing, whole spans through body data, so that the outcome
 * depends on the bytes only, never on how they were split.
 *
 * Lines end in CR LF or a bare LF (RFC 9112 §2.2); a CR not followed by
 * LF is refused. Empty lines before the request line are skipped (§2.2).
 */
#include <atoll/err.h>
#include <atoll/http.h>

#include "head.h"
#include "http_internal.h"

enum {
    S_START,       /* before the request line: empty lines skipped */
    S_RLINE,       /* in the request line */
    S_HLINE,       /* in a header field line (or the empty line) */
    S_BODY,        /* Content-Length body */
    S_CSIZE,       /* chunk-size */
    S_CEXT,        /* chunk extensions, ignored */
    S_CDATA,       /* chunk data */
    S_CDATA_END,   /* the CR LF after chunk data */
    S_TRAILER,     /* trailer section */
    S_DONE,        /* request complete: HTTP_EV_END is next */
    S_CLOSED,      /* the connection does not persist */
    S_ERROR,
};

/* Trailer line phases, in p->sp. */
enum { T_START, T_NAME, T_VALUE };

int http_parser_init(struct http_parser *p, const struct http_limits *lim,
                     uint8_t *buf, size_t cap, struct http_header *hdrs,
                     uint16_t max_headers)
{
    if (!p || !buf || cap == 0 || (!hdrs && max_headers))
        return ATOLL_ERR_INVAL;
    struct http_parser z = {0};
    *p = z;
    if (lim)
        p->lim = *lim;
    if (!p->lim.max_target)
        p->lim.max_target = 8000;
    if (!p->lim.max_line)
        p->lim.max_line = 8190;
    if (!p->lim.max_head)
        p->lim.max_head = 65536;
    if (!p->lim.max_body)
        p->lim.max_body = 1u << 20;
    if (!p->lim.max_trailers)
        p->lim.max_trailers = 4096;
    p->buf = buf;
    p->cap = cap;
    p->hdrs = hdrs;
    p->max_headers = max_headers;
    p->state = S_START;
    return 0;
}

static long fail(struct http_parser *p, int status)
{
    p->status = (uint16_t)status;
    switch (status) {
    case 413: case 414: case 431:
        p->err = ATOLL_ERR_NOMEM;
        break;
    case 501: case 505:
        p->err = ATOLL_ERR_NOTSUP;
        break;
    default:
        p->err = ATOLL_ERR_FORMAT;
        break;
    }
    p->req.keep_alive = 0;
    p->state = S_ERROR;
    return p->err;
}

/* Append c to the head: 0, or the status when a bound is passed. */
static int put(struct http_parser *p, uint8_t c)
{
    if (p->used >= p->cap)
        return (p->state == S_RLINE && p->sp == 1) ? 414 : 431;
    p->buf[p->used++] = c;
    return 0;
}

/* A byte of the request line (not CR or LF). */
static int rline_byte(struct http_parser *p, uint8_t c)
{
    if (c == ' ') {
        if (++p->sp > 2)
            return 400;
        p->sizelen = 0;
        return put(p, c);
    }
    p->sizelen++;
    if (p->sp == 0) {
        if (!http_is_tchar(c))
            return 400;
        if (p->sizelen > HTTP_METHOD_MAX)
            return 501;
    } else if (p->sp == 1) {
        if (c <= 0x20 || c >= 0x7f)
            return 400;
        if (p->sizelen > p->lim.max_target)
            return 414;
    } else if (p->sizelen > 8) {
        return 400; /* "HTTP/1.1" is 8 bytes */
    }
    return put(p, c);
}

/* The end of a head line: HTTP_EV_HEAD after the empty line, else 0, or
 * minus the status. */
static int head_line_end(struct http_parser *p)
{
    char *s = (char *)p->buf + p->line;
    size_t n = p->used - p->line;
    int st;
    if (p->state == S_RLINE) {
        st = http_head_request_line(p, s, n);
        p->state = S_HLINE;
    } else if (n > 0) {
        st = http_head_field_line(p, s, n);
    } else {
        st = http_head_finish(p);
        if (st)
            return -st;
        p->body_left = p->req.content_length;
        p->body_total = 0;
        p->sizelen = 0;
        p->state = p->req.chunked ? S_CSIZE
                                  : p->body_left ? S_BODY : S_DONE;
        return HTTP_EV_HEAD;
    }
    p->line = p->used;
    return st ? -st : 0;
}

/* A byte of the head: 0, HTTP_EV_HEAD, or minus the status. */
static int head_byte(struct http_parser *p, uint8_t c)
{
    if ((p->state != S_START || (c != '\r' && c != '\n')) &&
        ++p->counted > p->lim.max_head)
        return (p->state == S_RLINE && p->sp == 1) ? -414 : -431;
    if (p->cr) {
        if (c != '\n')
            return -400; /* bare CR */
        p->cr = 0;
    } else if (c == '\r') {
        p->cr = 1;
        return 0;
    }
    if (p->state == S_START) {
        if (c == '\n')
            return 0;
        p->state = S_RLINE;
    }
    if (c == '\n')
        return head_line_end(p);
    int st;
    if (p->state == S_RLINE) {
        st = rline_byte(p, c);
    } else {
        if (p->used == p->line && (c == ' ' || c == '\t'))
            return -400; /* obs-fold, or space before the first field */
        if (p->used - p->line >= p->lim.max_line)
            return -431;
        st = put(p, c);
    }
    return -st;
}

/* A byte of a chunk-size line, its extensions, the CR LF after chunk
 * data, or the trailer section: 0, 1 at the end of the request, or minus
 * the status. */
static int chunk_byte(struct http_parser *p, uint8_t c)
{
    if (p->state == S_TRAILER && ++p->counted > p->lim.max_trailers)
        return -431;
    if (p->cr) {
        if (c != '\n')
            return -400;
        p->cr = 0;
    } else if (c == '\r') {
        p->cr = 1;
        return 0;
    }
    if (p->state == S_CDATA_END) {
        if (c != '\n')
            return -400;
        p->state = S_CSIZE;
        p->sizelen = 0;
        return 0;
    }
    if (p->state == S_TRAILER) {
        if (c == '\n') {
            if (p->sp == T_START)
                return 1; /* the empty line: the end */
            if (p->sp == T_NAME)
                return -400; /* no colon */
            p->sp = T_START;
            return 0;
        }
        if (p->sp == T_START && (c == ' ' || c == '\t'))
            return -400; /* obs-fold */
        if (p->sp != T_VALUE) {
            if (c == ':' && p->sp == T_NAME)
                p->sp = T_VALUE;
            else if (http_is_tchar(c))
                p->sp = T_NAME;
            else
                return -400;
            return 0;
        }
        return (c == '\t' || (c >= 0x20 && c != 0x7f)) ? 0 : -400;
    }
    /* chunk-size [ chunk-ext ] */
    if (++p->sizelen > p->lim.max_line)
        return -400;
    if (c == '\n') {
        if (p->state == S_CSIZE && p->sizelen == 1)
            return -400; /* no digits */
        if (p->body_left == 0) {
            p->state = S_TRAILER;
            p->sp = T_START;
            p->counted = 0;
            return 0;
        }
        if (p->body_left > p->lim.max_body - p->body_total)
            return -413;
        p->body_total += p->body_left;
        p->state = S_CDATA;
        return 0;
    }
    if (p->state == S_CEXT)
        return (c == '\t' || (c >= 0x20 && c != 0x7f)) ? 0 : -400;
    int d = http_hexval(c);
    if (d >= 0) {
        if (p->body_left > (UINT64_MAX >> 4))
            return -400; /* overflow */
        p->body_left = (p->body_left << 4) | (uint64_t)d;
        return 0;
    }
    if (p->sizelen > 1 && (c == ' ' || c == '\t' || c == ';')) {
        p->state = S_CEXT;
        return 0;
    }
    return -400;
}

/* After HTTP_EV_END: ready for the next request, or closed. */
static void next_request(struct http_parser *p)
{
    p->state = p->req.keep_alive ? S_START : S_CLOSED;
    p->used = 0;
    p->line = 0;
    p->nh = 0;
    p->sp = 0;
    p->cr = 0;
    p->sizelen = 0;
    p->counted = 0;
}

long http_parse(struct http_parser *p, const uint8_t *data, size_t len,
                struct http_event *ev)
{
    ev->type = HTTP_EV_NEED;
    ev->data = 0;
    ev->len = 0;
    if (p->state == S_ERROR)
        return p->err;
    if (p->state == S_CLOSED) {
        ev->type = HTTP_EV_CLOSED;
        return (long)len;
    }
    size_t i = 0;
    while (p->state != S_DONE && i < len) {
        if (p->state == S_BODY || p->state == S_CDATA) {
            size_t n = len - i;
            if (n > p->body_left)
                n = (size_t)p->body_left;
            p->body_left -= n;
            if (p->body_left == 0)
                p->state = p->state == S_BODY ? S_DONE : S_CDATA_END;
            ev->type = HTTP_EV_BODY;
            ev->data = data + i;
            ev->len = n;
            return (long)(i + n);
        }
        uint8_t c = data[i++];
        int rc;
        if (p->state <= S_HLINE) {
            rc = head_byte(p, c);
            if (rc == HTTP_EV_HEAD) {
                ev->type = HTTP_EV_HEAD;
                return (long)i;
            }
        } else {
            rc = chunk_byte(p, c);
            if (rc == 1)
                p->state = S_DONE;
        }
        if (rc < 0)
            return fail(p, -rc);
    }
    if (p->state == S_DONE) {
        next_request(p);
        ev->type = HTTP_EV_END;
    }
    return (long)i;
}

const struct http_header *http_header_find(const struct http_request *r,
                                           const char *name)
{
    for (uint16_t i = 0; i < r->nheaders; i++) {
        if (http_eq_nocase(r->headers[i].name, r->headers[i].name_len, name))
            return &r->headers[i];
    }
    return 0;
}
