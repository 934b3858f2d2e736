/*
 * irq (virtio): bindings/virtio/irq.h delivers a device interrupt through
 * the I/O APIC to a handler while atoll_yield halts. The device is the
 * CMOS RTC's periodic interrupt (ISA IRQ 8, on every QEMU machine here)
 * at 4 Hz; the handler acknowledges it by reading register C, as a virtio
 * driver reads its ISR.
 *   irq        prints "irq: N interrupts in 1000 ms" (about 4)
 */
#include <stdint.h>
#include <stdio.h>

#include "atoll/platform.h"

/* bindings/virtio/irq.h */
int virtio_irq_attach(unsigned gsi, void (*fn)(void *arg), void *arg);

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    outb(0x70, reg);
    outb(0x71, v);
}

static volatile unsigned count;

static void on_rtc(void *arg)
{
    (void)arg;
    (void)cmos_read(0x0c); /* acknowledge: the line drops */
    count++;
}

int main(void)
{
    if (virtio_irq_attach(8, on_rtc, NULL) != 0) {
        printf("irq: virtio_irq_attach(8) failed\n");
        return 1;
    }
    /* Rate 14: 4 Hz periodic interrupt; then enable it (PIE). */
    cmos_write(0x0a, (uint8_t)((cmos_read(0x0a) & 0xf0) | 14));
    cmos_write(0x0b, (uint8_t)(cmos_read(0x0b) | 0x40));
    (void)cmos_read(0x0c);
    atoll_time_t start = atoll_clock_monotonic();
    atoll_yield(start + 1000000000u, NULL);
    unsigned n = count;
    cmos_write(0x0b, (uint8_t)(cmos_read(0x0b) & ~0x40));
    printf("irq: %u interrupts in %llu ms\n", n,
           (unsigned long long)((atoll_clock_monotonic() - start) / 1000000));
    return 0;
}
