/*
 * lib/http's server loop: one connection on an http_stream, requests
 * parsed from a bounded input buffer, answers composed in a bounded output
 * buffer. Everything lives in struct http_conn on the serving fiber's
 * stack, so a slow client holds its own buffers and nothing else.
 */
#include <atoll/err.h>
#include <atoll/http.h>

#include "http_internal.h"

#define CONN_IN 8192
#define CONN_HEAD 8192
#define CONN_OUT 8192
#define CONN_HDRS 64
#define CONN_EXTRA 1024
#define NS 1000000000ull

struct http_conn {
    struct http_server *srv;
    const struct http_stream *st;
    const char *peer;
    struct http_parser p;
    const struct http_request *req;
    const uint8_t *body;   /* decoded body bytes not yet given out */
    size_t body_len;
    size_t in_off, in_len;
    size_t out_len, extra_len;
    uint8_t *ob;  /* the output buffer: out, or a bulk buffer lent */
    size_t ocap;  /* its size */
    int bulk;     /* the bulk buffer's number, or -1 */
    uint64_t sent, declared; /* body bytes sent, announced (or ~0) */
    int status, err;
    uint8_t answered, head_only, close_after, chunked_out, body_end, in_end;
    uint8_t continued, parse_err;
    uint8_t linger; /* closing while the client may still be sending */
    uint8_t in[CONN_IN];
    uint8_t head[CONN_HEAD];
    uint8_t out[CONN_OUT];
    char extra[CONN_EXTRA];
    struct http_header hdrs[CONN_HDRS];
};

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void copy(void *d, const void *s, size_t n)
{
    uint8_t *dd = d;
    const uint8_t *ss = s;
    for (size_t i = 0; i < n; i++)
        dd[i] = ss[i];
}

const char *http_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

int http_server_init(struct http_server *s,
                     const struct http_server_config *cfg)
{
    if (s == 0 || cfg == 0 || cfg->handler == 0 || cfg->monotonic == 0)
        return ATOLL_ERR_INVAL;
    if (cfg->bulk_count > 32 ||
        (cfg->bulk_count > 0 &&
         (cfg->bulk == 0 || cfg->bulk_size < 2 * CONN_OUT)))
        return ATOLL_ERR_INVAL;
    s->bulk_busy = 0;
    s->cfg = *cfg;
    if (s->cfg.server_name == 0)
        s->cfg.server_name = "atoll";
    if (s->cfg.request_timeout == 0)
        s->cfg.request_timeout = 10 * NS;
    if (s->cfg.idle_timeout == 0)
        s->cfg.idle_timeout = s->cfg.request_timeout;
    if (s->cfg.io_timeout == 0)
        s->cfg.io_timeout = 30 * NS;
    struct http_server_stats zero = {0};
    s->stats = zero;
    return 0;
}

/* ---- output ----------------------------------------------------------- */

static int flush(struct http_conn *c)
{
    if (c->err)
        return c->err;
    if (c->out_len > 0) {
        long r = c->st->write(c->st->ctx, c->ob, c->out_len,
                              c->srv->cfg.io_timeout);
        if (r < 0) {
            c->err = (int)r;
            c->srv->stats.write_errors++;
            return c->err;
        }
        c->srv->stats.bytes_out += c->out_len;
        c->out_len = 0;
    }
    return 0;
}

static int put(struct http_conn *c, const void *data, size_t len)
{
    const uint8_t *d = data;
    while (len > 0) {
        if (c->out_len == c->ocap && flush(c) != 0)
            return c->err;
        size_t n = c->ocap - c->out_len;
        if (n > len)
            n = len;
        copy(c->ob + c->out_len, d, n);
        c->out_len += n;
        d += n;
        len -= n;
    }
    return c->err;
}

static void puts_(struct http_conn *c, const char *s)
{
    put(c, s, slen(s));
}

