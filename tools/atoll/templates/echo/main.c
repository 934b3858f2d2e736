/*
 * @NAME@: an echo service (RFC 862) over TCP and UDP on one port.
 *
 * Everything happens in callbacks run by the runtime's event loop: a
 * datagram arrives, a connection is accepted, bytes arrive. Nothing
 * blocks; see atoll/net.h for the API and for its blocking variant (with
 * fibers). The interface's address comes from the boot parameters
 * --ipv4=ADDR/PREFIX and --ipv4-gateway=ADDR, which `atoll run --net
 * service=auto` fills in (without them the stack asks DHCP).
 */
#include <stdio.h>

#include "atoll/net.h"
#include "atoll/rt.h"

const char atoll_app_name[] = "@NAME@";

/* --port=N (1..65535), 7 unless given: defines int64_t port. */
ATOLL_PARAM_INT(port, "port", 7, 1, 65535, "TCP and UDP port to echo on");

/* A datagram: send it back where it came from. */
static void udp_echo(struct atoll_udp *sock, const struct atoll_udp_dgram *d,
                     void *arg)
{
    (void)arg;
    atoll_udp_sendto(sock, d->src, d->sport, d->data, d->len);
}

/* Bytes on a connection: move them from the receive queue to the send
 * queue; close once the peer has closed its side and all is echoed. */
static void tcp_echo(struct atoll_tcp *c, enum atoll_tcp_event ev, void *arg)
{
    const void *data;
    long n, w;

    (void)arg;
    if (ev == ATOLL_TCP_CLOSED) {
        atoll_tcp_close(c);
        return;
    }
    while ((n = atoll_tcp_peek(c, &data)) > 0) {
        w = atoll_tcp_send(c, data, (size_t)n);
        if (w <= 0)
            break; /* send queue full: we are called again when it drains */
        atoll_tcp_consume(c, (size_t)w);
    }
    if (n == 0 || (n < 0 && n != ATOLL_ERR_AGAIN))
        atoll_tcp_close(c);
}

/* A new connection on the listening socket. */
static void tcp_accept(struct atoll_tcp *l, enum atoll_tcp_event ev,
                       void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0)
        atoll_tcp_set_handler(c, tcp_echo, NULL);
}

int main(void)
{
    struct atoll_netif *nif;
    struct atoll_udp *udp;
    struct atoll_tcp *tcp;
    int r;

    /* "service" is the device declared in unikernel.conf. */
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_udp_bind(nif, (uint16_t)port, &udp);
    if (r == 0)
        r = atoll_tcp_listen(nif, (uint16_t)port, 0, &tcp);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "port %lld: %s", (long long)port,
                  atoll_strerror(r));
        return 1;
    }
    atoll_udp_set_handler(udp, udp_echo, NULL);
    atoll_tcp_set_handler(tcp, tcp_accept, NULL);
    atoll_log(ATOLL_LOG_INFO, "echoing on TCP and UDP port %lld",
              (long long)port);
    atoll_loop_run(); /* serve until the tender is stopped */
    return 0;
}
