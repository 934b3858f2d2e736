/* Random bits for hash keys and store ids: the platform's boot entropy in
 * a guest, getrandom(2) on the host. */
#include "kv_internal.h"

#ifdef __ATOLL__
#include "atoll/platform.h"

void kv_random(uint64_t out[2])
{
    atoll_entropy(out, 2 * sizeof out[0]);
}
#else
#include <sys/random.h>
#include <time.h>

void kv_random(uint64_t out[2])
{
    if (getrandom(out, 2 * sizeof out[0], 0) != 2 * sizeof out[0]) {
        /* Only hash quality depends on it; time is a poor but usable key. */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        out[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull;
        out[1] = (uint64_t)ts.tv_sec ^ (uintptr_t)out;
    }
}
#endif
