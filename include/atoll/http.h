/*
 * lib/http: HTTP/1.1 requests (RFC 9110, RFC 9112), no platform calls and
 * no malloc.
 *
 * The request parser is fed bytes as they arrive from TCP, in pieces of
 * any size: the result (head, body bytes, end, or the error and its
 * status) depends only on the bytes, never on where they were split. The
 * head (request line and header lines) is copied into a buffer the caller
 * gives; body bytes are not copied: events point into the caller's input.
 *
 *   struct http_parser p;
 *   http_parser_init(&p, &limits, headbuf, sizeof headbuf, hdrs, NHDRS);
 *   for each piece (data, len) read from the connection:
 *       do {
 *           long n = http_parse(&p, data, len, &ev);
 *           if (n < 0) { answer p.status, close; }
 *           data += n; len -= n;
 *           HTTP_EV_HEAD: p.req is complete (valid until the call after
 *                         HTTP_EV_END); HTTP_EV_BODY: ev.data, ev.len;
 *           HTTP_EV_END: the request is over; bytes that follow belong
 *                        to the next request (pipelining)
 *       } while (ev.type != HTTP_EV_NEED && ev.type != HTTP_EV_CLOSED);
 *
 * HTTP_EV_NEED means every byte given was used: feed more. After a
 * request that does not keep the connection (p.req.keep_alive == 0),
 * HTTP_EV_CLOSED: later bytes are ignored. An error is sticky: every later
 * call returns it again, and the connection must be closed after the
 * answer of status p.status.
 */
#ifndef ATOLL_HTTP_H
#define ATOLL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_METHOD_MAX 32 /* longest method token accepted (else 501) */

/* Bounds of one request; a zero field takes the default in brackets. */
struct http_limits {
    uint32_t max_target;   /* request-target bytes [8000], else 414 */
    uint32_t max_line;     /* one header line [8190], else 431 */
    uint32_t max_head;     /* bytes from the request line to the empty
                            * line [65536], and stored bytes (line ends
                            * are not) at most the buffer's size; else
                            * 431 (414 while in the target) */
    uint64_t max_body;     /* body bytes [1 MiB], else 413 */
    uint32_t max_trailers; /* chunked trailer section bytes [4096], else
                            * 431; a chunk-size line is bounded by
                            * max_line (else 400) */
};

enum http_target_form {
    HTTP_TARGET_ORIGIN = 1,   /* "/path?query" */
    HTTP_TARGET_ABSOLUTE = 2, /* "http://host/path" */
    HTTP_TARGET_ASTERISK = 3, /* "*" (OPTIONS only) */
};

/* A header field line: name and value (OWS trimmed), in the head buffer. */
struct http_header {
    const char *name;
    const char *value;
    uint32_t name_len;
    uint32_t value_len;
};

struct http_request {
    const char *method; /* token, case-sensitive ("GET") */
    const char *target; /* as received */
    const char *path;   /* the path and query of the target: the target in
                         * origin-form, the part after the authority in
                         * absolute-form ("" there means "/"), "*" */
    const char *host;   /* the Host field's value, NULL without one */
    uint32_t method_len, target_len, path_len, host_len;
    uint8_t form;       /* enum http_target_form */
    uint8_t minor;      /* HTTP/1.<minor>: 0 or 1 */
    uint8_t chunked;    /* Transfer-Encoding: chunked */
    uint8_t expect_continue; /* HTTP/1.1 and Expect: 100-continue */
    uint8_t keep_alive; /* the connection persists after this request */
    uint8_t has_length; /* a Content-Length was given */
    uint16_t nheaders;
    uint64_t content_length;
    struct http_header *headers; /* nheaders entries, the caller's array */
};

enum http_event_type {
    HTTP_EV_NEED = 0, /* all input used; feed more */
    HTTP_EV_HEAD,     /* p.req holds the request head */
    HTTP_EV_BODY,     /* ev.data/ev.len: body bytes (chunked: decoded) */
    HTTP_EV_END,      /* the request (and its body) is complete */
    HTTP_EV_CLOSED,   /* the connection does not persist: input ignored */
};

struct http_event {
    int type; /* enum http_event_type */
    const uint8_t *data;
    size_t len;
};

struct http_parser {
    struct http_limits lim;
    struct http_request req;
    uint8_t *buf;          /* the head buffer */
    size_t cap, used;      /* its size, the bytes of this head in it */
    struct http_header *hdrs;
    uint16_t max_headers;
    uint16_t status;       /* after an error: the status to answer */
    int err;               /* after an error: what http_parse returns */
    uint8_t state, cr, sp; /* internal */
    uint16_t nh;           /* header fields so far */
    size_t line;           /* start of the line in progress in buf */
    size_t sizelen;        /* bytes of the chunk-size or trailer line */
    uint64_t body_left;    /* of Content-Length or of the current chunk */
    uint64_t body_total;   /* chunked: decoded bytes so far */
    uint32_t counted;      /* bytes of the head or trailer section */
};

