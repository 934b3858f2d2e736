/*
 * TCP: the application's non-blocking API (include/atoll/net.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tcp.h"

static const char *const state_names[] = {
    "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
    "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
    "TIME-WAIT",
};

int atoll_tcp_listen(struct atoll_netif *nif, uint16_t port, int backlog,
                     struct atoll_tcp **lp)
{
    struct atoll_tcp *l;

    if (nif == NULL || lp == NULL || port == 0 || backlog < 0)
        return ATOLL_ERR_INVAL;
    if (tcp_listener(nif, port) != NULL)
        return ATOLL_ERR_ADDRINUSE;
    l = calloc(1, sizeof *l);
    if (l == NULL)
        return ATOLL_ERR_NOMEM;
    l->nif = nif;
    l->state = TCP_LISTEN;
    l->lport = port;
    l->backlog = backlog == 0 ? TCP_DEFAULT_BACKLOG : backlog;
    l->rcvbuf = l->sndbuf = TCP_DEFAULT_BUF;
    l->user = true;
    l->hnext = nif->tcp->listeners;
    nif->tcp->listeners = l;
    tcp_track(nif, l);
    *lp = l;
    return 0;
}

/* An ephemeral port for a connection to raddr:rport (RFC 6056's third
 * algorithm: a keyed-hash offset per destination, then a shared
 * increment). 0 if every port is in use. */
static uint16_t pick_port(struct atoll_netif *nif, uint32_t laddr,
                          uint32_t raddr, uint16_t rport)
{
    struct tcp_table *t = nif->tcp;
    uint32_t off = tcp_port_offset(nif, laddr, raddr, rport);

    for (uint32_t i = 0; i < TCP_EPH_COUNT; i++) {
        uint16_t p = (uint16_t)(TCP_EPH_LOW +
                                (off + t->eph_next + i) % TCP_EPH_COUNT);

        if (tcp_lookup(nif, laddr, p, raddr, rport) == NULL &&
            tcp_listener(nif, p) == NULL) {
            t->eph_next += (uint16_t)(i + 1);
            return p;
        }
    }
    return 0;
}

int atoll_tcp_connect(struct atoll_netif *nif, atoll_ip4_t addr,
                      uint16_t port, struct atoll_tcp **cp)
{
    struct atoll_tcp *c;
    uint16_t lport;

    if (nif == NULL || cp == NULL || port == 0 || addr == 0 ||
        addr == ATOLL_IP4_BROADCAST || (addr >> 28) >= 14 ||
        ip4_is_bcast(nif, addr))
        return ATOLL_ERR_INVAL;
    if (nif->ip.addr == 0)
        return ATOLL_ERR_NETUNREACH;
    lport = pick_port(nif, nif->ip.addr, addr, port);
    if (lport == 0)
        return ATOLL_ERR_ADDRINUSE;
    c = tcp_new(nif, nif->ip.addr, lport, addr, port);
    if (c == NULL)
        return ATOLL_ERR_NOMEM;
    c->user = true;
    c->state = TCP_SYN_SENT;
    c->iss = tcp_isn(nif, c);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->recover = c->iss;
    c->rcv_wscale = TCP_RCV_WSCALE;
    tcp_set_mss(c, nif->mtu);
    tcp_output(c); /* the SYN */
    *cp = c;
    return 0;
}

void atoll_tcp_set_handler(struct atoll_tcp *c, atoll_tcp_fn fn, void *arg)
{
    c->fn = fn;
    c->arg = arg;
}

int atoll_tcp_try_accept(struct atoll_tcp *l, struct atoll_tcp **cp)
{
    struct atoll_tcp *c;

    if (l->state != TCP_LISTEN)
        return ATOLL_ERR_INVAL;
    c = l->acceptq;
    if (c == NULL)
        return ATOLL_ERR_AGAIN;
    l->acceptq = c->anext;
    if (l->acceptq == NULL)
        l->acceptq_tail = NULL;
    l->nacceptq--;
    c->anext = NULL;
    c->parent = NULL;
    c->user = true;
    *cp = c;
    return 0;
}

