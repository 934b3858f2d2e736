/*
 * virtio-net: one receive and one transmit queue. Every transmitted
 * packet carries the virtio-net header in a descriptor of its own (legacy
 * devices without ANY_LAYOUT want that): 10 bytes, or 12 on a virtio 1.x
 * device or with mergeable buffers. Receive buffers stay posted: each one
 * read is put back at once.
 *
 * Offloads (virtio 1.x 5.1.3, 5.1.6), negotiated only as groups the
 * device offers whole: transmit {CSUM, HOST_TSO4} (partial checksums and
 * 64 KB TCPv4 segments out), then receive {GUEST_CSUM, GUEST_TSO4,
 * MRG_RXBUF} (checked or partial checksums and coalesced segments in),
 * taken only with the transmit group since lib/net's VNET mode sends
 * with offloads. Large segments arrive in mergeable 4 KB buffers rather
 * than 64 KB "big" ones: a 256-entry queue holds 256 MTU frames or 15
 * full segments in 1 MB, where big buffers (two descriptors each) would
 * take 8 MB for 128 frames of either size, a sixteenth of the guest's
 * 128 MB in the tests. With either group the device is VNET to lib/net
 * (ATOLL_NET_F_VNET): reads and writes move the 12-byte header with the
 * frame, and lib/net/vnet.c checks every received header; this file
 * checks only the framing (num_buffers, lengths) and, without the
 * receive group, that the device sent plain headers. A device offering
 * no whole group, or queues too small for 64 KB frames, is driven
 * without offloads, as before them.
 */
#include <string.h>

#include "../common/bindings.h"
#include "devices.h"
#include "irq.h"
#include "mem.h"
#include "virtio_drv.h"

#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_GUEST_TSO4 7
#define VIRTIO_NET_F_HOST_TSO4 11
#define VIRTIO_NET_F_MRG_RXBUF 15

#define BIT(f) (1ull << (f))
#define TX_OFFLOADS (BIT(VIRTIO_NET_F_CSUM) | BIT(VIRTIO_NET_F_HOST_TSO4))
#define RX_OFFLOADS (BIT(VIRTIO_NET_F_GUEST_CSUM) | \
                     BIT(VIRTIO_NET_F_GUEST_TSO4) | \
                     BIT(VIRTIO_NET_F_MRG_RXBUF))

#define NET_MTU 1500
#define FRAME_MAX (NET_MTU + ATOLL_NET_HLEN)
#define SLOT 2048   /* bytes per buffer: header area, then the frame */
#define HDR_ROOM 16 /* the frame starts this far into a slot */
#define SLOT_DATA (SLOT - HDR_ROOM)
#define MRG_BUF 4096 /* one mergeable receive buffer: header, then frame */
#define VNET_NUM_BUFFERS 10
/* Descriptors a frame of ATOLL_NET_VNET_FRAME_MAX takes to send: the
 * header, then its bytes in transmit slots. */
#define TX_DESC_MAX (1 + (ATOLL_NET_VNET_FRAME_MAX + SLOT_DATA - 1) / SLOT_DATA)
/* Offloads want queues holding a few 64 KB frames each way. */
#define OFFLOAD_QUEUE_MIN 128
#define TX_END 0xffff

struct vnet {
    struct virtio_dev *dev;
    atoll_handle_t handle;
    struct vq rx, tx;
    uint8_t *rxbuf, *txbuf;
    uint16_t *tx_free; /* stack of free transmit slots */
    uint16_t *tx_link; /* next slot of the same frame, or TX_END */
    unsigned ntx_free;
    unsigned hdrlen;   /* on the device's side */
    size_t rxsz;       /* bytes per receive buffer */
    bool vnet;         /* lib/net gets and gives the header */
    bool mrg;          /* mergeable receive buffers */
    uint64_t rx_dropped;
};

static struct vnet nets[VIRTIO_NET_MAX];
static unsigned nnets;

