/*
 * net2: two net devices on xen, service (vif 0) and admin (vif 1): prints
 * each one's MAC, then echoes one frame of EtherType 0x88b5 sent to that
 * MAC on each back to its sender (MAC addresses swapped),
 * waiting with atoll_yield on both. Exits 0 once both echoed, 1 if not
 * within 40 s.
 */
#include <stdio.h>
#include <string.h>

#include "atoll/platform.h"

#define ETHERTYPE_TEST 0x88b5
#define NDEV 2

static const char *const names[NDEV] = {"service", "admin"};

int main(void)
{
    struct atoll_net_info info[NDEV];
    atoll_handle_t h[NDEV];
    bool done[NDEV] = {false, false};
    static uint8_t buf[1514];
    unsigned left = NDEV;

    for (unsigned i = 0; i < NDEV; i++) {
        enum atoll_result r = atoll_net_acquire(names[i], &h[i], &info[i]);
        if (r != ATOLL_OK) {
            printf("net2: acquire %s failed (%d)\n", names[i], (int)r);
            return 1;
        }
        const uint8_t *m = info[i].mac;
        printf("net2: %s mac %02x:%02x:%02x:%02x:%02x:%02x mtu %zu\n",
               names[i], m[0], m[1], m[2], m[3], m[4], m[5], info[i].mtu);
    }
    atoll_time_t end = atoll_clock_monotonic() + 40000000000ull;
    while (left > 0 && atoll_clock_monotonic() < end) {
        atoll_handle_set_t ready = 0;
        atoll_yield(end, &ready);
        for (unsigned i = 0; i < NDEV; i++) {
            size_t len;
            if ((ready & (1ull << h[i])) == 0)
                continue;
            /* Read all (a frame left unread keeps the device ready). */
            while (atoll_net_read(h[i], buf, sizeof buf, &len) == ATOLL_OK) {
                /* Only frames for this device's MAC. */
                if (done[i] || len < ATOLL_NET_HLEN ||
                    buf[12] != (ETHERTYPE_TEST >> 8) ||
                    buf[13] != (ETHERTYPE_TEST & 0xff) ||
                    memcmp(buf, info[i].mac, 6) != 0)
                    continue; /* dom0's own chatter (IPv6, ...) */
                memcpy(buf, buf + 6, 6);
                memcpy(buf + 6, info[i].mac, 6);
                if (atoll_net_write(h[i], buf, len) != ATOLL_OK) {
                    printf("net2: %s: write failed\n", names[i]);
                    return 1;
                }
                printf("net2: %s echoed %zu bytes\n", names[i], len);
                done[i] = true;
                left--;
            }
        }
    }
    if (left > 0) {
        printf("net2: %u of %u devices echoed nothing in 40 s\n", left, NDEV);
        return 1;
    }
    /* The backend takes the last echo off the ring before we are gone. */
    atoll_yield(atoll_clock_monotonic() + 1000000000ull, NULL);
    return 0;
}
