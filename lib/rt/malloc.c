/*
 * The standard allocation functions on one heap over atoll_heap_region(),
 * and the --heap-check boot parameter.
 */
#include <errno.h>
#include <stdlib.h>

#include "atoll/heap.h"
#include "rt_internal.h"

static struct atoll_heap *heap;
ATOLL_PARAM_BOOL(heap_check, "heap-check", true,
                 "check heap canaries on free and realloc");

static void heap_fail(const char *msg)
{
    atoll_panic("%s", msg);
}

void rt_malloc_init(void)
{
    uintptr_t start;
    size_t size;
    uint64_t secret[2];

    atoll_heap_region(&start, &size);
    atoll_entropy(secret, sizeof secret);
    heap = atoll_heap_init_zeroed((void *)start, size, secret, heap_fail);
}

void rt_malloc_configure(void)
{
    if (heap != NULL && !heap_check)
        atoll_heap_set_check(heap, false);
}

/* Without a heap (a region too small) every allocation fails cleanly. */
void *malloc(size_t size)
{
    if (heap == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return atoll_heap_malloc(heap, size);
}

void *calloc(size_t nmemb, size_t size)
{
    if (heap == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return atoll_heap_calloc(heap, nmemb, size);
}

void *realloc(void *ptr, size_t size)
{
    if (heap == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return atoll_heap_realloc(heap, ptr, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    if (heap == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return atoll_heap_aligned_alloc(heap, align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (heap == NULL)
        return ENOMEM;
    return atoll_heap_posix_memalign(heap, out, align, size);
}

void free(void *ptr)
{
    if (ptr != NULL && heap != NULL)
        atoll_heap_free(heap, ptr);
}
