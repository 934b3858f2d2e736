/*
 * qsort as a heapsort: O(n log n) in the worst case, no recursion and no
 * extra memory, which suits small fiber stacks better than a quicksort.
 * Not stable (the C standard does not ask for it).
 */
#include <stdlib.h>

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
    for (; size > 0; size--, a++, b++) {
        unsigned char t = *a;
        *a = *b;
        *b = t;
    }
}

/* Move element i down until the max-heap of the first n elements holds. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
                      int (*cmp)(const void *, const void *, void *),
                      void *arg)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = 2 * i + 2;
        if (l < n && cmp(base + l * size, base + big * size, arg) > 0)
            big = l;
        if (r < n && cmp(base + r * size, base + big * size, arg) > 0)
            big = r;
        if (big == i)
            return;
        swap(base + i * size, base + big * size, size);
        i = big;
    }
}

/* GNU argument order: the context comes last, to the comparison too. */
void qsort_r(void *base, size_t nmemb, size_t size,
             int (*compar)(const void *, const void *, void *), void *arg)
{
    unsigned char *b = base;
    size_t i;

    if (nmemb < 2 || size == 0)
        return;
    for (i = nmemb / 2; i > 0; i--)
        sift_down(b, i - 1, nmemb, size, compar, arg);
    for (i = nmemb - 1; i > 0; i--) {
        swap(b, b + i * size, size);
        sift_down(b, 0, i, size, compar, arg);
    }
}

static int call_plain(const void *a, const void *b, void *arg)
{
    int (*const *cmp)(const void *, const void *) = arg;

    return (*cmp)(a, b);
}

void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *))
{
    qsort_r(base, nmemb, size, call_plain, &compar);
}
