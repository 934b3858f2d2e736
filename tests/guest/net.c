/*
 * net: echoes Ethernet frames of EtherType 0x88b5 on the net device
 * "service" back to their sender (MAC addresses swapped), waiting with
 * atoll_yield. Exits 0 after COUNT echoes (default 1), 1 if none came
 * within SECONDS (default 10).
 *   net [COUNT [SECONDS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/platform.h"

#define ETHERTYPE_TEST 0x88b5

int main(int argc, char **argv)
{
    long count = argc >= 2 ? atol(argv[1]) : 1;
    long seconds = argc >= 3 ? atol(argv[2]) : 10;
    struct atoll_net_info info;
    atoll_handle_t h;
    enum atoll_result r;

    r = atoll_net_acquire("service", &h, &info);
    if (r != ATOLL_OK) {
        printf("net: acquire service failed (%d)\n", (int)r);
        return 1;
    }
    printf("net: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %zu\n", info.mac[0],
           info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5],
           info.mtu);
    size_t size = info.mtu + ATOLL_NET_HLEN;
    uint8_t *buf = malloc(size);
    if (buf == NULL)
        return 1;
    atoll_time_t end =
        atoll_clock_monotonic() + (atoll_time_t)seconds * 1000000000u;
    long echoed = 0;
    while (echoed < count && atoll_clock_monotonic() < end) {
        atoll_handle_set_t ready = 0;
        size_t len;

        atoll_yield(end, &ready);
        if ((ready & (1ull << h)) == 0)
            continue;
        while (echoed < count &&
               (r = atoll_net_read(h, buf, size, &len)) == ATOLL_OK) {
            if (len < ATOLL_NET_HLEN || buf[12] != (ETHERTYPE_TEST >> 8) ||
                buf[13] != (ETHERTYPE_TEST & 0xff))
                continue; /* the host's own chatter (IPv6, ...) */
            memcpy(buf, buf + 6, 6);
            memcpy(buf + 6, info.mac, 6);
            if (atoll_net_write(h, buf, len) != ATOLL_OK) {
                printf("net: write failed\n");
                return 1;
            }
            echoed++;
            printf("net: echoed %zu bytes\n", len);
        }
    }
    if (echoed < count) {
        printf("net: %ld of %ld frames echoed before the deadline\n", echoed,
               count);
        return 1;
    }
    return 0;
}
