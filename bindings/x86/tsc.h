/*
 * The time-stamp counter, for the clocks of every x86-64 target (hvt,
 * virtio, xen): inline, no object of its own.
 */
#ifndef ATOLL_BINDINGS_X86_TSC_H
#define ATOLL_BINDINGS_X86_TSC_H

#include <stdint.h>

#define X86_NSEC_PER_SEC 1000000000ull

static inline uint64_t x86_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* ticks * 10^9 / hz without overflow: whole seconds, then the remainder
 * (hz at most 10^10 keeps (ticks % hz) * 10^9 below 2^64). */
static inline uint64_t x86_tsc_to_ns(uint64_t ticks, uint64_t hz)
{
    return ticks / hz * X86_NSEC_PER_SEC +
           ticks % hz * X86_NSEC_PER_SEC / hz;
}

/* The monotonic clock strictly increasing: ns, or *last + 1 when a read
 * is not past the one before (the same value, or the TSC stepped back). */
static inline uint64_t x86_ns_after(uint64_t ns, uint64_t *last)
{
    if (ns <= *last)
        ns = *last + 1;
    *last = ns;
    return ns;
}

#endif
