/*
 * Host unit tests of the runtime heap (lib/rt/heap.c) and its keyed hash.
 * Each case builds a heap over its own region; the fail function records
 * the message and returns, so corruption cases can check what was found.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atoll/heap.h"
#include "../../../lib/rt/siphash.h"
#include "../../lib/check.h"

#define REGION (1u << 20)

static char last_msg[256];
static int nfails;

static void record_fail(const char *msg)
{
    snprintf(last_msg, sizeof(last_msg), "%s", msg);
    nfails++;
}

static void *region;
static const uint64_t secret[2] = {0x0123456789abcdefull,
                                   0xfedcba9876543210ull};

static struct atoll_heap *fresh(size_t size)
{
    memset(region, 0xcc, REGION);
    last_msg[0] = '\0';
    nfails = 0;
    return atoll_heap_init(region, size, secret, record_fail);
}

/* The message the heap must give for what at p. */
static int msg_is(const char *what, const void *p, const char *detail)
{
    char want[256];

    snprintf(want, sizeof(want), "heap: %s at 0x%llx: %s", what,
             (unsigned long long)(uintptr_t)p, detail);
    return strcmp(want, last_msg) == 0;
}

/* The heap is sound and holds nothing: one free chunk of everything. */
static int empty(struct atoll_heap *h)
{
    struct atoll_heap_stats st;

    return atoll_heap_verify(h, &st) == 0 && st.nused == 0 && st.nfree == 1 &&
           st.largest_free == st.arena && st.used == 0;
}

static const char *test_siphash_vectors(void)
{
    /* Reference vectors: key 00..0f, message 00 01 02 ... (n bytes). */
    const uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    const uint64_t msg[3] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull,
                             0x1716151413121110ull};

    T_ASSERT(rt_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ull);
    T_ASSERT(rt_siphash(key, msg, 1) == 0x93f5f5799a932462ull);
    T_ASSERT(rt_siphash(key, msg, 2) == 0x3f2acc7f57c29bdbull);
    T_ASSERT(rt_siphash(key, msg, 3) == 0xb8ad50c6f649af94ull);
    return NULL;
}

static const char *test_init_too_small(void)
{
    struct atoll_heap *h = fresh(64);

    T_ASSERT(h == NULL);
    errno = 0;
    T_ASSERT(atoll_heap_malloc(NULL, 1) == NULL && errno == ENOMEM);
    T_ASSERT(atoll_heap_init(region, REGION, secret, NULL) == NULL);
    T_ASSERT(atoll_heap_init(NULL, REGION, secret, record_fail) == NULL);
    return NULL;
}