/* What a read returns when nothing is queued. */
static long nothing_to_read(const struct atoll_tcp *c)
{
    if (c->err != 0)
        return c->err;
    if (c->fin_rcvd)
        return 0;
    if (c->state == TCP_LISTEN)
        return ATOLL_ERR_INVAL;
    if (c->state == TCP_CLOSED)
        return 0;
    return ATOLL_ERR_AGAIN;
}

long atoll_tcp_recv(struct atoll_tcp *c, void *buf, size_t len)
{
    size_t n = c->rcvq.len < len ? c->rcvq.len : len;

    if (n == 0)
        return len == 0 && c->rcvq.len > 0 ? 0 : nothing_to_read(c);
    bq_copy(&c->rcvq, 0, buf, n);
    bq_drop(&c->rcvq, n);
    tcp_window_update(c);
    return (long)n;
}

long atoll_tcp_peek(struct atoll_tcp *c, const void **data)
{
    size_t n = bq_peek(&c->rcvq, data);

    if (n == 0)
        return nothing_to_read(c);
    return (long)n;
}

void atoll_tcp_consume(struct atoll_tcp *c, size_t n)
{
    bq_drop(&c->rcvq, n);
    tcp_window_update(c);
}

size_t atoll_tcp_send_space(const struct atoll_tcp *c)
{
    if (c->state == TCP_LISTEN || c->sndq.len >= c->sndbuf)
        return 0;
    return c->sndbuf - c->sndq.len;
}

long atoll_tcp_send(struct atoll_tcp *c, const void *buf, size_t len)
{
    size_t space, n;

    if (c->err != 0)
        return c->err;
    if (c->fin_queued)
        return ATOLL_ERR_PIPE;
    switch (c->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        break;
    default:
        return ATOLL_ERR_NOTCONN;
    }
    space = atoll_tcp_send_space(c);
    n = len < space ? len : space;
    if (n > 0)
        n = bq_append(&c->sndq, buf, n);
    if (n < len)
        c->want_write = true;
    if (n == 0)
        return len == 0 ? 0 : ATOLL_ERR_AGAIN;
    /* From a handler, sending waits for the end of the batch of frames
     * being handled: several sends make full segments (and Nagle cannot
     * hold back the tail of a message written in two pieces). */
    if (c->nif->tcp->in_handler > 0) {
        tcp_want_output(c);
        return (long)n;
    }
    tcp_hold(c);
    tcp_output(c);
    tcp_release(c);
    return (long)n;
}

int atoll_tcp_shutdown(struct atoll_tcp *c)
{
    if (c->err != 0)
        return c->err;
    if (c->fin_queued)
        return 0;
    switch (c->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        c->fin_queued = true; /* sent once established */
        return 0;
    case TCP_ESTABLISHED:
        c->state = TCP_FIN_WAIT_1;
        break;
    case TCP_CLOSE_WAIT:
        c->state = TCP_LAST_ACK;
        break;
    default:
        return ATOLL_ERR_NOTCONN;
    }
    c->fin_queued = true;
    c->fin_seq = c->snd_una + (uint32_t)c->sndq.len;
    tcp_hold(c);
    tcp_output(c);
    tcp_release(c);
    return 0;
}

static void close_listener(struct atoll_tcp *l)
{
    struct atoll_netif *nif = l->nif;
    struct tcp_table *t = nif->tcp;
    struct atoll_tcp **pp;

    for (pp = &t->listeners; *pp != NULL; pp = &(*pp)->hnext) {
        if (*pp == l) {
            *pp = l->hnext;
            break;
        }
    }
    /* Its connections in the making, and those never accepted, end with
     * a reset. */
    for (size_t i = 0; i < t->nbucket; i++) {
        struct atoll_tcp *c = t->bucket[i];

        while (c != NULL) {
            struct atoll_tcp *next = c->hnext;

            if (c->parent == l) {
                tcp_send_segment(c, c->snd_max, 0, TCP_RST | TCP_ACK);
                nif->stats.tcp_rst_tx++;
                tcp_close_conn(c, ATOLL_ERR_CONNABORTED);
            }
            c = next;
        }
    }
    /* Freed now, or when the stack code running with it lets go. */
    tcp_hold(l);
    l->user = false;
    l->fn = NULL;
    l->state = TCP_CLOSED;
    tcp_release(l);
}

