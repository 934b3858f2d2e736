/*
 * The guest's half of the hvt network ring (include/atoll/abi/hvt_ring.h):
 * submitting entries and taking read completions. Freestanding, with no
 * port I/O in it (the caller kicks), so a host test runs it too.
 */
#ifndef ATOLL_BIND_HVT_NETRING_H
#define ATOLL_BIND_HVT_NETRING_H

#include <stdint.h>

#include <atoll/abi/hvt_ring.h>

struct netring_guest {
    struct atoll_hvt_ring *ring;
    uint32_t ent_tail; /* the guest's own indices */
    uint32_t com_head;
    uint32_t next_id;
    uint32_t limit; /* entries in flight at most (ATOLL_HVT_RING_SIZE - 1) */
};

void netring_guest_init(struct netring_guest *g, struct atoll_hvt_ring *ring);
/* The slot the next submission takes (a per-slot buffer is free to fill
 * when netring_guest_room says so). */
uint32_t netring_guest_slot(const struct netring_guest *g);
/* Whether one more entry fits (the tender consumed enough). */
int netring_guest_room(const struct netring_guest *g);
/* Queue one entry: 0 and *kick (1 when the tender sleeps and must be
 * woken through ATOLL_HVT_RING_KICK_PIO), or ATOLL_ERR_AGAIN when full. */
int netring_guest_submit(struct netring_guest *g, uint32_t op,
                         uint32_t handle, uint64_t data, uint32_t len,
                         int *kick);
/* Whether the tender consumed every entry before index mark (ent_tail
 * just after a submission: that entry and all before it). */
int netring_guest_taken(const struct netring_guest *g, uint32_t mark);
/* Take the next read completion: 0, or ATOLL_ERR_AGAIN when none yet. */
int netring_guest_commit(struct netring_guest *g,
                         struct atoll_hvt_ring_commit *c);

#endif
