/*
 * virtio-mmio, versions 1 (legacy: one page frame number per queue) and 2
 * (virtio 1.x: the queue's three addresses), at the places the command
 * line's virtio_mmio.device=SIZE@BASE:IRQ entries give, in their order
 * (QEMU microvm and Firecracker append one per device).
 */
#include "io.h"
#include "mem.h"
#include "virtio_dev.h"

#include <stdio.h>

#define MMIO_MAGIC 0x74726976u /* "virt" */

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_GUEST_PAGE_SIZE 0x028 /* v1 */
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c /* v1 */
#define R_QUEUE_PFN 0x040   /* v1 */
#define R_QUEUE_READY 0x044 /* v2 */
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080
#define R_QUEUE_DRIVER 0x090
#define R_QUEUE_DEVICE 0x0a0
#define R_GENERATION 0x0fc /* v2 */
#define R_CONFIG 0x100

static uint64_t get_features(struct virtio_dev *d)
{
    mmio_write32(d->base + R_DEV_FEATURES_SEL, 0);
    uint64_t lo = mmio_read32(d->base + R_DEV_FEATURES);
    mmio_write32(d->base + R_DEV_FEATURES_SEL, 1);
    return lo | (uint64_t)mmio_read32(d->base + R_DEV_FEATURES) << 32;
}

static void set_features(struct virtio_dev *d, uint64_t f)
{
    mmio_write32(d->base + R_DRV_FEATURES_SEL, 0);
    mmio_write32(d->base + R_DRV_FEATURES, (uint32_t)f);
    mmio_write32(d->base + R_DRV_FEATURES_SEL, 1);
    mmio_write32(d->base + R_DRV_FEATURES, (uint32_t)(f >> 32));
}

static uint8_t get_status(struct virtio_dev *d)
{
    return (uint8_t)mmio_read32(d->base + R_STATUS);
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
    mmio_write32(d->base + R_STATUS, s);
}

static uint32_t cfg_read(struct virtio_dev *d, unsigned off, unsigned w)
{
    uintptr_t a = d->base + R_CONFIG + off;

    return w == 1 ? mmio_read8(a) : w == 2 ? mmio_read16(a) : mmio_read32(a);
}

static uint32_t generation(struct virtio_dev *d)
{
    return d->transport == VIRTIO_MMIO_V2 ? mmio_read32(d->base + R_GENERATION)
                                          : 0;
}

static uint16_t queue_max(struct virtio_dev *d, uint16_t idx)
{
    mmio_write32(d->base + R_QUEUE_SEL, idx);
    uint32_t m = mmio_read32(d->base + R_QUEUE_NUM_MAX);
    return m > 0x8000 ? 0x8000 : (uint16_t)m;
}

static bool not_fixed(struct virtio_dev *d)
{
    (void)d;
    return false;
}

static bool queue_setup(struct virtio_dev *d, uint16_t idx, const struct vq *q)
{
    mmio_write32(d->base + R_QUEUE_SEL, idx);
    mmio_write32(d->base + R_QUEUE_NUM, q->size);
    if (d->transport == VIRTIO_MMIO_V1) {
        if (q->desc_pa >> 44 != 0 || q->desc_pa % VIRTIO_PAGE_SIZE != 0)
            return false;
        mmio_write32(d->base + R_GUEST_PAGE_SIZE, VIRTIO_PAGE_SIZE);
        mmio_write32(d->base + R_QUEUE_ALIGN, VIRTIO_PAGE_SIZE);
        mmio_write32(d->base + R_QUEUE_PFN, (uint32_t)(q->desc_pa >> 12));
        return mmio_read32(d->base + R_QUEUE_PFN) ==
               (uint32_t)(q->desc_pa >> 12);
    }
    mmio_write64(d->base + R_QUEUE_DESC, q->desc_pa);
    mmio_write64(d->base + R_QUEUE_DRIVER, q->avail_pa);
    mmio_write64(d->base + R_QUEUE_DEVICE, q->used_pa);
    mmio_write32(d->base + R_QUEUE_READY, 1);
    return mmio_read32(d->base + R_QUEUE_READY) == 1;
}

static void notify(struct virtio_dev *d, uint16_t idx)
{
    mmio_write32(d->base + R_QUEUE_NOTIFY, idx);
}

static uint8_t isr(struct virtio_dev *d)
{
    uint32_t s = mmio_read32(d->base + R_INT_STATUS);

    if (s != 0)
        mmio_write32(d->base + R_INT_ACK, s);
    return (uint8_t)s;
}

static const struct virtio_ops mmio_ops = {
    .get_features = get_features,
    .set_features = set_features,
    .get_status = get_status,
    .set_status = set_status,
    .cfg_read = cfg_read,
    .cfg_generation = generation,
    .queue_max = queue_max,
    .queue_size_fixed = not_fixed,
    .queue_setup = queue_setup,
    .notify = notify,
    .isr = isr,
};

/* The boot code's DSDT, where it offers it (acpi.c). */
extern const uint8_t *virtio_acpi_dsdt(size_t *len) __attribute__((weak));

void virtio_mmio_scan(const char *cmdline, struct virtio_dev *devs,
                      unsigned *n, unsigned max)
{
    struct virtio_mmio_entry e[VIRTIO_DEVS_MAX];
    unsigned ne = virtio_mmio_parse(cmdline, e, VIRTIO_DEVS_MAX);

    /* QEMU microvm lists its devices in the DSDT, and (7.2) does not
     * give a PVH kernel the command-line entries it appends for Linux:
     * without entries, take the DSDT's. */
    if (ne == 0 && virtio_acpi_dsdt != NULL) {
        size_t len = 0;
        const uint8_t *dsdt = virtio_acpi_dsdt(&len);
        if (dsdt != NULL)
            ne = virtio_acpi_mmio_parse(dsdt, len, e, VIRTIO_DEVS_MAX);
    }
    if (ne > VIRTIO_DEVS_MAX)
        ne = VIRTIO_DEVS_MAX;
    for (unsigned i = 0; i < ne; i++) {
        uint64_t b = e[i].base;
        if (e[i].size < R_CONFIG || b % 4 != 0 ||
            (b + e[i].size > (1ull << 32) &&
             virtio_map_mmio(b, e[i].size) != 0)) {
            virtio_say("mmio %#llx: cannot be mapped, skipped",
                       (unsigned long long)b);
            continue;
        }
        uint32_t magic = mmio_read32((uintptr_t)b + R_MAGIC);
        uint32_t version = mmio_read32((uintptr_t)b + R_VERSION);
        uint32_t type = mmio_read32((uintptr_t)b + R_DEVICE_ID);
        if (magic != MMIO_MAGIC || (version != 1 && version != 2)) {
            virtio_say("mmio %#llx: not a virtio-mmio device (magic %#x, "
                       "version %u), skipped",
                       (unsigned long long)b, magic, version);
            continue;
        }
        if ((type != VIRTIO_ID_NET && type != VIRTIO_ID_BLOCK) || *n >= max)
            continue; /* 0 is an empty slot; other types we do not drive */
        struct virtio_dev *d = &devs[*n];
        *d = (struct virtio_dev){
            .ops = &mmio_ops,
            .transport = version == 1 ? VIRTIO_MMIO_V1 : VIRTIO_MMIO_V2,
            .type = type,
            .gsi = e[i].irq,
            .has_gsi = true,
            .base = (uintptr_t)b,
        };
        snprintf(d->where, sizeof d->where, "mmio %#llx v%u",
                 (unsigned long long)b, version);
        set_status(d, 0);
        (*n)++;
    }
}
