/*
 * echo: the RFC 862 echo service over TCP and UDP on one port (default
 * 7), written twice, once with each of the stack's APIs:
 *
 *  --api=callback (default): UDP datagrams are answered from inside the
 *  receive handler, straight out of the received frame; TCP bytes go from
 *  the receive queue to the send queue without an intermediate buffer
 *  (peek, send, consume), and a full send queue simply leaves them unread
 *  until the peer has taken some: the receive window then closes and the
 *  client slows down.
 *
 *  --api=fiber: one fiber per TCP connection reading and writing as if
 *  blocking, one for UDP.
 *
 *   atoll-spt --net:service=tap0 echo.spt --ipv4=10.0.0.2/24 [--port=N]
 *
 * --discard=PORT adds TCP discard (RFC 863), --source=PORT a TCP source
 * (zeros from accept until the peer closes), both for bench/net.
 * With --log=debug every connection and datagram is logged; --stats=N
 * logs the stack's counters every N seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/fiber.h"
#include "atoll/net.h"
#include "atoll/rt.h"

const char atoll_app_name[] = "echo";

ATOLL_PARAM_INT(port, "port", 7, 1, 65535, "UDP and TCP port to echo on");

static const char *check_api(const char *v)
{
    if (strcmp(v, "callback") == 0 || strcmp(v, "fiber") == 0)
        return NULL;
    return "expected callback or fiber";
}
ATOLL_PARAM_STRING_CHECKED(api, "api", "callback", check_api,
                           "callback|fiber",
                           "the stack's API to serve with: callback or fiber");
ATOLL_PARAM_INT(discard_port, "discard", 0, 0, 65535,
                "also serve TCP discard (RFC 863) on this port (0: no)");
ATOLL_PARAM_INT(source_port, "source", 0, 0, 65535,
                "also serve a TCP source (zeros until the peer closes) on "
                "this port (0: no)");
ATOLL_PARAM_INT(stats_seconds, "stats", 0, 0, 86400,
                "log the network counters every N seconds (0: never)");

static bool debug;
static struct atoll_netif *nif;
static struct atoll_timer stats_timer;

static void log_stats(struct atoll_timer *t, void *arg)
{
    (void)arg;
    atoll_netif_log_stats(nif, ATOLL_LOG_INFO);
    atoll_timer_arm(t, atoll_clock_monotonic() +
                           (atoll_time_t)stats_seconds * 1000000000u,
                    log_stats, NULL);
}

/* ---- UDP -------------------------------------------------------------- */

static void udp_echo(struct atoll_udp *sock, const struct atoll_udp_dgram *d,
                     void *arg)
{
    char from[ATOLL_IP4_STRLEN];
    int r;

    (void)arg;
    r = atoll_udp_sendto(sock, d->src, d->sport, d->data, d->len);
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "echo: udp %zu bytes from %s:%u%s%s",
                  d->len, atoll_ip4_format(d->src, from), d->sport,
                  r != 0 ? ": " : "", r != 0 ? atoll_strerror(r) : "");
}

/* ---- TCP -------------------------------------------------------------- */

struct session {
    char peer[ATOLL_IP4_STRLEN + 6];
    uint64_t bytes;
};

static void end_session(struct atoll_tcp *c, struct session *s)
{
    int err = atoll_tcp_error(c);

    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "echo: tcp %s closed after %llu bytes%s%s",
                  s->peer, (unsigned long long)s->bytes, err ? ": " : "",
                  err ? atoll_strerror(err) : "");
    atoll_tcp_close(c);
    free(s);
}

static void tcp_echo(struct atoll_tcp *c, enum atoll_tcp_event ev, void *arg)
{
    struct session *s = arg;
    const void *data;
    long n, w;

    if (ev == ATOLL_TCP_CLOSED) {
        end_session(c, s);
        return;
    }
    /* Echo what is there, as far as the send queue takes it. */
    while ((n = atoll_tcp_peek(c, &data)) > 0) {
        w = atoll_tcp_send(c, data, (size_t)n);
        if (w <= 0)
            break; /* full: ATOLL_TCP_WRITABLE brings us back */
        atoll_tcp_consume(c, (size_t)w);
        s->bytes += (uint64_t)w;
    }
    /* End of stream, everything echoed: close (queued bytes still go). */
    if (n == 0 || (n < 0 && n != ATOLL_ERR_AGAIN))
        end_session(c, s);
}

/* Discard: read everything, close at end of stream. */
static void tcp_discard(struct atoll_tcp *c, enum atoll_tcp_event ev,
                        void *arg)
{
    const void *data;
    long n;

    (void)arg;
    while ((n = atoll_tcp_peek(c, &data)) > 0)
        atoll_tcp_consume(c, (size_t)n);
    if (ev == ATOLL_TCP_CLOSED || n != ATOLL_ERR_AGAIN)
        atoll_tcp_close(c);
}

static void discard_accept(struct atoll_tcp *l, enum atoll_tcp_event ev,
                           void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0)
        atoll_tcp_set_handler(c, tcp_discard, NULL);
}

/* Source: fill the send queue with zeros whenever it has room; close when
 * the peer ends or anything goes wrong. */
static void tcp_source(struct atoll_tcp *c, enum atoll_tcp_event ev,
                       void *arg)
{
    static const char zeros[16384];
    const void *data;
    long n, w;

    (void)arg;
    while ((n = atoll_tcp_peek(c, &data)) > 0)
        atoll_tcp_consume(c, (size_t)n);
    if (ev == ATOLL_TCP_CLOSED || n != ATOLL_ERR_AGAIN) {
        atoll_tcp_close(c);
        return;
    }
    while ((w = atoll_tcp_send(c, zeros, sizeof zeros)) == (long)sizeof zeros)
        ;
    if (w < 0 && w != ATOLL_ERR_AGAIN)
        atoll_tcp_close(c);
}