static const char *test_malloc_basic(void)
{
    struct atoll_heap *h = fresh(REGION);
    static const size_t sizes[] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 100,
                                   255, 256, 257, 1000, 4096, 65536};
    unsigned char *p[sizeof(sizes) / sizeof(sizes[0])];
    size_t n = sizeof(sizes) / sizeof(sizes[0]);

    T_ASSERT(h != NULL && empty(h));
    for (size_t i = 0; i < n; i++) {
        p[i] = atoll_heap_malloc(h, sizes[i]);
        T_ASSERT(p[i] != NULL);
        T_ASSERT((uintptr_t)p[i] % 16 == 0);
        T_ASSERT(atoll_heap_size_of(h, p[i]) == sizes[i]);
        memset(p[i], (int)i, sizes[i]);
    }
    /* No two allocations overlap: each still holds its own pattern. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            T_ASSERT(p[i][j] == (unsigned char)i);
    T_ASSERT(p[0] != p[1]); /* malloc(0) is a unique pointer */
    T_ASSERT(atoll_heap_verify(h, NULL) == 0);
    for (size_t i = 0; i < n; i++)
        atoll_heap_free(h, p[i]);
    atoll_heap_free(h, NULL);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_calloc(void)
{
    struct atoll_heap *h = fresh(REGION);
    unsigned char *p = atoll_heap_malloc(h, 1000), *q;

    T_ASSERT(p != NULL);
    memset(p, 0xff, 1000);
    atoll_heap_free(h, p);
    q = atoll_heap_calloc(h, 10, 100);
    T_ASSERT(q != NULL);
    for (int i = 0; i < 1000; i++)
        T_ASSERT(q[i] == 0);
    atoll_heap_free(h, q);
    errno = 0;
    T_ASSERT(atoll_heap_calloc(h, SIZE_MAX / 2, 4) == NULL && errno == ENOMEM);
    errno = 0;
    T_ASSERT(atoll_heap_calloc(h, (SIZE_MAX >> 32) + 2, 1ull << 32) == NULL &&
             errno == ENOMEM);
    q = atoll_heap_calloc(h, 0, 5);
    T_ASSERT(q != NULL);
    atoll_heap_free(h, q);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_out_of_memory(void)
{
    struct atoll_heap *h = fresh(REGION);
    struct atoll_heap_stats st;
    void *ptrs[4096];
    size_t n = 0;

    T_ASSERT(atoll_heap_verify(h, &st) == 0);
    errno = 0;
    T_ASSERT(atoll_heap_malloc(h, st.arena) == NULL && errno == ENOMEM);
    errno = 0;
    T_ASSERT(atoll_heap_malloc(h, SIZE_MAX) == NULL && errno == ENOMEM);
    errno = 0;
    T_ASSERT(atoll_heap_malloc(h, SIZE_MAX - 20) == NULL && errno == ENOMEM);
    /* Fill the heap with 1000-byte blocks until it says no. */
    for (;;) {
        void *p;

        T_ASSERT(n < 4096);
        errno = 0;
        p = atoll_heap_malloc(h, 1000);
        if (p == NULL)
            break;
        ptrs[n++] = p;
    }
    T_ASSERT(errno == ENOMEM);
    T_ASSERT(n > 900); /* a 1 MiB region holds about a thousand */
    T_ASSERT(atoll_heap_verify(h, &st) == 0 && st.free < 1000 + 48 + 16);
    for (size_t i = 0; i < n; i += 2)
        atoll_heap_free(h, ptrs[i]);
    for (size_t i = 1; i < n; i += 2)
        atoll_heap_free(h, ptrs[i]);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_coalescing(void)
{
    struct atoll_heap *h = fresh(REGION);
    struct atoll_heap_stats st;
    void *a = atoll_heap_malloc(h, 100), *b = atoll_heap_malloc(h, 200);
    void *c = atoll_heap_malloc(h, 300), *d = atoll_heap_malloc(h, 400);

    T_ASSERT(a && b && c && d);
    atoll_heap_free(h, a);
    atoll_heap_free(h, c);
    T_ASSERT(atoll_heap_verify(h, &st) == 0 && st.nfree == 3 && st.nused == 2);
    atoll_heap_free(h, b); /* merges with a on one side and c on the other */
    T_ASSERT(atoll_heap_verify(h, &st) == 0 && st.nfree == 2 && st.nused == 1);
    /* The merged hole is reused for a block that needs all three. */
    a = atoll_heap_malloc(h, 600);
    T_ASSERT(a != NULL && (char *)a < (char *)d);
    atoll_heap_free(h, d);
    atoll_heap_free(h, a);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_realloc(void)
{
    struct atoll_heap *h = fresh(REGION);
    unsigned char *p = atoll_heap_realloc(h, NULL, 10), *q, *guard;

    T_ASSERT(p != NULL && atoll_heap_size_of(h, p) == 10);
    for (int i = 0; i < 10; i++)
        p[i] = (unsigned char)i;
    /* Grow in place: the block after p is free. */
    q = atoll_heap_realloc(h, p, 500);
    T_ASSERT(q == p && atoll_heap_size_of(h, q) == 500);
    for (int i = 0; i < 10; i++)
        T_ASSERT(q[i] == i);
    memset(q, 0x5a, 500);
    /* Grow when the neighbour is in use: the block moves. */
    guard = atoll_heap_malloc(h, 16);
    T_ASSERT(guard != NULL);
    p = atoll_heap_realloc(h, q, 5000);
    T_ASSERT(p != NULL && p != q && atoll_heap_size_of(h, p) == 5000);
    for (int i = 0; i < 500; i++)
        T_ASSERT(p[i] == 0x5a);
    /* Shrink keeps the start and the pointer. */
    q = atoll_heap_realloc(h, p, 20);
    T_ASSERT(q == p && atoll_heap_size_of(h, q) == 20);
    for (int i = 0; i < 20; i++)
        T_ASSERT(q[i] == 0x5a);
    /* Too big: NULL, errno ENOMEM, the old block intact. */
    errno = 0;
    T_ASSERT(atoll_heap_realloc(h, q, REGION * 2) == NULL && errno == ENOMEM);
    T_ASSERT(atoll_heap_size_of(h, q) == 20 && q[19] == 0x5a);
    /* Size 0: a unique pointer to free later. */
    p = atoll_heap_realloc(h, q, 0);
    T_ASSERT(p != NULL && atoll_heap_size_of(h, p) == 0);
    T_ASSERT(atoll_heap_verify(h, NULL) == 0);
    atoll_heap_free(h, p);
    atoll_heap_free(h, guard);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_aligned(void)
{
    struct atoll_heap *h = fresh(REGION);
    void *ptrs[80], *p = NULL;
    size_t n = 0;

    for (size_t align = 1; align <= 65536; align *= 2) {
        for (size_t size = 1; size < 3000; size += 997) {
            void *q = atoll_heap_aligned_alloc(h, align, size);

            T_ASSERT(q != NULL && (uintptr_t)q % align == 0);
            T_ASSERT((uintptr_t)q % 16 == 0);
            memset(q, 0x77, size);
            T_ASSERT(n < 80);
            ptrs[n++] = q;
        }
        T_ASSERT(atoll_heap_verify(h, NULL) == 0);
    }
    for (size_t i = 0; i < n; i++)
        atoll_heap_free(h, ptrs[i]);
    T_ASSERT(nfails == 0 && empty(h));

    errno = 0;
    T_ASSERT(atoll_heap_aligned_alloc(h, 3, 10) == NULL && errno == EINVAL);
    errno = 0;
    T_ASSERT(atoll_heap_aligned_alloc(h, 0, 10) == NULL && errno == EINVAL);
    errno = 0;
    T_ASSERT(atoll_heap_aligned_alloc(h, 1u << 30, 10) == NULL &&
             errno == ENOMEM);

    errno = 1234;
    T_ASSERT(atoll_heap_posix_memalign(h, &p, 8, 100) == 0 && p != NULL);
    T_ASSERT(errno == 1234);
    atoll_heap_free(h, p);
    T_ASSERT(atoll_heap_posix_memalign(h, &p, 4096, 100) == 0 &&
             (uintptr_t)p % 4096 == 0);
    atoll_heap_free(h, p);
    p = NULL;
    T_ASSERT(atoll_heap_posix_memalign(h, &p, 4, 100) == EINVAL && p == NULL);
    T_ASSERT(atoll_heap_posix_memalign(h, &p, 24, 100) == EINVAL && p == NULL);
    T_ASSERT(atoll_heap_posix_memalign(h, &p, 64, REGION * 2) == ENOMEM &&
             p == NULL && errno == 1234);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static const char *test_overflow_detected(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *p = atoll_heap_malloc(h, 24), *q;

    T_ASSERT(p != NULL);
    memset(p, 'a', 24);
    p[24] = 'x'; /* one byte past the end */
    atoll_heap_free(h, p);
    T_ASSERT(nfails == 1);
    T_ASSERT(msg_is("buffer overflow detected", p,
                    "chunk canary overwritten"));
    /* The heap stays usable after reporting. */
    q = atoll_heap_malloc(h, 24);
    T_ASSERT(q != NULL && q != p);
    atoll_heap_free(h, q);
    T_ASSERT(nfails == 1);

    /* realloc checks too, and leaves the block alone. */
    p = atoll_heap_malloc(h, 100);
    T_ASSERT(p != NULL);
    p[103] = 0;
    T_ASSERT(atoll_heap_realloc(h, p, 1000) == NULL);
    T_ASSERT(nfails == 2 && msg_is("buffer overflow detected", p,
                                   "chunk canary overwritten"));
    return NULL;
}

static const char *test_underflow_detected(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *p = atoll_heap_malloc(h, 40);

    T_ASSERT(p != NULL);
    p[-1] ^= 1;
    atoll_heap_free(h, p);
    T_ASSERT(nfails == 1 && msg_is("buffer underflow detected", p,
                                   "chunk header canary overwritten"));
    return NULL;
}

/* An overflow from the previous chunk that rewrites this chunk's size. */
static const char *test_header_size_corruption(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *a = atoll_heap_malloc(h, 32), *b = atoll_heap_malloc(h, 32);
    size_t size;

    T_ASSERT(a && b);
    memcpy(&size, b - 24, sizeof(size));
    size += 4096;
    memcpy(b - 24, &size, sizeof(size));
    atoll_heap_free(h, b);
    T_ASSERT(nfails == 1 && msg_is("buffer underflow detected", b,
                                   "chunk header canary overwritten"));
    return NULL;
}

/* A canary copied from another chunk does not pass: the address is part
 * of it. */
static const char *test_canary_not_copyable(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *a = atoll_heap_malloc(h, 64), *b = atoll_heap_malloc(h, 64);
    uint64_t ca, cb;

    T_ASSERT(a && b);
    memcpy(&ca, a - 8, 8);
    memcpy(&cb, b - 8, 8);
    T_ASSERT(ca != cb);
    memcpy(b - 8, a - 8, 8);
    atoll_heap_free(h, b);
    T_ASSERT(nfails == 1 && msg_is("buffer underflow detected", b,
                                   "chunk header canary overwritten"));
    memcpy(b - 8, &cb, 8);
    /* The tail canary likewise. */
    memcpy(b + 64, a + 64, 8);
    atoll_heap_free(h, b);
    T_ASSERT(nfails == 2 && msg_is("buffer overflow detected", b,
                                   "chunk canary overwritten"));
    return NULL;
}

/* Another secret gives other canaries at the same address. */
static const char *test_canary_depends_on_secret(void)
{
    const uint64_t other[2] = {secret[0] ^ 1, secret[1]};
    struct atoll_heap *h = fresh(REGION);
    char *p = atoll_heap_malloc(h, 64), *q;
    uint64_t c1, c2;

    T_ASSERT(p != NULL);
    memcpy(&c1, p - 8, 8);
    h = atoll_heap_init(region, REGION, other, record_fail);
    q = atoll_heap_malloc(h, 64);
    T_ASSERT(q == p);
    memcpy(&c2, q - 8, 8);
    T_ASSERT(c1 != c2);
    return NULL;
}

static const char *test_double_free(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *a = atoll_heap_malloc(h, 64), *b = atoll_heap_malloc(h, 64);
    char *c = atoll_heap_malloc(h, 64);

    T_ASSERT(a && b && c);
    atoll_heap_free(h, b);
    atoll_heap_free(h, b);
    T_ASSERT(nfails == 1 &&
             msg_is("double free", b, "chunk is already free"));
    /* Also after the chunk was merged into its free neighbour. */
    atoll_heap_free(h, a);
    atoll_heap_free(h, b);
    T_ASSERT(nfails == 2 &&
             msg_is("double free", b, "chunk is already free"));
    T_ASSERT(atoll_heap_realloc(h, a, 10) == NULL);
    T_ASSERT(nfails == 3 &&
             msg_is("use after free", a, "chunk is already free"));
    atoll_heap_free(h, c);
    T_ASSERT(nfails == 3 && empty(h));
    return NULL;
}

static const char *test_invalid_free(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *p = atoll_heap_malloc(h, 256);
    int on_stack;

    T_ASSERT(p != NULL);
    atoll_heap_free(h, &on_stack);
    T_ASSERT(nfails == 1 && msg_is("invalid free", &on_stack,
                                   "pointer was not returned by malloc"));
    atoll_heap_free(h, p + 1);
    T_ASSERT(nfails == 2 && msg_is("invalid free", p + 1,
                                   "pointer was not returned by malloc"));
    atoll_heap_free(h, p + 64); /* inside the block, aligned */
    T_ASSERT(nfails == 3 && msg_is("invalid free", p + 64,
                                   "pointer was not returned by malloc"));
    T_ASSERT(atoll_heap_size_of(h, p + 32) == 0);
    T_ASSERT(nfails == 4 && msg_is("invalid size query", p + 32,
                                   "pointer was not returned by malloc"));
    atoll_heap_free(h, p);
    T_ASSERT(nfails == 4 && empty(h));
    return NULL;
}

/* A write into a freed block is caught before its links are trusted. */
static const char *test_write_after_free(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *a = atoll_heap_malloc(h, 64), *b = atoll_heap_malloc(h, 64);
    char *c = atoll_heap_malloc(h, 64);

    T_ASSERT(a && b && c);
    atoll_heap_free(h, b);
    memset(b, 0x41, 16); /* the free-list links */
    T_ASSERT(atoll_heap_malloc(h, 64) == NULL);
    T_ASSERT(nfails == 1 &&
             msg_is("corruption detected", b,
                    "free chunk overwritten (use after free?)"));
    return NULL;
}

static const char *test_check_switch(void)
{
    struct atoll_heap *h = fresh(REGION);
    char *p;

    T_ASSERT(atoll_heap_set_check(h, true));
    T_ASSERT(atoll_heap_set_check(h, false));
    p = atoll_heap_malloc(h, 24);
    T_ASSERT(p != NULL);
    p[24] = 'x';
    p[-1] = 'y';
    atoll_heap_free(h, p); /* not checked */
    T_ASSERT(nfails == 0);
    atoll_heap_free(h, p); /* double free: still detected */
    T_ASSERT(nfails == 1 && msg_is("double free", p, "chunk is already free"));
    T_ASSERT(!atoll_heap_set_check(h, true));
    T_ASSERT(empty(h));
    return NULL;
}

/* Random operations checked against a shadow copy of every block. */
static const char *test_random_model(void)
{
    enum { SLOTS = 256, OPS = 40000 };
    struct atoll_heap *h = fresh(REGION);
    unsigned char *ptr[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    unsigned seed = 12345;

    for (int op = 0; op < OPS; op++) {
        size_t i, n;
        unsigned char *q;

        seed = seed * 1103515245u + 12345u;
        i = (seed >> 8) % SLOTS;
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 8) % ((seed & 0x10000) ? 64 : 4000);
        if (ptr[i] != NULL) {
            for (size_t j = 0; j < len[i]; j++)
                T_ASSERT(ptr[i][j] == (unsigned char)(i + j));
        }
        switch (op % 4) {
        case 0:
        case 1:
            atoll_heap_free(h, ptr[i]);
            q = (op & 8) ? atoll_heap_malloc(h, n)
                         : atoll_heap_aligned_alloc(h, 64, n);
            len[i] = q != NULL ? n : 0;
            break;
        case 2:
            q = atoll_heap_realloc(h, ptr[i], n);
            if (q == NULL) {
                T_ASSERT(errno == ENOMEM);
                q = ptr[i];
            } else {
                len[i] = n;
            }
            break;
        default:
            atoll_heap_free(h, ptr[i]);
            q = NULL;
            len[i] = 0;
            break;
        }
        ptr[i] = q;
        for (size_t j = 0; j < len[i]; j++)
            ptr[i][j] = (unsigned char)(i + j);
        if (op % 512 == 0)
            T_ASSERT(atoll_heap_verify(h, NULL) == 0);
    }
    for (size_t i = 0; i < SLOTS; i++)
        atoll_heap_free(h, ptr[i]);
    T_ASSERT(nfails == 0 && empty(h));
    return NULL;
}

static double run_pattern(struct atoll_heap *h, void **ptrs, size_t n)
{
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Allocate many, free in order, allocate again, free in reverse:
     * the patterns that make list-scanning allocators quadratic. */
    for (size_t i = 0; i < n; i++)
        ptrs[i] = atoll_heap_malloc(h, 16 + (i % 7) * 8);
    for (size_t i = 0; i < n; i += 2)
        atoll_heap_free(h, ptrs[i]);
    for (size_t i = 0; i < n; i += 2)
        ptrs[i] = atoll_heap_malloc(h, 24);
    for (size_t i = n; i-- > 0;)
        atoll_heap_free(h, ptrs[i]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
           (double)(t1.tv_nsec - t0.tv_nsec);
}

/* 16 times the work must take far less than 256 times as long. */
/* On a region that is already zero the bitmap is not cleared; the heap
 * must behave the same, frees included. */
static const char *test_init_zeroed(void)
{
    struct atoll_heap *h;
    void *a, *b;

    memset(region, 0, REGION);
    nfails = 0;
    h = atoll_heap_init_zeroed(region, REGION, secret, record_fail);
    T_ASSERT(h != NULL);
    a = atoll_heap_malloc(h, 100);
    b = atoll_heap_malloc(h, 5000);
    T_ASSERT(a != NULL && b != NULL);
    atoll_heap_free(h, a);
    atoll_heap_free(h, a);
    T_ASSERT(nfails == 1 && strstr(last_msg, "double free") != NULL);
    atoll_heap_free(h, b);
    T_ASSERT(atoll_heap_verify(h, NULL) == 0 && nfails == 1);
    return NULL;
}

static const char *test_no_quadratic(void)
{
    enum { SMALL = 2000, BIG = 32000 };
    static void *ptrs[BIG];
    double small = 1e30, big = 1e30;
    struct atoll_heap *h = fresh(REGION);

    T_ASSERT(h != NULL);
    for (int round = 0; round < 3; round++) {
        double s = run_pattern(h, ptrs, SMALL), b = run_pattern(h, ptrs, BIG);

        small = s < small ? s : small;
        big = b < big ? b : big;
    }
    T_ASSERT(nfails == 0 && empty(h));
    T_ASSERT(big < small * 64);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    region = aligned_alloc(4096, REGION);
    if (region == NULL)
        return 1;
    RUN(test_siphash_vectors);
    RUN(test_init_too_small);
    RUN(test_malloc_basic);
    RUN(test_calloc);
    RUN(test_out_of_memory);
    RUN(test_coalescing);
    RUN(test_realloc);
    RUN(test_aligned);
    RUN(test_overflow_detected);
    RUN(test_underflow_detected);
    RUN(test_header_size_corruption);
    RUN(test_canary_not_copyable);
    RUN(test_canary_depends_on_secret);
    RUN(test_double_free);
    RUN(test_invalid_free);
    RUN(test_write_after_free);
    RUN(test_check_switch);
    RUN(test_random_model);
    RUN(test_init_zeroed);
    RUN(test_no_quadratic);
    free(region);
    return t_finish();
}
