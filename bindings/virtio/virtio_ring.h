/*
 * Split virtqueues (virtio 1.x section 2.7, and the legacy layout of 0.9.5),
 * the driver's side: descriptor chains out, used entries back.
 *
 * The ring memory (descriptor table, available ring, used ring) is shared
 * with the device; everything else in struct vq is private to the driver.
 * The free list and the per-chain records live in private memory, so a
 * device that scribbles on the rings cannot corrupt them: a used entry is
 * accepted only if its id is the head of a chain the driver has
 * outstanding and its length fits the chain's writable bytes.
 *
 * No host or guest headers beyond stdint/stddef/stdbool: this file is
 * built into the virtio bindings and into the host unit tests
 * (tests/unit/virtio).
 */
#ifndef ATOLL_VIRTIO_RING_H
#define ATOLL_VIRTIO_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Descriptor flags. */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
/* avail->flags: the driver wants no interrupt; used->flags: the device
 * wants no notification. Hints only. */
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1

/* Largest queue this driver sets up (the spec allows 32768). */
#define VQ_MAX_SIZE 1024

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vring_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};

struct vring_used_elem {
    uint32_t id;
    uint32_t len;
};

struct vring_used {
    uint16_t flags;
    uint16_t idx;
    struct vring_used_elem ring[];
};

/*
 * Memory barriers. The rings are ordinary cacheable memory shared with a
 * device that runs on another CPU (or thread): publish descriptors before
 * the index that makes them visible (wmb), read a used entry only after the
 * index that announced it (rmb), and read the device's "no notify" flag
 * only after the index store is visible (mb: a store then a load, which
 * x86 may reorder).
 */
#define vq_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define vq_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define vq_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* One buffer of a chain: guest-physical address and length. */
struct vq_buf {
    uint64_t addr;
    uint32_t len;
};

/* Private record of an outstanding chain, indexed by its head. */
struct vq_chain {
    void *cookie;     /* the caller's token, returned with the used entry */
    uint32_t in_len;  /* bytes the device may write */
    uint16_t ndesc;   /* descriptors in the chain; 0 = not outstanding */
    uint16_t tail;    /* last descriptor, to give the chain back */
};

struct vq {
    uint16_t size;       /* entries, a power of two */
    volatile struct vring_desc *desc;
    volatile struct vring_avail *avail;
    volatile struct vring_used *used;
    uint64_t desc_pa, avail_pa, used_pa; /* guest-physical addresses */

    uint16_t free_head;  /* first free descriptor */
    uint16_t num_free;   /* free descriptors */
    uint16_t avail_idx;  /* our copy of avail->idx */
    uint16_t last_used;  /* next used index to consume */
    uint16_t chains;     /* chains outstanding */
    uint16_t *next;      /* private copy of the free list: next[i] */
    struct vq_chain *chain;

    uint64_t bad_entries; /* used entries rejected */
    bool broken;          /* the device ran ahead of the ring: stop */
};

/*
 * Bytes of ring memory for a queue of size entries in the legacy
 * contiguous layout: descriptor table, available ring (with used_event),
 * padding to align, used ring (with avail_event). Modern transports take
 * the three parts' addresses separately; this layout satisfies them too.
 */
size_t vq_ring_bytes(uint16_t size, size_t align);

/* Bytes of private memory vq_init needs for a queue of size entries. */
size_t vq_private_bytes(uint16_t size);

/*
 * Set up q over ring memory at ring (zeroed, physically contiguous,
 * guest-physical address ring_pa, at least vq_ring_bytes(size, align)) and
 * private memory priv (vq_private_bytes(size), suitably aligned for
 * pointers). size must be a power of two in [1, VQ_MAX_SIZE] and align a
 * power of two >= 4 (4096 for legacy PCI); returns false otherwise.
 */
bool vq_init(struct vq *q, uint16_t size, size_t align, void *ring,
             uint64_t ring_pa, void *priv);

/*
 * Put a chain of nout device-readable buffers then nin device-writable
 * ones on the available ring (not yet visible to the device: see
 * vq_publish). Returns false, changing nothing, if there are not
 * nout + nin free descriptors, if that is 0, or if a buffer is empty.
 */
bool vq_add(struct vq *q, const struct vq_buf *bufs, unsigned nout,
            unsigned nin, void *cookie);

/*
 * Make the chains added since the last call visible to the device.
 * Returns whether the device wants to be notified.
 */
bool vq_publish(struct vq *q);

/* Free descriptors. */
static inline unsigned vq_free(const struct vq *q)
{
    return q->num_free;
}

/* Outstanding chains' descriptors. */
static inline unsigned vq_in_flight(const struct vq *q)
{
    return (unsigned)q->size - q->num_free;
}

enum vq_get {
    VQ_NONE = 0, /* no used entry waiting */
    VQ_GOT = 1,  /* *cookie and *len describe a finished chain */
    VQ_BAD = 2,  /* an entry was rejected and skipped (bad id or length);
                    if its id was valid, *cookie is that chain's, which is
                    given back, and *len is 0; else *cookie is NULL */
};

/*
 * Take the next used entry. A device that announces more used entries
 * than there are chains outstanding marks the queue broken: VQ_NONE from
 * then on.
 */
enum vq_get vq_get_used(struct vq *q, void **cookie, uint32_t *len);

/* Whether a used entry is waiting (false on a broken queue). */
bool vq_has_used(const struct vq *q);

/* Ask the device for no interrupts (or again for them) on this queue. */
void vq_set_interrupts(struct vq *q, bool on);

#endif
