/*
 * The kv server: lib/kv over TCP with the line protocol of README.md.
 *
 * One fiber per connection reads requests and answers them with lib/net's
 * blocking calls; lib/kv's calls do not wait, so each request's work on
 * the store happens without any other fiber running in between.
 *
 * Every change is committed before its OK is sent. Commits are grouped:
 * a connection that has applied a change (put or del in lib/kv's open
 * transaction) joins the group and waits; the committer fiber runs once
 * the fibers ready at that moment have had their turn, commits once for
 * the whole group and wakes its members with the result. A BEGIN ...
 * COMMIT batch is kept in the connection's memory and applied at COMMIT
 * in one go, after committing any pending group, so that a failure half
 * way rolls back that batch alone.
 *
 * Input is untrusted: lines are bounded, values are read into buffers
 * that all connections share a budget for (--buffers), reserved as the
 * value's bytes arrive (see value_grow: a client that announces a large
 * value and sends a few bytes holds a few KiB), a whole value must arrive
 * within --body-timeout
 * and a reply's value be taken within it too, the number of connections
 * is bounded (--max-conns), and an idle client is dropped (--idle).
 * Values being received and values being sent (GET, LIST) have budgets of
 * their own, so a GET never waits for memory held by PUTs. An error that loses the request framing (line too long,
 * value too large, no newline after a value) is answered with an ERR line;
 * then the server stops reading requests, drains what the client still
 * sends for a moment, so that the client gets the ERR line instead of a
 * reset, and closes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atoll/fiber.h"
#include "atoll/kv.h"
#include "atoll/net.h"
#include "atoll/rt.h"

#include "server.h"

#define SEC 1000000000ull
#define LINE_MAX_LEN 1024   /* a request line, newline included */
#define IN_SIZE 8192        /* receive buffer, holds several lines */
#define OUT_SIZE 8192       /* replies collected before a write */
#define REPLY_MAX 1100      /* longest formatted reply line (a KEY line) */
#define CONN_STACK (32 * 1024)
#define TCP_BUF (64 * 1024) /* receive and send buffer per connection */
#define LIST_PAGE (64 * 1024) /* LIST text produced per scan of the index */
#define BATCH_MAX 10000     /* changes in one BEGIN ... COMMIT */
#define LINGER_NS (3 * SEC) /* draining after a fatal error */
#define LINGER_BYTES (8u << 20)

ATOLL_PARAM_INT(port, "port", 7070, 1, 65535, "serve: TCP port");
ATOLL_PARAM_INT(max_conns, "max-conns", 1024, 1, 60000,
                "serve: connections at once; more are told ERR and closed");
ATOLL_PARAM_INT(idle_seconds, "idle", 300, 0, 86400,
                "serve: close a connection idle this many seconds (0: never)");
ATOLL_PARAM_INT(buffers_mib, "buffers", 64, 1, 65536,
                "serve: MiB of buffers for values being received, all "
                "connections together, and as much for values being sent "
                "(at least 2 values' worth each)");
ATOLL_PARAM_INT(body_seconds, "body-timeout", 10, 1, 3600,
                "serve: seconds for a PUT's whole value to arrive, and for a "
                "GET's or LIST's reply to be taken; then ERR and close");

static struct atoll_blockdev *dev;
static struct atoll_kv *kv;
static size_t max_value;
static bool debug;

/* ---- the store ---------------------------------------------------------- */

/* A connection waiting for the commit of the change it applied. */
struct commit_wait {
    struct commit_wait *next;
    struct atoll_fiber *fiber;
    int result;
    bool done;
};

static struct commit_wait *group; /* lib/kv's open transaction is theirs */
static struct atoll_fiber *committer_fiber;
static uint64_t commits, grouped;

static void finish_group(struct commit_wait *w, int result)
{
    struct commit_wait *next;

    for (; w != NULL; w = next) {
        next = w->next;
        w->result = result;
        w->done = true;
        atoll_fiber_wake(w->fiber); /* w is on its stack: not used after */
    }
}

/*
 * The store failed (EIO, or a commit that did not complete): lib/kv then
 * refuses everything, and only opening it again recovers whatever the log
 * holds. The members of the pending group are told the error: their
 * changes may or may not have become durable.
 */
static void store_failed(int err)
{
    struct commit_wait *w = group;
    char why[200];

    group = NULL;
    finish_group(w, err);
    atoll_log(ATOLL_LOG_ERROR, "kv: the store failed (%s); opening it again",
              atoll_strerror(err));
    atoll_kv_close(kv);
    kv = NULL;
    if (atoll_kv_open(dev, 0, &kv, why, sizeof why) != 0) {
        atoll_log(ATOLL_LOG_ERROR, "kv: open: %s", why);
        exit(3);
    }
}

/* Commit the pending group now. */
static void commit_group(void)
{
    struct commit_wait *w = group;
    int r;

    if (w == NULL)
        return;
    r = atoll_kv_commit(kv);
    if (r != 0) {
        store_failed(r);
        return;
    }
    group = NULL;
    commits++;
    finish_group(w, 0);
}

