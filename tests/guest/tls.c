/*
 * tls: thread-local variables (C11 _Thread_local) in a unikernel. Code
 * built as an executable reaches them at fixed negative offsets from %fs
 * (x86_64 TLS variant II), so the runtime must put the image's TLS block
 * right below the thread pointer: initialised from .tdata, .tbss zeroed,
 * aligned as the image's TLS segment asks. The globals around the block
 * must stay untouched by writes to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern uintptr_t __stack_chk_guard;

_Thread_local int counter = 5;
_Thread_local char name[8] = "atoll";
_Thread_local char zeros[100];
_Thread_local uint64_t wide __attribute__((aligned(64)));

/* Plain globals that a misplaced TLS block would alias. */
uint8_t before[256];
uint8_t after[256];

static const char *check(void)
{
    uint64_t self, canary;
    size_t nonzero = 0;

    __asm__ volatile("movq %%fs:0, %0" : "=r"(self));
    __asm__ volatile("movq %%fs:0x28, %0" : "=r"(canary));
    if (counter != 5)
        return "counter is not its initial 5";
    if (strcmp(name, "atoll") != 0)
        return "name is not its initial \"atoll\"";
    for (size_t i = 0; i < sizeof zeros; i++)
        nonzero += zeros[i] != 0;
    if (nonzero != 0 || wide != 0)
        return ".tbss is not zero";
    if ((uintptr_t)&wide % 64 != 0)
        return "a 64-byte aligned variable is misaligned";
    if (self == 0 || (uintptr_t)&counter >= self ||
        (uintptr_t)&wide >= self)
        return "the block is not below the thread pointer";
    if (canary != (uint64_t)__stack_chk_guard)
        return "%fs:0x28 is not the stack protector canary";
    counter += 10;
    memset(zeros, 0x5a, sizeof zeros);
    wide = ~0ull;
    name[0] = 'A';
    for (size_t i = 0; i < sizeof before; i++)
        nonzero += before[i] != 0 || after[i] != 0;
    if (nonzero != 0)
        return "writing thread-locals changed other globals";
    if (counter != 15 || zeros[99] != 0x5a || name[0] != 'A')
        return "thread-locals do not keep what was written";
    return NULL;
}

int main(void)
{
    const char *why = check();

    printf("tls: %s\n", why == NULL ? "ok" : why);
    return why != NULL;
}
