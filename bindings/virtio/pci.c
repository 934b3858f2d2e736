/*
 * virtio-pci: devices found by a scan of PCI configuration space through
 * the 0xCF8/0xCFC ports (configuration mechanism #1, which pc, q35 and
 * the clouds' machines have), from bus 0 down every PCI-to-PCI bridge.
 *
 * Two transports: modern (virtio 1.0: the vendor capabilities point at
 * the common, notify, ISR and device configuration structures in memory
 * BARs) where the device has them, else legacy (the 0.9.5 register block
 * in I/O BAR 0). QEMU's transitional devices have both; modern wins.
 *
 * Interrupts are INTx, level-triggered. Which GSI a pin reaches is the
 * chipset's business: on i440fx (pc) it is the interrupt line the firmware
 * wrote; on q35 the ICH9 sends PIRQ A-H to I/O APIC pins 16-23, slot S's
 * pin P (1 = INTA) on bus 0 to PIRQ E-H as (S + P - 1) mod 4 (QEMU's
 * ich9 default routing, which SeaBIOS's tables describe too).
 */
#include "io.h"
#include "mem.h"
#include "virtio_dev.h"

#include <stdio.h>

#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_CAP_VENDOR 0x09
/* virtio_pci_cap.cfg_type */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* Legacy register block (I/O BAR 0), MSI-X off. */
#define L_HOST_FEATURES 0x00
#define L_GUEST_FEATURES 0x04
#define L_QUEUE_PFN 0x08
#define L_QUEUE_SIZE 0x0c
#define L_QUEUE_SEL 0x0e
#define L_QUEUE_NOTIFY 0x10
#define L_STATUS 0x12
#define L_ISR 0x13
#define L_CONFIG 0x14

/* Modern common configuration. */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_STATUS 0x14
#define C_GENERATION 0x15
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_ENABLE 0x1c
#define C_Q_NOTIFY_OFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_DRIVER 0x28
#define C_Q_DEVICE 0x30

static bool q35;

static uint32_t cfg_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
    return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

static uint32_t pci_read32(unsigned bus, unsigned dev, unsigned fn,
                           unsigned off)
{
    outl(0xcf8, cfg_addr(bus, dev, fn, off));
    return inl(0xcfc);
}

static uint16_t pci_read16(unsigned bus, unsigned dev, unsigned fn,
                           unsigned off)
{
    return (uint16_t)(pci_read32(bus, dev, fn, off) >> ((off & 2) * 8));
}

static uint8_t pci_read8(unsigned bus, unsigned dev, unsigned fn,
                         unsigned off)
{
    return (uint8_t)(pci_read32(bus, dev, fn, off) >> ((off & 3) * 8));
}

static void pci_write16(unsigned bus, unsigned dev, unsigned fn, unsigned off,
                        uint16_t v)
{
    outl(0xcf8, cfg_addr(bus, dev, fn, off));
    outw((uint16_t)(0xcfc + (off & 2)), v);
}

/* ---- legacy ------------------------------------------------------------ */

static uint64_t l_get_features(struct virtio_dev *d)
{
    return inl((uint16_t)(d->io + L_HOST_FEATURES));
}

static void l_set_features(struct virtio_dev *d, uint64_t f)
{
    outl((uint16_t)(d->io + L_GUEST_FEATURES), (uint32_t)f);
}

static uint8_t l_get_status(struct virtio_dev *d)
{
    return inb((uint16_t)(d->io + L_STATUS));
}

static void l_set_status(struct virtio_dev *d, uint8_t s)
{
    outb((uint16_t)(d->io + L_STATUS), s);
}

static uint32_t l_cfg_read(struct virtio_dev *d, unsigned off, unsigned w)
{
    uint16_t p = (uint16_t)(d->io + L_CONFIG + off);

    return w == 1 ? inb(p) : w == 2 ? inw(p) : inl(p);
}

static uint32_t no_generation(struct virtio_dev *d)
{
    (void)d;
    return 0;
}

static uint16_t l_queue_max(struct virtio_dev *d, uint16_t idx)
{
    outw((uint16_t)(d->io + L_QUEUE_SEL), idx);
    return inw((uint16_t)(d->io + L_QUEUE_SIZE));
}

