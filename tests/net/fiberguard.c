/*
 * fiberguard: a fiber that runs into the bottom of its stack must stop
 * the unikernel (lib/fiber's canary, checked at every switch) instead of
 * going on over the heap. It digs down frame by frame until close to the
 * bottom, then switches away; tests/net/run.sh wants exit status 255 and
 * lib/fiber's panic message. "fiberguard ok" digs half way and exits 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoll/fiber.h"

#define STACK ATOLL_FIBER_STACK_MIN

static uintptr_t limit;

static void dig(void)
{
    volatile uint8_t pad[64];
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = 0xaa;
    if (fp > limit)
        dig();
    else
        atoll_fiber_yield(); /* the switch checks the canary */
    pad[0] = pad[1];
}

static void digger(void *arg)
{
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);

    /* The first frame sits near the top of the STACK bytes. */
    limit = *(bool *)arg ? top - STACK / 2 : top - STACK + 64;
    dig();
    printf("fiberguard: back from the depths\n");
}

int main(int argc, char **argv)
{
    static bool half;

    half = argc > 1 && strcmp(argv[1], "ok") == 0;
    if (atoll_fiber_spawn(digger, &half, STACK) == NULL)
        return 1;
    atoll_fiber_run();
    return 0;
}
