/*
 * fault: breaks one protection on purpose; the host checks the exit status
 * and the message.
 *   fault smash TEXT   copy TEXT over a 16-byte stack buffer (canary)
 *   fault text         write to the program's own code (W^X: text R+X)
 *   fault rodata       write to read-only data
 *   fault heapexec     call code written to the heap (heap not executable)
 *   fault null         read through a NULL pointer (page zero unmapped)
 *   fault heap         write past a malloc'd block, then free it (heap canary)
 * Each case should never reach its "survived" line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char rodata_word[16] = "read-only";

/* The volatile pointers hide the out-of-bounds writes from the compiler,
 * which would otherwise reject or rewrite them. */
__attribute__((noinline)) static void smash(const char *s)
{
    char buf[16];
    char *volatile p = buf;

    size_t i = 0;

    do
        p[i] = s[i];
    while (s[i++] != '\0');
    printf("copied %zu bytes into a 16-byte buffer\n", strlen(buf));
}

static void write_to(uintptr_t addr)
{
    *(volatile uint8_t *)addr = 0xcc;
}

int main(int argc, char **argv)
{
    const char *what = argc >= 2 ? argv[1] : "";
    volatile uintptr_t zero = 0;

    printf("fault: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "smash") == 0 && argc >= 3) {
        smash(argv[2]);
    } else if (strcmp(what, "text") == 0) {
        write_to((uintptr_t)&main);
    } else if (strcmp(what, "rodata") == 0) {
        write_to((uintptr_t)rodata_word);
    } else if (strcmp(what, "heapexec") == 0) {
        uint8_t *code = malloc(64);
        if (code == NULL)
            return 1;
        code[0] = 0xc3; /* ret */
        ((void (*)(void))(uintptr_t)code)();
    } else if (strcmp(what, "null") == 0) {
        printf("read %d\n", *(volatile int *)zero);
    } else if (strcmp(what, "heap") == 0) {
        uint8_t *p = malloc(32);
        uint8_t *volatile q = p;
        if (p == NULL)
            return 1;
        for (size_t i = 0; i < 48; i++)
            q[i] = 0x41;
        free(p);
    } else {
        printf("unknown case '%s'\n", what);
        return 1;
    }
    printf("survived: %s\n", what);
    return 0;
}