static bool fixed(struct virtio_dev *d)
{
    (void)d;
    return true;
}

static bool l_queue_setup(struct virtio_dev *d, uint16_t idx,
                          const struct vq *q)
{
    /* A 32-bit page frame number: the ring must be below 16 TiB. */
    if (q->desc_pa >> 44 != 0 || q->desc_pa % VIRTIO_PAGE_SIZE != 0)
        return false;
    outw((uint16_t)(d->io + L_QUEUE_SEL), idx);
    outl((uint16_t)(d->io + L_QUEUE_PFN), (uint32_t)(q->desc_pa >> 12));
    return inl((uint16_t)(d->io + L_QUEUE_PFN)) == (uint32_t)(q->desc_pa >> 12);
}

static void l_notify(struct virtio_dev *d, uint16_t idx)
{
    outw((uint16_t)(d->io + L_QUEUE_NOTIFY), idx);
}

static uint8_t l_isr(struct virtio_dev *d)
{
    return inb((uint16_t)(d->io + L_ISR)); /* reading acknowledges */
}

static const struct virtio_ops legacy_ops = {
    .get_features = l_get_features,
    .set_features = l_set_features,
    .get_status = l_get_status,
    .set_status = l_set_status,
    .cfg_read = l_cfg_read,
    .cfg_generation = no_generation,
    .queue_max = l_queue_max,
    .queue_size_fixed = fixed,
    .queue_setup = l_queue_setup,
    .notify = l_notify,
    .isr = l_isr,
};

/* ---- modern ------------------------------------------------------------ */

static uint64_t m_get_features(struct virtio_dev *d)
{
    mmio_write32(d->base + C_DFSELECT, 0);
    uint64_t lo = mmio_read32(d->base + C_DF);
    mmio_write32(d->base + C_DFSELECT, 1);
    return lo | (uint64_t)mmio_read32(d->base + C_DF) << 32;
}

static void m_set_features(struct virtio_dev *d, uint64_t f)
{
    mmio_write32(d->base + C_GFSELECT, 0);
    mmio_write32(d->base + C_GF, (uint32_t)f);
    mmio_write32(d->base + C_GFSELECT, 1);
    mmio_write32(d->base + C_GF, (uint32_t)(f >> 32));
}

static uint8_t m_get_status(struct virtio_dev *d)
{
    return mmio_read8(d->base + C_STATUS);
}

static void m_set_status(struct virtio_dev *d, uint8_t s)
{
    mmio_write8(d->base + C_STATUS, s);
}

static uint32_t m_cfg_read(struct virtio_dev *d, unsigned off, unsigned w)
{
    uintptr_t a = d->devcfg + off;

    if (off + w > d->devcfg_len)
        return 0; /* past what the device says it has */
    return w == 1 ? mmio_read8(a) : w == 2 ? mmio_read16(a) : mmio_read32(a);
}

static uint32_t m_generation(struct virtio_dev *d)
{
    return mmio_read8(d->base + C_GENERATION);
}

static uint16_t m_queue_max(struct virtio_dev *d, uint16_t idx)
{
    mmio_write16(d->base + C_Q_SELECT, idx);
    return mmio_read16(d->base + C_Q_SIZE);
}

static bool not_fixed(struct virtio_dev *d)
{
    (void)d;
    return false;
}

static bool m_queue_setup(struct virtio_dev *d, uint16_t idx,
                          const struct vq *q)
{
    if (idx >= VIRTIO_QUEUES)
        return false;
    mmio_write16(d->base + C_Q_SELECT, idx);
    /* Where notifications for this queue go: inside the notify structure,
     * whatever the device says. */
    uint64_t off = (uint64_t)mmio_read16(d->base + C_Q_NOTIFY_OFF) *
                   d->notify_mul;
    if (off + 2 > d->notify_len)
        return false;
    d->qnotify[idx] = d->notify_base + (uintptr_t)off;
    mmio_write16(d->base + C_Q_SIZE, q->size);
    mmio_write64(d->base + C_Q_DESC, q->desc_pa);
    mmio_write64(d->base + C_Q_DRIVER, q->avail_pa);
    mmio_write64(d->base + C_Q_DEVICE, q->used_pa);
    mmio_write16(d->base + C_Q_ENABLE, 1);
    return mmio_read16(d->base + C_Q_ENABLE) == 1;
}

