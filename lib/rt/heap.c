/*
 * The heap: boundary-tagged chunks in segregated free lists (a two-level
 * index in the style of TLSF), so allocation and free take constant time
 * and free neighbours are merged at once.
 *
 * A chunk is a 32-byte header followed by the user area:
 *
 *   prev_size  size of the chunk just before (kept for every chunk)
 *   head       this chunk's size (a multiple of 16) | F_INUSE | F_PREV_INUSE
 *   req        in use: the bytes asked for
 *   canary     in use: keyed hash of (address, size, req); free: free tag
 *   user area  in use: req bytes, then the 8-byte tail canary (unaligned);
 *              free: the free-list links
 *
 * A bitmap with one bit per 16 bytes marks the start of every chunk in
 * use, so free() knows for sure whether it was given a live allocation.
 * The arena ends with a fence: a header-only chunk that is always in use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "atoll/heap.h"
#include "siphash.h"

#define ALIGN ((size_t)16)
#define HDR ((size_t)32)
#define TAIL ((size_t)8)
#define MIN_CHUNK ((size_t)48) /* header and two links */

#define F_INUSE ((size_t)1)
#define F_PREV_INUSE ((size_t)2)
#define F_MASK ((size_t)15)

/* Sizes below 1 << SMALL_LOG get one list per 16 bytes; above, each power
 * of two is split into SL_COUNT lists. */
#define SL_LOG 4
#define SL_COUNT (1u << SL_LOG)
#define SMALL_LOG 8
#define FL_COUNT (64 - SMALL_LOG + 1)

struct chunk {
    size_t prev_size;
    size_t head;
    size_t req;
    uint64_t canary;
    struct chunk *next_free; /* free chunks only */
    struct chunk *prev_free;
};

_Static_assert(sizeof(size_t) == 8, "64-bit targets only");
_Static_assert(__builtin_offsetof(struct chunk, next_free) == HDR,
               "the user area starts right after the header");
_Static_assert(sizeof(struct chunk) == MIN_CHUNK, "minimum chunk size");

struct atoll_heap {
    uint64_t key[2];
    uint64_t free_salt;
    atoll_heap_fail_fn fail;
    bool check;
    bool check_disabled; /* once off, canaries stay off */
    char *arena;         /* the first chunk */
    char *fence;         /* the end sentinel */
    uint64_t *bitmap;
    uint64_t fl_map;
    uint32_t sl_map[FL_COUNT];
    struct chunk *bins[FL_COUNT][SL_COUNT];
};

/* ---- chunk helpers ---------------------------------------------------- */

static struct chunk *at(char *p)
{
    return (struct chunk *)(void *)p;
}

static size_t csize(const struct chunk *c)
{
    return c->head & ~F_MASK;
}

static struct chunk *next_chunk(struct chunk *c)
{
    return at((char *)c + csize(c));
}

static void *user(struct chunk *c)
{
    return (char *)c + HDR;
}

static size_t arena_size(const struct atoll_heap *h)
{
    return (size_t)(h->fence - h->arena);
}

static bool in_arena(const struct atoll_heap *h, const void *p)
{
    uintptr_t u = (uintptr_t)p;

    return u % ALIGN == 0 && u >= (uintptr_t)h->arena &&
           u < (uintptr_t)h->fence;
}

static unsigned long long addr(const void *p)
{
    return (unsigned long long)(uintptr_t)p;
}

static void fail(const struct atoll_heap *h, const char *what, const void *p,
                 const char *detail)
{
    char msg[160];

    snprintf(msg, sizeof(msg), "heap: %s at 0x%llx: %s", what, addr(p),
             detail);
    h->fail(msg);
}

static void fail_invalid(const struct atoll_heap *h, const char *op,
                         const void *p)
{
    char what[32];

    snprintf(what, sizeof(what), "invalid %s", op);
    fail(h, what, p, "pointer was not returned by malloc");
}

/* ---- bitmap of chunks in use ------------------------------------------ */

static size_t granule(const struct atoll_heap *h, const struct chunk *c)
{
    return (size_t)((const char *)c - h->arena) / ALIGN;
}