static void committer(void *arg)
{
    (void)arg;
    for (;;) {
        if (group == NULL) {
            atoll_fiber_wait(UINT64_MAX);
            continue;
        }
        /* Connections made ready by the same round of input apply their
         * changes first and share this commit. */
        atoll_fiber_yield();
        commit_group();
    }
}

/* After applying a change: wait for its commit; its result. */
static int wait_commit(void)
{
    struct commit_wait w = {group, atoll_fiber_current(), 0, false};

    group = &w;
    grouped++;
    atoll_fiber_wake(committer_fiber);
    while (!w.done)
        atoll_fiber_wait(UINT64_MAX);
    return w.result;
}

/* Errors after which lib/kv refuses everything. */
static bool fatal_kv_error(int r)
{
    return r == ATOLL_ERR_IO;
}

/* ---- value buffers ------------------------------------------------------ */

/* A budget of buffer bytes, and the fibers waiting for room in it. */
struct mem_wait {
    struct mem_wait *next;
    struct atoll_fiber *fiber;
};

struct pool {
    size_t used, max;
    struct mem_wait *waiters;
    uint64_t waits;
};

/* Values being received (PUT, batches), and replies being sent (GET,
 * LIST): a GET never waits for what PUTs hold. */
static struct pool put_pool, get_pool;

/* Take n bytes of p; when there is no room, wait for some until deadline
 * (0: do not wait). false: no room. */
static bool pool_take(struct pool *p, size_t n, atoll_time_t deadline)
{
    while (p->used + n > p->max) {
        struct mem_wait w = {p->waiters, atoll_fiber_current()};

        if (deadline == 0 || atoll_clock_monotonic() >= deadline)
            return false;
        p->waits++;
        p->waiters = &w;
        atoll_fiber_wait(deadline);
        /* pool_give empties the list before waking; a timeout or a
         * spurious wake may find w still there. */
        for (struct mem_wait **pp = &p->waiters; *pp != NULL;
             pp = &(*pp)->next) {
            if (*pp == &w) {
                *pp = w.next;
                break;
            }
        }
    }
    p->used += n;
    return true;
}

static void pool_give(struct pool *p, size_t n)
{
    struct mem_wait *w = p->waiters, *next;

    p->used -= n;
    p->waiters = NULL;
    for (; w != NULL; w = next) {
        next = w->next;
        atoll_fiber_wake(w->fiber);
    }
}

/* A reply buffer of n bytes from get_pool (waiting for room: each holder
 * gives its buffer back within --body-timeout); NULL if out of memory. */
static void *mem_get(size_t n)
{
    void *p;

    if (!pool_take(&get_pool, n, UINT64_MAX))
        return NULL;
    if ((p = malloc(n > 0 ? n : 1)) == NULL)
        pool_give(&get_pool, n);
    return p;
}

static void mem_put(void *p, size_t n)
{
    if (p == NULL)
        return;
    free(p);
    pool_give(&get_pool, n);
}

/* A PUT's value as it arrives: len bytes in buf, cap of them reserved
 * from put_pool. */
struct value {
    uint8_t *buf;
    size_t len, cap;
};

static void value_free(struct value *v)
{
    if (v->cap > 0) {
        free(v->buf);
        pool_give(&put_pool, v->cap);
    }
    v->buf = NULL;
    v->len = v->cap = 0;
}

enum { GROW_OK, GROW_NOROOM, GROW_NOMEM };

/* A value's first VALUE_STEP bytes are reserved as they arrive; past that
 * the rest of its length is reserved at once. */
#define VALUE_STEP (64 * 1024)

/*
 * Room in v for need bytes of a total-byte value. The first VALUE_STEP
 * bytes: the reservation at most doubles, so it stays within twice what
 * has arrived, and is taken only while room for one largest value stays
 * free. The rest, or all of it when that room is short, is reserved at
 * once, waiting for room until deadline (0: not at all). So a client
 * that announces a value and sends a few bytes holds a few KiB, and the
 * values reserved whole can always finish (no two values wait for each
 * other's bytes).
 */
static int value_grow(struct value *v, size_t need, size_t total,
                      atoll_time_t deadline)
{
    size_t cap = v->cap * 2;
    uint8_t *p;

    if (need <= v->cap)
        return GROW_OK;
    if (cap < 4096)
        cap = 4096;
    if (cap < need)
        cap = need;
    if (cap > VALUE_STEP)
        cap = VALUE_STEP;
    if (cap > total)
        cap = total;
    if (need <= cap &&
        put_pool.used + (cap - v->cap) + max_value <= put_pool.max) {
        put_pool.used += cap - v->cap;
    } else {
        cap = total;
        if (!pool_take(&put_pool, cap - v->cap, deadline))
            return GROW_NOROOM;
    }
    if ((p = realloc(v->buf, cap)) == NULL) {
        pool_give(&put_pool, cap - v->cap);
        return GROW_NOMEM;
    }
    v->buf = p;
    v->cap = cap;
    return GROW_OK;
}

/* ---- connections -------------------------------------------------------- */

