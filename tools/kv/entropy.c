/*
 * atoll_entropy for atoll-kv (lib/kv asks it for hash keys and store ids):
 * getrandom(2), and the clock if that fails (only hash quality depends on
 * it; time is a poor but usable key).
 */
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "atoll/platform.h"

void atoll_entropy(void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);

        if (n <= 0)
            break;
        p += n;
        len -= (size_t)n;
    }
    for (size_t i = 0; i < len; i++) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        p[i] = (uint8_t)(((uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
                          (uint64_t)ts.tv_sec ^ (uintptr_t)&p[i]) >> 56);
    }
}
