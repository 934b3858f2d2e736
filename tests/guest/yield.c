/*
 * yield: one atoll_yield with a deadline MS milliseconds ahead (default
 * 500) and no devices. Prints "slept_ns=S ready=R"; exit 1 if it returned
 * before the deadline or reported a ready device.
 */
#include <stdio.h>
#include <stdlib.h>

#include "atoll/platform.h"

int main(int argc, char **argv)
{
    long ms = argc >= 2 ? atol(argv[1]) : 500;
    atoll_time_t start = atoll_clock_monotonic();
    atoll_time_t deadline = start + (atoll_time_t)ms * 1000000u;
    atoll_handle_set_t ready = ~(atoll_handle_set_t)0;

    atoll_yield(deadline, &ready);
    atoll_time_t end = atoll_clock_monotonic();
    printf("slept_ns=%llu ready=%llu\n", (unsigned long long)(end - start),
           (unsigned long long)ready);
    if (end < deadline) {
        printf("yield returned %llu ns early\n",
               (unsigned long long)(deadline - end));
        return 1;
    }
    return ready == 0 ? 0 : 1;
}