struct change {
    struct change *next;
    uint8_t *val; /* reserved from put_pool; NULL for a del */
    size_t vlen, cap;
    size_t klen;
    uint8_t key[ATOLL_KV_KEY_MAX];
};

struct conn {
    struct atoll_tcp *tcp;
    char peer[ATOLL_IP4_STRLEN + 6];
    bool broken;              /* a write failed: stop */
    atoll_time_t deadline;    /* of the value being read or sent; 0: none */
    size_t batch_bytes;       /* reserved by the open batch's values */
    size_t off, have;         /* unread input is in[off, have) */
    size_t outlen;
    bool batch, batch_failed; /* BEGIN seen; the batch can only fail */
    char batch_why[120];
    struct change *changes, **last;
    size_t nchanges;
    uint64_t requests;
    uint8_t in[IN_SIZE];
    char out[OUT_SIZE];
};

static unsigned nconns;
static uint64_t accepted, refused;

static atoll_time_t idle_timeout(void)
{
    return idle_seconds == 0 ? ATOLL_NET_FOREVER
                             : (atoll_time_t)idle_seconds * SEC;
}

/* How long a read or write may wait: the idle time, cut at the deadline of
 * the value in transfer. */
static atoll_time_t io_timeout(const struct conn *c)
{
    atoll_time_t t = idle_timeout(), now;

    if (c->deadline == 0)
        return t;
    now = atoll_clock_monotonic();
    if (now >= c->deadline)
        return 0;
    return c->deadline - now < t ? c->deadline - now : t;
}

static bool late(const struct conn *c)
{
    return c->deadline != 0 && atoll_clock_monotonic() >= c->deadline;
}

static atoll_time_t body_deadline(void)
{
    return atoll_clock_monotonic() + (atoll_time_t)body_seconds * SEC;
}

static bool flush(struct conn *c)
{
    long r;

    if (c->broken)
        return false;
    if (c->outlen == 0)
        return true;
    r = atoll_tcp_write(c->tcp, c->out, c->outlen, io_timeout(c));
    c->outlen = 0;
    if (r < 0) {
        c->broken = true;
        return false;
    }
    return true;
}

/* Append bytes to the replies; large ones are written directly. */
static void put_bytes(struct conn *c, const void *p, size_t n)
{
    if (n > OUT_SIZE - c->outlen) {
        if (!flush(c))
            return;
        if (n > OUT_SIZE / 2) {
            if (atoll_tcp_write(c->tcp, p, n, io_timeout(c)) < 0)
                c->broken = true;
            return;
        }
    }
    memcpy(c->out + c->outlen, p, n);
    c->outlen += n;
}

/* One reply line; fmt without the newline. */
__attribute__((format(printf, 2, 3)))
static void reply(struct conn *c, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (OUT_SIZE - c->outlen < REPLY_MAX && !flush(c))
        return;
    va_start(ap, fmt);
    n = vsnprintf(c->out + c->outlen, REPLY_MAX - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > REPLY_MAX - 2)
        n = REPLY_MAX - 2;
    c->outlen += (size_t)n;
    c->out[c->outlen++] = '\n';
}

/* Read more input; false at end of stream, on an error or after the idle
 * timeout. Replies collected so far go out first: the client may be
 * waiting for them before it sends more. */
static bool fill(struct conn *c)
{
    long n;

    if (!flush(c))
        return false;
    if (c->off > 0) {
        memmove(c->in, c->in + c->off, c->have - c->off);
        c->have -= c->off;
        c->off = 0;
    }
    if (c->have == IN_SIZE)
        return false;
    n = atoll_tcp_read(c->tcp, c->in + c->have, IN_SIZE - c->have,
                       io_timeout(c));
    if (n <= 0)
        return false;
    c->have += (size_t)n;
    return true;
}

/* The next request line, without its newline and a CR before it: 1 and
 * line and len (valid until the next read), 0 at the end of input, -1 for a
 * line over LINE_MAX_LEN. */
static int read_line(struct conn *c, uint8_t **line, size_t *len)
{
    size_t scanned = 0;

    for (;;) {
        uint8_t *s = c->in + c->off;
        size_t avail = c->have - c->off;
        uint8_t *nl = memchr(s + scanned, '\n', avail - scanned);

        if (nl != NULL) {
            size_t n = (size_t)(nl - s);

            if (n + 1 > LINE_MAX_LEN)
                return -1;
            c->off += n + 1;
            if (n > 0 && s[n - 1] == '\r')
                n--;
            *line = s;
            *len = n;
            return 1;
        }
        if (avail >= LINE_MAX_LEN)
            return -1;
        scanned = avail;
        if (!fill(c))
            return 0;
    }
}

/* Read exactly n bytes into dst, or skip them when dst is NULL. */
static bool read_exact(struct conn *c, uint8_t *dst, size_t n)
{
    while (n > 0) {
        size_t k = c->have - c->off;

        if (k == 0) {
            c->off = c->have = 0;
            if (!fill(c))
                return false;
            continue;
        }
        if (k > n)
            k = n;
        if (dst != NULL) {
            memcpy(dst, c->in + c->off, k);
            dst += k;
        }
        c->off += k;
        n -= k;
    }
    return true;
}

