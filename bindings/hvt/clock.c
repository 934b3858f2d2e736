/*
 * Clocks from the TSC, whose frequency the tender measured
 * (boot_info.cpu_cycle_freq). The wall clock is the tender's wall time at
 * boot plus the monotonic time since.
 */
#include <stdint.h>

#include "hvt_bind.h"

#define NSEC_PER_SEC 1000000000ull
/* Frequencies outside this range are not a TSC; the upper bound also keeps
 * (ticks % hz) * NSEC_PER_SEC below 2^64. */
#define TSC_HZ_MIN 1000000ull
#define TSC_HZ_MAX 10000000000ull

static uint64_t tsc_hz, tsc_boot, wall_boot, last_ns;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void hvt_clock_init(uint64_t hz)
{
    if (hz < TSC_HZ_MIN || hz > TSC_HZ_MAX) {
        static const char msg[] =
            "atoll: the tender gave no usable TSC frequency\n";
        hvt_puts(msg, sizeof msg - 1);
        hvt_halt(ATOLL_EXIT_ABORT, 0);
    }
    tsc_hz = hz;
    struct atoll_hvt_hc_walltime w = {0};
    hvt_hypercall(ATOLL_HVT_HC_WALLTIME, &w);
    tsc_boot = rdtsc();
    wall_boot = w.nsecs;
}

/* ticks * 10^9 / hz without overflow: whole seconds, then the remainder. */
static uint64_t ticks_to_ns(uint64_t ticks)
{
    return ticks / tsc_hz * NSEC_PER_SEC +
           ticks % tsc_hz * NSEC_PER_SEC / tsc_hz;
}

atoll_time_t atoll_clock_monotonic(void)
{
    uint64_t ns = ticks_to_ns(rdtsc() - tsc_boot);
    /* Strictly increasing, even if two reads see the same TSC value or
     * the TSC stepped back. */
    if (ns <= last_ns)
        ns = last_ns + 1;
    last_ns = ns;
    return ns;
}

atoll_time_t atoll_clock_wall(void)
{
    return wall_boot + atoll_clock_monotonic();
}
