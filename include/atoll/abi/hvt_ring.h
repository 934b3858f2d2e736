/*
 * The hvt network ring of Solo5 v0.12.1 (its include/hvt_ring.h), the same
 * layout in Atoll's words, for the tender (tenders/hvt/netring.c) and the
 * guest (bindings/hvt/netring.c).
 *
 * How Solo5 v0.12.1 sets it up: with a net device attached, the tender keeps
 * the top page-rounded sizeof(struct atoll_hvt_ring) bytes of guest memory
 * for the ring, gives the guest mem_size = the ring's address, and offers
 * ATOLL_HVT_FEATURE_RING_IO with boot_info.net_ring = that address. A guest
 * that uses it puts submissions in entries[] (advancing ent_tail) and reads
 * completions from commits[] (advancing com_head); the tender's I/O thread
 * consumes entries (ent_head) and posts commits (com_tail). Writes are fire
 * and forget (no commit), reads get one commit each. The tender sets
 * needs_kick before it sleeps; a guest that sees it writes any 32-bit value
 * to port ATOLL_HVT_RING_KICK_PIO (a KVM ioeventfd: no exit to the tender's
 * vCPU loop). Indices run freely and are taken modulo ATOLL_HVT_RING_SIZE.
 *
 * Each side writes only its own cache line of indices; the tender never
 * trusts what the guest left in the tender's line either (netring.c keeps
 * its own copies).
 */
#ifndef ATOLL_ABI_HVT_RING_H
#define ATOLL_ABI_HVT_RING_H

#include <stdint.h>

#define ATOLL_HVT_RING_SIZE 1024u
#define ATOLL_HVT_RING_MASK (ATOLL_HVT_RING_SIZE - 1)
/* Per-slot buffer the Solo5 guest copies a written frame into. */
#define ATOLL_HVT_RING_BUF_SIZE 2048u
#define ATOLL_HVT_RING_KICK_PIO 0x600

#define ATOLL_HVT_RING_NET_WRITE 1u
#define ATOLL_HVT_RING_NET_READ 2u

struct atoll_hvt_ring_entry { /* guest -> tender */
    uint32_t operation;
    uint32_t handle;
    uint64_t data; /* guest address of the frame buffer */
    uint32_t len;
    uint32_t id;
    uint64_t reserved;
};

struct atoll_hvt_ring_commit { /* tender -> guest, one per NET_READ */
    uint32_t id;
    int32_t ret; /* ATOLL_HVT_R_* */
    uint32_t len;
    uint32_t reserved;
};

struct atoll_hvt_ring {
    uint32_t ent_tail; /* guest's line */
    uint32_t com_head;
    uint8_t pad0[56];
    uint32_t ent_head; /* tender's line */
    uint32_t com_tail;
    uint32_t needs_kick;
    uint8_t pad1[52];
    struct atoll_hvt_ring_entry entries[ATOLL_HVT_RING_SIZE];
    struct atoll_hvt_ring_commit commits[ATOLL_HVT_RING_SIZE];
};

_Static_assert(sizeof(struct atoll_hvt_ring_entry) == 32, "ring entry");
_Static_assert(sizeof(struct atoll_hvt_ring_commit) == 16, "ring commit");
_Static_assert(__builtin_offsetof(struct atoll_hvt_ring, ent_head) == 64,
               "tender's indices on the second cache line");
_Static_assert(__builtin_offsetof(struct atoll_hvt_ring, entries) == 128,
               "entries after two cache lines");
_Static_assert(sizeof(struct atoll_hvt_ring) == 128 + 1024 * 48, "ring size");

#endif
