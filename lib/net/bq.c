/*
 * Byte queues: TCP's send and receive buffers. Emptied chunks go to a
 * small cache shared by all queues (one vCPU: no locking), so that a
 * request/response exchange does not cost a malloc and a free per
 * message while idle connections hold no chunk at all.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#define CACHE_MAX 64

static struct bq_chunk *cache;
static int cached;

static struct bq_chunk *chunk_get(void)
{
    struct bq_chunk *c = cache;

    if (c != NULL) {
        cache = c->next;
        cached--;
        return c;
    }
    return malloc(sizeof *c);
}

static void chunk_put(struct bq_chunk *c)
{
    if (cached < CACHE_MAX) {
        c->next = cache;
        cache = c;
        cached++;
    } else {
        free(c);
    }
}

/* The list's ends agree; each chunk holds what it says; len is their sum
 * (walked only where NET_CHECKS is defined). */
static void bq_check(const struct bq *q)
{
    NET_ASSERT((q->head == NULL) == (q->tail == NULL));
    NET_ASSERT(q->tail == NULL || q->tail->next == NULL);
#ifdef NET_CHECKS
    size_t n = 0;
    for (const struct bq_chunk *c = q->head; c != NULL; c = c->next) {
        NET_ASSERT(c->start <= c->end && c->end <= BQ_CHUNK);
        n += c->end - c->start;
    }
    NET_ASSERT(n == q->len);
#endif
}

size_t bq_append(struct bq *q, const void *src, size_t n)
{
    const uint8_t *s = src;
    size_t done = 0;

    while (done < n) {
        struct bq_chunk *c = q->tail;
        size_t k;

        if (c == NULL || c->end == BQ_CHUNK) {
            c = chunk_get();
            if (c == NULL)
                break;
            c->next = NULL;
            c->start = c->end = 0;
            if (q->tail != NULL)
                q->tail->next = c;
            else
                q->head = c;
            q->tail = c;
        }
        k = BQ_CHUNK - c->end;
        if (k > n - done)
            k = n - done;
        memcpy(c->data + c->end, s + done, k);
        c->end += (uint32_t)k;
        done += k;
    }
    q->len += done;
    bq_check(q);
    return done;
}

void bq_copy(const struct bq *q, size_t off, void *dst, size_t n)
{
    const struct bq_chunk *c = q->head;
    uint8_t *d = dst;

    NET_ASSERT(off <= q->len && n <= q->len - off);
    while (c != NULL && off >= c->end - c->start) {
        off -= c->end - c->start;
        c = c->next;
    }
    while (n > 0 && c != NULL) {
        size_t k = c->end - c->start - off;

        if (k > n)
            k = n;
        memcpy(d, c->data + c->start + off, k);
        d += k;
        n -= k;
        off = 0;
        c = c->next;
    }
}

void bq_drop(struct bq *q, size_t n)
{
    if (n > q->len)
        n = q->len;
    q->len -= n;
    while (n > 0) {
        struct bq_chunk *c = q->head;
        size_t k = c->end - c->start;

        if (k > n) {
            c->start += (uint32_t)n;
            break;
        }
        n -= k;
        q->head = c->next;
        if (q->head == NULL)
            q->tail = NULL;
        chunk_put(c);
    }
    bq_check(q);
}

size_t bq_peek(const struct bq *q, const void **p)
{
    const struct bq_chunk *c = q->head;

    while (c != NULL && c->start == c->end)
        c = c->next;
    if (c == NULL) {
        *p = NULL;
        return 0;
    }
    *p = c->data + c->start;
    return c->end - c->start;
}

void bq_free(struct bq *q)
{
    struct bq_chunk *c = q->head;

    while (c != NULL) {
        struct bq_chunk *next = c->next;

        chunk_put(c);
        c = next;
    }
    q->head = q->tail = NULL;
    q->len = 0;
}
