/*
 * Built with the host's headers: Atoll's snprintf against glibc's at every
 * buffer size from 0 to past the full length, checking the return value,
 * the text kept, the terminator and that no byte past the limit changes.
 */
#include <stdio.h>
#include <string.h>

#include "../../lib/check.h"

void h_stdio_compare(void);

int alc_snprintf(char *buf, size_t size, const char *fmt, ...);

#define FILL 0x5a

#define AT_EVERY_SIZE(fmt, ...)                                           \
    do {                                                                  \
        char full[256];                                                   \
        int len = snprintf(full, sizeof(full), fmt, __VA_ARGS__);         \
        size_t size;                                                      \
        for (size = 0; size <= (size_t)len + 2; size++) {                 \
            unsigned char ours[300], theirs[300];                         \
            int a, b;                                                     \
            memset(ours, FILL, sizeof(ours));                             \
            memset(theirs, FILL, sizeof(theirs));                         \
            a = alc_snprintf((char *)ours, size, fmt, __VA_ARGS__);       \
            b = snprintf((char *)theirs, size, fmt, __VA_ARGS__);         \
            if (!t_ok(a == b && memcmp(ours, theirs, sizeof(ours)) == 0,  \
                      "snprintf(size %zu, \"%s\"): returned %d, glibc "   \
                      "%d; kept \"%.*s\", glibc \"%.*s\"",                 \
                      size, fmt, a, b, (int)size, (char *)ours,           \
                      (int)size, (char *)theirs))                         \
                break;                                                    \
        }                                                                 \
    } while (0)

void h_stdio_compare(void)
{
    t_case("stdio/glibc-snprintf-every-size");
    AT_EVERY_SIZE("%s", "");
    AT_EVERY_SIZE("%s", "hello, world");
    AT_EVERY_SIZE("[%5d|%-5x|%05o]", -42, 255u, 8u);
    AT_EVERY_SIZE("%c%c%c", 'a', 0, 'b');
    AT_EVERY_SIZE("%.3s and %10.2s", "abcdef", "xyz");
    AT_EVERY_SIZE("%lld %llu", -9223372036854775807LL - 1,
                  18446744073709551615ULL);
    AT_EVERY_SIZE("%p %%", (void *)0x1234);
    AT_EVERY_SIZE("%.3f %g %e", 3.14159, 1e-5, -2.5);
    AT_EVERY_SIZE("%*d|%-*s|", 8, 7, 6, "ab");
}
