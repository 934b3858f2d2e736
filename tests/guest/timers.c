/*
 * timers: atoll_yield keeps its deadline when the platform's timer was
 * armed for another one by an earlier call that a frame ended (spt keeps
 * its timerfd armed across calls, bindings/spt/yield.c). Frames come from
 * tests/guest/netpeer, which resends every 200 ms until it gets its frame
 * back; any frame will do.
 *
 *  1. yield 10 s ahead until a frame comes (the timer stays armed 10 s
 *     ahead); then yield 100 ms ahead, a deadline earlier than the armed
 *     one: a return with nothing ready must come at that deadline, not
 *     10 s later (a frame in between only starts the step over).
 *  2. yield 50 ms ahead, over and over, until a frame comes: the timer is
 *     then armed at most 50 ms ahead; echo it (netpeer exits); then yield
 *     300 ms ahead, a deadline later than the armed one: no return with
 *     nothing ready before it.
 *
 * Prints "timers: ok" and exits 0, or a reason and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/platform.h"

#define MS 1000000ull
#define ETHERTYPE_TEST 0x88b5

static atoll_handle_t h;
static struct atoll_net_info info;
static uint8_t *buf;
static size_t size;

/* Yield until a frame is ready or the deadline passes; 1 if a frame. */
static int wait_frame(atoll_time_t deadline)
{
    atoll_handle_set_t ready = 0;

    atoll_yield(deadline, &ready);
    return (ready & (1ull << h)) != 0;
}

/* Read every pending frame; echo those of netpeer if echo. */
static void drain(int echo)
{
    size_t len;

    while (atoll_net_read(h, buf, size, &len) == ATOLL_OK) {
        if (!echo || len < ATOLL_NET_HLEN ||
            buf[12] != (ETHERTYPE_TEST >> 8) ||
            buf[13] != (ETHERTYPE_TEST & 0xff))
            continue;
        memcpy(buf, buf + 6, 6);
        memcpy(buf + 6, info.mac, 6);
        atoll_net_write(h, buf, len);
    }
}

static int earlier_deadline(void)
{
    atoll_time_t end = atoll_clock_monotonic() + 10000 * MS;

    while (!wait_frame(end))
        if (atoll_clock_monotonic() >= end) {
            printf("timers: no frame within 10 s\n");
            return 1;
        }
    drain(0);
    for (int i = 0; i < 20; i++) {
        atoll_time_t t = atoll_clock_monotonic(), d = t + 100 * MS;

        if (wait_frame(d)) {
            drain(0);
            continue;
        }
        atoll_time_t now = atoll_clock_monotonic();
        if (now < d || now > d + 2000 * MS) {
            printf("timers: a 100 ms yield returned after %llu ms\n",
                   (unsigned long long)((now - t) / MS));
            return 1;
        }
        return 0;
    }
    printf("timers: 20 yields of 100 ms all ended by frames\n");
    return 1;
}

static int later_deadline(void)
{
    atoll_time_t end = atoll_clock_monotonic() + 10000 * MS;

    while (!wait_frame(atoll_clock_monotonic() + 50 * MS))
        if (atoll_clock_monotonic() >= end) {
            printf("timers: no frame within 10 s\n");
            return 1;
        }
    drain(1);
    atoll_time_t t = atoll_clock_monotonic(), d = t + 300 * MS;
    for (;;) {
        int frame = wait_frame(d);
        atoll_time_t now = atoll_clock_monotonic();

        if (!frame && now < d) {
            printf("timers: a 300 ms yield returned after %llu ms with "
                   "nothing ready\n", (unsigned long long)((now - t) / MS));
            return 1;
        }
        if (!frame)
            return 0;
        drain(1);
    }
}

int main(void)
{
    if (atoll_net_acquire("service", &h, &info) != ATOLL_OK) {
        printf("timers: acquire service failed\n");
        return 1;
    }
    size = info.mtu + ATOLL_NET_HLEN;
    buf = malloc(size);
    if (buf == NULL || earlier_deadline() != 0 || later_deadline() != 0)
        return 1;
    printf("timers: ok\n");
    return 0;
}