static bool bit_get(const struct atoll_heap *h, const struct chunk *c)
{
    size_t g = granule(h, c);

    return (h->bitmap[g / 64] >> (g % 64)) & 1;
}

static void bit_set(struct atoll_heap *h, const struct chunk *c)
{
    size_t g = granule(h, c);

    h->bitmap[g / 64] |= 1ull << (g % 64);
}

static void bit_clear(struct atoll_heap *h, const struct chunk *c)
{
    size_t g = granule(h, c);

    h->bitmap[g / 64] &= ~(1ull << (g % 64));
}

/* ---- canaries --------------------------------------------------------- */

static uint64_t head_canary(const struct atoll_heap *h, const struct chunk *c,
                            size_t size, size_t req)
{
    uint64_t w[3] = {(uintptr_t)c, size, req};

    return rt_siphash(h->key, w, 3);
}

/* Differs from the head canary so that one cannot stand in for the other. */
static uint64_t tail_canary(uint64_t head)
{
    return ((head << 29) | (head >> 35)) ^ 0xa5c3e1f00f1e3c5aull;
}

static uint64_t free_tag(const struct atoll_heap *h, const struct chunk *c)
{
    return h->free_salt ^ (uintptr_t)c;
}

/* ---- free lists ------------------------------------------------------- */

static unsigned floor_log2(size_t x)
{
    return 63u - (unsigned)__builtin_clzll(x);
}

static void mapping(size_t size, unsigned *fl, unsigned *sl)
{
    unsigned f;

    if (size < ((size_t)1 << SMALL_LOG)) {
        *fl = 0;
        *sl = (unsigned)(size / ALIGN);
        return;
    }
    f = floor_log2(size);
    *fl = f - SMALL_LOG + 1;
    *sl = (unsigned)(size >> (f - SL_LOG)) & (SL_COUNT - 1);
}

static void insert_free(struct atoll_heap *h, struct chunk *c)
{
    unsigned fl, sl;
    struct chunk *first;

    mapping(csize(c), &fl, &sl);
    first = h->bins[fl][sl];
    c->next_free = first;
    c->prev_free = NULL;
    if (first != NULL)
        first->prev_free = c;
    h->bins[fl][sl] = c;
    h->fl_map |= 1ull << fl;
    h->sl_map[fl] |= 1u << sl;
}

static void remove_free(struct atoll_heap *h, struct chunk *c)
{
    unsigned fl, sl;

    mapping(csize(c), &fl, &sl);
    if (c->prev_free != NULL)
        c->prev_free->next_free = c->next_free;
    else
        h->bins[fl][sl] = c->next_free;
    if (c->next_free != NULL)
        c->next_free->prev_free = c->prev_free;
    if (h->bins[fl][sl] == NULL) {
        h->sl_map[fl] &= ~(1u << sl);
        if (h->sl_map[fl] == 0)
            h->fl_map &= ~(1ull << fl);
    }
}

/* The first free chunk of at least size bytes, without scanning a list:
 * round size up to the next list boundary so any chunk there fits. */
static struct chunk *find_free(struct atoll_heap *h, size_t size)
{
    unsigned fl, sl;
    uint32_t slm;

    if (size >= ((size_t)1 << SMALL_LOG))
        size += ((size_t)1 << (floor_log2(size) - SL_LOG)) - 1;
    mapping(size, &fl, &sl);
    if (fl >= FL_COUNT)
        return NULL;
    slm = h->sl_map[fl] & (~0u << sl);
    if (slm == 0) {
        uint64_t flm = fl + 1 < FL_COUNT ? h->fl_map & (~0ull << (fl + 1)) : 0;

        if (flm == 0)
            return NULL;
        fl = (unsigned)__builtin_ctzll(flm);
        slm = h->sl_map[fl];
    }
    sl = (unsigned)__builtin_ctz(slm);
    return h->bins[fl][sl];
}

/* ---- validation ------------------------------------------------------- */

static bool links_ok(const struct atoll_heap *h, const struct chunk *c)
{
    unsigned fl, sl;

    if (c->next_free != NULL &&
        (!in_arena(h, c->next_free) || c->next_free->prev_free != c))
        return false;
    if (c->prev_free == NULL) {
        mapping(csize(c), &fl, &sl);
        return h->bins[fl][sl] == c;
    }
    return in_arena(h, c->prev_free) && c->prev_free->next_free == c;
}

