/*
 * virtio-net's driver (bindings/virtio/net.c) against a device model
 * written here, which takes the driver's chains off the rings and answers
 * honestly or not: receive buffers stay posted however many frames pass
 * and whatever the device says about their lengths, frames keep their
 * bytes both ways behind the right header, a device that never finishes
 * sending makes a write fail after its second of waiting.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../bindings/common/bindings.h"
#include "../../../bindings/virtio/devices.h"
#include "../../../bindings/virtio/mem.h"
#include "../../../bindings/virtio/virtio_drv.h"
#include "../../lib/check.h"

/* ---- the bindings around net.c ------------------------------------------ */

/* net.c keeps its devices for good (it runs once per boot): each case
 * brings up a new one, on handle H, the manifest entry entries[H]. */
#define NET_TYPE ATOLL_MFT_DEV_NET_BASIC
static struct atoll_mft_entry entries[VIRTIO_NET_MAX + 1];
static atoll_handle_t H;
#define entry (entries[H])
const struct atoll_mft_entry *bind_mft_get(atoll_handle_t h, uint32_t type)
{
    return h >= 1 && h <= H && type == NET_TYPE ? &entries[h] : NULL;
}
atoll_handle_set_t bind_mft_net_set(void) { return 1ull << H; }
void atoll_entropy(void *buf, size_t len) { memset(buf, 0x42, len); }
void virtio_dev_irq(void *d) { (void)d; }
static unsigned irq_gsi;
int virtio_irq_attach(unsigned gsi, void (*fn)(void *), void *arg)
{
    (void)fn;
    (void)arg;
    irq_gsi = gsi;
    return 0;
}
static atoll_time_t now_ns;
atoll_time_t atoll_clock_monotonic(void) { return now_ns += 1000; }
static unsigned yields;
void virtio_wait(atoll_time_t deadline)
{
    yields++;
    if (deadline > now_ns)
        now_ns = deadline;
}
void atoll_console_write(const char *buf, size_t len)
{
    (void)buf;
    (void)len;
}
static void *pages[64];
static unsigned npages;
void *virtio_page_alloc(size_t n)
{
    if (n == 0 || npages == 64)
        return NULL;
    void *p = aligned_alloc(VIRTIO_PAGE_SIZE, n * VIRTIO_PAGE_SIZE);
    memset(p, 0, n * VIRTIO_PAGE_SIZE);
    return pages[npages++] = p;
}
static void free_pages(void)
{
    while (npages > 0)
        free(pages[--npages]);
}

/* ---- the device ------------------------------------------------------------ */

struct fake {
    struct virtio_dev d;
    uint64_t offered;
    uint8_t status, mac[6];
    const struct vq *q[2];
    uint16_t avail_seen[2], used_idx[2];
    unsigned notified[2];
};
static struct fake *F(struct virtio_dev *d) { return (struct fake *)d; }
static uint64_t get_features(struct virtio_dev *d) { return F(d)->offered; }
static void set_features(struct virtio_dev *d, uint64_t f) { (void)d; (void)f; }
static uint8_t get_status(struct virtio_dev *d) { return F(d)->status; }
static void set_status(struct virtio_dev *d, uint8_t s) { F(d)->status = s; }
static uint32_t cfg_read(struct virtio_dev *d, unsigned off, unsigned w)
{
    (void)w;
    return off < 6 ? F(d)->mac[off] : 0;
}
static uint32_t generation(struct virtio_dev *d) { (void)d; return 0; }
static uint16_t queue_max(struct virtio_dev *d, uint16_t idx)
{
    (void)d;
    return idx < 2 ? 16 : 0;
}
static bool not_fixed(struct virtio_dev *d) { (void)d; return false; }
static bool queue_setup(struct virtio_dev *d, uint16_t idx, const struct vq *q)
{
    F(d)->q[idx] = q;
    return true;
}
static void notify(struct virtio_dev *d, uint16_t idx) { F(d)->notified[idx]++; }
static uint8_t isr(struct virtio_dev *d) { (void)d; return 1; }
static const struct virtio_ops ops = {
    get_features, set_features, get_status, set_status, cfg_read,
    generation, queue_max, not_fixed, queue_setup, notify, isr,
};

/* A chain the device took: its head and buffers. */
struct chain {
    uint16_t head;
    unsigned n;
    uint8_t *addr[4];
    uint32_t len[4];
    bool write[4];
};