void atoll_tcp_abort(struct atoll_tcp *c)
{
    if (c->state == TCP_LISTEN) {
        close_listener(c);
        return;
    }
    if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT &&
        c->state != TCP_TIME_WAIT) {
        tcp_send_segment(c, c->snd_max, 0, TCP_RST | TCP_ACK);
        c->nif->stats.tcp_rst_tx++;
    }
    c->user = false;
    c->fn = NULL;
    tcp_close_conn(c, ATOLL_ERR_CONNABORTED);
}

void atoll_tcp_close(struct atoll_tcp *c)
{
    if (c == NULL)
        return;
    if (c->state == TCP_LISTEN) {
        close_listener(c);
        return;
    }
    /* Unread data, or a handshake not finished: no graceful close. */
    if (c->rcvq.len > 0 || c->state == TCP_SYN_SENT) {
        atoll_tcp_abort(c);
        return;
    }
    c->fn = NULL;
    c->user = false;
    if (c->state == TCP_CLOSED) {
        tcp_hold(c);
        tcp_release(c); /* frees it */
        return;
    }
    atoll_tcp_shutdown(c);
    /* Nobody will read: a FIN_WAIT_2 must not last for ever. */
    if (c->state == TCP_FIN_WAIT_2 && c->t_close == 0) {
        c->t_close = net_now() + TCP_FIN_WAIT_2_TIMEOUT;
        tcp_timer_update(c);
    }
}

int atoll_tcp_error(const struct atoll_tcp *c)
{
    return c->err;
}

bool atoll_tcp_is_connected(const struct atoll_tcp *c)
{
    return c->state >= TCP_ESTABLISHED && c->state != TCP_TIME_WAIT;
}

void atoll_tcp_endpoints(const struct atoll_tcp *c, atoll_ip4_t *local,
                         uint16_t *lport, atoll_ip4_t *remote,
                         uint16_t *rport)
{
    if (local != NULL)
        *local = c->laddr;
    if (lport != NULL)
        *lport = c->lport;
    if (remote != NULL)
        *remote = c->raddr;
    if (rport != NULL)
        *rport = c->rport;
}

const char *atoll_tcp_state(const struct atoll_tcp *c)
{
    return state_names[c->state];
}

void atoll_tcp_set_nodelay(struct atoll_tcp *c, bool nodelay)
{
    c->nodelay = nodelay;
    if (nodelay && c->state != TCP_LISTEN) {
        tcp_hold(c);
        tcp_output(c);
        tcp_release(c);
    }
}

void atoll_tcp_set_keepalive(struct atoll_tcp *c, bool on, atoll_time_t idle,
                             atoll_time_t interval, unsigned count)
{
    c->keepalive = on;
    c->keep_idle = idle > 0 ? idle : 7200000 * MS;
    c->keep_intvl = interval > 0 ? interval : 75000 * MS;
    c->keep_count = count > 0 ? count : 9;
    c->keep_sent = 0;
    if (c->state == TCP_LISTEN)
        return;
    c->t_keep = on && tcp_synchronized(c->state) ? net_now() + c->keep_idle
                                                 : 0;
    tcp_timer_update(c);
}

int atoll_tcp_set_buffers(struct atoll_tcp *c, size_t rcvbuf, size_t sndbuf)
{
    if (rcvbuf < TCP_MIN_BUF || rcvbuf > TCP_MAX_BUF ||
        sndbuf < TCP_MIN_BUF || sndbuf > TCP_MAX_BUF)
        return ATOLL_ERR_INVAL;
    c->rcvbuf = rcvbuf;
    c->sndbuf = sndbuf;
    if (c->state != TCP_LISTEN && c->state != TCP_CLOSED)
        tcp_window_update(c);
    return 0;
}
