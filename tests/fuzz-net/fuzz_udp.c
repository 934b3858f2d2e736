/*
 * Fuzz target: ICMP and UDP messages in valid IPv4 packets. The first
 * byte of a record picks the protocol (even: ICMP, odd: UDP) and, for
 * UDP, whether the destination is broadcast; the rest is the message, its
 * checksum fixed with F_FIX. Sockets: port 7 echoes from its handler,
 * port 9 queues (bounded) and is drained now and then.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"

static struct atoll_udp *queued;

static void echo(struct atoll_udp *s, const struct atoll_udp_dgram *d,
                 void *arg)
{
    (void)arg;
    atoll_udp_sendto(s, d->src, d->sport, d->data, d->len);
}

static void message(struct atoll_netif *nif, uint8_t flags, const uint8_t *d,
                    size_t len)
{
    static uint8_t m[IP4_MAX];
    uint8_t proto;
    uint32_t dst = F_ADDR;

    if (len < 1)
        return;
    proto = (d[0] & 1) ? IP_PROTO_UDP : IP_PROTO_ICMP;
    if ((d[0] & 6) == 2)
        dst = ATOLL_IP4_BROADCAST;
    if ((d[0] & 6) == 4)
        dst = ATOLL_IP4(10, 0, 0, 255);
    len--;
    memcpy(m, d + 1, len);
    if (flags & F_FIX)
        f_fix_l4(proto, F_PEER, dst, m, len);
    f_send_ip(nif, F_PEER, dst, proto, m, len);
    if (d[0] & 8) {
        uint8_t buf[64];
        while (atoll_udp_recv(queued, buf, sizeof buf, NULL, NULL) >= 0)
            ;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_netif *nif = f_setup(false);
    struct atoll_udp *s;

    if (atoll_udp_bind(nif, 7, &s) != 0 ||
        atoll_udp_bind(nif, 9, &queued) != 0)
        abort();
    atoll_udp_set_handler(s, echo, NULL);
    atoll_udp_set_queue(queued, 8, 4096);
    f_run(nif, data, size, message);
    return 0;
}