static bool pop(struct fake *f, int qi, struct chain *c)
{
    const struct vq *q = f->q[qi];
    if (q->avail->idx == f->avail_seen[qi])
        return false;
    c->head = q->avail->ring[f->avail_seen[qi]++ & (q->size - 1)];
    c->n = 0;
    for (uint16_t i = c->head;; i = q->desc[i].next) {
        if (c->n < 4) {
            c->addr[c->n] = (uint8_t *)(uintptr_t)q->desc[i].addr;
            c->len[c->n] = q->desc[i].len;
            c->write[c->n] = (q->desc[i].flags & VRING_DESC_F_WRITE) != 0;
        }
        c->n++;
        if (!(q->desc[i].flags & VRING_DESC_F_NEXT))
            break;
    }
    return true;
}

static void push(struct fake *f, int qi, uint32_t id, uint32_t len)
{
    const struct vq *q = f->q[qi];
    uint16_t u = f->used_idx[qi]++;
    q->used->ring[u & (q->size - 1)].id = id;
    q->used->ring[u & (q->size - 1)].len = len;
    q->used->idx = f->used_idx[qi];
}

/* Posted receive buffers: made available, not yet used. */
static unsigned rx_posted(struct fake *f)
{
    return (uint16_t)(f->q[0]->avail->idx - f->used_idx[0]);
}

/* Deliver a frame of len bytes (pattern from seed) into the next receive
 * buffer; used_len overrides the length reported if nonzero. */
static bool deliver(struct fake *f, unsigned hdrlen, size_t len, int seed,
                    uint32_t used_len)
{
    struct chain c;
    if (!pop(f, 0, &c) || c.n != 2 || !c.write[0] || !c.write[1] ||
        c.len[0] != hdrlen || c.len[1] < len)
        return false;
    memset(c.addr[0], 0, hdrlen);
    for (size_t i = 0; i < len; i++)
        c.addr[1][i] = (uint8_t)(seed + i);
    push(f, 0, c.head, used_len != 0 ? used_len : (uint32_t)(hdrlen + len));
    return true;
}

static struct fake dev;

static const char *bring_up(enum virtio_transport t, uint64_t offered)
{
    memset(&dev, 0, sizeof dev);
    memcpy(dev.mac, "\x52\x54\x00\x12\x34\x56", 6);
    dev.d.ops = &ops;
    dev.d.transport = t;
    dev.d.gsi = 47;
    dev.d.has_gsi = true;
    dev.offered = offered;
    if (H == VIRTIO_NET_MAX)
        return "more cases than net.c has devices";
    H++;
    entry.type = NET_TYPE;
    return virtio_net_init(&dev.d, &entry, H);
}

#define V1 (1ull << VIRTIO_F_VERSION_1)
#define F_MAC (1ull << 5)

/* ---- cases ------------------------------------------------------------------ */

static const char *init(void)
{
    T_ASSERT(bring_up(VIRTIO_MMIO_V2, V1 | F_MAC) == NULL);
    T_ASSERT(entry.attached && entry.u.net_basic.mtu == 1500);
    T_ASSERT(memcmp(entry.u.net_basic.mac, dev.mac, 6) == 0);
    T_ASSERT(dev.status & VIRTIO_S_DRIVER_OK);
    T_ASSERT(irq_gsi == 47);
    /* Every receive buffer posted (two descriptors each) and announced. */
    T_ASSERT(rx_posted(&dev) == 8 && dev.notified[0] == 1);
    T_ASSERT(virtio_net_ready() == 0);
    /* No MAC offered: a random locally administered one. */
    T_ASSERT(bring_up(VIRTIO_PCI_LEGACY, 0) == NULL);
    T_ASSERT(entry.u.net_basic.mac[0] == 0x42 && entry.u.net_basic.mac[1] ==
             0x42);
    return NULL;
}

static const char *receive(void)
{
    uint8_t buf[1514];
    size_t len;

    /* Legacy: a 10-byte header; modern: 12. */
    static const struct { enum virtio_transport t; uint64_t f; unsigned h; }
        kinds[] = {{VIRTIO_PCI_LEGACY, F_MAC, 10}, {VIRTIO_MMIO_V2, V1, 12}};
    for (int k = 0; k < 2; k++) {
        T_ASSERT(bring_up(kinds[k].t, kinds[k].f) == NULL);
        T_ASSERT(atoll_net_read(H, buf, sizeof buf, &len) == ATOLL_AGAIN);
        T_ASSERT(deliver(&dev, kinds[k].h, 60, 7, 0));
        T_ASSERT(virtio_net_ready() == 1ull << H);
        T_ASSERT(atoll_net_read(H, buf, sizeof buf, &len) == ATOLL_OK);
        T_ASSERT(len == 60 && buf[0] == 7 && buf[59] == (uint8_t)(7 + 59));
        T_ASSERT(virtio_net_ready() == 0 && rx_posted(&dev) == 8);
        /* A full-size frame. */
        T_ASSERT(deliver(&dev, kinds[k].h, 1514, 1, 0));
        T_ASSERT(atoll_net_read(H, buf, sizeof buf, &len) == ATOLL_OK);
        T_ASSERT(len == 1514 && buf[1513] == (uint8_t)(1 + 1513));
    }
    /* Bad arguments. */
    T_ASSERT(atoll_net_read(H, buf, 1513, &len) == ATOLL_EINVAL);
    T_ASSERT(atoll_net_read(H + 1, buf, sizeof buf, &len) == ATOLL_EINVAL);
    T_ASSERT(atoll_net_read(H, NULL, sizeof buf, &len) == ATOLL_EINVAL);
    return NULL;
}

