/*
 * Stack protector canary seeding. Built with -fno-stack-protector (see
 * module.mk): it runs before the canary has its final value.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bindings.h"

/* Read by every function built with -fstack-protector and
 * -mstack-protector-guard=global; the failure handler lives in lib/rt. */
uintptr_t __stack_chk_guard;

#define RDRAND_TRIES 16

static bool cpu_has_rdrand(void)
{
    uint32_t eax = 1, ebx, ecx = 0, edx;

    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return (ecx & (1u << 30)) != 0;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* RDRAND may transiently fail (carry clear); Intel suggests ten retries. */
static bool rdrand64(uint64_t *out)
{
    for (int i = 0; i < RDRAND_TRIES; i++) {
        uint64_t v;
        uint8_t ok;

        __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        if (ok) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* A 64-bit finaliser (splitmix64) so that TSC bits spread over the word. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

void bind_ssp_init(void)
{
    uint64_t v = mix(rdtsc());
    uint64_t r;

    if (cpu_has_rdrand() && rdrand64(&r))
        v ^= r;
    v = mix(v ^ rdtsc());
    /* A zero low byte stops string functions from copying past the canary
     * and from leaking it (as glibc does). */
    __stack_chk_guard = (uintptr_t)(v & ~(uint64_t)0xff);
}
