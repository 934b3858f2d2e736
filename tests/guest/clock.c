/*
 * clock: checks the monotonic clock over many reads and prints the wall
 * clock for the host to compare.
 *   clock N   read the monotonic clock N times
 * Prints "mono: N reads, E equal, B backwards, span S ns" and
 * "wall_ns=W". Exit 1 if the clock went backwards or did not advance.
 */
#include <stdio.h>
#include <stdlib.h>

#include "atoll/platform.h"

int main(int argc, char **argv)
{
    long n = argc >= 2 ? atol(argv[1]) : 10000;
    atoll_time_t first = atoll_clock_monotonic(), prev = first, last = first;
    long equal = 0, backwards = 0;

    for (long i = 0; i < n; i++) {
        last = atoll_clock_monotonic();
        if (last == prev)
            equal++;
        else if (last < prev)
            backwards++;
        prev = last;
    }
    printf("mono: %ld reads, %ld equal, %ld backwards, span %llu ns\n", n,
           equal, backwards, (unsigned long long)(last - first));
    printf("wall_ns=%llu\n", (unsigned long long)atoll_clock_wall());
    return backwards == 0 && last > first ? 0 : 1;
}
