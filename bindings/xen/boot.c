/*
 * The xen target's boot, from the 64-bit entry of bindings/x86/start.S
 * (shared with the virtio target; it calls x86_boot) to the runtime: Xen
 * by CPUID and the hypercall page first (the console needs it), then the PVH
 * start info (command line, memory map), the CPU, W^X page tables, the
 * clock, xenstore, the devices (while pages can still be allocated), and
 * atoll_rt_start on the stack at the top of RAM.
 *
 * Built with -fno-stack-protector: the canary is seeded here.
 */
#include <stdint.h>

#include "../common/bindings.h"
#include "../x86/boot.h"
#include "../x86/x86.h"
#include "xen.h"

#define PVH_MAGIC 0x336ec578u
#define E820_RAM 1u
#define IMAGE_BASE 0x100000ull
#define GIB4 0x100000000ull
#define PAGE X86_PAGE
#define CMDLINE_SIZE 8192

const char bind_target_name[] = "xen";

extern const char _end[];

static char cmdline[CMDLINE_SIZE];
static uint64_t ram_top;
/* The start info and what it points to lie within [lo, hi). */
static uint64_t info_lo = ~0ull, info_hi;

static void cover(uint64_t addr, uint64_t len)
{
    if (addr < info_lo)
        info_lo = addr;
    if (addr + len > info_hi)
        info_hi = addr + len;
}

/* hvm_start_info (version 1): magic, version, flags, nr_modules at 0..15,
 * modlist 16, cmdline 24, rsdp 32, memmap 40 (entries of 24 bytes: addr,
 * size, type), memmap_entries 48. */
static void start_info(uint64_t si)
{
    if (x86_rd32(si + 4) < 1)
        x86_boot_die("PVH start_info version 0 has no memory map");
    cover(si, 56);
    uint64_t c = x86_rd64(si + 24);
    if (c != 0) {
        const char *s = x86_phys(c);
        size_t n = 0;
        while (s[n] != '\0' && n < CMDLINE_SIZE - 1) {
            cmdline[n] = s[n];
            n++;
        }
        if (s[n] != '\0')
            x86_boot_die("command line longer than 8191 bytes");
        cover(c, n + 1);
    }
    uint64_t map = x86_rd64(si + 40);
    uint32_t n = x86_rd32(si + 48);
    cover(map, (uint64_t)n * 24);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t a = x86_rd64(map + i * 24), len = x86_rd64(map + i * 24 + 8);
        if (x86_rd32(map + i * 24 + 16) != E820_RAM || a > IMAGE_BASE ||
            a + len <= IMAGE_BASE)
            continue;
        ram_top = (a + len < GIB4 ? a + len : GIB4) & ~(PAGE - 1);
    }
}

_Noreturn void x86_boot(uint32_t magic, uint32_t info)
{
    uint64_t image_end = ((uint64_t)(uintptr_t)_end + PAGE - 1) & ~(PAGE - 1);

    (void)magic; /* PVH leaves %eax undefined */
    bind_ssp_init();
    /* Without Xen there is no console to say so on. */
    if (xen_hypercall_init() != 0)
        for (;;)
            __asm__ __volatile__("cli; hlt");
    xen_console_init();
    x86_cpu_init();
    if (info == 0 || x86_rd32(info) != PVH_MAGIC)
        x86_boot_die("not started through the PVH entry (no hvm_start_info)");
    start_info(info);
    if (ram_top < image_end + BIND_STACK_SIZE + 16 * PAGE)
        x86_boot_die("too little RAM after the image");
    /* The heap must start zeroed: clear what Xen put after the image
     * (the start info, command line, memory map), now read. */
    x86_boot_clear(info_lo, info_hi, image_end, ram_top);
    x86_paging_init(ram_top, ram_top - BIND_STACK_SIZE);
    xen_clock_init();
    xen_store_init();
    struct atoll_mft *mft = x86_manifest();
    if (mft != NULL)
        xen_devices_init(mft);
    x86_boot_finish(mft, cmdline, ram_top);
}
