/* DNS over TCP (RFC 7766): one fiber per connection reads 2-byte framed
 * queries, several at a time when the client pipelines them, and answers
 * each in order; a connection idle for --tcp-idle is closed, one over
 * --max-tcp is reset. AXFR/IXFR go to dns_axfr_* for sources in the
 * access list and get REFUSED otherwise. */
#include <stdlib.h>
#include <string.h>

#include "atoll/fiber.h"
#include "atoll/rt.h"

#include "server.h"

#define QUERY_MAX 4096 /* longer queries end the connection */
#define AXFR_MSG 16384 /* bytes of a transfer's messages, as NSD */
#define CONN_STACK (48 * 1024)

struct session {
    struct atoll_tcp *c;
    atoll_ip4_t addr;
    uint16_t port;
    size_t have;
    uint8_t in[2 + QUERY_MAX];
};

/* Answers are made in one buffer for all connections: a connection's
 * fiber only waits after its answer left the buffer (send_framed). */
static uint8_t out[2 + 65535];
static long active, max_active;
static uint64_t idle_ns;

/* Send the n-byte message at out + 2 with its length. What the send
 * queue does not take now is copied first: another fiber may fill out as
 * soon as this one waits. */
static int send_framed(struct atoll_tcp *c, size_t n)
{
    size_t len = n + 2, rest;
    uint8_t *copy;
    long w;

    out[0] = (uint8_t)(n >> 8);
    out[1] = (uint8_t)n;
    w = atoll_tcp_send(c, out, len);
    if (w == ATOLL_ERR_AGAIN)
        w = 0;
    if (w < 0)
        return (int)w;
    if ((size_t)w == len)
        return 0;
    rest = len - (size_t)w;
    copy = malloc(rest);
    if (copy == NULL)
        return ATOLL_ERR_NOMEM;
    memcpy(copy, out + w, rest);
    w = atoll_tcp_write(c, copy, rest, idle_ns);
    free(copy);
    return w < 0 ? (int)w : 0;
}

/* REFUSED for q: the header (id, opcode and RD kept) and its question. */
static long refuse(const uint8_t *q, size_t len)
{
    uint8_t name[DNS_NAME_MAX];
    uint16_t qclass;
    int t = srv_question(q, len, name, &qclass);
    uint16_t flags = (uint16_t)(DNS_F_QR | DNS_R_REFUSED |
                                ((q[2] << 8) & (0x7800 | DNS_F_RD)));
    struct dns_builder b;

    if (t < 0 ||
        dns_build_init(&b, out + 2, 65535, (uint16_t)(q[0] << 8 | q[1]),
                       flags) != 0 ||
        dns_build_question(&b, name, (uint16_t)t, qclass) != 0)
        return -1;
    return (long)b.len;
}

/* A zone transfer, or its refusal. Nonzero: the connection must end. */
static int transfer(struct session *s, const uint8_t *q, size_t len)
{
    struct dns_axfr x;
    unsigned msgs = 0;
    long n;
    int r;

    if (!srv_acl_allows(s->addr)) {
        srv_stats.axfr_refused++;
        n = refuse(q, len);
        if (srv_debug)
            srv_log_query("tcp", s->addr, s->port, q, len, out + 2, n,
                          "axfr not allowed");
        if (n < 0)
            return 0;
        srv_count_reply(out + 2, (size_t)n);
        return send_framed(s->c, (size_t)n);
    }
    r = dns_axfr_begin(&x, srv_zones, srv_nzones, q, len);
    if (r == ATOLL_ERR_FORMAT) {
        srv_stats.no_reply++;
        return 0;
    }
    while ((n = dns_axfr_next(&x, out + 2, AXFR_MSG)) > 0) {
        if (msgs++ == 0) {
            srv_count_reply(out + 2, (size_t)n);
            if (srv_debug)
                srv_log_query("tcp", s->addr, s->port, q, len, out + 2, n,
                              r == 0 ? "transfer" : "");
        }
        int w = send_framed(s->c, (size_t)n);
        if (w != 0)
            return w;
    }
    if (n < 0) {
        srv_stats.axfr_failed++;
        atoll_log(ATOLL_LOG_WARN, "dns: transfer failed: %s",
                  atoll_strerror((int)n));
        return (int)n;
    }
    if (r == 0)
        srv_stats.axfr++;
    return 0;
}