static void *pages(size_t bytes)
{
    return virtio_page_alloc((bytes + VIRTIO_PAGE_SIZE - 1) /
                             VIRTIO_PAGE_SIZE);
}

/* Put receive buffer i (back) on the ring. */
static bool rx_post(struct vnet *n, unsigned i)
{
    uint8_t *s = n->rxbuf + (size_t)i * n->rxsz;
    struct vq_buf b[2] = {
        {(uintptr_t)s, n->hdrlen},
        {(uintptr_t)(s + HDR_ROOM), FRAME_MAX},
    };
    if (n->mrg) /* the header is the start of the first buffer */
        return vq_add(&n->rx, &(struct vq_buf){(uintptr_t)s, MRG_BUF}, 0,
                      1, (void *)(uintptr_t)(i + 1));
    return vq_add(&n->rx, b, 0, 2, (void *)(uintptr_t)(i + 1));
}

/* The offload groups of got that are whole (see the top of the file). */
static uint64_t whole_groups(uint64_t got)
{
    uint64_t f = 0;

    if ((got & TX_OFFLOADS) == TX_OFFLOADS) {
        f |= TX_OFFLOADS;
        if ((got & RX_OFFLOADS) == RX_OFFLOADS)
            f |= RX_OFFLOADS;
    }
    return f;
}

/* Negotiate, then set up both queues; without offloads if the offered
 * ones come in pieces or the queues are too small for them. */
static const char *negotiate(struct vnet *n)
{
    struct virtio_dev *d = n->dev;
    uint64_t want = BIT(VIRTIO_NET_F_MAC) | TX_OFFLOADS | RX_OFFLOADS;

    for (;;) {
        const char *why = virtio_dev_begin(d, want);
        if (why != NULL)
            return why;
        uint64_t off = d->features & (TX_OFFLOADS | RX_OFFLOADS);
        if (off != whole_groups(off)) {
            want = BIT(VIRTIO_NET_F_MAC) | whole_groups(off);
            continue; /* reset, and accept only the whole groups */
        }
        why = virtio_dev_queue(d, 0, VIRTIO_QUEUE_MAX, &n->rx);
        if (why == NULL)
            why = virtio_dev_queue(d, 1, VIRTIO_QUEUE_MAX, &n->tx);
        if (why != NULL || off == 0 || (n->rx.size >= OFFLOAD_QUEUE_MIN &&
                                        n->tx.size >= OFFLOAD_QUEUE_MIN))
            return why;
        /* Again without offloads (the first rings' pages stay unused). */
        want = BIT(VIRTIO_NET_F_MAC);
    }
}

