/*
 * A virtio device as the net and block drivers see it, whatever transport
 * carries it: virtio-pci legacy (I/O BAR, the 0.9.5 layout), virtio-pci
 * modern (1.0 capabilities in memory BARs), virtio-mmio version 1 (legacy)
 * and version 2. pci.c and mmio.c find devices and fill in the ops;
 * virtio_dev.c runs the status sequence and the feature negotiation.
 */
#ifndef ATOLL_BINDINGS_VIRTIO_DEV_H
#define ATOLL_BINDINGS_VIRTIO_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_ring.h"

/* Device status bits. */
#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER 2
#define VIRTIO_S_DRIVER_OK 4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_NEEDS_RESET 64
#define VIRTIO_S_FAILED 128

/* Device-independent feature bits. */
#define VIRTIO_F_VERSION_1 32

/* Device types (virtio 1.x section 5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

/* The queues this driver sets up are at most this big (each costs ring
 * pages and, for net, a buffer per two descriptors). */
#define VIRTIO_QUEUE_MAX 256

/* Queues per device this driver uses (net: receive and transmit). */
#define VIRTIO_QUEUES 2

enum virtio_transport {
    VIRTIO_PCI_LEGACY,
    VIRTIO_PCI_MODERN,
    VIRTIO_MMIO_V1,
    VIRTIO_MMIO_V2,
};

struct virtio_dev;

struct virtio_ops {
    uint64_t (*get_features)(struct virtio_dev *d);
    void (*set_features)(struct virtio_dev *d, uint64_t f);
    uint8_t (*get_status)(struct virtio_dev *d);
    void (*set_status)(struct virtio_dev *d, uint8_t s);
    /* Device-specific configuration, width 1, 2 or 4 at an offset aligned
     * to it. */
    uint32_t (*cfg_read)(struct virtio_dev *d, unsigned off, unsigned width);
    /* Generation counter of the configuration (0 where there is none). */
    uint32_t (*cfg_generation)(struct virtio_dev *d);
    /* Largest size of queue idx (0: no such queue). */
    uint16_t (*queue_max)(struct virtio_dev *d, uint16_t idx);
    /* Whether the driver may choose a smaller size than queue_max. */
    bool (*queue_size_fixed)(struct virtio_dev *d);
    /* Give the device queue idx, set up with vq_init; false if refused. */
    bool (*queue_setup)(struct virtio_dev *d, uint16_t idx,
                        const struct vq *q);
    void (*notify)(struct virtio_dev *d, uint16_t idx);
    /* Read and acknowledge the interrupt status (bit 0: a queue, bit 1:
     * the configuration changed). */
    uint8_t (*isr)(struct virtio_dev *d);
};

struct virtio_dev {
    const struct virtio_ops *ops;
    enum virtio_transport transport;
    uint32_t type;      /* VIRTIO_ID_* */
    unsigned gsi;       /* interrupt line */
    bool has_gsi;
    char where[48];     /* "pci 00:03.0 modern", "mmio 0xfeb00e00 v2" */
    uint64_t features;  /* negotiated */

    /* Transport state. */
    uint16_t io;        /* legacy PCI: the I/O BAR's base port */
    uintptr_t base;     /* MMIO: register block; modern PCI: common cfg */
    uintptr_t notify_base, isr_addr, devcfg;
    uint32_t notify_mul, notify_len, devcfg_len;
    /* Modern PCI: each queue's notification address, checked to lie in
     * the notify structure when the queue is set up. */
    uintptr_t qnotify[VIRTIO_QUEUES];
};

/* Whether the transport speaks virtio 1.x (VERSION_1 required). */
static inline bool virtio_is_modern(const struct virtio_dev *d)
{
    return d->transport == VIRTIO_PCI_MODERN ||
           d->transport == VIRTIO_MMIO_V2;
}

/*
 * The features a driver accepts: those it implements (want) that the
 * device offers, plus VERSION_1 on a modern transport. A legacy transport
 * has 32 feature bits. Returns false (setting *why) when a modern device
 * does not offer VERSION_1. Pure: tested on the host.
 */
bool virtio_features_choose(uint64_t offered, uint64_t want, bool modern,
                            uint64_t *accepted, const char **why);

/*
 * Reset d, acknowledge it, negotiate features (want: the device-type bits
 * the driver implements), and check FEATURES_OK where the transport has
 * it. Returns NULL on success (d->features set), else why not; the device
 * is then marked FAILED.
 */
const char *virtio_dev_begin(struct virtio_dev *d, uint64_t want);

/*
 * Set up queue idx with at most max entries in pages from mem.h (ring and
 * private memory). Returns NULL or why not.
 */
const char *virtio_dev_queue(struct virtio_dev *d, uint16_t idx,
                             uint16_t max, struct vq *q);

/* DRIVER_OK: the device is live. */
void virtio_dev_ready(struct virtio_dev *d);

/* Mark d FAILED (after virtio_dev_begin succeeded but set up did not). */
void virtio_dev_fail(struct virtio_dev *d);

/* Device configuration, read consistently (retried across a change of
 * generation); little-endian on the wire for modern devices, native for
 * legacy ones, which on x86 is the same. */
uint32_t virtio_cfg32(struct virtio_dev *d, unsigned off);
uint64_t virtio_cfg64(struct virtio_dev *d, unsigned off);
uint8_t virtio_cfg8(struct virtio_dev *d, unsigned off);

/* Tell the device about new chains on queue idx if it wants to know. */
void virtio_dev_kick(struct virtio_dev *d, uint16_t idx, struct vq *q);

/* ---- discovery (pci.c, mmio.c) ----------------------------------------- */

#define VIRTIO_DEVS_MAX 16

/*
 * Append the virtio devices found to devs (at most max - *n more), in a
 * stable order: PCI by bus, slot and function; MMIO in the command line's
 * order. Devices of other types are skipped. Each found device is left
 * reset.
 */
void virtio_pci_scan(struct virtio_dev *devs, unsigned *n, unsigned max);
void virtio_mmio_scan(const char *cmdline, struct virtio_dev *devs,
                      unsigned *n, unsigned max);

/* One virtio_mmio.device=SIZE@BASE:IRQ entry of the command line. */
struct virtio_mmio_entry {
    uint64_t size, base;
    unsigned irq;
};

/*
 * The virtio_mmio.device= entries of cmdline, in order, into e (at most
 * max; the count found is returned, even past max). SIZE takes the K, M
 * and G suffixes, BASE and SIZE hexadecimal after 0x; a malformed entry
 * (or one with a trailing :ID) is skipped if it cannot be read. Pure.
 */
unsigned virtio_mmio_parse(const char *cmdline, struct virtio_mmio_entry *e,
                           unsigned max);

/*
 * The virtio-mmio devices an ACPI DSDT describes (QEMU microvm: a device
 * with _HID "LNRO0005" and a _CRS of one Memory32Fixed and one Extended
 * Interrupt descriptor, for each transport with a device attached), in
 * the table's order, into e (at most max; the count found is returned).
 * A description that cannot be read whole is skipped. Pure.
 */
unsigned virtio_acpi_mmio_parse(const uint8_t *dsdt, size_t len,
                                struct virtio_mmio_entry *e, unsigned max);

/* ---- output ------------------------------------------------------------ */

/* Print one line "virtio: ..." on the console. */
void virtio_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
