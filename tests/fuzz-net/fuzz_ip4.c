/*
 * Fuzz target: IPv4 packets (header included) with the header checksum,
 * addresses and transport checksum fixed on request, to reach
 * reassembly: fragments of every shape, overlaps, timeouts, evictions.
 * Each record is [ip header and payload]; with F_FIX the source becomes
 * the peer, the destination us, and the header checksum right.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"

static void packet(struct atoll_netif *nif, uint8_t flags, const uint8_t *d,
                   size_t len)
{
    static uint8_t f[ETH_HLEN + IP4_MAX];
    uint8_t *p = f + ETH_HLEN;

    if (len > IP4_MAX)
        len = IP4_MAX;
    memcpy(f, f_mac, 6);
    memcpy(f + 6, f_peer_mac, 6);
    put16(f + 12, ETH_TYPE_IP4);
    memcpy(p, d, len);
    if ((flags & F_FIX) && len >= IP4_HLEN) {
        size_t hlen = (size_t)(p[0] & 15) * 4;

        p[0] = (uint8_t)(0x40 | (p[0] & 15));
        put32(p + 12, F_PEER);
        put32(p + 16, F_ADDR);
        if (flags & 2) /* the total length of what we have */
            put16(p + 2, (uint16_t)len);
        if (hlen >= IP4_HLEN && hlen <= len) {
            put16(p + 10, 0);
            put16(p + 10, net_cksum(net_sum(p, hlen, 0)));
        }
    }
    f_input(nif, f, ETH_HLEN + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_netif *nif = f_setup(false);
    struct atoll_udp *s;

    if (atoll_udp_bind(nif, 7, &s) != 0)
        abort();
    f_run(nif, data, size, packet);
    return 0;
}
