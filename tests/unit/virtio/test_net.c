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
#include "fake.h"

/* ---- the bindings around net.c ------------------------------------------ */

/* net.c keeps its devices for good (it runs once per boot): each case
 * brings up a new one, on handle H, the manifest entry entries[H]. */
_Static_assert(VIRTIO_NET_MAX <= FAKE_MFT_MAX, "fake manifest too small");
#define H fake_mft_count
#define entry (fake_mft[H])
atoll_handle_set_t bind_mft_net_set(void) { return 1ull << H; }
void atoll_entropy(void *buf, size_t len) { memset(buf, 0x42, len); }

/* ---- the device ------------------------------------------------------------ */

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
    if (!fake_pop(f, 0, &c) || c.n != 2 || !c.write[0] || !c.write[1] ||
        c.len[0] != hdrlen || c.len[1] < len)
        return false;
    memset(c.addr[0], 0, hdrlen);
    for (size_t i = 0; i < len; i++)
        c.addr[1][i] = (uint8_t)(seed + i);
    fake_push(f, 0, c.head, used_len != 0 ? used_len : (uint32_t)(hdrlen + len));
    return true;
}

#define MAC "\x52\x54\x00\x12\x34\x56"
static struct fake dev;

static const char *bring_up(enum virtio_transport t, uint64_t offered)
{
    fake_init(&dev, t, offered);
    dev.status = 0;
    dev.nqueues = 2;
    dev.qmax = 16;
    memcpy(dev.cfg, MAC, 6); /* the configuration starts with the MAC */
    dev.d.gsi = 47;
    dev.d.has_gsi = true;
    if (H == VIRTIO_NET_MAX)
        return "more cases than net.c has devices";
    H++;
    entry.type = fake_mft_type = ATOLL_MFT_DEV_NET_BASIC;
    return virtio_net_init(&dev.d, &entry, H);
}

#define V1 (1ull << VIRTIO_F_VERSION_1)
#define F_MAC (1ull << 5)

/* ---- cases ------------------------------------------------------------------ */

static const char *init(void)
{
    T_ASSERT(bring_up(VIRTIO_MMIO_V2, V1 | F_MAC) == NULL);
    T_ASSERT(entry.attached && entry.u.net_basic.mtu == 1500);
    T_ASSERT(memcmp(entry.u.net_basic.mac, MAC, 6) == 0);
    T_ASSERT(dev.status & VIRTIO_S_DRIVER_OK);
    T_ASSERT(fake_irq_gsi == 47);
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
    fake_push(&dev, 0, 1000, 70);
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
        T_ASSERT(fake_pop(&dev, 1, &c) && c.n == 2 && !c.write[0] && !c.write[1]);
        T_ASSERT(c.len[0] == 12 && c.len[1] == len);
        for (unsigned b = 0; b < 12; b++)
            T_ASSERT(c.addr[0][b] == 0); /* no offloads asked for */
        T_ASSERT(memcmp(c.addr[1], frame, len) == 0);
        fake_push(&dev, 1, c.head, 0);
    }
    T_ASSERT(dev.notified[1] == 60);
    T_ASSERT(atoll_net_write(H, frame, 13) == ATOLL_EINVAL);
    T_ASSERT(atoll_net_write(H, frame, 1515) == ATOLL_EINVAL);
    /* A device that takes frames and never finishes them: eight fit,
     * the ninth waits a second, sleeping, then fails. */
    T_ASSERT(bring_up(VIRTIO_PCI_MODERN, V1 | F_MAC) == NULL);
    for (int i = 0; i < 8; i++)
        T_ASSERT(atoll_net_write(H, frame, 60) == ATOLL_OK);
    fake_waits = 0;
    atoll_time_t t0 = fake_now_ns;
    T_ASSERT(atoll_net_write(H, frame, 60) == ATOLL_EUNSPEC);
    T_ASSERT(fake_now_ns - t0 >= 1000000000ull && fake_waits >= 900);
    /* Once it finishes one, writing works again. */
    T_ASSERT(fake_pop(&dev, 1, &c));
    fake_push(&dev, 1, c.head, 0);
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
    fake_free_pages();
    return t_finish();
}
