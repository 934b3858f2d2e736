/*
 * Fuzz target: DHCP server messages to a client that has just sent its
 * DISCOVER (and may get further). Each record is a BOOTP/DHCP message sent
 * from 10.0.0.1:67 to the broadcast address; with F_FIX its xid and chaddr
 * are set to the client's, so the fuzzer works on the options and the
 * state machine. Time advances between records drive retransmissions,
 * renewals and expiry.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"

static void message(struct atoll_netif *nif, uint8_t flags, const uint8_t *d,
                    size_t len)
{
    static uint8_t u[IP4_MAX];
    uint32_t dst = (flags & 2) ? F_ADDR : ATOLL_IP4_BROADCAST;

    if (len > IP4_MAX - IP4_HLEN - UDP_HLEN)
        len = IP4_MAX - IP4_HLEN - UDP_HLEN;
    put16(u, 67);
    put16(u + 2, 68);
    put16(u + 4, (uint16_t)(UDP_HLEN + len));
    memcpy(u + UDP_HLEN, d, len);
    if ((flags & F_FIX) && nif->dhcp != NULL && len >= 34) {
        put32(u + UDP_HLEN + 4, f_dhcp_xid);
        memcpy(u + UDP_HLEN + 28, f_mac, 6);
    }
    f_fix_l4(IP_PROTO_UDP, ATOLL_IP4(10, 0, 0, 1), dst, u, UDP_HLEN + len);
    f_send_ip(nif, ATOLL_IP4(10, 0, 0, 1), dst, IP_PROTO_UDP, u,
              UDP_HLEN + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_netif *nif = f_setup(true);

    if (atoll_netif_start_dhcp(nif) != 0)
        abort();
    f_run(nif, data, size, message);
    return 0;
}
