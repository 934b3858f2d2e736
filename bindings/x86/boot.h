/*
 * What the virtio and xen targets' boot.c share (boot.c here): reading
 * the loader's structures, the fatal boot message, the manifest copy, and
 * the last steps to the runtime. Built with -fno-stack-protector, as the
 * boot.c files that call it before and while the canary is seeded.
 */
#ifndef ATOLL_BINDINGS_X86_BOOT_H
#define ATOLL_BINDINGS_X86_BOOT_H

#include <stdint.h>

#include "../common/bindings.h"

#define X86_PAGE 0x1000ull

/* Physical memory below 4 GiB is identity mapped; the empty asm keeps the
 * compiler from reasoning about small constant addresses. */
static inline const void *x86_phys(uint64_t addr)
{
    __asm__("" : "+r"(addr));
    return (const void *)(uintptr_t)addr;
}

static inline uint32_t x86_rd32(uint64_t addr)
{
    return *(const uint32_t *)x86_phys(addr);
}

static inline uint64_t x86_rd64(uint64_t addr)
{
    return x86_rd32(addr) | (uint64_t)x86_rd32(addr + 4) << 32;
}

/* "atoll: boot: MSG" on the console, then x86_halt(X86_EXIT_ABORT). */
_Noreturn void x86_boot_die(const char *msg);

/* Zero [lo, hi) where it lies in [image_end, ram_top): the loader's
 * structures after the image, once read (the heap must start zeroed). */
void x86_boot_clear(uint64_t lo, uint64_t hi, uint64_t image_end,
                    uint64_t ram_top);

/* A writable copy of the image's manifest note, or NULL without one; a
 * bad note is fatal (x86_boot_die). */
struct atoll_mft *x86_manifest(void);

/* Close the page allocator, hand the manifest, command line and heap
 * (from the allocator's end to ram_top) to bindings/common, then
 * atoll_rt_start on the stack below ram_top. */
_Noreturn void x86_boot_finish(struct atoll_mft *mft, const char *cmdline,
                               uint64_t ram_top);

#endif
