/*
 * hello: greets, echoes its command line, and ends as asked:
 *   hello [WORDS...]        exit 0
 *   hello exit N [WORDS...] exit N (pass-through of the exit status)
 *   hello abort             abort() (tender exit 255)
 * It also checks that %fs:0x28 holds the stack protector canary, where
 * code built with the default stack protector looks for it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/platform.h"

extern uintptr_t __stack_chk_guard;

static const char *tls_canary(void)
{
    uint64_t v;

    __asm__ volatile("movq %%fs:0x28, %0" : "=r"(v));
    if (v == 0 || v != (uint64_t)__stack_chk_guard)
        return "wrong";
    return "ok";
}

int main(int argc, char **argv)
{
    printf("hello from %s\n", atoll_target_name());
    printf("tls canary: %s\n", tls_canary());
    printf("argv:");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    if (argc >= 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "abort") == 0) {
        fflush(stdout);
        abort();
    }
    return 0;
}
