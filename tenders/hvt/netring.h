/*
 * The tender's half of the hvt network ring (include/atoll/abi/hvt_ring.h):
 * consuming the guest's submissions and posting read completions, with no
 * KVM and no TAP in it, so that a host test drives it from two threads.
 *
 * The guest can write anything into the ring at any time. The tender
 * keeps its own ent_head and com_tail (it only stores them into the ring,
 * never loads them back), copies each entry before looking at it, takes
 * indices modulo the ring size, and refuses a frame buffer that is not
 * wholly inside guest memory below the ring.
 */
#ifndef ATOLL_TENDER_HVT_NETRING_H
#define ATOLL_TENDER_HVT_NETRING_H

#include <stdint.h>

#include <atoll/abi/hvt_ring.h>

struct netring_io {
    /* Send one frame on device handle: an ATOLL_HVT_R_* result. */
    int (*write)(void *ctx, uint32_t handle, const uint8_t *p, uint32_t len);
    /* Receive one frame into p (at most len bytes), its length in *got. */
    int (*read)(void *ctx, uint32_t handle, uint8_t *p, uint32_t len,
                uint32_t *got);
    void *ctx;
};

struct netring {
    struct atoll_hvt_ring *ring; /* inside guest memory, above mem_size */
    uint8_t *mem;                /* guest memory [0, mem_size) for frames */
    uint64_t mem_size;
    uint32_t ent_head; /* the tender's own indices */
    uint32_t com_tail;
    uint64_t refused; /* entries with a bad buffer or operation */
    int stalled;      /* the last serve stopped on a full commit ring */
    struct netring_io io;
};

/* Serve the ring at guest address ring_gpa in mem (mem_size bytes below
 * it are the guest's); zeroes the ring. 0, or ATOLL_ERR_INVAL when the
 * ring does not fit in mem_total. */
int netring_init(struct netring *r, uint8_t *mem, uint64_t mem_total,
                 uint64_t ring_gpa, const struct netring_io *io);

/* Consume what the guest submitted: the number of entries consumed (0 if
 * none, or the commit ring is full), or ATOLL_ERR_INVAL when the guest's
 * ent_tail claims more than a ring of entries (the tender should stop
 * serving the ring). */
int netring_serve(struct netring *r);

/* Before sleeping: set needs_kick, then look again. 1 if entries came in
 * meanwhile (do not sleep), 0 if the guest will kick. */
int netring_prepare_sleep(struct netring *r);
/* After waking: clear needs_kick. */
void netring_awake(struct netring *r);

#endif