/* A free chunk about to be reused or merged: a write after free or a wild
 * write shows up here before the allocator trusts its links. */
static bool free_ok(const struct atoll_heap *h, struct chunk *c)
{
    size_t size = csize(c);
    bool ok = c->canary == free_tag(h, c) && (c->head & F_INUSE) == 0 &&
              size >= MIN_CHUNK && size <= (size_t)(h->fence - (char *)c) &&
              !bit_get(h, c) && next_chunk(c)->prev_size == size &&
              links_ok(h, c);

    if (!ok)
        fail(h, "corruption detected", user(c),
             "free chunk overwritten (use after free?)");
    return ok;
}

/* The chunk before c, which c's header says is free. */
static struct chunk *free_prev(const struct atoll_heap *h, struct chunk *c)
{
    size_t ps = c->prev_size;
    struct chunk *prev;

    if (ps < MIN_CHUNK || ps % ALIGN != 0 ||
        ps > (size_t)((char *)c - h->arena)) {
        fail(h, "corruption detected", user(c), "chunk header overwritten");
        return NULL;
    }
    prev = at((char *)c - ps);
    if (csize(prev) != ps || !free_ok(h, prev))
        return NULL;
    return prev;
}

/*
 * The chunk whose user area is p, if p is a live allocation with intact
 * canaries; otherwise report and return NULL. op names the caller's
 * operation for the message.
 */
static struct chunk *owned(const struct atoll_heap *h, const void *p,
                           const char *op)
{
    uintptr_t u = (uintptr_t)p;
    struct chunk *c;
    uint64_t hc = 0, tail;
    size_t size;

    if (u % ALIGN != 0 || u < (uintptr_t)h->arena + HDR ||
        u >= (uintptr_t)h->fence) {
        fail_invalid(h, op, p);
        return NULL;
    }
    c = at((char *)(uintptr_t)u - HDR);
    if (!bit_get(h, c)) {
        if ((c->head & F_INUSE) == 0 && c->canary == free_tag(h, c))
            fail(h, strcmp(op, "free") == 0 ? "double free" : "use after free",
                 p, "chunk is already free");
        else
            fail_invalid(h, op, p);
        return NULL;
    }
    size = csize(c);
    if (h->check) {
        hc = head_canary(h, c, size, c->req);
        if (c->canary != hc) {
            fail(h, "buffer underflow detected", p,
                 "chunk header canary overwritten");
            return NULL;
        }
    }
    if ((c->head & F_INUSE) == 0 || size < MIN_CHUNK ||
        size > (size_t)(h->fence - (char *)c) ||
        c->req > size - HDR - TAIL) {
        fail(h, "corruption detected", p, "chunk header overwritten");
        return NULL;
    }
    if (h->check) {
        memcpy(&tail, (char *)p + c->req, sizeof(tail));
        if (tail != tail_canary(hc)) {
            fail(h, "buffer overflow detected", p, "chunk canary overwritten");
            return NULL;
        }
    }
    return c;
}

/* ---- splitting and merging ------------------------------------------- */

/*
 * Make [r, r + size) a free chunk. The chunk before r is in use; the one
 * after may be free, and is merged then.
 */
static void free_range(struct atoll_heap *h, struct chunk *r, size_t size)
{
    struct chunk *next = at((char *)r + size);

    if ((next->head & F_INUSE) == 0 && free_ok(h, next)) {
        remove_free(h, next);
        size += csize(next);
        next = at((char *)r + size);
    }
    bit_clear(h, r);
    r->head = size | F_PREV_INUSE;
    r->req = 0;
    r->canary = free_tag(h, r);
    next->prev_size = size;
    next->head &= ~F_PREV_INUSE;
    insert_free(h, r);
}

/* c is off the free lists and about to be in use: give back what lies
 * beyond need bytes if that is big enough to be a chunk. */
