/*
 * Fuzz target: raw Ethernet frames into a configured interface with a
 * queueing UDP socket on port 7. Reaches Ethernet, ARP and the IPv4 header
 * checks directly; a record with F_FIX gets its IPv4 header checksum
 * fixed.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"

static void frame(struct atoll_netif *nif, uint8_t flags, const uint8_t *d,
                  size_t len)
{
    static uint8_t f[ETH_HLEN + IP4_MAX];

    memcpy(f, d, len);
    if ((flags & F_FIX) && len >= ETH_HLEN + IP4_HLEN &&
        get16(f + 12) == ETH_TYPE_IP4) {
        uint8_t *p = f + ETH_HLEN;
        size_t hlen = (size_t)(p[0] & 15) * 4;

        if (hlen >= IP4_HLEN && ETH_HLEN + hlen <= len) {
            put16(p + 10, 0);
            put16(p + 10, net_cksum(net_sum(p, hlen, 0)));
        }
    }
    f_input(nif, f, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_netif *nif = f_setup(false);
    struct atoll_udp *s;

    if (atoll_udp_bind(nif, 7, &s) != 0)
        abort();
    f_run(nif, data, size, frame);
    return 0;
}