/* Ten times more frames than buffers, some claimed too short or too long
 * by the device: every good one arrives, every buffer comes back. */
static const char *keeps_posted(void)
{
    uint8_t buf[1514];
    size_t len;
    unsigned got = 0, sent = 0;

    T_ASSERT(bring_up(VIRTIO_MMIO_V1, F_MAC) == NULL);
    for (int i = 0; i < 80; i++) {
        uint32_t lie = 0;
        if (i % 7 == 3)
            lie = 10 + 13; /* a header and less than an Ethernet header */
        if (i % 11 == 5)
            lie = 10 + 1514 + 1; /* more than the buffer holds */
        T_ASSERT(deliver(&dev, 10, 100 + (size_t)i, i, lie));
        if (lie == 0)
            sent++;
        enum atoll_result r;
        while ((r = atoll_net_read(H, buf, sizeof buf, &len)) == ATOLL_OK) {
            if (len != 100 + (size_t)i || buf[0] != (uint8_t)i)
                return "a frame changed on the way";
            got++;
        }
        T_ASSERT(r == ATOLL_AGAIN);
        T_ASSERT(rx_posted(&dev) == 8);
    }
    T_ASSERT(got == sent && got > 60);
    /* A used entry naming no buffer of ours changes nothing. */
    push(&dev, 0, 1000, 70);
    T_ASSERT(atoll_net_read(H, buf, sizeof buf, &len) == ATOLL_AGAIN);
    T_ASSERT(dev.q[0]->chains == 8 && !dev.q[0]->broken);
    return NULL;
}

static const char *transmit(void)
{
    uint8_t frame[1514];
    struct chain c;

    T_ASSERT(bring_up(VIRTIO_PCI_MODERN, V1 | F_MAC) == NULL);
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 3);
    /* Sixty frames through eight transmit slots, the device finishing
     * each one it sees. */
    for (int i = 0; i < 60; i++) {
        size_t len = 14 + (size_t)i * 20;
        T_ASSERT(atoll_net_write(H, frame, len) == ATOLL_OK);
        T_ASSERT(pop(&dev, 1, &c) && c.n == 2 && !c.write[0] && !c.write[1]);
        T_ASSERT(c.len[0] == 12 && c.len[1] == len);
        for (unsigned b = 0; b < 12; b++)
            T_ASSERT(c.addr[0][b] == 0); /* no offloads asked for */
        T_ASSERT(memcmp(c.addr[1], frame, len) == 0);
        push(&dev, 1, c.head, 0);
    }
    T_ASSERT(dev.notified[1] == 60);
    T_ASSERT(atoll_net_write(H, frame, 13) == ATOLL_EINVAL);
    T_ASSERT(atoll_net_write(H, frame, 1515) == ATOLL_EINVAL);
    /* A device that takes frames and never finishes them: eight fit,
     * the ninth waits a second, sleeping, then fails. */
    T_ASSERT(bring_up(VIRTIO_PCI_MODERN, V1 | F_MAC) == NULL);
    for (int i = 0; i < 8; i++)
        T_ASSERT(atoll_net_write(H, frame, 60) == ATOLL_OK);
    yields = 0;
    atoll_time_t t0 = now_ns;
    T_ASSERT(atoll_net_write(H, frame, 60) == ATOLL_EUNSPEC);
    T_ASSERT(now_ns - t0 >= 1000000000ull && yields >= 900);
    /* Once it finishes one, writing works again. */
    T_ASSERT(pop(&dev, 1, &c));
    push(&dev, 1, c.head, 0);
    T_ASSERT(atoll_net_write(H, frame, 60) == ATOLL_OK);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(init);
    RUN(receive);
    RUN(keeps_posted);
    RUN(transmit);
    free_pages();
    return t_finish();
}
