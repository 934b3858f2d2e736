/*
 * Port I/O and memory-mapped I/O accessors for the virtio bindings and its
 * device drivers. Every MMIO region the drivers touch is identity mapped
 * (physical address == virtual address) below 4 GiB; mem.h maps more.
 *
 * x86 keeps loads and stores to uncached memory in program order and does
 * not reorder a store after an earlier store, so the barriers that order
 * ring memory against device registers are compiler barriers, except
 * virtio_mb (a store then a load of another location: mfence).
 */
#ifndef ATOLL_BINDINGS_VIRTIO_IO_H
#define ATOLL_BINDINGS_VIRTIO_IO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
    return *(volatile const uint8_t *)addr;
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
    return *(volatile const uint16_t *)addr;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile const uint32_t *)addr;
}

/* Two 32-bit reads, low half first: virtio-mmio and virtio-pci 64-bit
 * fields may not accept one 64-bit access. */
static inline uint64_t mmio_read64(uintptr_t addr)
{
    uint64_t lo = mmio_read32(addr);
    return lo | (uint64_t)mmio_read32(addr + 4) << 32;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
    *(volatile uint8_t *)addr = v;
}

static inline void mmio_write16(uintptr_t addr, uint16_t v)
{
    *(volatile uint16_t *)addr = v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
    mmio_write32(addr, (uint32_t)v);
    mmio_write32(addr + 4, (uint32_t)(v >> 32));
}

/* Ring memory against ring memory and device registers (see above). */
static inline void virtio_wmb(void)
{
    __asm__ __volatile__("" : : : "memory");
}

static inline void virtio_rmb(void)
{
    __asm__ __volatile__("" : : : "memory");
}

static inline void virtio_mb(void)
{
    __asm__ __volatile__("mfence" : : : "memory");
}

#endif
