/*
 * Private interface of the virtio target's boot code (boot.c and the ACPI,
 * clock, console, interrupt and exit files beside them; the entry, CPU,
 * traps and paging are bindings/x86's, x86.h). The device drivers use
 * io.h, irq.h, mem.h and devices.h instead.
 */
#ifndef ATOLL_BINDINGS_VIRTIO_BOOT_H
#define ATOLL_BINDINGS_VIRTIO_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/bindings.h"
#include "../x86/x86.h"

/* boot.c: "PVH" or "multiboot", the entry the loader took (tests/virtio
 * prints it). */
const char *virtio_boot_entry(void);

/* console.c: COM1 at 0x3f8, 115200 8N1; "\n" goes out as "\r\n". */
void virtio_console_init(void);

/* Interrupt vectors: a GSI's vector is VEC_GSI_BASE + gsi. */
#define VEC_GSI_BASE 0x30
#define VEC_TIMER 0x80
#define VEC_SPURIOUS 0xff

/* acpi.c: what the bindings need from the ACPI tables. */
struct virtio_ioapic {
    uint64_t addr;
    uint32_t gsi_base;
    uint32_t pins; /* filled in by irq.c */
};
#define VIRTIO_IOAPICS_MAX 4
struct virtio_acpi {
    bool found;
    struct virtio_ioapic ioapic[VIRTIO_IOAPICS_MAX];
    unsigned nioapics;
    uint8_t isa_gsi[16]; /* ISA IRQ -> GSI (interrupt source overrides) */
    uint16_t pm1a_cnt;   /* 0: none */
    uint16_t pm_tmr;     /* 0: none (hardware-reduced ACPI: microvm) */
    bool pm_tmr_32bit;
    uint64_t sleep_ctl;  /* hardware-reduced sleep control register */
    bool sleep_ctl_io;   /* in I/O space (else memory) */
    uint8_t s5_typ;      /* SLP_TYPa of \_S5 */
};
extern struct virtio_acpi virtio_acpi;
void virtio_acpi_init(uint64_t rsdp);
/* The DSDT (its checksum checked) and its length in *len, or NULL; for
 * the drivers (mmio.c takes microvm's virtio-mmio devices from it). */
const uint8_t *virtio_acpi_dsdt(size_t *len);

/* clock.c: kvmclock, or the TSC calibrated (with the local APIC timer). */
void virtio_clock_init(void);
/* What the TSC was measured against ("PIT", "ACPI PM timer", "RTC"), or
 * "kvmclock"; the TSC's frequency (tests/virtio prints both). */
const char *virtio_clock_source(void);
uint64_t virtio_tsc_hz(void);
/* Local APIC timer ticks per second (0: not calibrated). */
extern uint64_t virtio_lapic_hz;
/* Wall clock at boot from the CMOS RTC (clock.c). */
uint64_t virtio_rtc_read_ns(void);

/* irq.c: local APIC and I/O APICs; the timer. */
void virtio_irq_init(void);
/* Arm the local APIC timer to fire once in ns nanoseconds (capped); 0
 * disarms it. */
void virtio_timer_arm(uint64_t ns);
/* For clock.c's calibration: start the timer counting down from
 * 0xffffffff, masked; read its current count. */
void virtio_lapic_timer_free_run(void);
uint32_t virtio_lapic_timer_count(void);
#endif
