/*
 * The device status sequence and queue set up (bindings/virtio/
 * virtio_dev.c) against a fake transport that records what the driver
 * writes: the spec's order, feature acceptance, FEATURES_OK refused,
 * queue sizes, configuration read across a generation change.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../bindings/virtio/mem.h"
#include "../../../bindings/virtio/virtio_dev.h"
#include "../../lib/check.h"
#include "fake.h"

#define V1 (1ull << VIRTIO_F_VERSION_1)
#define ACK VIRTIO_S_ACKNOWLEDGE
#define DRV VIRTIO_S_DRIVER
#define FOK VIRTIO_S_FEATURES_OK

/* ---- cases ---------------------------------------------------------------- */

static const char *modern_sequence(void)
{
    struct fake f;

    fake_init(&f, VIRTIO_PCI_MODERN, V1 | 0x20 | 0x40 | (1ull << 40));
    T_ASSERT(virtio_dev_begin(&f.d, 0x20 | 0x80) == NULL);
    T_ASSERT(f.accepted == (V1 | 0x20) && f.d.features == f.accepted);
    /* reset, ACKNOWLEDGE, DRIVER, FEATURES_OK, in that order */
    T_ASSERT(f.nstatus == 4 && f.statuses[0] == 0 && f.statuses[1] == ACK &&
             f.statuses[2] == (ACK | DRV) &&
             f.statuses[3] == (ACK | DRV | FOK));
    virtio_dev_ready(&f.d);
    T_ASSERT(f.status == (ACK | DRV | FOK | VIRTIO_S_DRIVER_OK));
    return NULL;
}

static const char *legacy_sequence(void)
{
    struct fake f;

    fake_init(&f, VIRTIO_MMIO_V1, 0xffffffffffffffffull);
    T_ASSERT(virtio_dev_begin(&f.d, V1 | 0x20 | (1ull << 35)) == NULL);
    T_ASSERT(f.accepted == 0x20);
    /* no FEATURES_OK on a legacy transport */
    T_ASSERT(f.nstatus == 3 && f.statuses[2] == (ACK | DRV));
    return NULL;
}

static const char *refusals(void)
{
    struct fake f;
    const char *why;

    fake_init(&f, VIRTIO_MMIO_V2, V1 | 0x20);
    f.refuse_features_ok = true;
    why = virtio_dev_begin(&f.d, 0x20);
    T_ASSERT(why != NULL && strstr(why, "FEATURES_OK") != NULL);
    T_ASSERT(f.status & VIRTIO_S_FAILED);

    fake_init(&f, VIRTIO_PCI_MODERN, 0x20); /* no VERSION_1 */
    why = virtio_dev_begin(&f.d, 0x20);
    T_ASSERT(why != NULL && (f.status & VIRTIO_S_FAILED));
    T_ASSERT(f.accepted == 0); /* nothing was accepted */
    return NULL;
}

static const char *queues(void)
{
    struct fake f;
    struct vq q;

    fake_init(&f, VIRTIO_PCI_MODERN, V1);
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) == NULL);
    T_ASSERT(f.setup_size == 256 && q.size == 256);
    f.qmax = 1000; /* the largest power of two within both limits */
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) == NULL && q.size == 256);
    f.qmax = 100;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) == NULL && q.size == 64);
    T_ASSERT(virtio_dev_queue(&f.d, 1, 256, &q) != NULL); /* missing */
    f.refuse_queue = true;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) != NULL);
    /* Legacy PCI: the device's size, which must be a power of two. */
    fake_init(&f, VIRTIO_PCI_LEGACY, 0);
    f.fixed = true;
    f.qmax = 512;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) == NULL && q.size == 512);
    f.qmax = 384;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) != NULL);
    f.qmax = 2048;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 256, &q) != NULL);
    /* The kick notifies only when the device has not said NO_NOTIFY. */
    f.qmax = 8;
    T_ASSERT(virtio_dev_queue(&f.d, 0, 8, &q) == NULL);
    char b[4];
    struct vq_buf one = {(uintptr_t)b, 4};
    T_ASSERT(vq_add(&q, &one, 1, 0, b));
    virtio_dev_kick(&f.d, 0, &q);
    T_ASSERT(f.notified[0] == 1);
    q.used->flags = VRING_USED_F_NO_NOTIFY;
    T_ASSERT(vq_add(&q, &one, 1, 0, b));
    virtio_dev_kick(&f.d, 0, &q);
    T_ASSERT(f.notified[0] == 1 && q.avail->idx == 2);
    fake_free_pages();
    return NULL;
}

static const char *config64(void)
{
    struct fake f;

    fake_init(&f, VIRTIO_MMIO_V2, V1);
    f.cfg[0] = 0x11223344;
    f.cfg[1] = 0x55667788;
    T_ASSERT(virtio_cfg64(&f.d, 0) == 0x5566778811223344ull);
    /* The low half changes while the high one is read: read again. */
    f.reads = 0;
    f.bump_at = 2;
    T_ASSERT(virtio_cfg64(&f.d, 0) == 0x55667788112233bbull);
    T_ASSERT(f.reads == 4);
    return NULL;
}

static const char *say_line(void)
{
    virtio_say("net %s: %d", "service", 3);
    T_ASSERT(strcmp(fake_said, "virtio: net service: 3\n") == 0);
    char longer[300];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    virtio_say("%s", longer);
    size_t n = strlen(fake_said);
    T_ASSERT(n > 100 && fake_said[n - 1] == '\n');
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(modern_sequence);
    RUN(legacy_sequence);
    RUN(refusals);
    RUN(queues);
    RUN(config64);
    RUN(say_line);
    return t_finish();
}
