/*
 * The runtime's heap allocator, working on any memory region given to it.
 * lib/rt/malloc.c puts one heap over atoll_heap_region() and defines the
 * standard malloc family on it; host unit tests use their own regions.
 *
 * Every allocation is 16-byte aligned and carries a canary right before
 * and right after the bytes requested. The canaries depend on a per-heap
 * secret and on the chunk's address and size, so they cannot be forged by
 * copying another chunk's. They are checked on free and realloc; a bad
 * canary, a double free or a free of a pointer the heap never returned is
 * reported through the heap's fail function (the runtime panics).
 *
 * One vCPU, no interrupts: no locking.
 */
#ifndef ATOLL_HEAP_H
#define ATOLL_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct atoll_heap;

/*
 * Called with a one-line message ("heap: double free of 0x...") when the
 * heap finds corruption or misuse. The runtime's function does not return.
 * If it returns (host tests), the operation is abandoned: free() leaves
 * the chunk alone, realloc() returns NULL, and the heap stays usable.
 */
typedef void (*atoll_heap_fail_fn)(const char *msg);

/*
 * Set up a heap in [base, base + size); its bookkeeping lives inside the
 * region. secret is 128 random bits. NULL if the region is too small for
 * anything (then every allocation fails).
 */
struct atoll_heap *atoll_heap_init(void *base, size_t size,
                                   const uint64_t secret[2],
                                   atoll_heap_fail_fn fail);

/* The same for a region known to hold only zero bytes (fresh guest
 * memory): the heap then touches only the pages it writes. */
struct atoll_heap *atoll_heap_init_zeroed(void *base, size_t size,
                                          const uint64_t secret[2],
                                          atoll_heap_fail_fn fail);

/* The C functions of the same name (errno ENOMEM or EINVAL on failure;
 * posix_memalign returns the error instead). malloc(0) and realloc(p, 0)
 * return a unique pointer, to be freed. */
void *atoll_heap_malloc(struct atoll_heap *h, size_t size);
void *atoll_heap_calloc(struct atoll_heap *h, size_t nmemb, size_t size);
void *atoll_heap_realloc(struct atoll_heap *h, void *ptr, size_t size);
void *atoll_heap_aligned_alloc(struct atoll_heap *h, size_t align,
                               size_t size);
int atoll_heap_posix_memalign(struct atoll_heap *h, void **out, size_t align,
                              size_t size);
void atoll_heap_free(struct atoll_heap *h, void *ptr);

/* The size that was asked for ptr (checked like free; 0 for NULL). */
size_t atoll_heap_size_of(struct atoll_heap *h, const void *ptr);

/*
 * Turn the canaries off (faster; the --heap-check=false boot parameter).
 * Chunks allocated while off carry no canaries, so checking cannot be
 * turned back on: enabling after disabling returns false and changes
 * nothing. Double and invalid frees are detected either way.
 */
bool atoll_heap_set_check(struct atoll_heap *h, bool on);

struct atoll_heap_stats {
    size_t arena;        /* bytes managed, bookkeeping excluded */
    size_t used;         /* bytes in allocated chunks, headers included */
    size_t free;         /* bytes in free chunks */
    size_t largest_free; /* the largest free chunk */
    size_t nused;        /* allocated chunks */
    size_t nfree;        /* free chunks */
};

/*
 * Walk every chunk, check its header, canaries and free-list membership,
 * and fill *st (if not NULL). 0 if the heap is sound; otherwise the fail
 * function is called and -1 returned. O(number of chunks).
 */
int atoll_heap_verify(struct atoll_heap *h, struct atoll_heap_stats *st);

#endif
