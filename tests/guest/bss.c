/*
 * bss: a 256 MiB zero-initialised array that the program barely touches.
 * It reads bytes spread over the whole array (all must be zero) and writes
 * one. The host checks that the tender's peak RSS stays far below the
 * array's size: the bss is the guest's to fault in, not the tender's.
 */
#include <stdint.h>
#include <stdio.h>

#define BIG (256u << 20)

static uint8_t big[BIG];

int main(void)
{
    volatile uint8_t *p = big;
    size_t nonzero = 0, reads = 0;

    /* One byte in every MiB, at a different offset in each page. */
    for (size_t i = 0; i < BIG; i += (1u << 20) + 4093, reads++)
        nonzero += p[i] != 0;
    nonzero += p[BIG - 1] != 0;
    p[12345] = 1;
    printf("bss: %u MiB, %zu reads, %zu non-zero\n", BIG >> 20, reads + 1,
           nonzero);
    return nonzero != 0;
}
