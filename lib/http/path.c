/*
 * Percent-decoding and dot-segment removal of a request path (RFC 3986
 * §2.1, §5.2.4) for serving files: segments are split on the raw '/'
 * before decoding, so an encoded '/' can never make a new segment (it is
 * refused), and ".." that would climb above the root is refused rather
 * than clamped, so a path escape is always an error.
 */
#include <atoll/err.h>
#include <atoll/http.h>

#include "http_internal.h"

/* Decode the segment t[0..n) into out at *o; 0 or ATOLL_ERR_INVAL/RANGE. */
static int decode_segment(const char *t, size_t n, char *out, size_t cap,
                          size_t *o)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)t[i];
        if (c == '%') {
            if (n - i < 3)
                return ATOLL_ERR_INVAL;
            int hi = http_hexval((uint8_t)t[i + 1]);
            int lo = http_hexval((uint8_t)t[i + 2]);
            if (hi < 0 || lo < 0)
                return ATOLL_ERR_INVAL;
            c = (uint8_t)(hi << 4 | lo);
            i += 2;
            if (c == '/' || c == '\\')
                return ATOLL_ERR_INVAL;
        }
        if (c == 0 || c == '#')
            return ATOLL_ERR_INVAL;
        if (*o >= cap)
            return ATOLL_ERR_RANGE;
        out[(*o)++] = (char)c;
    }
    return 0;
}

long http_path_normalize(const char *target, size_t len, char *out,
                         size_t cap)
{
    size_t n = 0, o = 0;
    while (n < len && target[n] != '?')
        n++;
    if (n == 0 || target[0] != '/')
        return ATOLL_ERR_INVAL;
    if (cap == 0)
        return ATOLL_ERR_RANGE;
    out[o++] = '/';
    size_t i = 1;
    for (;;) {
        size_t j = i;
        while (j < n && target[j] != '/')
            j++;
        size_t start = o;
        int rc = decode_segment(target + i, j - i, out, cap, &o);
        if (rc)
            return rc;
        size_t seg = o - start;
        int last = j >= n;
        if (seg == 0 || (seg == 1 && out[start] == '.')) {
            o = start; /* empty or ".": nothing */
        } else if (seg == 2 && out[start] == '.' && out[start + 1] == '.') {
            /* "..": drop it and the segment before it (start - 1 is the
             * '/' that ends that segment). */
            if (start == 1)
                return ATOLL_ERR_INVAL;
            o = start - 1;
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else if (!last) {
            if (o >= cap)
                return ATOLL_ERR_RANGE;
            out[o++] = '/';
        }
        if (last)
            break;
        i = j + 1;
    }
    return (long)o;
}