static void m_notify(struct virtio_dev *d, uint16_t idx)
{
    if (idx < VIRTIO_QUEUES && d->qnotify[idx] != 0)
        mmio_write16(d->qnotify[idx], idx);
}

static uint8_t m_isr(struct virtio_dev *d)
{
    return mmio_read8(d->isr_addr);
}

static const struct virtio_ops modern_ops = {
    .get_features = m_get_features,
    .set_features = m_set_features,
    .get_status = m_get_status,
    .set_status = m_set_status,
    .cfg_read = m_cfg_read,
    .cfg_generation = m_generation,
    .queue_max = m_queue_max,
    .queue_size_fixed = not_fixed,
    .queue_setup = m_queue_setup,
    .notify = m_notify,
    .isr = m_isr,
};

/* ---- discovery ----------------------------------------------------------- */

/* The memory address BAR bar decodes, or 0 (an I/O BAR, unassigned, or
 * above what we can map). */
static uint64_t bar_mem(unsigned bus, unsigned dev, unsigned fn, unsigned bar)
{
    if (bar > 5)
        return 0;
    uint32_t lo = pci_read32(bus, dev, fn, 0x10 + 4 * bar);
    if (lo & 1)
        return 0;
    uint64_t a = lo & ~0xfull;
    if ((lo & 6) == 4 && bar < 5)
        a |= (uint64_t)pci_read32(bus, dev, fn, 0x14 + 4 * bar) << 32;
    return a;
}

/* A capability's address, mapped; 0 if it cannot be. */
static uintptr_t cap_addr(unsigned bus, unsigned dev, unsigned fn,
                          unsigned cap)
{
    if (pci_read8(bus, dev, fn, cap + 2) < 16) /* cap_len */
        return 0;
    unsigned bar = pci_read8(bus, dev, fn, cap + 4);
    uint32_t off = pci_read32(bus, dev, fn, cap + 8);
    uint32_t len = pci_read32(bus, dev, fn, cap + 12);
    uint64_t base = bar_mem(bus, dev, fn, bar);

    if (base == 0 || len == 0)
        return 0;
    if (base + off + len > (1ull << 32) &&
        virtio_map_mmio(base + off, len) != 0)
        return 0;
    return (uintptr_t)(base + off);
}

/* The modern structures from the capability list; false if incomplete. */
static bool modern_caps(unsigned bus, unsigned dev, unsigned fn,
                        struct virtio_dev *d)
{
    if (!(pci_read16(bus, dev, fn, 0x06) & 0x10)) /* no capability list */
        return false;
    unsigned cap = pci_read8(bus, dev, fn, 0x34) & 0xfc;
    for (int guard = 0; cap != 0 && guard < 48; guard++) {
        if (pci_read8(bus, dev, fn, cap) == PCI_CAP_VENDOR) {
            uint8_t type = pci_read8(bus, dev, fn, cap + 3);
            uintptr_t a = 0;
            if (type >= CAP_COMMON && type <= CAP_DEVICE)
                a = cap_addr(bus, dev, fn, cap);
            uint32_t len = pci_read32(bus, dev, fn, cap + 12);
            /* The first of each type is the preferred one. */
            if (type == CAP_COMMON && d->base == 0 && len >= 0x38)
                d->base = a;
            if (type == CAP_NOTIFY && d->notify_base == 0) {
                d->notify_base = a;
                d->notify_mul = pci_read32(bus, dev, fn, cap + 16);
                d->notify_len = len;
            }
            if (type == CAP_ISR && d->isr_addr == 0)
                d->isr_addr = a;
            if (type == CAP_DEVICE && d->devcfg == 0) {
                d->devcfg = a;
                d->devcfg_len = len;
            }
        }
        cap = pci_read8(bus, dev, fn, cap + 1) & 0xfc;
    }
    return d->base != 0 && d->notify_base != 0 && d->isr_addr != 0 &&
           d->devcfg != 0;
}

