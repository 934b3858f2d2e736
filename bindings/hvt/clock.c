/*
 * Clocks from the TSC, whose frequency the tender measured
 * (boot_info.cpu_cycle_freq). The wall clock is the tender's wall time at
 * boot plus the monotonic time since.
 */
#include <stdint.h>

#include "../x86/tsc.h"
#include "hvt_bind.h"

/* Frequencies outside this range are not a TSC; the upper bound also keeps
 * (ticks % hz) * 10^9 below 2^64 (x86_tsc_to_ns). */
#define TSC_HZ_MIN 1000000ull
#define TSC_HZ_MAX 10000000000ull

static uint64_t tsc_hz, tsc_boot, wall_boot, last_ns;

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
    tsc_boot = x86_rdtsc();
    wall_boot = w.nsecs;
}

atoll_time_t atoll_clock_monotonic(void)
{
    return x86_ns_after(x86_tsc_to_ns(x86_rdtsc() - tsc_boot, tsc_hz),
                        &last_ns);
}

atoll_time_t atoll_clock_wall(void)
{
    return wall_boot + atoll_clock_monotonic();
}