enum {
    VALUE_OK,
    VALUE_CLOSED, /* end of stream or an error */
    VALUE_LATE,   /* not all there by the deadline */
    VALUE_BUSY,   /* no buffer room by the deadline */
    VALUE_NOROOM, /* no buffer room in a batch */
    VALUE_NOMEM,
};

/*
 * Read a PUT's n-byte value into v, reserving buffer bytes as they arrive
 * (by c->deadline); when there is no room, wait for some, except in a
 * batch. VALUE_NOROOM and VALUE_NOMEM leave the rest of the value unread.
 */
static int read_value(struct conn *c, struct value *v, size_t n)
{
    while (v->len < n) {
        size_t k = c->have - c->off, room = v->cap - v->len;
        atoll_time_t wait = c->batch ? 0 : c->deadline;
        long r;
        int g;

        if (k > 0) {
            if (k > n - v->len)
                k = n - v->len;
            g = value_grow(v, v->len + k, n, wait);
            if (g == GROW_NOMEM)
                return VALUE_NOMEM;
            if (g != GROW_OK)
                return c->batch ? VALUE_NOROOM : VALUE_BUSY;
            if (c->batch && c->batch_bytes + v->cap > put_pool.max / 4)
                return VALUE_NOROOM; /* one batch holds a quarter at most */
            memcpy(v->buf + v->len, c->in + c->off, k);
            v->len += k;
            c->off += k;
            continue;
        }
        if (room < IN_SIZE) {
            c->off = c->have = 0;
            if (!fill(c))
                return late(c) ? VALUE_LATE : VALUE_CLOSED;
            continue;
        }
        /* Room reserved for bytes that came before: straight into it. */
        if (!flush(c))
            return VALUE_CLOSED;
        if (room > n - v->len)
            room = n - v->len;
        r = atoll_tcp_read(c->tcp, v->buf + v->len, room, io_timeout(c));
        if (r <= 0)
            return late(c) ? VALUE_LATE : VALUE_CLOSED;
        v->len += (size_t)r;
    }
    return VALUE_OK;
}

/* The newline that must follow a value (CR LF is accepted too). */
static bool read_eol(struct conn *c)
{
    uint8_t b;

    if (!read_exact(c, &b, 1))
        return false;
    if (b == '\r' && !read_exact(c, &b, 1))
        return false;
    return b == '\n';
}

/*
 * Answer ERR and close: the request framing is lost. What the client
 * still sends is drained for a moment, so that closing does not reset
 * the connection before the client has read the error.
 */
__attribute__((format(printf, 2, 3)))
static void fatal(struct conn *c, const char *fmt, ...)
{
    atoll_time_t end = atoll_clock_monotonic() + LINGER_NS, now;
    size_t drained = 0;
    va_list ap;
    char msg[200];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply(c, "ERR %s", msg);
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "kv: %s: %s; closing", c->peer, msg);
    if (!flush(c))
        return;
    atoll_tcp_shutdown(c->tcp);
    while (drained < LINGER_BYTES && (now = atoll_clock_monotonic()) < end) {
        long n = atoll_tcp_read(c->tcp, c->in, IN_SIZE, end - now);
        if (n <= 0)
            break;
        drained += (size_t)n;
    }
    c->broken = true;
}

/* ---- protocol text ------------------------------------------------------ */

struct tok {
    const uint8_t *p;
    size_t len;
};

/* Split line at spaces and tabs into at most max tokens; returns the count,
 * max + 1 if there are more. */
static int tokenize(const uint8_t *line, size_t len, struct tok *t, int max)
{
    int n = 0;
    size_t i = 0;

    for (;;) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len)
            return n;
        if (n == max)
            return max + 1;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        t[n].p = line + start;
        t[n].len = i - start;
        n++;
    }
}

static bool tok_is(const struct tok *t, const char *word)
{
    size_t n = strlen(word);

    return t->len == n && strncasecmp((const char *)t->p, word, n) == 0;
}

static int hexval(uint8_t b)
{
    if (b >= '0' && b <= '9')
        return b - '0';
    if (b >= 'a' && b <= 'f')
        return b - 'a' + 10;
    if (b >= 'A' && b <= 'F')
        return b - 'A' + 10;
    return -1;
}

/* Whether byte b stands for itself in the protocol's keys. */
static bool plain(uint8_t b)
{
    return b > 0x20 && b < 0x7f && b != '%';
}

/* Decode a key token (%XX escapes) into key; NULL or why it is bad. */
static const char *decode_key(const struct tok *t, uint8_t *key, size_t *klen)
{
    size_t n = 0;

    for (size_t i = 0; i < t->len; i++) {
        uint8_t b = t->p[i];

        if (b == '%') {
            int hi, lo;

            if (i + 2 >= t->len)
                return "'%' must be followed by two hex digits";
            hi = hexval(t->p[i + 1]);
            lo = hexval(t->p[i + 2]);
            if (hi < 0 || lo < 0)
                return "'%' must be followed by two hex digits";
            b = (uint8_t)(hi << 4 | lo);
            i += 2;
        } else if (!plain(b)) {
            return "bytes other than printable ASCII must be written %XX";
        }
        if (n == ATOLL_KV_KEY_MAX)
            return "longer than 255 bytes";
        key[n++] = b;
    }
    *klen = n;
    return NULL;
}

