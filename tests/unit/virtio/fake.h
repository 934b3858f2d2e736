/*
 * The virtio unit tests' shared fakes (fake.c): the bindings a driver
 * calls (console, pages, clock, interrupts) and one fake device behind
 * struct virtio_ops that records what the driver does and takes its
 * chains off the rings. A test with a device model of its own (a disk)
 * embeds struct fake first and serves requests in its serve hook.
 */
#ifndef TESTS_UNIT_VIRTIO_FAKE_H
#define TESTS_UNIT_VIRTIO_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../../bindings/virtio/virtio_dev.h"
#include "atoll/abi/mft.h"
#include "atoll/platform.h"

/* ---- the bindings ------------------------------------------------------ */

extern char fake_said[256];      /* the last console write, NUL-ended */
extern atoll_time_t fake_now_ns; /* 1 us on at each clock read */
extern unsigned fake_waits;      /* virtio_wait calls */
extern unsigned fake_irq_gsi;    /* the last virtio_irq_attach's */
void fake_free_pages(void);      /* every virtio_page_alloc page */

/* The manifest bind_mft_get serves: entries 1..fake_mft_count of type
 * fake_mft_type (a test brings up device H on fake_mft[H]). */
#define FAKE_MFT_MAX 24
extern struct atoll_mft_entry fake_mft[FAKE_MFT_MAX + 1];
extern atoll_handle_t fake_mft_count;
extern uint32_t fake_mft_type;

/* ---- the device ---------------------------------------------------------- */

struct fake {
    struct virtio_dev d; /* first: ops get &fake.d */
    uint64_t offered, accepted;
    uint8_t status;
    uint8_t statuses[16]; /* every status written, in order */
    unsigned nstatus;
    bool refuse_features_ok, refuse_queue, fixed;
    unsigned nqueues;     /* queues 0..nqueues-1 exist, each of qmax */
    uint16_t qmax;
    uint16_t setup_size;  /* of the last queue set up */
    const struct vq *q[2];
    uint16_t avail_seen[2], used_idx[2];
    unsigned notified[2];
    uint32_t cfg[8]; /* the configuration space, read bytewise */
    uint32_t generation;
    int bump_at; /* cfg_read count at which the generation changes */
    int reads;
    void (*serve)(struct fake *f, uint16_t idx); /* on notify, if set */
};

/* f reset to a device on transport t offering the features offered, one
 * queue of 256, a status left over from before (0x7f). */
void fake_init(struct fake *f, enum virtio_transport t, uint64_t offered);

/* A chain the device took: its head and (the first FAKE_CHAIN_MAX)
 * buffers (a 64 KB frame sent by net.c takes 34). */
#define FAKE_CHAIN_MAX 40
struct chain {
    uint16_t head;
    unsigned n;
    uint8_t *addr[FAKE_CHAIN_MAX];
    uint32_t len[FAKE_CHAIN_MAX];
    bool write[FAKE_CHAIN_MAX];
};

/* The next chain the driver made available on queue qi; false if none. */
bool fake_pop(struct fake *f, int qi, struct chain *c);
/* Chain id given back on queue qi as used, len bytes written. */
void fake_push(struct fake *f, int qi, uint32_t id, uint32_t len);

#endif
