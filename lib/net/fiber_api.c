/*
 * The blocking API: each call tries the non-blocking one and, while that
 * says EAGAIN, waits on the endpoint's wait queue (see net_internal.h)
 * until the stack reports an event on it or the timeout passes. Waiting
 * is lib/fiber's: other fibers and the event loop run meanwhile.
 */
#include "atoll/fiber.h"
#include "tcp.h"

static void wake(void *fiber)
{
    atoll_fiber_wake(fiber);
}

static atoll_time_t deadline_of(atoll_time_t timeout)
{
    atoll_time_t now = atoll_clock_monotonic();

    if (timeout == ATOLL_NET_FOREVER || timeout > UINT64_MAX - 1 - now)
        return UINT64_MAX;
    return now + timeout;
}

/* Wait for an event on q; false once the deadline has passed. */
static bool wait_on(struct net_waitq *q, atoll_time_t deadline)
{
    struct net_wait w = {q->head, atoll_fiber_current()};
    struct net_wait **pp;

    if (atoll_clock_monotonic() >= deadline)
        return false;
    net_wake_hook = wake;
    q->head = &w;
    atoll_fiber_wait(deadline);
    for (pp = &q->head; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == &w) {
            *pp = w.next;
            break;
        }
    }
    return true;
}

int atoll_tcp_accept(struct atoll_tcp *l, struct atoll_tcp **c,
                     atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);
    int r;

    while ((r = atoll_tcp_try_accept(l, c)) == ATOLL_ERR_AGAIN)
        if (!wait_on(&l->waitq, deadline))
            return ATOLL_ERR_TIMEDOUT;
    return r;
}

int atoll_tcp_dial(struct atoll_netif *nif, atoll_ip4_t addr, uint16_t port,
                   struct atoll_tcp **cp, atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);
    struct atoll_tcp *c;
    int r = atoll_tcp_connect(nif, addr, port, &c);

    if (r != 0)
        return r;
    while (!atoll_tcp_is_connected(c) && c->err == 0 &&
           c->state != TCP_CLOSED) {
        if (!wait_on(&c->waitq, deadline)) {
            atoll_tcp_abort(c);
            return ATOLL_ERR_TIMEDOUT;
        }
    }
    if (c->err != 0 || c->state == TCP_CLOSED) {
        r = c->err != 0 ? c->err : ATOLL_ERR_CONNRESET;
        atoll_tcp_close(c);
        return r;
    }
    *cp = c;
    return 0;
}

long atoll_tcp_read(struct atoll_tcp *c, void *buf, size_t len,
                    atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);
    long r;

    while ((r = atoll_tcp_recv(c, buf, len)) == ATOLL_ERR_AGAIN)
        if (!wait_on(&c->waitq, deadline))
            return ATOLL_ERR_TIMEDOUT;
    return r;
}

long atoll_tcp_write(struct atoll_tcp *c, const void *buf, size_t len,
                     atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);
    const uint8_t *p = buf;
    size_t done = 0;

    while (done < len) {
        long r = atoll_tcp_send(c, p + done, len - done);

        if (r > 0) {
            done += (size_t)r;
        } else if (r != ATOLL_ERR_AGAIN) {
            return r;
        } else if (!wait_on(&c->waitq, deadline)) {
            return ATOLL_ERR_TIMEDOUT;
        }
    }
    return (long)len;
}

long atoll_udp_recvfrom(struct atoll_udp *s, void *buf, size_t size,
                        atoll_ip4_t *src, uint16_t *port,
                        atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);
    long r;

    while ((r = atoll_udp_recv(s, buf, size, src, port)) == ATOLL_ERR_AGAIN)
        if (!wait_on(&s->waitq, deadline))
            return ATOLL_ERR_TIMEDOUT;
    return r;
}

int atoll_netif_wait_configured(struct atoll_netif *nif, atoll_time_t timeout)
{
    atoll_time_t deadline = deadline_of(timeout);

    while (nif->ip.addr == 0)
        if (!wait_on(&nif->cfg_waitq, deadline))
            return ATOLL_ERR_TIMEDOUT;
    return 0;
}