/* Escape len bytes into out (3 * len + 1 bytes); returns the length. */
static size_t encode(const uint8_t *p, size_t len, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        if (plain(p[i])) {
            out[n++] = (char)p[i];
        } else {
            out[n++] = '%';
            out[n++] = hex[p[i] >> 4];
            out[n++] = hex[p[i] & 15];
        }
    }
    out[n] = '\0';
    return n;
}

/* A token quoted for an error message, cut at 40 bytes. */
static const char *quote(const struct tok *t, char *buf)
{
    size_t n = encode(t->p, t->len > 40 ? 40 : t->len, buf);

    if (t->len > 40)
        strcpy(buf + n, "...");
    return buf;
}

/* A value length: decimal digits only. */
static bool parse_len(const struct tok *t, uint64_t *v)
{
    *v = 0;
    if (t->len == 0 || t->len > 12)
        return false;
    for (size_t i = 0; i < t->len; i++) {
        if (t->p[i] < '0' || t->p[i] > '9')
            return false;
        *v = *v * 10 + (uint64_t)(t->p[i] - '0');
    }
    return true;
}

static const char *kv_err(int r)
{
    switch (r) {
    case ATOLL_ERR_NOSPC:
        return "no space: the store is full";
    case ATOLL_ERR_CORRUPT:
        return "damaged: the record fails its checksum";
    case ATOLL_ERR_NOMEM:
        return "out of memory";
    case ATOLL_ERR_IO:
        return "device failed; the change may or may not have been applied";
    default:
        return atoll_strerror(r);
    }
}

/* ---- requests ----------------------------------------------------------- */

static bool bad_key(struct conn *c, const struct tok *t, uint8_t *key,
                    size_t *klen)
{
    char q[200];
    const char *why = decode_key(t, key, klen);

    if (why == NULL)
        return false;
    reply(c, "ERR bad key '%s': %s", quote(t, q), why);
    return true;
}

static void do_get(struct conn *c, const struct tok *t)
{
    uint8_t key[ATOLL_KV_KEY_MAX];
    size_t klen, vlen, cap;
    uint8_t *buf;
    char head[32];
    int r;

    if (bad_key(c, t, key, &klen))
        return;
    /* The size first; the value may change while we wait for a buffer. */
    for (;;) {
        r = atoll_kv_get(kv, key, klen, NULL, 0, &vlen);
        if (r != 0 && r != ATOLL_ERR_RANGE)
            break;
        cap = vlen;
        if ((buf = mem_get(cap)) == NULL) {
            reply(c, "ERR out of memory");
            return;
        }
        r = atoll_kv_get(kv, key, klen, buf, cap, &vlen);
        if (r == 0) {
            int n = snprintf(head, sizeof head, "VALUE %zu\n", vlen);
            /* The buffer is held until the client takes the value: by
             * the deadline, else the connection is closed. */
            c->deadline = body_deadline();
            put_bytes(c, head, (size_t)n);
            put_bytes(c, buf, vlen);
            put_bytes(c, "\n", 1);
            c->deadline = 0;
            mem_put(buf, cap);
            return;
        }
        mem_put(buf, cap);
        if (r != ATOLL_ERR_RANGE)
            break;
    }
    if (r == ATOLL_ERR_NOENT) {
        reply(c, "NOTFOUND");
        return;
    }
    reply(c, "ERR %s", kv_err(r));
    if (fatal_kv_error(r))
        store_failed(r);
}

static void batch_free(struct conn *c)
{
    struct change *ch, *next;

    for (ch = c->changes; ch != NULL; ch = next) {
        struct value v = {ch->val, ch->vlen, ch->cap};

        next = ch->next;
        value_free(&v);
        free(ch);
    }
    c->changes = NULL;
    c->last = &c->changes;
    c->nchanges = 0;
    c->batch_bytes = 0;
    c->batch = c->batch_failed = false;
}

/* Mark the open batch failed: COMMIT will say why and apply nothing. */
static void batch_fail(struct conn *c, const char *why)
{
    if (!c->batch_failed)
        snprintf(c->batch_why, sizeof c->batch_why, "%s", why);
    c->batch_failed = true;
    reply(c, "ERR %s; the batch will be discarded", why);
}

/* Queue a change in the open batch (takes v; NULL for a del); false if it
 * failed. */
static bool batch_add(struct conn *c, const uint8_t *key, size_t klen,
                      struct value *v)
{
    struct change *ch;
    struct value none = {0};
    bool del = v == NULL;