/* Set p up for a connection: limits (NULL: defaults), the head buffer
 * (buf, cap) and the array of at most max_headers header fields (more are
 * 431). Returns 0 or ATOLL_ERR_INVAL. */
int http_parser_init(struct http_parser *p, const struct http_limits *lim,
                     uint8_t *buf, size_t cap, struct http_header *hdrs,
                     uint16_t max_headers);

/* Use the bytes data[0..len): the number used (at most len) and the event
 * in *ev, or a negative ATOLL_ERR_ code with p->status set: 400 malformed
 * (ATOLL_ERR_FORMAT), 413/414/431 over a bound (ATOLL_ERR_NOMEM), 417
 * unknown expectation, 501 unknown transfer coding or method too long or
 * CONNECT, 505 version other than 1.0/1.1 (ATOLL_ERR_NOTSUP). */
long http_parse(struct http_parser *p, const uint8_t *data, size_t len,
                struct http_event *ev);

/* The first header field named name (case-insensitive), or NULL. */
const struct http_header *http_header_find(const struct http_request *r,
                                           const char *name);

/* Decode the path of an origin-form target (the bytes up to '?') into out
 * as a normalized absolute path: %XX decoded, empty and "." segments
 * dropped, ".." removing the segment before it; a final '/' is kept.
 * Refused with ATOLL_ERR_INVAL (answer 400): no leading '/', a bad %
 * escape, an encoded '/' or '\\', a NUL, '#', or ".." above the root.
 * ATOLL_ERR_RANGE if out (cap bytes) is too small. Returns the length of
 * out (not NUL-terminated). */
long http_path_normalize(const char *target, size_t len, char *out,
                         size_t cap);

/* ---- the server ------------------------------------------------------- */

/*
 * A connection's byte stream, so that the server runs the same on TCP
 * (examples/www/tcp_stream.c) and on TLS (lib/tls). The calls block
 * the calling fiber; timeouts are relative nanoseconds (UINT64_MAX: none).
 *   read:  up to len bytes into buf: the count (> 0), 0 at the end of the
 *          stream, ATOLL_ERR_TIMEDOUT when nothing came within timeout, or
 *          another negative ATOLL_ERR_ code (the stream is broken).
 *   write: all len bytes: len, or a negative ATOLL_ERR_ code (TIMEDOUT when
 *          the peer took nothing for timeout).
 *   close: end the stream and release ctx's connection; abort != 0 resets
 *          it (TCP RST, no TLS close_notify) instead of a graceful close.
 */
struct http_stream {
    long (*read)(void *ctx, void *buf, size_t len, uint64_t timeout);
    long (*write)(void *ctx, const void *buf, size_t len, uint64_t timeout);
    void (*close)(void *ctx, int abort);
    void *ctx;
    /* Optional (may be NULL): on 1, more writes follow at once, so short
     * segments may wait for them (TCP: Nagle on); on 0, send all now. */
    void (*more)(void *ctx, int on);
    /* Optional (may be NULL): how many bytes write takes now without
     * waiting (see http_server_config's bulk buffers). */
    size_t (*space)(void *ctx);
    /* Optional (may be NULL): no more writes (TCP: FIN after the queued
     * data), reads go on; 0 or a negative code. Used to drain a client
     * that is still sending before an error's close. */
    int (*shutdown)(void *ctx);
};

/* One connection being served (the server's state, on the fiber's stack). */
struct http_conn;

/* The application's routes, called in the connection's fiber once a
 * request head is complete. It answers with one of http_reply_mem,
 * http_reply_source, http_reply_start (+ write + end) or http_reply_error;
 * returning without an answer is a 500. It may read the request body
 * with http_body_read first; what it leaves unread is discarded. Returns
 * 0, or a negative ATOLL_ERR_ code to close the connection. */
typedef int (*http_handler_fn)(void *arg, struct http_conn *c,
                               const struct http_request *req);

/* A body from elsewhere (the block device through lib/tarkv, a generator):
 * fill buf with the len bytes at offset off; 0 or a negative code. */
typedef int (*http_source_fn)(void *ctx, uint64_t off, void *buf,
                              size_t len);

/* What the server counts (over every connection). */
struct http_server_stats {
    uint64_t connections, requests, bytes_out;
    uint64_t status_2xx, status_3xx, status_4xx, status_5xx;
    uint64_t timeouts_408, idle_closes, bad_requests, write_errors;
    uint64_t bulk_lent; /* long bodies sent through a bulk buffer */
    uint64_t lingering_closes; /* closes that first drained the client */
};

