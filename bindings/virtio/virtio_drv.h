/*
 * Between the binding code (virtio_bind.c) and the net and block drivers
 * (net.c, block.c).
 */
#ifndef ATOLL_BINDINGS_VIRTIO_DRV_H
#define ATOLL_BINDINGS_VIRTIO_DRV_H

#include "atoll/abi/mft.h"
#include "virtio_dev.h"

/* virtio-blk offers flush (also block.c's). */
#define VIRTIO_BLK_F_FLUSH 9

/* At most this many devices of each kind are driven (the host unit test
 * of net.c, which brings up one per case, sets more). */
#ifndef VIRTIO_NET_MAX
#define VIRTIO_NET_MAX 8
#endif
#define VIRTIO_BLOCK_MAX 8

/*
 * Bring d up as the device of manifest entry e (handle h): negotiate,
 * set up its queues and buffers, attach its interrupt, fill in e->u and
 * set e->attached. Returns NULL, or why not (d is then FAILED).
 */
const char *virtio_net_init(struct virtio_dev *d, struct atoll_mft_entry *e,
                            atoll_handle_t h);
const char *virtio_block_init(struct virtio_dev *d, struct atoll_mft_entry *e,
                              atoll_handle_t h);

/* Interrupt handler for d: acknowledge it. */
void virtio_dev_irq(void *d);

#endif