    if (del)
        v = &none;
    if (c->batch_failed) {
        value_free(v);
        reply(c, "ERR the batch failed earlier (%s)", c->batch_why);
        return false;
    }
    if (c->nchanges == BATCH_MAX || (ch = malloc(sizeof *ch)) == NULL) {
        value_free(v);
        batch_fail(c, c->nchanges == BATCH_MAX ? "too many changes in the "
                   "batch (the most is 10000)" : "out of memory");
        return false;
    }
    ch->next = NULL;
    /* A put of an empty value still needs a non-NULL pointer. */
    ch->val = del ? NULL : v->buf != NULL ? v->buf : (uint8_t *)"";
    ch->vlen = v->len;
    ch->cap = v->cap;
    c->batch_bytes += v->cap;
    *v = none;
    ch->klen = klen;
    memcpy(ch->key, key, klen);
    *c->last = ch;
    c->last = &ch->next;
    c->nchanges++;
    reply(c, "QUEUED");
    return true;
}

/* Apply one change (a put of v, or a del when v is NULL) and commit it;
 * reply. A put's buffer is given back once the value is in the log,
 * before the wait for the commit. */
static void change(struct conn *c, const uint8_t *key, size_t klen,
                   struct value *v)
{
    int r = v == NULL ? atoll_kv_del(kv, key, klen)
                      : atoll_kv_put(kv, key, klen,
                                     v->buf != NULL ? v->buf : (uint8_t *)"",
                                     v->len);

    if (v != NULL)
        value_free(v);
    if (r == 0)
        r = wait_commit();
    else if (fatal_kv_error(r))
        store_failed(r);
    if (r == 0)
        reply(c, "OK");
    else if (r == ATOLL_ERR_NOENT)
        reply(c, "NOTFOUND");
    else
        reply(c, "ERR %s", kv_err(r));
}

/* After a PUT's value could not be kept: skip its rest; false: close. */
static bool skip_value(struct conn *c, size_t rest, const char *why)
{
    bool ok = read_exact(c, NULL, rest) && read_eol(c);
    bool was_late = late(c);

    c->deadline = 0;
    if (ok)
        return true;
    if (was_late)
        fatal(c, "the value did not arrive within %lld s", (long long)body_seconds);
    else
        fatal(c, "%s", why);
    return false;
}

/* PUT KEY LEN, then LEN bytes and a newline, all within --body-timeout.
 * false: close. */
static bool do_put(struct conn *c, const struct tok *t)
{
    uint8_t key[ATOLL_KV_KEY_MAX];
    struct value v = {0};
    const char *why;
    uint64_t len;
    size_t klen = 0;
    char q[200];
    int r;

    if (!parse_len(&t[1], &len)) {
        fatal(c, "bad value length '%s'", quote(&t[1], q));
        return false;
    }
    if (len > max_value) {
        fatal(c, "value too large: %llu bytes, the most is %zu",
              (unsigned long long)len, max_value);
        return false;
    }
    c->deadline = body_deadline();
    why = decode_key(&t[0], key, &klen);
    if (why != NULL) {
        char msg[300];

        snprintf(msg, sizeof msg, "bad key '%s': %s", quote(&t[0], q), why);
        if (!skip_value(c, len, msg))
            return false;
        reply(c, "ERR %s", msg);
        return true;
    }
    r = read_value(c, &v, len);
    if (r == VALUE_NOROOM || r == VALUE_NOMEM) {
        size_t rest = len - v.len;

        value_free(&v);
        if (!skip_value(c, rest, "out of memory"))
            return false;
        if (c->batch)
            batch_fail(c, "out of buffer memory for the batch");
        else
            reply(c, "ERR out of memory");
        return true;
    }
    if (r == VALUE_OK && !read_eol(c))
        r = late(c) ? VALUE_LATE : -1;
    c->deadline = 0;
    if (r != VALUE_OK) {
        value_free(&v);
        if (r == VALUE_LATE)
            fatal(c, "the value did not arrive within %lld s",
                  (long long)body_seconds);
        else if (r == VALUE_BUSY)
            fatal(c, "no buffer memory for the value within %lld s (the "
                  "server is busy)", (long long)body_seconds);
        else if (r != VALUE_CLOSED)
            fatal(c, "the %llu bytes of the value must be followed by a "
                  "newline", (unsigned long long)len);
        return false;
    }
    if (c->batch)
        batch_add(c, key, klen, &v);
    else
        change(c, key, klen, &v);
    return true;
}

static void do_del(struct conn *c, const struct tok *t)
{
    uint8_t key[ATOLL_KV_KEY_MAX];
    size_t klen;

    if (bad_key(c, t, key, &klen))
        return;
    if (c->batch)
        batch_add(c, key, klen, NULL);
    else
        change(c, key, klen, NULL);
}

static void do_commit(struct conn *c)
{
    struct change *ch;
    size_t n = c->nchanges;
    int r = 0;

    if (c->batch_failed) {
        reply(c, "ERR batch discarded: %s", c->batch_why);
        batch_free(c);
        return;
    }
    if (n > 0) {
        /* The transaction must hold this batch alone, so that a failure
         * rolls back nothing else. */
        commit_group();
        for (ch = c->changes; ch != NULL && r == 0; ch = ch->next) {
            if (ch->val == NULL) {
                r = atoll_kv_del(kv, ch->key, ch->klen);
                if (r == ATOLL_ERR_NOENT)
                    r = 0;
            } else {
                r = atoll_kv_put(kv, ch->key, ch->klen, ch->val, ch->vlen);
            }
        }
        if (r == 0) {
            r = wait_commit();
        } else if (fatal_kv_error(r)) {
            store_failed(r);
        } else {
            int r2 = atoll_kv_rollback(kv);
            if (r2 != 0)
                store_failed(r2);
        }
    }
    batch_free(c);
    if (r == 0)
        reply(c, "OK %zu", n);
    else
        reply(c, "ERR %s; nothing was applied", kv_err(r));
}

