/* bsearch over an array sorted in compar's order. */
#include <stdint.h>
#include <stdlib.h>

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *))
{
    const unsigned char *b = base;
    size_t lo = 0, hi = nmemb;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *p = b + mid * size;
        int c = compar(key, p);
        if (c == 0)
            return (void *)(uintptr_t)p;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