static void source_accept(struct atoll_tcp *l, enum atoll_tcp_event ev,
                          void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0) {
        atoll_tcp_set_handler(c, tcp_source, NULL);
        tcp_source(c, ATOLL_TCP_WRITABLE, NULL);
    }
}

static void tcp_accept(struct atoll_tcp *l, enum atoll_tcp_event ev,
                       void *arg)
{
    struct atoll_tcp *c;
    atoll_ip4_t addr;
    uint16_t rport;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0) {
        struct session *s = calloc(1, sizeof *s);

        if (s == NULL) {
            atoll_tcp_abort(c);
            continue;
        }
        atoll_tcp_endpoints(c, NULL, NULL, &addr, &rport);
        atoll_ip4_format(addr, s->peer);
        snprintf(s->peer + strlen(s->peer), 7, ":%u", rport);
        if (debug)
            atoll_log(ATOLL_LOG_DEBUG, "echo: tcp connection from %s",
                      s->peer);
        atoll_tcp_set_handler(c, tcp_echo, s);
    }
}

/* ---- the same with fibers and blocking calls -------------------------- */

static void fiber_session(void *arg)
{
    struct atoll_tcp *c = arg;
    char peer[ATOLL_IP4_STRLEN];
    uint8_t buf[8192];
    uint64_t bytes = 0;
    atoll_ip4_t addr;
    uint16_t rport;
    long n, w = 0;

    atoll_tcp_endpoints(c, NULL, NULL, &addr, &rport);
    atoll_ip4_format(addr, peer);
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "echo: tcp connection from %s:%u", peer,
                  rport);
    while ((n = atoll_tcp_read(c, buf, sizeof buf, ATOLL_NET_FOREVER)) > 0) {
        w = atoll_tcp_write(c, buf, (size_t)n, ATOLL_NET_FOREVER);
        if (w < 0)
            break;
        bytes += (uint64_t)n;
    }
    if (debug)
        atoll_log(ATOLL_LOG_DEBUG, "echo: tcp %s:%u closed after %llu bytes%s%s",
                  peer, rport, (unsigned long long)bytes,
                  n < 0 || w < 0 ? ": " : "",
                  n < 0 ? atoll_strerror((int)n)
                        : w < 0 ? atoll_strerror((int)w) : "");
    atoll_tcp_close(c);
}

static void fiber_acceptor(void *arg)
{
    struct atoll_tcp *l = arg, *c;

    while (atoll_tcp_accept(l, &c, ATOLL_NET_FOREVER) == 0)
        if (atoll_fiber_spawn(fiber_session, c, 32 * 1024) == NULL)
            atoll_tcp_abort(c);
}

static void fiber_udp(void *arg)
{
    static uint8_t buf[65536];
    struct atoll_udp *s = arg;
    char from[ATOLL_IP4_STRLEN];
    atoll_ip4_t src;
    uint16_t sport;
    long n;

    while ((n = atoll_udp_recvfrom(s, buf, sizeof buf, &src, &sport,
                                   ATOLL_NET_FOREVER)) >= 0) {
        int r = atoll_udp_sendto(s, src, sport, buf, (size_t)n);

        if (debug)
            atoll_log(ATOLL_LOG_DEBUG, "echo: udp %ld bytes from %s:%u%s%s",
                      n, atoll_ip4_format(src, from), sport,
                      r != 0 ? ": " : "", r != 0 ? atoll_strerror(r) : "");
    }
}

int main(void)
{
    struct atoll_udp *udp;
    struct atoll_tcp *tcp;
    int r;

    debug = atoll_log_enabled(ATOLL_LOG_DEBUG);
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_udp_bind(nif, (uint16_t)port, &udp);
    if (r == 0)
        r = atoll_tcp_listen(nif, (uint16_t)port, 0, &tcp);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "echo: port %lld: %s", (long long)port,
                  atoll_strerror(r));
        return 1;
    }
    if (discard_port != 0) {
        struct atoll_tcp *d;

        r = atoll_tcp_listen(nif, (uint16_t)discard_port, 0, &d);
        if (r != 0) {
            atoll_log(ATOLL_LOG_ERROR, "echo: discard port %lld: %s",
                      (long long)discard_port, atoll_strerror(r));
            return 1;
        }
        atoll_tcp_set_handler(d, discard_accept, NULL);
    }
    if (source_port != 0) {
        struct atoll_tcp *src;

        r = atoll_tcp_listen(nif, (uint16_t)source_port, 0, &src);
        if (r != 0) {
            atoll_log(ATOLL_LOG_ERROR, "echo: source port %lld: %s",
                      (long long)source_port, atoll_strerror(r));
            return 1;
        }
        atoll_tcp_set_handler(src, source_accept, NULL);
    }
    atoll_log(ATOLL_LOG_INFO, "echo: serving tcp and udp port %lld (%s "
              "api)", (long long)port, api);
    if (stats_seconds > 0)
        log_stats(&stats_timer, NULL);
    if (strcmp(api, "fiber") == 0) {
        if (atoll_fiber_spawn(fiber_acceptor, tcp, 0) == NULL ||
            atoll_fiber_spawn(fiber_udp, udp, 0) == NULL)
            return 1;
        atoll_fiber_run();
        return 0;
    }
    atoll_udp_set_handler(udp, udp_echo, NULL);
    atoll_tcp_set_handler(tcp, tcp_accept, NULL);
    atoll_loop_run();
    return 0;
}