static void trim(struct atoll_heap *h, struct chunk *c, size_t need)
{
    size_t size = csize(c);

    if (size - need >= MIN_CHUNK) {
        struct chunk *r = at((char *)c + need);

        c->head = need | (c->head & (F_INUSE | F_PREV_INUSE));
        r->prev_size = need;
        free_range(h, r, size - need);
        return;
    }
    next_chunk(c)->prev_size = size;
    next_chunk(c)->head |= F_PREV_INUSE;
}

static void *in_use(struct atoll_heap *h, struct chunk *c, size_t req)
{
    c->head |= F_INUSE;
    c->req = req;
    bit_set(h, c);
    c->canary = 0;
    if (h->check) {
        uint64_t tail;

        c->canary = head_canary(h, c, csize(c), req);
        tail = tail_canary(c->canary);
        memcpy((char *)user(c) + req, &tail, sizeof(tail));
    }
    return user(c);
}

/* A free chunk of at least need bytes, unlinked and trimmed; NULL if none
 * (or if the one found was corrupt). */
static struct chunk *take(struct atoll_heap *h, size_t need)
{
    struct chunk *c = find_free(h, need);

    if (c == NULL || !free_ok(h, c))
        return NULL;
    remove_free(h, c);
    trim(h, c, need);
    return c;
}

/* Free a checked chunk in use, merging it with free neighbours. */
static void release(struct atoll_heap *h, struct chunk *c)
{
    size_t size = csize(c);
    struct chunk *next = next_chunk(c);
    struct chunk *prev = NULL;

    /* Validate both neighbours before changing anything. */
    if ((c->head & F_PREV_INUSE) == 0) {
        prev = free_prev(h, c);
        if (prev == NULL)
            return;
    }
    if ((next->head & F_INUSE) == 0 && !free_ok(h, next))
        return;
    bit_clear(h, c);
    /* Mark the header freed even if it is merged away, so that a second
     * free of the same pointer is named for what it is. */
    c->head &= ~F_INUSE;
    c->canary = free_tag(h, c);
    if (prev != NULL) {
        remove_free(h, prev);
        size += csize(prev);
        c = prev;
    }
    c->head = size | F_PREV_INUSE; /* free chunks never touch */
    free_range(h, c, size);
}

/* The chunk size for req user bytes; false if it cannot exist. */
static bool chunk_need(const struct atoll_heap *h, size_t req, size_t *need)
{
    size_t n;

    if (req > SIZE_MAX / 2)
        return false;
    n = (req + HDR + TAIL + ALIGN - 1) & ~(ALIGN - 1);
    if (n < MIN_CHUNK)
        n = MIN_CHUNK;
    *need = n;
    return n <= arena_size(h);
}

/* ---- public interface ------------------------------------------------- */