static void probe(unsigned bus, unsigned dev, unsigned fn, unsigned slot,
                  struct virtio_dev *devs, unsigned *n, unsigned max)
{
    uint16_t device = pci_read16(bus, dev, fn, 0x02);
    uint32_t type;

    if (device >= 0x1040 && device <= 0x107f)
        type = device - 0x1040u;
    else if (device >= 0x1000 && device <= 0x103f)
        type = pci_read16(bus, dev, fn, 0x2e); /* subsystem id */
    else
        return;
    if ((type != VIRTIO_ID_NET && type != VIRTIO_ID_BLOCK) || *n >= max)
        return;

    struct virtio_dev *d = &devs[*n];
    *d = (struct virtio_dev){.type = type};
    /* I/O and memory decoding, bus mastering, INTx on. */
    uint16_t cmd = pci_read16(bus, dev, fn, 0x04);
    pci_write16(bus, dev, fn, 0x04, (uint16_t)((cmd | 7) & ~0x400));

    const char *kind;
    if (modern_caps(bus, dev, fn, d)) {
        d->ops = &modern_ops;
        d->transport = VIRTIO_PCI_MODERN;
        kind = "modern";
    } else {
        uint32_t bar0 = pci_read32(bus, dev, fn, 0x10);
        if (device >= 0x1040 || !(bar0 & 1) || (bar0 & ~3u) == 0) {
            virtio_say("pci %02x:%02x.%x: no usable transport, skipped", bus,
                       dev, fn);
            return;
        }
        d->ops = &legacy_ops;
        d->transport = VIRTIO_PCI_LEGACY;
        d->io = (uint16_t)(bar0 & ~3u);
        kind = "legacy";
    }
    uint8_t pin = pci_read8(bus, dev, fn, 0x3d);
    uint8_t line = pci_read8(bus, dev, fn, 0x3c);
    if (pin >= 1 && pin <= 4) {
        if (q35)
            d->gsi = 20 + ((slot + pin - 1) & 3);
        else if (line != 0 && line != 0xff)
            d->gsi = line;
        d->has_gsi = d->gsi != 0;
    }
    snprintf(d->where, sizeof d->where, "pci %02x:%02x.%x %s", bus, dev, fn,
             kind);
    d->ops->set_status(d, 0);
    (*n)++;
}

/* Scan bus; root_slot is the swizzle a device on this bus adds to its
 * pin on the way to bus 0 (q35's routing). */
static void scan_bus(unsigned bus, unsigned depth, unsigned root_slot,
                     struct virtio_dev *devs, unsigned *n, unsigned max)
{
    for (unsigned dev = 0; dev < 32; dev++) {
        unsigned nfn = 1;
        for (unsigned fn = 0; fn < nfn; fn++) {
            uint16_t vendor = pci_read16(bus, dev, fn, 0x00);
            if (vendor == 0xffff)
                continue;
            uint8_t hdr = pci_read8(bus, dev, fn, 0x0e);
            if (fn == 0 && (hdr & 0x80))
                nfn = 8;
            /* Interrupt pins swizzle by slot through each bridge. */
            unsigned slot = bus == 0 ? dev : root_slot + dev;
            if ((hdr & 0x7f) == 1 && depth < 8) {
                unsigned sec = pci_read8(bus, dev, fn, 0x19);
                if (sec > bus)
                    scan_bus(sec, depth + 1, slot, devs, n, max);
                continue;
            }
            if (vendor == PCI_VENDOR_VIRTIO)
                probe(bus, dev, fn, slot, devs, n, max);
        }
    }
}

void virtio_pci_scan(struct virtio_dev *devs, unsigned *n, unsigned max)
{
    /* Is there a host bridge at all (microvm has no PCI)? */
    uint32_t id = pci_read32(0, 0, 0, 0x00);
    if ((id & 0xffff) == 0xffff || id == 0)
        return;
    q35 = id == 0x29c08086u; /* Intel 82G33/Q35 MCH */
    scan_bus(0, 0, 0, devs, n, max);
}
