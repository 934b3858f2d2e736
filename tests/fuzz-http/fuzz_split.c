/*
 * Fuzz target: lib/http's request parser gives the same outcome (heads,
 * body bytes, ends, error and status) whether the input comes in one
 * piece, one byte at a time, or cut at random places. The first 4 bytes
 * pick the limits (small ones reach every bound) and seed the cuts; the
 * rest is the byte stream of a connection.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/http.h>

#include "../unit/http/outcome.h"

#define PROP(cond)                                                         \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz-http: %s:%d: property failed: %s\n",     \
                    __FILE__, __LINE__, #cond);                            \
            abort();                                                       \
        }                                                                  \
    } while (0)

static char one[1 << 18], other[1 << 18];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 4)
        return 0;
    static const struct http_limits small = {
        .max_target = 24, .max_line = 40, .max_head = 200, .max_body = 64,
        .max_trailers = 32};
    const struct http_limits *lim = (data[0] & 1) ? &small : 0;
    size_t headcap = (data[0] & 2) ? 96 : 8192;
    unsigned maxh = (data[0] & 4) ? 3 : 32;
    uint32_t seed = (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
    data += 4;
    len -= 4;

    long l1 = http_outcome(data, len, 0, 0, lim, headcap, maxh, one,
                           sizeof one);
    PROP(l1 >= 0);
    long l2 = http_outcome(data, len, 0, -1, lim, headcap, maxh, other,
                           sizeof other);
    PROP(l2 == l1 && memcmp(one, other, (size_t)l1) == 0);

    /* Up to 8 random cuts, in order. */
    size_t cuts[8];
    int ncuts = (int)(seed % 9);
    uint64_t x = seed | 1u;
    size_t at = 0;
    for (int k = 0; k < ncuts; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        at += len > at ? (size_t)(x % (len - at + 1)) : 0;
        cuts[k] = at;
    }
    long l3 = http_outcome(data, len, cuts, ncuts, lim, headcap, maxh, other,
                           sizeof other);
    PROP(l3 == l1 && memcmp(one, other, (size_t)l1) == 0);
    return 0;
}
