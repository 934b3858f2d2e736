/* DNS over UDP: each datagram answered from inside the receive handler,
 * into one static buffer (the handler never waits), at most 1232 bytes
 * (DNS_EDNS_PAYLOAD: no IP fragments), then through RRL when it is on. */
#include "atoll/rt.h"

#include "server.h"

static void udp_query(struct atoll_udp *sock, const struct atoll_udp_dgram *d,
                      void *arg)
{
    static uint8_t out[DNS_EDNS_PAYLOAD];
    const char *note = "";
    int n;

    (void)arg;
    srv_stats.queries_udp++;
    n = dns_answer(srv_zones, srv_nzones, d->data, d->len, out, sizeof out,
                   0);
    if (n < 0) {
        srv_stats.no_reply++;
        note = "not a query";
    } else {
        srv_count_reply(out, (size_t)n);
    }
    if (n >= 0 && srv_rrl.c.rate > 0) {
        uint8_t a[4] = {(uint8_t)(d->src >> 24), (uint8_t)(d->src >> 16),
                        (uint8_t)(d->src >> 8), (uint8_t)d->src};

        switch (dns_rrl_check(&srv_rrl, a, sizeof a, out, (size_t)n,
                              atoll_clock_monotonic())) {
        case DNS_RRL_DROP:
            n = -1;
            note = "rrl drop";
            break;
        case DNS_RRL_SLIP:
            n = dns_rrl_slip(out, (size_t)n);
            note = "rrl slip";
            break;
        case DNS_RRL_SEND:
            break;
        }
    }
    if (n >= 0)
        atoll_udp_sendto(sock, d->src, d->sport, out, (size_t)n);
    if (srv_debug)
        srv_log_query("udp", d->src, d->sport, d->data, d->len, out, n, note);
    srv_query_seen();
}

int srv_udp_start(struct atoll_netif *nif, uint16_t port)
{
    struct atoll_udp *sock;
    int r = atoll_udp_bind(nif, port, &sock);

    if (r == 0)
        atoll_udp_set_handler(sock, udp_query, NULL);
    return r;
}