struct http_server_config {
    struct http_limits limits;
    http_handler_fn handler;
    void *arg;
    const char *server_name;   /* the Server field ["atoll"] */
    uint64_t request_timeout;  /* ns to receive a whole head [10 s]: 408 */
    uint64_t idle_timeout;     /* ns between requests [request_timeout] */
    uint64_t io_timeout;       /* ns a read or write may stall [30 s] */
    uint64_t (*monotonic)(void); /* ns clock for the timeouts (required) */
    uint64_t (*wall)(void);    /* ns since 1970 for Date (NULL: no Date) */
    /* Called after each response (access log); may be NULL. */
    void (*log)(void *arg, const char *peer, const struct http_request *req,
                int status, uint64_t body_bytes);
    /* Optional: bulk_count (at most 32) buffers of bulk_size bytes (at
     * least 16 KiB) at bulk, each lent to one connection while it sends a
     * body from http_reply_source longer than its own 8 KiB buffer: longer
     * reads and writes (fewer system calls, whole 64 KiB segments). A
     * connection finding none free uses its own. Lent for one write at a
     * time when the stream has space(), no longer than that says fits
     * (so the buffer is back before the fiber waits), else for the whole
     * body. */
    void *bulk;
    size_t bulk_size;
    unsigned bulk_count;
};

struct http_server {
    struct http_server_config cfg;
    struct http_server_stats stats;
    uint32_t bulk_busy; /* the bulk buffers lent */
};

/* Check and copy cfg (zero fields take the defaults); 0 or INVAL. */
int http_server_init(struct http_server *s,
                     const struct http_server_config *cfg);

/* Serve one connection until it ends (end of stream, Connection: close,
 * an error, a timeout), then close the stream. peer (may be NULL) names
 * the client for the log. Uses about 27 KiB of the calling fiber's stack:
 * the connection's bounded buffers. Returns 0 or the error that ended it. */
int http_serve(struct http_server *s, const struct http_stream *st,
               const char *peer);

/* Inside a handler: add a response header field (before the answer;
 * at most 8, copied: ATOLL_ERR_NOMEM beyond 1 KiB). */
int http_reply_header(struct http_conn *c, const char *name,
                      const char *value);

/* Answer with a body in memory (len bytes; not sent for HEAD, 304). */
int http_reply_mem(struct http_conn *c, int status, const char *ctype,
                   const void *body, size_t len);

/* Answer with len bytes read through fn(ctx, off + i, ...), in pieces. */
int http_reply_source(struct http_conn *c, int status, const char *ctype,
                      uint64_t len, http_source_fn fn, void *ctx,
                      uint64_t off);

/* Streamed answer: the head now, len bytes (-1: unknown, chunked for
 * HTTP/1.1, until close for 1.0) in http_reply_write calls, then
 * http_reply_end. */
int http_reply_start(struct http_conn *c, int status, const char *ctype,
                     int64_t len);
long http_reply_write(struct http_conn *c, const void *data, size_t len);
int http_reply_end(struct http_conn *c);

/* A short text/plain answer for an error status (405 adds Allow from
 * http_reply_header if given). */
int http_reply_error(struct http_conn *c, int status);

/* Read the request body (decoded): the count, 0 at its end, or an error
 * (413 over the limit is answered by the server). */
long http_body_read(struct http_conn *c, void *buf, size_t len);

/* The reason phrase of a status ("Not Found"), "" if unknown. */
const char *http_reason(int status);

/* Format t (seconds since 1970) as an IMF-fixdate into out (30 bytes:
 * 29 and a NUL); parse one back (-1 if malformed). */
void http_date_format(uint64_t t, char out[30]);
int64_t http_date_parse(const char *s, size_t len);

/* ---- static files ----------------------------------------------------- */

/* A file as a file tree (lib/tarkv in examples/www, a table in tests)
 * shows it to http_serve_file. */
struct http_file {
    uint64_t size;
    uint64_t mtime; /* seconds since 1970 */
    int is_dir;
    const void *handle; /* the tree's own, given back to read */
};

struct http_fs {
    /* Look up name[0..len) (no leading '/', "" is the root): 0 with *f
     * filled, or ATOLL_ERR_NOENT. */
    int (*lookup)(void *ctx, const char *name, size_t len,
                  struct http_file *f);
    /* Read len bytes at off of the file. */
    int (*read)(void *ctx, const struct http_file *f, uint64_t off,
                void *buf, size_t len);
    void *ctx;
};

/*
 * Answer a request from fs: GET and HEAD (else 405 with Allow), the path
 * normalized (escapes, "..", %2f, NUL: 400), "index.html" for a path
 * ending in '/', 301 to "path/" for a directory, 404; Content-Type by
 * extension; ETag ("size-mtime" in hex) and Last-Modified, answered with
 * 304 by If-None-Match (or If-Modified-Since without it); one byte range
 * (206, Content-Range; 416 when unsatisfiable; several ranges or an
 * If-Range that does not match: the whole file); the sibling "NAME.gz"
 * with Content-Encoding: gzip when Accept-Encoding allows gzip (Vary:
 * Accept-Encoding whenever the sibling exists).
 */
int http_serve_file(struct http_conn *c, const struct http_request *req,
                    const struct http_fs *fs);

/* The media type for a file name by its extension
 * ("application/octet-stream" when unknown). */
const char *http_mime_type(const char *name, size_t len);

#endif