static struct atoll_heap *setup(void *base, size_t size,
                                const uint64_t secret[2],
                                atoll_heap_fail_fn fail_fn, bool zeroed)
{
    uintptr_t b = (uintptr_t)base, end, start;
    size_t avail, bm_bytes, words;
    struct atoll_heap *h;
    struct chunk *first, *fence;
    uint64_t salt_in = 0x667265652d746167ull; /* "free-tag" */

    if (base == NULL || fail_fn == NULL || size > UINTPTR_MAX - b ||
        b > UINTPTR_MAX - ALIGN)
        return NULL;
    end = (b + size) & ~(uintptr_t)(ALIGN - 1);
    b = (b + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    if (end < b || end - b < sizeof(*h) + ALIGN)
        return NULL;
    h = (struct atoll_heap *)b;
    /* The header (free-list heads, ~10 KB) is zero already in fresh memory. */
    if (!zeroed)
        memset(h, 0, sizeof(*h));
    start = (b + sizeof(*h) + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    avail = end - start;
    /* One bit per 16 bytes of what is left; a little more than needed. */
    words = (avail / ALIGN + 63) / 64;
    bm_bytes = (words * 8 + ALIGN - 1) & ~(ALIGN - 1);
    if (avail < bm_bytes + MIN_CHUNK + HDR)
        return NULL;
    h->bitmap = (uint64_t *)start;
    /* The bitmap is 1/128 of the region: clearing memory that is already
     * zero would touch (and make the host back) every page of it. */
    if (!zeroed)
        memset(h->bitmap, 0, bm_bytes);
    h->key[0] = secret[0];
    h->key[1] = secret[1];
    h->free_salt = rt_siphash(h->key, &salt_in, 1);
    h->fail = fail_fn;
    h->check = true;
    h->arena = (char *)(start + bm_bytes);
    h->fence = (char *)(end - HDR);

    first = at(h->arena);
    first->prev_size = 0;
    first->head = arena_size(h) | F_PREV_INUSE;
    first->req = 0;
    first->canary = free_tag(h, first);
    insert_free(h, first);
    fence = at(h->fence);
    fence->prev_size = arena_size(h);
    fence->head = F_INUSE;
    fence->req = 0;
    fence->canary = 0;
    return h;
}

struct atoll_heap *atoll_heap_init(void *base, size_t size,
                                   const uint64_t secret[2],
                                   atoll_heap_fail_fn fail_fn)
{
    return setup(base, size, secret, fail_fn, false);
}

struct atoll_heap *atoll_heap_init_zeroed(void *base, size_t size,
                                          const uint64_t secret[2],
                                          atoll_heap_fail_fn fail_fn)
{
    return setup(base, size, secret, fail_fn, true);
}

bool atoll_heap_set_check(struct atoll_heap *h, bool on)
{
    if (on && h->check_disabled)
        return false;
    h->check = on;
    if (!on)
        h->check_disabled = true;
    return true;
}

void *atoll_heap_malloc(struct atoll_heap *h, size_t size)
{
    size_t need;
    struct chunk *c;

    if (h == NULL || !chunk_need(h, size, &need)) {
        errno = ENOMEM;
        return NULL;
    }
    c = take(h, need);
    if (c == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return in_use(h, c, size);
}

void *atoll_heap_calloc(struct atoll_heap *h, size_t nmemb, size_t size)
{
    void *p;

    if (nmemb != 0 && size > SIZE_MAX / nmemb) {
        errno = ENOMEM;
        return NULL;
    }
    p = atoll_heap_malloc(h, nmemb * size);
    if (p != NULL)
        memset(p, 0, nmemb * size);
    return p;
}

void atoll_heap_free(struct atoll_heap *h, void *ptr)
{
    struct chunk *c;

    if (ptr == NULL)
        return;
    c = owned(h, ptr, "free");
    if (c != NULL)
        release(h, c);
}

size_t atoll_heap_size_of(struct atoll_heap *h, const void *ptr)
{
    struct chunk *c;

    if (ptr == NULL)
        return 0;
    c = owned(h, ptr, "size query");
    return c != NULL ? c->req : 0;
}

void *atoll_heap_realloc(struct atoll_heap *h, void *ptr, size_t size)
{
    struct chunk *c, *next;
    size_t need, have;
    void *q;

    if (ptr == NULL)
        return atoll_heap_malloc(h, size);
    c = owned(h, ptr, "realloc");
    if (c == NULL) {
        errno = EINVAL;
        return NULL;
    }
    if (!chunk_need(h, size, &need)) {
        errno = ENOMEM;
        return NULL;
    }
    have = csize(c);
    if (need <= have) {
        trim(h, c, need);
        return in_use(h, c, size);
    }
    /* Grow into a free neighbour when it is big enough. */
    next = next_chunk(c);
    if ((next->head & F_INUSE) == 0 && have + csize(next) >= need) {
        if (!free_ok(h, next))
            return NULL;
        remove_free(h, next);
        c->head = (have + csize(next)) | (c->head & F_MASK);
        trim(h, c, need);
        return in_use(h, c, size);
    }
    q = atoll_heap_malloc(h, size);
    if (q == NULL)
        return NULL;
    memcpy(q, ptr, c->req);
    release(h, c);
    return q;
}

void *atoll_heap_aligned_alloc(struct atoll_heap *h, size_t align, size_t size)
{
    size_t need;
    struct chunk *c;
    uintptr_t u, a;

    if (align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (align <= ALIGN)
        return atoll_heap_malloc(h, size);
    /* Room for a leading free chunk of at least MIN_CHUNK bytes. */
    if (h == NULL || !chunk_need(h, size, &need) ||
        align > arena_size(h) || need + align + MIN_CHUNK > arena_size(h)) {
        errno = ENOMEM;
        return NULL;
    }
    c = take(h, need + align + MIN_CHUNK);
    if (c == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    u = (uintptr_t)user(c);
    a = (u + align - 1) & ~(uintptr_t)(align - 1);
    if (a != u && a - u < MIN_CHUNK)
        a += align;
    if (a != u) {
        size_t gap = a - u;
        struct chunk *n = at((char *)c + gap);

        n->head = csize(c) - gap; /* its predecessor becomes free */
        n->prev_size = gap;
        c->head = gap | F_PREV_INUSE;
        c->req = 0;
        c->canary = free_tag(h, c);
        insert_free(h, c);
        c = n;
    }
    trim(h, c, need);
    return in_use(h, c, size);
}

int atoll_heap_posix_memalign(struct atoll_heap *h, void **out, size_t align,
                              size_t size)
{
    int saved = errno, err;
    void *p;

    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    p = atoll_heap_aligned_alloc(h, align, size);
    err = errno;
    errno = saved;
    if (p == NULL)
        return err == EINVAL ? EINVAL : ENOMEM;
    *out = p;
    return 0;
}

/* ---- verification ----------------------------------------------------- */

static bool verify_used(const struct atoll_heap *h, struct chunk *c)
{
    if (!bit_get(h, c) || c->req > csize(c) - HDR - TAIL) {
        fail(h, "corruption detected", user(c), "chunk header overwritten");
        return false;
    }
    /* Checked by owned(), which reports what it finds. */
    return owned(h, user(c), "verify") != NULL;
}

/* Every free list holds exactly the free chunks of its size class. */
static bool verify_lists(const struct atoll_heap *h, size_t nfree)
{
    size_t n = 0;

    for (unsigned fl = 0; fl < FL_COUNT; fl++) {
        bool fl_set = (h->fl_map >> fl) & 1;

        if (fl_set != (h->sl_map[fl] != 0))
            return false;
        for (unsigned sl = 0; sl < SL_COUNT; sl++) {
            const struct chunk *c = h->bins[fl][sl];

            if (((h->sl_map[fl] >> sl) & 1) != (c != NULL))
                return false;
            for (; c != NULL; c = c->next_free) {
                unsigned cf, cs;

                if (!in_arena(h, c) || (c->head & F_INUSE) != 0 ||
                    ++n > nfree)
                    return false;
                mapping(csize(c), &cf, &cs);
                if (cf != fl || cs != sl)
                    return false;
            }
        }
    }
    return n == nfree;
}

int atoll_heap_verify(struct atoll_heap *h, struct atoll_heap_stats *st)
{
    struct atoll_heap_stats s = {.arena = arena_size(h)};
    struct chunk *c = at(h->arena);
    size_t prev_size = 0;
    bool prev_inuse = true;

    while ((char *)c != h->fence) {
        size_t size = csize(c);
        bool inuse = (c->head & F_INUSE) != 0;

        if (size < MIN_CHUNK || size > (size_t)(h->fence - (char *)c) ||
            c->prev_size != prev_size ||
            ((c->head & F_PREV_INUSE) != 0) != prev_inuse) {
            fail(h, "corruption detected", user(c),
                 "chunk header overwritten");
            return -1;
        }
        if (inuse && !verify_used(h, c))
            return -1;
        if (!inuse && (!prev_inuse || !free_ok(h, c)))
            return -1;
        if (inuse) {
            s.used += size;
            s.nused++;
        } else {
            s.free += size;
            s.nfree++;
            if (size > s.largest_free)
                s.largest_free = size;
        }
        prev_size = size;
        prev_inuse = inuse;
        c = next_chunk(c);
    }
    if (c->prev_size != prev_size || ((c->head & F_PREV_INUSE) != 0) !=
                                         prev_inuse ||
        csize(c) != 0 || !verify_lists(h, s.nfree)) {
        fail(h, "corruption detected", h->fence, "free lists or fence broken");
        return -1;
    }
    if (st != NULL)
        *st = s;
    return 0;
}
