/*
 * atoll_entropy: RDRAND where the CPU has it, mixed with the TSC. Built
 * with -fno-stack-protector: bind_ssp_init calls it to make the canary.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bindings.h"

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

void atoll_entropy(void *buf, size_t len)
{
    static uint64_t counter;
    bool have_rdrand = cpu_has_rdrand();
    unsigned char *out = buf;

    while (len > 0) {
        /* The counter keeps words apart when the TSC moves slowly. */
        uint64_t v = mix(rdtsc() + 0x9e3779b97f4a7c15ull * ++counter);
        uint64_t r;
        size_t n = len < sizeof v ? len : sizeof v;

        if (have_rdrand && rdrand64(&r))
            v ^= r;
        v = mix(v ^ rdtsc());
        /* Byte by byte: images without libc (tests) link this too. */
        for (size_t i = 0; i < n; i++)
            out[i] = (unsigned char)(v >> (8 * i));
        out += n;
        len -= n;
    }
}