/* LIST: pages of KEY lines, each page made in one scan of the index. */
struct page {
    char *buf;
    size_t len;
    const uint8_t *after; /* the last key of the page before, or NULL */
    size_t alen;
    uint8_t last[ATOLL_KV_KEY_MAX];
    size_t llen;
    uint64_t count;
    bool full;
};

static int keycmp(const uint8_t *a, size_t alen, const uint8_t *b,
                  size_t blen)
{
    int d = memcmp(a, b, alen < blen ? alen : blen);

    if (d != 0)
        return d;
    return alen < blen ? -1 : alen > blen;
}

static int list_one(void *arg, const void *key, size_t klen, size_t vlen)
{
    struct page *pg = arg;

    if (pg->after != NULL && keycmp(key, klen, pg->after, pg->alen) <= 0)
        return 0;
    if (LIST_PAGE - pg->len < REPLY_MAX) {
        pg->full = true;
        return 1;
    }
    memcpy(pg->buf + pg->len, "KEY ", 4);
    pg->len += 4;
    pg->len += encode(key, klen, pg->buf + pg->len);
    pg->len += (size_t)snprintf(pg->buf + pg->len, LIST_PAGE - pg->len,
                                " %zu\n", vlen);
    memcpy(pg->last, key, klen);
    pg->llen = klen;
    pg->count++;
    return 0;
}

static void do_list(struct conn *c, const struct tok *t)
{
    uint8_t prefix[ATOLL_KV_KEY_MAX], after[ATOLL_KV_KEY_MAX];
    size_t plen = 0;
    struct page pg = {0};
    int r;

    if (t != NULL && bad_key(c, t, prefix, &plen))
        return;
    if ((pg.buf = mem_get(LIST_PAGE)) == NULL) {
        reply(c, "ERR out of memory");
        return;
    }
    do {
        pg.full = false;
        pg.len = 0;
        r = atoll_kv_list(kv, prefix, plen, list_one, &pg);
        if (r < 0)
            break;
        /* The page's buffer is held until the client takes it: each page
         * by its deadline, else the connection is closed. */
        c->deadline = body_deadline();
        put_bytes(c, pg.buf, pg.len);
        /* Other connections run while this page goes out; the next scan
         * goes on after the last key sent. */
        memcpy(after, pg.last, pg.llen);
        pg.after = after;
        pg.alen = pg.llen;
        if (pg.full && !flush(c))
            break;
        c->deadline = 0;
    } while (pg.full && !c->broken);
    c->deadline = 0;
    mem_put(pg.buf, LIST_PAGE);
    if (r < 0)
        reply(c, "ERR %s", kv_err(r));
    else
        reply(c, "END %llu", (unsigned long long)pg.count);
}

static void do_stats(struct conn *c)
{
    struct atoll_kv_stats st;

    atoll_kv_stats(kv, &st);
    reply(c, "STATS keys=%llu live_bytes=%llu log_bytes=%llu data_size=%llu "
          "max_value=%llu commits=%llu connections=%u accepted=%llu "
          "refused=%llu group_commits=%llu grouped_changes=%llu "
          "buffer_waits=%llu",
          (unsigned long long)st.keys, (unsigned long long)st.live_bytes,
          (unsigned long long)st.log_bytes, (unsigned long long)st.data_size,
          (unsigned long long)st.max_value, (unsigned long long)st.commits,
          nconns, (unsigned long long)accepted, (unsigned long long)refused,
          (unsigned long long)commits, (unsigned long long)grouped,
          (unsigned long long)(put_pool.waits + get_pool.waits));
}

