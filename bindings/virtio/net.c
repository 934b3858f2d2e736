/*
 * virtio-net: one receive and one transmit queue, no offloads. Every
 * packet carries the virtio-net header in a descriptor of its own (legacy
 * devices without ANY_LAYOUT want that): 10 bytes, or 12 on a virtio 1.x
 * device. Receive buffers stay posted: each one read is put back at once.
 */
#include <string.h>

#include "../common/bindings.h"
#include "devices.h"
#include "irq.h"
#include "mem.h"
#include "virtio_drv.h"

#define VIRTIO_NET_F_MAC 5

#define NET_MTU 1500
#define FRAME_MAX (NET_MTU + ATOLL_NET_HLEN)
#define SLOT 2048   /* bytes per buffer: header area, then the frame */
#define HDR_ROOM 16 /* the frame starts this far into a slot */

struct vnet {
    struct virtio_dev *dev;
    atoll_handle_t handle;
    struct vq rx, tx;
    uint8_t *rxbuf, *txbuf;
    uint16_t *tx_free; /* stack of free transmit slots */
    unsigned ntx_free;
    unsigned hdrlen;
    uint64_t rx_dropped;
};

static struct vnet nets[VIRTIO_NET_MAX];
static unsigned nnets;

static void *pages(size_t bytes)
{
    return virtio_page_alloc((bytes + VIRTIO_PAGE_SIZE - 1) /
                             VIRTIO_PAGE_SIZE);
}

/* Put receive slot i (back) on the ring. */
static bool rx_post(struct vnet *n, unsigned i)
{
    uint8_t *s = n->rxbuf + (size_t)i * SLOT;
    struct vq_buf b[2] = {
        {(uintptr_t)s, n->hdrlen},
        {(uintptr_t)(s + HDR_ROOM), FRAME_MAX},
    };
    return vq_add(&n->rx, b, 0, 2, (void *)(uintptr_t)(i + 1));
}

const char *virtio_net_init(struct virtio_dev *d, struct atoll_mft_entry *e,
                            atoll_handle_t h)
{
    if (nnets == VIRTIO_NET_MAX)
        return "too many net devices";
    struct vnet *n = &nets[nnets];
    const char *why;

    *n = (struct vnet){.dev = d, .handle = h};
    why = virtio_dev_begin(d, 1ull << VIRTIO_NET_F_MAC);
    if (why != NULL)
        return why;
    n->hdrlen = (d->features & (1ull << VIRTIO_F_VERSION_1)) ? 12 : 10;
    why = virtio_dev_queue(d, 0, VIRTIO_QUEUE_MAX, &n->rx);
    if (why == NULL)
        why = virtio_dev_queue(d, 1, VIRTIO_QUEUE_MAX, &n->tx);
    unsigned nrx = n->rx.size / 2, ntx = n->tx.size / 2;
    if (why == NULL && (nrx == 0 || ntx == 0))
        why = "queues too small";
    if (why == NULL) {
        n->rxbuf = pages((size_t)nrx * SLOT);
        n->txbuf = pages((size_t)ntx * SLOT);
        n->tx_free = pages(ntx * sizeof *n->tx_free);
        if (n->rxbuf == NULL || n->txbuf == NULL || n->tx_free == NULL)
            why = "out of memory for buffers";
    }
    if (why != NULL) {
        virtio_dev_fail(d);
        return why;
    }
    for (unsigned i = 0; i < ntx; i++)
        n->tx_free[i] = (uint16_t)i;
    n->ntx_free = ntx;
    for (unsigned i = 0; i < nrx; i++)
        rx_post(n, i);
    vq_set_interrupts(&n->tx, false); /* completions are reaped on write */

    if (d->features & (1ull << VIRTIO_NET_F_MAC)) {
        for (unsigned i = 0; i < ATOLL_NET_ALEN; i++)
            e->u.net_basic.mac[i] = virtio_cfg8(d, i);
    } else {
        atoll_entropy(e->u.net_basic.mac, ATOLL_NET_ALEN);
        e->u.net_basic.mac[0] = (uint8_t)((e->u.net_basic.mac[0] & 0xfe) | 2);
    }
    e->u.net_basic.mtu = NET_MTU;
    if (d->has_gsi && virtio_irq_attach(d->gsi, virtio_dev_irq, d) != 0)
        virtio_say("%s: interrupt %u cannot be attached: receiving "
                   "polls at each timer deadline", d->where, d->gsi);
    virtio_dev_ready(d);
    virtio_dev_kick(d, 0, &n->rx);
    e->attached = true;
    nnets++;
    return NULL;
}

