/*
 * The guest's half of the hvt network ring (netring.h). One slot stays
 * empty, as in Solo5 v0.12.1's guest, so full and empty differ.
 */
#include <atoll/err.h>

#include "netring.h"

void netring_guest_init(struct netring_guest *g, struct atoll_hvt_ring *ring)
{
    g->ring = ring;
    g->ent_tail = __atomic_load_n(&ring->ent_tail, __ATOMIC_RELAXED);
    g->com_head = __atomic_load_n(&ring->com_head, __ATOMIC_RELAXED);
    g->next_id = 0;
    g->limit = ATOLL_HVT_RING_SIZE - 1;
}

uint32_t netring_guest_slot(const struct netring_guest *g)
{
    return g->ent_tail & ATOLL_HVT_RING_MASK;
}

int netring_guest_room(const struct netring_guest *g)
{
    uint32_t head = __atomic_load_n(&g->ring->ent_head, __ATOMIC_ACQUIRE);
    return g->ent_tail - head < g->limit;
}

int netring_guest_submit(struct netring_guest *g, uint32_t op,
                         uint32_t handle, uint64_t data, uint32_t len,
                         int *kick)
{
    if (!netring_guest_room(g))
        return ATOLL_ERR_AGAIN;
    struct atoll_hvt_ring_entry *e =
        &g->ring->entries[g->ent_tail & ATOLL_HVT_RING_MASK];
    e->operation = op;
    e->handle = handle;
    e->data = data;
    e->len = len;
    e->id = g->next_id++;
    e->reserved = 0;
    g->ent_tail++;
    __atomic_store_n(&g->ring->ent_tail, g->ent_tail, __ATOMIC_RELEASE);
    /* Store-load order against the tender's needs_kick (netring_prepare_sleep). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *kick = __atomic_load_n(&g->ring->needs_kick, __ATOMIC_RELAXED) != 0;
    return 0;
}

int netring_guest_taken(const struct netring_guest *g, uint32_t mark)
{
    uint32_t head = __atomic_load_n(&g->ring->ent_head, __ATOMIC_ACQUIRE);
    /* Free-running indices: compare by distance, across 2^32 too. */
    return (int32_t)(head - mark) >= 0;
}

int netring_guest_commit(struct netring_guest *g,
                         struct atoll_hvt_ring_commit *c)
{
    uint32_t tail = __atomic_load_n(&g->ring->com_tail, __ATOMIC_ACQUIRE);
    if (tail == g->com_head)
        return ATOLL_ERR_AGAIN;
    *c = g->ring->commits[g->com_head & ATOLL_HVT_RING_MASK];
    g->com_head++;
    __atomic_store_n(&g->ring->com_head, g->com_head, __ATOMIC_RELEASE);
    return 0;
}
