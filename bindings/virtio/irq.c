/*
 * Interrupts: the local APIC (its timer wakes atoll_yield), the I/O APICs
 * the MADT lists (device GSIs, irq.h), the legacy PIC masked for good.
 */
#include <stdint.h>

#include "io.h"
#include "irq.h"
#include "virtio_boot.h"

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_ENABLE (1u << 11)
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define SVR_ENABLE (1u << 8)
#define DIV_BY_1 0x0b

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL 0x10
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)

#define NSEC_PER_SEC 1000000000ull

uint64_t virtio_lapic_hz;
static uintptr_t lapic;
static uint32_t lapic_id;

static struct {
    unsigned gsi;
    void (*fn)(void *);
    void *arg;
} handlers[VIRTIO_IRQ_HANDLERS_MAX];
static unsigned nhandlers;

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(msr), "a"((uint32_t)v),
                           "d"((uint32_t)(v >> 32)));
}

static uint32_t lapic_read(unsigned reg)
{
    return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
    mmio_write32(lapic + reg, v);
}

static uint32_t ioapic_read(const struct virtio_ioapic *io, unsigned reg)
{
    mmio_write32((uintptr_t)io->addr + IOREGSEL, reg);
    return mmio_read32((uintptr_t)io->addr + IOWIN);
}

static void ioapic_write(const struct virtio_ioapic *io, unsigned reg,
                         uint32_t v)
{
    mmio_write32((uintptr_t)io->addr + IOREGSEL, reg);
    mmio_write32((uintptr_t)io->addr + IOWIN, v);
}

static struct virtio_ioapic *ioapic_of(unsigned gsi)
{
    for (unsigned i = 0; i < virtio_acpi.nioapics; i++) {
        struct virtio_ioapic *io = &virtio_acpi.ioapic[i];
        if (gsi >= io->gsi_base && gsi < io->gsi_base + io->pins)
            return io;
    }
    return NULL;
}

void virtio_irq_init(void)
{
    /* The 8259 PICs: every line masked (absent on some microvms: the
     * writes then go nowhere). */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);

    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic = (uintptr_t)(base & 0xfffff000u);
    lapic_id = lapic_read(LAPIC_ID) >> 24;
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    lapic_write(LAPIC_TIMER_DIV, DIV_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);

    for (unsigned i = 0; i < virtio_acpi.nioapics; i++) {
        struct virtio_ioapic *io = &virtio_acpi.ioapic[i];
        uint32_t ver = ioapic_read(io, IOAPIC_VER);
        /* An absent I/O APIC reads as all ones or zero. */
        io->pins = ver == 0xffffffffu ? 0 : ((ver >> 16) & 0xff) + 1;
        for (unsigned pin = 0; pin < io->pins; pin++)
            ioapic_write(io, IOAPIC_REDTBL + 2 * pin, RTE_MASKED);
    }
}

int virtio_irq_attach(unsigned gsi, void (*fn)(void *), void *arg)
{
    struct virtio_ioapic *io = ioapic_of(gsi);
    unsigned pin;

    if (fn == NULL || gsi >= VIRTIO_IRQ_GSI_MAX || io == NULL ||
        nhandlers == VIRTIO_IRQ_HANDLERS_MAX)
        return -1;
    handlers[nhandlers].gsi = gsi;
    handlers[nhandlers].fn = fn;
    handlers[nhandlers].arg = arg;
    nhandlers++;
    /* Fixed delivery to this CPU, active high, level triggered. */
    pin = gsi - io->gsi_base;
    ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, lapic_id << 24);
    ioapic_write(io, IOAPIC_REDTBL + 2 * pin,
                 RTE_LEVEL | (VEC_GSI_BASE + gsi));
    return 0;
}

void virtio_timer_arm(uint64_t ns)
{
    uint64_t count;

    if (ns == 0 || virtio_lapic_hz == 0) {
        lapic_write(LAPIC_TIMER_INIT, 0);
        return;
    }
    /* At most a second per arming (atoll_yield re-arms): keeps ns * hz
     * inside 64 bits for any APIC frequency below 18 GHz. */
    if (ns > NSEC_PER_SEC)
        ns = NSEC_PER_SEC;
    count = ns * virtio_lapic_hz / NSEC_PER_SEC;
    if (count == 0)
        count = 1;
    if (count > 0xffffffffu)
        count = 0xffffffffu;
    lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}

uint32_t virtio_lapic_timer_count(void)
{
    return lapic_read(0x390);
}

void virtio_lapic_timer_free_run(void)
{
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
}

void x86_irq_dispatch(uint64_t vector)
{
    if (vector == VEC_SPURIOUS)
        return; /* no EOI for a spurious interrupt */
    if (vector >= VEC_GSI_BASE && vector < VEC_GSI_BASE + VIRTIO_IRQ_GSI_MAX)
        for (unsigned i = 0; i < nhandlers; i++)
            if (handlers[i].gsi == vector - VEC_GSI_BASE)
                handlers[i].fn(handlers[i].arg);
    lapic_write(LAPIC_EOI, 0);
}
