/* An http_stream on a lib/tls connection (blocking calls, in the
 * connection's fiber). */
#ifndef WWW_NO_TLS /* an HTTP-only build (www.c) */
#include "atoll/tls.h"

#include "www.h"

static long tls_read(void *ctx, void *buf, size_t len, uint64_t timeout)
{
    return atoll_tls_read(ctx, buf, len, timeout);
}

static long tls_write(void *ctx, const void *buf, size_t len,
                      uint64_t timeout)
{
    return atoll_tls_write(ctx, buf, len, timeout);
}

static void tls_more(void *ctx, int on)
{
    atoll_tls_more(ctx, on != 0);
}

static size_t tls_space(void *ctx)
{
    return atoll_tls_send_space(ctx);
}

static void tls_close(void *ctx, int abort)
{
    if (abort)
        atoll_tls_abort(ctx);
    else
        atoll_tls_close(ctx);
}

void www_tls_stream(struct http_stream *s, struct atoll_tls_conn *conn)
{
    s->read = tls_read;
    s->write = tls_write;
    s->close = tls_close;
    s->ctx = conn;
    s->more = tls_more;
    s->space = tls_space;
    s->shutdown = NULL; /* close_notify waits for the client's (lib/tls) */
}
#endif
