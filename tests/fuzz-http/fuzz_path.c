/*
 * Fuzz target: lib/http's path normalization. An accepted path is
 * absolute, has no empty, "." or ".." segment and no NUL, never exceeds
 * the input's length, and (without '%') normalizes to itself again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#define PROP(cond)                                                         \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz-http: %s:%d: property failed: %s\n",     \
                    __FILE__, __LINE__, #cond);                            \
            abort();                                                       \
        }                                                                  \
    } while (0)

static char out[8192], again[8192];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len > sizeof out)
        return 0;
    long n = http_path_normalize((const char *)data, len, out, sizeof out);
    if (n < 0) {
        PROP(n == ATOLL_ERR_INVAL);
        return 0;
    }
    PROP(n >= 1 && (size_t)n <= len && out[0] == '/');
    int pct = 0;
    for (long i = 0; i < n; i++) {
        PROP(out[i] != 0);
        pct |= out[i] == '%' || out[i] == '?' || out[i] == '#';
        if (out[i] != '/')
            continue;
        long j = i + 1;
        while (j < n && out[j] != '/')
            j++;
        long seg = j - i - 1;
        PROP(seg > 0 || j == n); /* no empty segment but a final one */
        PROP(!(seg == 1 && out[i + 1] == '.'));
        PROP(!(seg == 2 && out[i + 1] == '.' && out[i + 2] == '.'));
    }
    if (!pct) {
        long m = http_path_normalize(out, (size_t)n, again, sizeof again);
        PROP(m == n && memcmp(out, again, (size_t)n) == 0);
    }
    return 0;
}
