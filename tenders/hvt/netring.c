/*
 * The tender's half of the hvt network ring (netring.h). Loads of the
 * guest's indices are acquire, stores of the tender's are release: the
 * entries and commits they cover are then seen whole on the other side.
 */
#include <string.h>

#include <atoll/abi/hvt.h>
#include <atoll/err.h>

#include "netring.h"

int netring_init(struct netring *r, uint8_t *mem, uint64_t mem_total,
                 uint64_t ring_gpa, const struct netring_io *io)
{
    if (ring_gpa > mem_total ||
        sizeof(struct atoll_hvt_ring) > mem_total - ring_gpa)
        return ATOLL_ERR_INVAL;
    memset(r, 0, sizeof *r);
    r->ring = (struct atoll_hvt_ring *)(mem + ring_gpa);
    r->mem = mem;
    r->mem_size = ring_gpa;
    r->io = *io;
    memset(r->ring, 0, sizeof *r->ring);
    return 0;
}

/* The guest's frame buffer, or NULL unless wholly below the ring. */
static uint8_t *frame(const struct netring *r, uint64_t gpa, uint32_t len)
{
    if (gpa > r->mem_size || len > r->mem_size - gpa)
        return NULL;
    return r->mem + gpa;
}

static void do_write(struct netring *r, const struct atoll_hvt_ring_entry *e)
{
    const uint8_t *p = frame(r, e->data, e->len);
    if (p == NULL) {
        r->refused++;
        return;
    }
    /* Fire and forget: the guest gets no result for a write. */
    (void)r->io.write(r->io.ctx, e->handle, p, e->len);
}

static void do_read(struct netring *r, const struct atoll_hvt_ring_entry *e)
{
    struct atoll_hvt_ring_commit c = {.id = e->id, .ret = ATOLL_HVT_R_EINVAL};
    uint8_t *p = frame(r, e->data, e->len);
    if (p == NULL)
        r->refused++;
    else
        c.ret = r->io.read(r->io.ctx, e->handle, p, e->len, &c.len);
    memcpy(&r->ring->commits[r->com_tail & ATOLL_HVT_RING_MASK], &c, sizeof c);
    r->com_tail++;
    __atomic_store_n(&r->ring->ent_head, r->ent_head + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&r->ring->com_tail, r->com_tail, __ATOMIC_RELEASE);
}

int netring_serve(struct netring *r)
{
    struct atoll_hvt_ring *g = r->ring;
    uint32_t tail = __atomic_load_n(&g->ent_tail, __ATOMIC_ACQUIRE);
    uint32_t avail = tail - r->ent_head;
    if (avail > ATOLL_HVT_RING_SIZE)
        return ATOLL_ERR_INVAL;

    uint32_t done = 0;
    r->stalled = 0;
    for (; done < avail; done++) {
        /* One copy: the guest may rewrite the slot while we look at it. */
        struct atoll_hvt_ring_entry e;
        memcpy(&e, &g->entries[r->ent_head & ATOLL_HVT_RING_MASK], sizeof e);
        if (e.operation == ATOLL_HVT_RING_NET_READ) {
            uint32_t head = __atomic_load_n(&g->com_head, __ATOMIC_ACQUIRE);
            if (r->com_tail - head >= ATOLL_HVT_RING_SIZE) {
                r->stalled = 1; /* no room for its commit: wait */
                break;
            }
            do_read(r, &e);
        } else if (e.operation == ATOLL_HVT_RING_NET_WRITE) {
            do_write(r, &e);
        } else {
            r->refused++;
        }
        r->ent_head++;
    }
    __atomic_store_n(&g->ent_head, r->ent_head, __ATOMIC_RELEASE);
    return (int)done;
}

int netring_prepare_sleep(struct netring *r)
{
    __atomic_store_n(&r->ring->needs_kick, 1, __ATOMIC_RELAXED);
    /* Store-load order: the guest stores ent_tail then loads needs_kick,
     * we store needs_kick then load ent_tail; one of us sees the other. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t tail = __atomic_load_n(&r->ring->ent_tail, __ATOMIC_ACQUIRE);
    return !r->stalled && tail != r->ent_head;
}

void netring_awake(struct netring *r)
{
    __atomic_store_n(&r->ring->needs_kick, 0, __ATOMIC_RELAXED);
}
