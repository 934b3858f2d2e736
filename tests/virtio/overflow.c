/*
 * overflow (virtio): recurses until the stack runs into its guard page;
 * the bindings must report a page fault (on their own exception stack)
 * at most the stack's 512 KiB below where main started, rather than let
 * the stack grow into the heap below it.
 */
#include <stdio.h>
#include <stdint.h>

/* The limit is read at run time so that the compiler sees an end; the
 * 512 KiB stack ends long before it. */
static volatile uint64_t limit = 1u << 20;

__attribute__((noinline)) static uint64_t deep(uint64_t n)
{
    volatile char pad[4096];

    pad[0] = (char)n;
    pad[sizeof pad - 1] = (char)n;
    if (n >= limit)
        return 0;
    return deep(n + 1) + (uint64_t)pad[0] + (uint64_t)pad[sizeof pad - 1];
}

int main(void)
{
    char here;

    printf("overflow: recursing from sp=%#llx\n",
           (unsigned long long)(uintptr_t)&here);
    printf("survived: %llu\n", (unsigned long long)deep(0));
    return 0;
}