/* One request line; false: close the connection. */
static bool request(struct conn *c, const uint8_t *line, size_t len)
{
    struct tok t[4];
    int n = tokenize(line, len, t, 3);
    char q[200];

    if (n == 0)
        return true; /* empty line */
    c->requests++;
#define ARGS(want, usage)                                                   \
    if (n != (want)) {                                                     \
        reply(c, "ERR usage: %s", usage);                                   \
        return true;                                                       \
    }
    if (tok_is(&t[0], "GET")) {
        ARGS(2, "GET KEY");
        do_get(c, &t[1]);
    } else if (tok_is(&t[0], "PUT")) {
        if (n != 3) {
            /* The value's extent is unknown. */
            fatal(c, "usage: PUT KEY LENGTH, then LENGTH bytes and a "
                  "newline");
            return false;
        }
        return do_put(c, &t[1]);
    } else if (tok_is(&t[0], "DEL")) {
        ARGS(2, "DEL KEY");
        do_del(c, &t[1]);
    } else if (tok_is(&t[0], "LIST")) {
        if (n > 2) {
            reply(c, "ERR usage: LIST [PREFIX]");
            return true;
        }
        do_list(c, n == 2 ? &t[1] : NULL);
    } else if (tok_is(&t[0], "BEGIN")) {
        ARGS(1, "BEGIN");
        if (c->batch) {
            reply(c, "ERR already in a batch");
            return true;
        }
        c->batch = true;
        reply(c, "OK");
    } else if (tok_is(&t[0], "COMMIT")) {
        ARGS(1, "COMMIT");
        if (!c->batch)
            reply(c, "ERR no batch to commit (BEGIN starts one)");
        else
            do_commit(c);
    } else if (tok_is(&t[0], "ROLLBACK")) {
        ARGS(1, "ROLLBACK");
        if (!c->batch) {
            reply(c, "ERR no batch to roll back");
            return true;
        }
        batch_free(c);
        reply(c, "OK");
    } else if (tok_is(&t[0], "STATS")) {
        ARGS(1, "STATS");
        do_stats(c);
    } else if (tok_is(&t[0], "PING")) {
        ARGS(1, "PING");
        reply(c, "PONG");
    } else if (tok_is(&t[0], "QUIT")) {
        reply(c, "BYE");
        return false;
    } else {
        reply(c, "ERR unknown command '%s' (GET PUT DEL LIST BEGIN COMMIT "
              "ROLLBACK STATS PING QUIT)", quote(&t[0], q));
    }
#undef ARGS
    return true;
}

static void session(void *arg)
{
    struct conn *c = arg;
    atoll_ip4_t addr;
    uint16_t rport;
    uint8_t *line;
    size_t len;
    int r;

    c->last = &c->changes;
    atoll_tcp_endpoints(c->tcp, NULL, NULL, &addr, &rport);
    atoll_ip4_format(addr, c->peer);
    snprintf(c->peer + strlen(c->peer), 7, ":%u", rport);
    atoll_tcp_set_nodelay(c->tcp, true); /* replies are coalesced here */
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "kv: %s connected", c->peer);
    while (!c->broken && (r = read_line(c, &line, &len)) != 0) {
        if (r < 0) {
            fatal(c, "line too long (the most is %d bytes)", LINE_MAX_LEN);
            break;
        }
        if (!request(c, line, len))
            break;
    }
    flush(c);
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "kv: %s closed after %llu requests%s%s",
                  c->peer, (unsigned long long)c->requests,
                  atoll_tcp_error(c->tcp) ? ": " : "",
                  atoll_tcp_error(c->tcp)
                      ? atoll_strerror(atoll_tcp_error(c->tcp)) : "");
    batch_free(c);
    atoll_tcp_close(c->tcp);
    free(c);
    nconns--;
}

static void acceptor(void *arg)
{
    static const char busy[] = "ERR too many connections\n";
    struct atoll_tcp *l = arg, *t;
    struct conn *c;

    while (atoll_tcp_accept(l, &t, ATOLL_NET_FOREVER) == 0) {
        if (nconns >= (uint64_t)max_conns) {
            refused++;
            atoll_tcp_send(t, busy, sizeof busy - 1);
            atoll_tcp_close(t);
            continue;
        }
        c = malloc(sizeof *c);
        if (c == NULL) {
            atoll_tcp_abort(t);
            continue;
        }
        memset(c, 0, offsetof(struct conn, in));
        c->tcp = t;
        if (atoll_fiber_spawn(session, c, CONN_STACK) == NULL) {
            free(c);
            atoll_tcp_abort(t);
            continue;
        }
        nconns++;
        accepted++;
    }
    atoll_log(ATOLL_LOG_ERROR, "kv: accept failed; no longer serving");
    exit(1);
}

int kv_serve(struct atoll_blockdev *d, struct atoll_kv *store)
{
    struct atoll_netif *nif;
    struct atoll_tcp *l;
    struct atoll_kv_stats st;
    int r;

    dev = d;
    kv = store;
    debug = atoll_log_enabled(ATOLL_LOG_DEBUG);
    atoll_kv_stats(kv, &st);
    max_value = (size_t)st.max_value;
    put_pool.max = (size_t)buffers_mib << 20;
    if (put_pool.max < 2 * max_value + LIST_PAGE)
        put_pool.max = 2 * max_value + LIST_PAGE; /* one value always fits */
    get_pool.max = put_pool.max;
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_tcp_listen(nif, (uint16_t)port, 0, &l);
    if (r == 0)
        r = atoll_tcp_set_buffers(l, TCP_BUF, TCP_BUF);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "kv: port %lld: %s", (long long)port,
                  atoll_strerror(r));
        return 1;
    }
    committer_fiber = atoll_fiber_spawn(committer, NULL, 0);
    if (committer_fiber == NULL || atoll_fiber_spawn(acceptor, l, 0) == NULL) {
        atoll_log(ATOLL_LOG_ERROR, "kv: out of memory");
        return 1;
    }
    atoll_log(ATOLL_LOG_INFO, "kv: serving %llu keys on tcp port %lld",
              (unsigned long long)st.keys, (long long)port);
    atoll_fiber_run();
    return 0;
}
