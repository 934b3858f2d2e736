/* An http_stream on a lib/net TCP connection (blocking calls, in the
 * connection's fiber). */
#include "atoll/net.h"

#include "www.h"

static long tcp_read(void *ctx, void *buf, size_t len, uint64_t timeout)
{
    return atoll_tcp_read(ctx, buf, len, timeout);
}

static long tcp_write(void *ctx, const void *buf, size_t len,
                      uint64_t timeout)
{
    return atoll_tcp_write(ctx, buf, len, timeout);
}

static void tcp_close(void *ctx, int abort)
{
    if (abort)
        atoll_tcp_abort(ctx);
    else
        atoll_tcp_close(ctx);
}

/* Nagle while a long body is written: the short tail of each write
 * waits for the next, so whole 64 KiB segments go out; the connection is
 * otherwise TCP_NODELAY (www.c). */
static void tcp_more(void *ctx, int on)
{
    atoll_tcp_set_nodelay(ctx, !on);
}

static int tcp_shutdown(void *ctx)
{
    return atoll_tcp_shutdown(ctx);
}

static size_t tcp_space(void *ctx)
{
    return atoll_tcp_send_space(ctx);
}

void www_tcp_stream(struct http_stream *s, struct atoll_tcp *conn)
{
    s->space = tcp_space;
    s->more = tcp_more;
    s->read = tcp_read;
    s->write = tcp_write;
    s->close = tcp_close;
    s->shutdown = tcp_shutdown;
    s->ctx = conn;
}