static struct vnet *net_of(atoll_handle_t h)
{
    if (bind_mft_get(h, ATOLL_MFT_DEV_NET_BASIC) == NULL)
        return NULL;
    for (unsigned i = 0; i < nnets; i++)
        if (nets[i].handle == h)
            return &nets[i];
    return NULL;
}

atoll_handle_set_t virtio_net_ready(void)
{
    atoll_handle_set_t set = 0;

    for (unsigned i = 0; i < nnets; i++)
        if (vq_has_used(&nets[i].rx))
            set |= 1ull << nets[i].handle;
    return set & bind_mft_net_set();
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    struct vnet *n = net_of(handle);

    if (n == NULL || buf == NULL || len == NULL || size < FRAME_MAX)
        return ATOLL_EINVAL;
    for (;;) {
        void *cookie;
        uint32_t used;
        enum vq_get g = vq_get_used(&n->rx, &cookie, &used);

        if (g == VQ_NONE)
            return n->rx.broken ? ATOLL_EUNSPEC : ATOLL_AGAIN;
        if (cookie == NULL)
            continue; /* a bogus entry: nothing to give back */
        unsigned slot = (unsigned)((uintptr_t)cookie - 1);
        /* used counts the header descriptor in full, then the frame. */
        bool ok = g == VQ_GOT && used >= n->hdrlen + ATOLL_NET_HLEN;
        if (ok) {
            *len = used - n->hdrlen;
            memcpy(buf, n->rxbuf + (size_t)slot * SLOT + HDR_ROOM, *len);
        } else {
            n->rx_dropped++;
        }
        rx_post(n, slot);
        virtio_dev_kick(n->dev, 0, &n->rx);
        if (ok)
            return ATOLL_OK;
    }
}

/* Take finished transmit chains back. */
static void tx_reap(struct vnet *n)
{
    void *cookie;
    uint32_t used;

    while (vq_get_used(&n->tx, &cookie, &used) != VQ_NONE)
        if (cookie != NULL)
            n->tx_free[n->ntx_free++] = (uint16_t)((uintptr_t)cookie - 1);
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    struct vnet *n = net_of(handle);

    if (n == NULL || frame == NULL || len < ATOLL_NET_HLEN || len > FRAME_MAX)
        return ATOLL_EINVAL;
    tx_reap(n);
    /* A full ring drains as the device sends; wait for it at most 1 s,
     * halting until an interrupt (the device's, or at latest 1 ms on). */
    atoll_time_t until = atoll_clock_monotonic() + 1000000000ull;
    while (n->ntx_free == 0 && !n->tx.broken) {
        atoll_time_t now = atoll_clock_monotonic();
        if (now >= until)
            return ATOLL_EUNSPEC;
        virtio_wait(now + 1000000);
        tx_reap(n);
    }
    if (n->tx.broken)
        return ATOLL_EUNSPEC;
    unsigned slot = n->tx_free[--n->ntx_free];
    uint8_t *s = n->txbuf + (size_t)slot * SLOT;
    memset(s, 0, n->hdrlen); /* no checksum or segmentation offload */
    memcpy(s + HDR_ROOM, frame, len);
    struct vq_buf b[2] = {
        {(uintptr_t)s, n->hdrlen},
        {(uintptr_t)(s + HDR_ROOM), (uint32_t)len},
    };
    if (!vq_add(&n->tx, b, 2, 0, (void *)(uintptr_t)(slot + 1))) {
        n->tx_free[n->ntx_free++] = (uint16_t)slot;
        return ATOLL_EUNSPEC;
    }
    virtio_dev_kick(n->dev, 1, &n->tx);
    return ATOLL_OK;
}