static void put_u64(struct http_conn *c, uint64_t v, int base)
{
    char b[24];
    int i = sizeof b;
    do {
        b[--i] = "0123456789abcdef"[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    put(c, b + i, sizeof b - (size_t)i);
}

/* Whether the body the client announced can still be waiting unread
 * behind an Expect: 100-continue we never answered. */
static int body_unwanted(const struct http_conn *c)
{
    const struct http_request *r = c->req;
    return r->expect_continue && !c->continued &&
           (r->chunked || (r->has_length && r->content_length > 0));
}

/* The status line and header section; len ~0: unknown length. */
static int put_head(struct http_conn *c, int status, const char *ctype,
                    uint64_t len)
{
    const struct http_request *r = c->req;
    int bodyless = status == 204 || status == 304 || status < 200;

    if (c->answered)
        return ATOLL_ERR_INVAL;
    c->answered = 1;
    c->status = status;
    if (r == 0 || !r->keep_alive || c->parse_err || body_unwanted(c))
        c->close_after = 1;
    if (len == ~0ull && !bodyless) {
        if (r != 0 && r->minor == 1)
            c->chunked_out = 1;
        else
            c->close_after = 1; /* HTTP/1.0: the end of the body is the close */
    }
    c->declared = bodyless ? 0 : len;
    puts_(c, "HTTP/1.1 ");
    put_u64(c, (uint64_t)status, 10);
    puts_(c, " ");
    puts_(c, http_reason(status));
    puts_(c, "\r\nServer: ");
    puts_(c, c->srv->cfg.server_name);
    if (c->srv->cfg.wall != 0) {
        char d[30];
        http_date_format(c->srv->cfg.wall() / NS, d);
        puts_(c, "\r\nDate: ");
        puts_(c, d);
    }
    if (ctype != 0 && status != 304) {
        puts_(c, "\r\nContent-Type: ");
        puts_(c, ctype);
    }
    if (c->chunked_out) {
        puts_(c, "\r\nTransfer-Encoding: chunked");
    } else if (len != ~0ull && status >= 200 && status != 204 &&
               status != 304) {
        puts_(c, "\r\nContent-Length: ");
        put_u64(c, len, 10);
    }
    puts_(c, "\r\n");
    put(c, c->extra, c->extra_len);
    if (c->close_after)
        puts_(c, "Connection: close\r\n");
    else if (r->minor == 0)
        puts_(c, "Connection: keep-alive\r\n");
    puts_(c, "\r\n");
    return c->err;
}

int http_reply_header(struct http_conn *c, const char *name,
                      const char *value)
{
    size_t nl = slen(name), vl = slen(value);
    if (c->answered)
        return ATOLL_ERR_INVAL;
    if (c->extra_len + nl + vl + 4 > CONN_EXTRA)
        return ATOLL_ERR_NOMEM;
    for (size_t i = 0; i < vl; i++)
        if (value[i] == '\r' || value[i] == '\n')
            return ATOLL_ERR_INVAL; /* no header injection */
    copy(c->extra + c->extra_len, name, nl);
    c->extra_len += nl;
    copy(c->extra + c->extra_len, ": ", 2);
    c->extra_len += 2;
    copy(c->extra + c->extra_len, value, vl);
    c->extra_len += vl;
    copy(c->extra + c->extra_len, "\r\n", 2);
    c->extra_len += 2;
    return 0;
}

int http_reply_start(struct http_conn *c, int status, const char *ctype,
                     int64_t len)
{
    return put_head(c, status, ctype, len < 0 ? ~0ull : (uint64_t)len);
}

long http_reply_write(struct http_conn *c, const void *data, size_t len)
{
    if (!c->answered || c->body_end)
        return ATOLL_ERR_INVAL;
    if (c->declared != ~0ull && len > c->declared - c->sent)
        return ATOLL_ERR_RANGE; /* more than Content-Length announced */
    c->sent += len;
    if (c->head_only || len == 0)
        return c->err ? c->err : (long)len;
    if (c->chunked_out) {
        put_u64(c, len, 16);
        puts_(c, "\r\n");
    }
    put(c, data, len);
    if (c->chunked_out)
        puts_(c, "\r\n");
    return c->err ? c->err : (long)len;
}

int http_reply_end(struct http_conn *c)
{
    if (!c->answered || c->body_end)
        return ATOLL_ERR_INVAL;
    c->body_end = 1;
    if (c->chunked_out && !c->head_only)
        puts_(c, "0\r\n\r\n");
    if (c->declared != ~0ull && c->sent != c->declared)
        c->close_after = 1; /* short body: the framing is lost */
    return c->err;
}

int http_reply_mem(struct http_conn *c, int status, const char *ctype,
                   const void *body, size_t len)
{
    int r = put_head(c, status, ctype, len);
    if (r == 0 && c->declared != 0)
        http_reply_write(c, body, len);
    if (r == 0)
        r = http_reply_end(c);
    return r;
}

/* Lend c a free bulk buffer for a long body, moving what is buffered
 * there; without one (none configured, all lent) c keeps its own. */
static void bulk_take(struct http_conn *c)
{
    struct http_server *s = c->srv;

    for (unsigned i = 0; i < s->cfg.bulk_count; i++) {
        if (s->bulk_busy & (1u << i))
            continue;
        s->bulk_busy |= 1u << i;
        c->bulk = (int)i;
        c->ob = (uint8_t *)s->cfg.bulk + i * s->cfg.bulk_size;
        c->ocap = s->cfg.bulk_size;
        copy(c->ob, c->out, c->out_len);
        s->stats.bulk_lent++;
        return;
    }
}

/* Lend c a bulk buffer for as much of it as room (what the stream takes
 * without waiting) allows, a power of two of at least 16 KiB. */
static void bulk_take_room(struct http_conn *c, size_t room)
{
    size_t cap = 2 * CONN_OUT;

    if (room < cap)
        return;
    while (cap <= room / 2 && cap * 2 <= c->srv->cfg.bulk_size)
        cap *= 2;
    bulk_take(c);
    if (c->bulk >= 0)
        c->ocap = cap;
}

/* Send what the bulk buffer holds and give it back. */
static void bulk_give_back(struct http_conn *c)
{
    if (c->bulk < 0)
        return;
    flush(c);
    c->out_len = 0; /* after an error nothing more is sent */
    c->srv->bulk_busy &= ~(1u << c->bulk);
    c->bulk = -1;
    c->ob = c->out;
    c->ocap = CONN_OUT;
}

/* How many body bytes to read next, at body position pos, into space
 * bytes of a cap-byte buffer, left to go: all if they fit; else the
 * largest power of two that fits, shortened to reach a multiple of 4096
 * when pos is not one. A block device reads such a piece in one call (spt:
 * one pread of block_size << k), where any other length takes one per
 * bit. 0: less than half the buffer is free, flush first. */
static size_t piece(uint64_t pos, size_t space, uint64_t left, size_t cap)
{
    size_t p = 1;

    if (left <= space)
        return (size_t)left;
    if (space < cap / 2)
        return 0;
    while (p <= space / 2)
        p *= 2;
    size_t a = p < 4096 ? p : 4096;
    return p - (size_t)(pos & (a - 1));
}

int http_reply_source(struct http_conn *c, int status, const char *ctype,
                      uint64_t len, http_source_fn fn, void *ctx,
                      uint64_t off)
{
    int r = put_head(c, status, ctype, len);
    uint64_t done = 0;

    int long_body = r == 0 && !c->head_only && c->declared > CONN_OUT;
    int more = long_body && c->st->more != 0;
    /* A stream that says how much it takes without waiting borrows a bulk
     * buffer for no more than fits, one buffer's worth at a time: it is
     * back before the fiber can wait, so one serves many connections. A
     * stream that cannot say keeps one for the whole body. */
    int by_piece = long_body && c->st->space != 0;

    if (long_body && !by_piece)
        bulk_take(c);
    /* Pieces end where the buffer does, not on segment boundaries: let
     * each write's short tail go out with the next one. */
    if (more)
        c->st->more(c->st->ctx, 1);
    while (r == 0 && !c->head_only && done < c->declared) {
        if (by_piece && c->bulk < 0)
            bulk_take_room(c, c->st->space(c->st->ctx));
        /* Read straight into the output buffer, flushing when full. */
        size_t n = piece(off + done, c->ocap - c->out_len,
                         c->declared - done, c->ocap);
        if (n == 0) {
            r = flush(c);
            if (by_piece)
                bulk_give_back(c);
            continue;
        }
        r = fn(ctx, off + done, c->ob + c->out_len, n);
        if (r != 0) {
            c->close_after = 1; /* the client sees a short body */
            break;
        }
        c->out_len += n;
        done += n;
    }
    bulk_give_back(c);
    if (more) {
        flush(c);
        c->st->more(c->st->ctx, 0);
    }
    if (c->head_only)
        done = c->declared;
    c->sent = done;
    c->body_end = 1;
    if (done != c->declared)
        c->close_after = 1;
    return r != 0 ? r : c->err;
}

int http_reply_error(struct http_conn *c, int status)
{
    char msg[64];
    const char *reason = http_reason(status);
    size_t n = 0;

    if (status == 408)
        c->close_after = 1;
    msg[n++] = (char)('0' + status / 100 % 10);
    msg[n++] = (char)('0' + status / 10 % 10);
    msg[n++] = (char)('0' + status % 10);
    msg[n++] = ' ';
    for (size_t i = 0; reason[i] && n < sizeof msg - 1; i++)
        msg[n++] = reason[i];
    msg[n++] = '\n';
    return http_reply_mem(c, status, "text/plain", msg, n);
}

/* ---- input ------------------------------------------------------------ */

/* The next parser event, reading from the stream when the buffer is used
 * up, until deadline (monotonic ns; 0: per read io_timeout). Returns 0,
 * or a negative code: the parser's error, the stream's, TIMEDOUT, or
 * ATOLL_ERR_PIPE at the end of the stream. */
static int next_event(struct http_conn *c, struct http_event *ev,
                      uint64_t deadline, uint8_t *started)
{
    for (;;) {
        uint8_t was = started != 0 && *started;

        long n = http_parse(&c->p, c->in + c->in_off, c->in_len - c->in_off,
                            ev);
        if (n < 0)
            return (int)n;
        c->in_off += (size_t)n;
        if (n > 0 && started != 0)
            *started = 1;
        if (started != 0 && *started && !was) /* the head's clock starts */
            deadline = c->srv->cfg.monotonic() + c->srv->cfg.request_timeout;
        if (ev->type != HTTP_EV_NEED)
            return 0;
        uint64_t tmo = c->srv->cfg.io_timeout;
        if (deadline != 0) {
            uint64_t now = c->srv->cfg.monotonic();
            if (now >= deadline)
                return ATOLL_ERR_TIMEDOUT;
            if (deadline - now < tmo)
                tmo = deadline - now;
        }
        c->in_off = c->in_len = 0;
        long r = c->st->read(c->st->ctx, c->in, CONN_IN, tmo);
        if (r == 0)
            return ATOLL_ERR_PIPE;
        if (r < 0)
            return (int)r;
        c->in_len = (size_t)r;
    }
}

long http_body_read(struct http_conn *c, void *buf, size_t len)
{
    struct http_event ev;

    if (c->req == 0)
        return ATOLL_ERR_INVAL;
    if (c->req->expect_continue && !c->continued && !c->answered) {
        c->continued = 1;
        puts_(c, "HTTP/1.1 100 Continue\r\n\r\n");
        if (flush(c) != 0)
            return c->err;
    }
    c->continued = 1;
    while (c->body_len == 0 && !c->in_end) {
        int r = next_event(c, &ev, 0, 0);
        if (r < 0) {
            if (c->p.status != 0)
                c->parse_err = 1;
            return r;
        }
        if (ev.type == HTTP_EV_BODY) {
            c->body = ev.data;
            c->body_len = ev.len;
        } else {
            c->in_end = 1; /* HTTP_EV_END */
        }
    }
    if (c->body_len == 0)
        return 0;
    if (len > c->body_len)
        len = c->body_len;
    copy(buf, c->body, len);
    c->body += len;
    c->body_len -= len;
    return (long)len;
}

/* ---- the loop --------------------------------------------------------- */

static void count(struct http_server *s, int status)
{
    if (status >= 500)
        s->stats.status_5xx++;
    else if (status >= 400)
        s->stats.status_4xx++;
    else if (status >= 300)
        s->stats.status_3xx++;
    else
        s->stats.status_2xx++;
}

static void finish(struct http_conn *c)
{
    count(c->srv, c->status);
    c->srv->stats.requests++;
    if (c->srv->cfg.log != 0)
        c->srv->cfg.log(c->srv->cfg.arg, c->peer, c->parse_err ? 0 : c->req,
                        c->status, c->head_only ? 0 : c->sent);
}

/* Answer a request that failed to parse or timed out, then close. */
static void answer_error(struct http_conn *c, int status)
{
    c->parse_err = 1;
    c->close_after = 1;
    c->linger = 1;
    c->extra_len = 0;
    c->head_only = 0;
    if (!c->answered) {
        http_reply_error(c, status);
        finish(c);
    }
    flush(c);
}

/* One request whose head just arrived: the handler, then the rest of the
 * body. Returns 0 to go on with the connection. */
static int one_request(struct http_conn *c)
{
    const struct http_request *r = &c->p.req;
    uint8_t scratch[256];
    int rc;

    c->req = r;
    c->head_only = r->method_len == 4 && r->method[0] == 'H' &&
                   r->method[1] == 'E' && r->method[2] == 'A' &&
                   r->method[3] == 'D';
    rc = c->srv->cfg.handler(c->srv->cfg.arg, c, r);
    if (c->parse_err) {
        /* The body was bad (413, 400): answer that if nothing was sent. */
        if (!c->answered)
            http_reply_error(c, c->p.status);
        c->close_after = 1;
    } else if (!c->answered) {
        http_reply_error(c, 500);
    } else if (!c->body_end) {
        http_reply_end(c);
    }
    finish(c);
    if (c->parse_err || (rc < 0 && !c->in_end))
        c->linger = 1; /* the rest of the body may be on its way */
    if (c->parse_err)
        return c->p.err;
    if (rc < 0 || c->close_after || c->err)
        return -1;
    /* Drop what the handler left of the body, up to the request's end. */
    while (!c->in_end) {
        if (c->body_len > 0) {
            c->body_len = 0;
            continue;
        }
        if (http_body_read(c, scratch, sizeof scratch) < 0)
            return -1;
    }
    return 0;
}

static void conn_reset(struct http_conn *c)
{
    c->req = 0;
    c->body = 0;
    c->body_len = 0;
    c->extra_len = 0;
    c->sent = c->declared = 0;
    c->status = 0;
    c->answered = c->head_only = c->close_after = c->chunked_out = 0;
    c->body_end = c->in_end = c->continued = c->parse_err = 0;
    c->linger = 0;
}

static int serve_loop(struct http_conn *c)
{
    struct http_server *s = c->srv;
    struct http_event ev;

    for (;;) {
        uint8_t started = 0;
        uint64_t deadline = s->cfg.monotonic() + s->cfg.idle_timeout;
        int r;

        conn_reset(c);
        /* Pipelined requests already buffered: answer them together. */
        if (c->in_off == c->in_len && flush(c) != 0)
            return c->err;
        for (;;) {
            r = next_event(c, &ev, deadline, &started);
            if (r != 0 || ev.type != HTTP_EV_NEED)
                break;
        }
        if (r == ATOLL_ERR_TIMEDOUT && !started) {
            s->stats.idle_closes++;
            return 0;
        }
        if (r == ATOLL_ERR_TIMEDOUT) {
            s->stats.timeouts_408++;
            answer_error(c, 408);
            return r;
        }
        if (r == ATOLL_ERR_PIPE || (r == 0 && ev.type == HTTP_EV_CLOSED))
            return flush(c);
        if (r < 0 && c->p.status != 0) {
            s->stats.bad_requests++;
            answer_error(c, c->p.status);
            return r;
        }
        if (r < 0)
            return r;
        if (ev.type == HTTP_EV_HEAD && (r = one_request(c)) != 0) {
            flush(c);
            return c->err ? c->err : r < -1 ? r : 0;
        }
    }
}

/*
 * Closing while the client is still sending (an error answered before the
 * body's end, a 408) would turn the close into a reset, and a reset can
 * destroy the answer before the client reads it: a client still uploading
 * fails its write and never looks (RFC 9112 9.6). So half-close, then
 * read and drop what comes until the client closes too, for at most
 * LINGER_TIME and LINGER_IDLE between reads, as nginx's lingering close.
 */
#define LINGER_TIME (5ull * 1000000000)
#define LINGER_IDLE (1ull * 1000000000)

static void linger(struct http_conn *c)
{
    const struct http_stream *st = c->st;
    uint64_t end = c->srv->cfg.monotonic() + LINGER_TIME;

    if (st->shutdown != 0 && st->shutdown(st->ctx) != 0)
        return;
    c->srv->stats.lingering_closes++;
    for (;;) {
        uint64_t now = c->srv->cfg.monotonic();
        uint64_t tmo = LINGER_IDLE;

        if (now >= end)
            return;
        if (end - now < tmo)
            tmo = end - now;
        if (st->read(st->ctx, c->in, CONN_IN, tmo) <= 0)
            return;
    }
}

int http_serve(struct http_server *s, const struct http_stream *st,
               const char *peer)
{
    struct http_conn c;
    int r;

    c.srv = s;
    c.st = st;
    c.peer = peer;
    c.in_off = c.in_len = c.out_len = 0;
    c.ob = c.out;
    c.ocap = CONN_OUT;
    c.bulk = -1;
    c.err = 0;
    c.linger = 0;
    r = http_parser_init(&c.p, &s->cfg.limits, c.head, sizeof c.head,
                         c.hdrs, CONN_HDRS);
    if (r != 0) {
        st->close(st->ctx, 1);
        return r;
    }
    s->stats.connections++;
    r = serve_loop(&c);
    if (c.linger && c.err == 0)
        linger(&c);
    st->close(st->ctx, c.err != 0); /* a broken write: reset */
    return r;
}