const char *virtio_net_init(struct virtio_dev *d, struct atoll_mft_entry *e,
                            atoll_handle_t h)
{
    if (nnets == VIRTIO_NET_MAX)
        return "too many net devices";
    struct vnet *n = &nets[nnets];
    const char *why;

    *n = (struct vnet){.dev = d, .handle = h};
    why = negotiate(n);
    n->vnet = (d->features & TX_OFFLOADS) != 0;
    n->mrg = (d->features & BIT(VIRTIO_NET_F_MRG_RXBUF)) != 0;
    n->hdrlen = (d->features & (BIT(VIRTIO_F_VERSION_1) |
                                BIT(VIRTIO_NET_F_MRG_RXBUF))) ? 12 : 10;
    n->rxsz = n->mrg ? MRG_BUF : SLOT;
    unsigned nrx = n->mrg ? n->rx.size : n->rx.size / 2u;
    unsigned ntx = n->vnet ? n->tx.size : n->tx.size / 2u;
    if (why == NULL && (nrx == 0 || ntx == 0))
        why = "queues too small";
    if (why == NULL) {
        n->rxbuf = pages((size_t)nrx * n->rxsz);
        n->txbuf = pages((size_t)ntx * SLOT);
        n->tx_free = pages(ntx * sizeof *n->tx_free);
        n->tx_link = pages(ntx * sizeof *n->tx_link);
        if (n->rxbuf == NULL || n->txbuf == NULL || n->tx_free == NULL ||
            n->tx_link == NULL)
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

    if (d->features & BIT(VIRTIO_NET_F_MAC)) {
        for (unsigned i = 0; i < ATOLL_NET_ALEN; i++)
            e->u.net_basic.mac[i] = virtio_cfg8(d, i);
    } else {
        atoll_entropy(e->u.net_basic.mac, ATOLL_NET_ALEN);
        e->u.net_basic.mac[0] = (uint8_t)((e->u.net_basic.mac[0] & 0xfe) | 2);
    }
    e->u.net_basic.mtu = NET_MTU;
    if (n->vnet && h < 64)
        bind_ext_net_vnet |= 1ull << h;
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

/* Count a packet dropped for its length or framing, and say so at the
 * 1st, 2nd, 4th, 8th...: a device gone wrong shows, without a flood. */
static void rx_drop(struct vnet *n)
{
    n->rx_dropped++;
    if ((n->rx_dropped & (n->rx_dropped - 1)) == 0)
        virtio_say("%s: %llu received packets dropped (bad length, "
                   "framing or header)", n->dev->where,
                   (unsigned long long)n->rx_dropped);
}

/* A two-descriptor receive chain: used counts the header descriptor in
 * full, then the frame. Into buf: the frame, after a 12-byte header for
 * lib/net on a VNET device. */
static bool take_chain(struct vnet *n, uint8_t *s, enum vq_get g,
                       uint32_t used, uint8_t *buf, size_t *len)
{
    size_t hl = n->vnet ? ATOLL_NET_VNET_HLEN : 0;

    if (g != VQ_GOT || used < n->hdrlen + ATOLL_NET_HLEN)
        return false;
    if (n->vnet) {
        /* Without GUEST_CSUM the device sends flags and gso_type 0
         * (virtio 1.x 5.1.6.4.1); anything else is not to be trusted. */
        if (s[0] != 0 || s[1] != 0)
            return false;
        memset(buf, 0, hl);
        memcpy(buf, s, n->hdrlen);
    }
    *len = hl + used - n->hdrlen;
    memcpy(buf + hl, s + HDR_ROOM, used - n->hdrlen);
    return true;
}

/* A packet in num_buffers mergeable buffers, the first (s) already taken
 * off the ring: each one's bytes are appended to buf (the header is the
 * first buffer's start) and the buffer is put back. The device announces
 * all of a packet's buffers together (virtio 1.x 2.7.8): one missing, or
 * more bytes than a VNET frame, drops the packet. */
static bool take_merged(struct vnet *n, uint8_t *s, enum vq_get g,
                        uint32_t used, uint8_t *buf, size_t *len)
{
    bool ok = g == VQ_GOT && used >= ATOLL_NET_VNET_HLEN + ATOLL_NET_HLEN;
    unsigned nb = ok ? (unsigned)(s[VNET_NUM_BUFFERS] |
                                  s[VNET_NUM_BUFFERS + 1] << 8) : 1;
    size_t have = 0;

    if (nb == 0)
        ok = false;
    if (ok) {
        memcpy(buf, s, used);
        have = used;
    }
    for (unsigned i = 1; i < nb; i++) {
        void *cookie;
        g = vq_get_used(&n->rx, &cookie, &used);
        if (g == VQ_NONE)
            return false;
        if (cookie == NULL) {
            ok = false;
            continue;
        }
        unsigned slot = (unsigned)((uintptr_t)cookie - 1);
        if (g != VQ_GOT || have + used > ATOLL_NET_VNET_FRAME_MAX)
            ok = false;
        if (ok) {
            memcpy(buf + have, n->rxbuf + (size_t)slot * n->rxsz, used);
            have += used;
        }
        rx_post(n, slot);
    }
    buf[VNET_NUM_BUFFERS] = buf[VNET_NUM_BUFFERS + 1] = 0;
    *len = have;
    return ok;
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    struct vnet *n = net_of(handle);

    if (n == NULL || buf == NULL || len == NULL ||
        size < (n->vnet ? ATOLL_NET_VNET_FRAME_MAX : FRAME_MAX))
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
        uint8_t *s = n->rxbuf + (size_t)slot * n->rxsz;
        bool ok = n->mrg ? take_merged(n, s, g, used, buf, len)
                         : take_chain(n, s, g, used, buf, len);
        rx_post(n, slot); /* seen by the device at the kick */
        virtio_dev_kick(n->dev, 0, &n->rx);
        if (ok)
            return ATOLL_OK;
        rx_drop(n);
    }
}

/* Take finished transmit chains back, with every slot of each. */
static void tx_reap(struct vnet *n)
{
    void *cookie;
    uint32_t used;

    while (vq_get_used(&n->tx, &cookie, &used) != VQ_NONE) {
        if (cookie == NULL)
            continue;
        for (unsigned s = (unsigned)((uintptr_t)cookie - 1); s != TX_END;
             s = n->tx_link[s])
            n->tx_free[n->ntx_free++] = (uint16_t)s;
    }
}

/* Send one frame (after lib/net's header on a VNET device): the device's
 * header in a descriptor, then the frame in as many slots as it needs. */
enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    struct vnet *n = net_of(handle);
    size_t hl = n != NULL && n->vnet ? ATOLL_NET_VNET_HLEN : 0;

    if (n == NULL || frame == NULL || len < hl + ATOLL_NET_HLEN ||
        len > (hl ? ATOLL_NET_VNET_FRAME_MAX : FRAME_MAX))
        return ATOLL_EINVAL;
    const uint8_t *f = (const uint8_t *)frame + hl;
    size_t flen = len - hl;
    unsigned k = (unsigned)((flen + SLOT_DATA - 1) / SLOT_DATA);
    tx_reap(n);
    /* A full ring drains as the device sends; wait for it at most 1 s,
     * halting until an interrupt (the device's, or at latest 1 ms on). */
    atoll_time_t until = atoll_clock_monotonic() + 1000000000ull;
    while ((n->ntx_free < k || vq_free(&n->tx) < k + 1) && !n->tx.broken) {
        atoll_time_t now = atoll_clock_monotonic();
        if (now >= until)
            return ATOLL_EUNSPEC;
        virtio_wait(now + 1000000);
        tx_reap(n);
    }
    if (n->tx.broken)
        return ATOLL_EUNSPEC;
    struct vq_buf b[TX_DESC_MAX];
    unsigned first = n->tx_free[n->ntx_free - 1], slot = TX_END;
    for (unsigned i = 0; i < k; i++) {
        unsigned prev = slot;
        size_t part = flen - (size_t)i * SLOT_DATA;
        slot = n->tx_free[--n->ntx_free];
        if (prev != TX_END)
            n->tx_link[prev] = (uint16_t)slot;
        if (part > SLOT_DATA)
            part = SLOT_DATA;
        uint8_t *s = n->txbuf + (size_t)slot * SLOT;
        memcpy(s + HDR_ROOM, f + (size_t)i * SLOT_DATA, part);
        b[1 + i] = (struct vq_buf){(uintptr_t)(s + HDR_ROOM), (uint32_t)part};
    }
    n->tx_link[slot] = TX_END;
    uint8_t *h = n->txbuf + (size_t)first * SLOT;
    if (hl) /* lib/net's header, cut to the device's (num_buffers last) */
        memcpy(h, frame, n->hdrlen);
    else
        memset(h, 0, n->hdrlen); /* no checksum or segmentation offload */
    b[0] = (struct vq_buf){(uintptr_t)h, n->hdrlen};
    if (!vq_add(&n->tx, b, k + 1, 0, (void *)(uintptr_t)(first + 1))) {
        for (unsigned s = first; s != TX_END; s = n->tx_link[s])
            n->tx_free[n->ntx_free++] = (uint16_t)s;
        return ATOLL_EUNSPEC;
    }
    virtio_dev_kick(n->dev, 1, &n->tx);
    return ATOLL_OK;
}
