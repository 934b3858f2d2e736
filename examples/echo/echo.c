/*
 * echo: the RFC 862 echo service over UDP on one port (default 7),
 * written with the stack's callback API: each datagram is answered from
 * inside the receive handler, straight out of the received frame.
 *
 *   atoll-spt --net:service=tap0 echo.spt --ipv4=10.0.0.2/24 [--port=N]
 */
#include <stdio.h>

#include "atoll/net.h"
#include "atoll/rt.h"

const char atoll_app_name[] = "echo";

static int64_t port = 7;
static const struct atoll_param port_param = {
    .name = "port",
    .type = ATOLL_PARAM_INT,
    .help = "UDP and TCP port to echo on",
    .u.i = {&port, 1, 65535},
};
ATOLL_PARAM(port_param);

static void udp_echo(struct atoll_udp *sock, const struct atoll_udp_dgram *d,
                     void *arg)
{
    char from[ATOLL_IP4_STRLEN];
    int r;

    (void)arg;
    r = atoll_udp_sendto(sock, d->src, d->sport, d->data, d->len);
    if (atoll_log_enabled(ATOLL_LOG_DEBUG))
        atoll_log(ATOLL_LOG_DEBUG, "echo: udp %zu bytes from %s:%u%s%s",
                  d->len, atoll_ip4_format(d->src, from), d->sport,
                  r != 0 ? ": " : "", r != 0 ? atoll_net_strerror(r) : "");
}

int main(void)
{
    struct atoll_netif *nif;
    struct atoll_udp *udp;
    int r;

    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_udp_bind(nif, (uint16_t)port, &udp);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "echo: udp port %lld: %s",
                  (long long)port, atoll_net_strerror(r));
        return 1;
    }
    atoll_udp_set_handler(udp, udp_echo, NULL);
    atoll_log(ATOLL_LOG_INFO, "echo: serving udp port %lld",
              (long long)port);
    atoll_loop_run();
    return 0;
}