static int serve_query(struct session *s, const uint8_t *q, size_t len)
{
    uint8_t name[DNS_NAME_MAX];
    int t = srv_question(q, len, name, NULL), r = 0, n;

    srv_stats.queries_tcp++;
    if (t == DNS_T_AXFR || t == DNS_T_IXFR) {
        r = transfer(s, q, len);
    } else {
        n = dns_answer(srv_zones, srv_nzones, q, len, out + 2, 65535,
                       DNS_ANSWER_TCP);
        if (n < 0)
            srv_stats.no_reply++;
        else
            srv_count_reply(out + 2, (size_t)n);
        if (srv_debug)
            srv_log_query("tcp", s->addr, s->port, q, len, out + 2, n,
                          n < 0 ? "not a query" : "");
        if (n >= 0)
            r = send_framed(s->c, (size_t)n);
    }
    srv_query_seen();
    return r;
}

/* Framed queries until the end of stream, an idle timeout or an error
 * (nonzero: reset the connection). */
static int serve(struct session *s)
{
    for (;;) {
        while (s->have >= 2) {
            size_t len = (size_t)(s->in[0] << 8 | s->in[1]);

            if (len > QUERY_MAX) {
                srv_stats.tcp_bad++;
                return ATOLL_ERR_MSGSIZE;
            }
            if (s->have < 2 + len)
                break;
            int r = serve_query(s, s->in + 2, len);
            if (r != 0)
                return r;
            s->have -= 2 + len;
            memmove(s->in, s->in + 2 + len, s->have);
        }
        long n = atoll_tcp_read(s->c, s->in + s->have,
                                sizeof s->in - s->have, idle_ns);
        if (n == ATOLL_ERR_TIMEDOUT) {
            srv_stats.tcp_idle++;
            return 0;
        }
        if (n == 0 && s->have > 0)
            srv_stats.tcp_bad++; /* a message cut short */
        if (n <= 0)
            return n == 0 ? 0 : (int)n;
        s->have += (size_t)n;
    }
}

static void session(void *arg)
{
    struct session *s = malloc(sizeof *s);

    if (s == NULL) {
        atoll_tcp_abort(arg);
        active--;
        return;
    }
    s->c = arg;
    s->have = 0;
    atoll_tcp_endpoints(s->c, NULL, NULL, &s->addr, &s->port);
    atoll_tcp_set_nodelay(s->c, true);
    if (serve(s) == 0)
        atoll_tcp_close(s->c);
    else
        atoll_tcp_abort(s->c);
    free(s);
    active--;
}

static void acceptor(void *arg)
{
    struct atoll_tcp *l = arg, *c;

    while (atoll_tcp_accept(l, &c, ATOLL_NET_FOREVER) == 0) {
        srv_stats.tcp_conns++;
        if (active >= max_active ||
            atoll_fiber_spawn(session, c, CONN_STACK) == NULL) {
            srv_stats.tcp_rejected++;
            atoll_tcp_abort(c);
            continue;
        }
        active++;
    }
}

int srv_tcp_start(struct atoll_netif *nif, uint16_t port, long max_conns,
                  uint64_t idle)
{
    struct atoll_tcp *l;
    int r = atoll_tcp_listen(nif, port, 0, &l);

    if (r != 0)
        return r;
    max_active = max_conns;
    idle_ns = idle;
    if (atoll_fiber_spawn(acceptor, l, 0) == NULL)
        return ATOLL_ERR_NOMEM;
    return 0;
}
