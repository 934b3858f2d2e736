/*
 * The xen target's boot, from the 64-bit entry of bindings/x86/start.S
 * (shared with the virtio target; it calls x86_boot) to the runtime: Xen
 * by CPUID and the hypercall page first (the console needs it), then the PVH
 * start info (command line, memory map), the CPU, W^X page tables, the
 * clock, and atoll_rt_start on the stack at the top of RAM.
 *
 * Built with -fno-stack-protector: the canary is seeded here.
 */
#include <stdint.h>

#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

#define PVH_MAGIC 0x336ec578u
#define E820_RAM 1u
#define IMAGE_BASE 0x100000ull
#define GIB4 0x100000000ull
#define PAGE 0x1000ull
#define CMDLINE_SIZE 8192

const char bind_target_name[] = "xen";

extern const char __mft_note[], __mft_note_end[], _end[];

static char cmdline[CMDLINE_SIZE];
static uint64_t mft_copy[ATOLL_MFT_SIZE(ATOLL_MFT_MAX_ENTRIES) / 8 + 1];
static uint64_t ram_top;
/* The start info and what it points to lie within [lo, hi). */
static uint64_t info_lo = ~0ull, info_hi;

static _Noreturn void die(const char *msg)
{
    x86_putstr("atoll: boot: ");
    x86_putstr(msg);
    x86_putstr("\n");
    xen_shutdown(XEN_SHUTDOWN_CRASH);
}

/* Physical memory below 4 GiB is identity mapped; the empty asm keeps the
 * compiler from reasoning about small constant addresses. */
static const void *phys(uint64_t addr)
{
    __asm__("" : "+r"(addr));
    return (const void *)(uintptr_t)addr;
}

static uint32_t rd32(uint64_t addr)
{
    return *(const uint32_t *)phys(addr);
}

static uint64_t rd64(uint64_t addr)
{
    return rd32(addr) | (uint64_t)rd32(addr + 4) << 32;
}

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
    if (rd32(si + 4) < 1)
        die("PVH start_info version 0 has no memory map");
    cover(si, 56);
    uint64_t c = rd64(si + 24);
    if (c != 0) {
        const char *s = phys(c);
        size_t n = 0;
        while (s[n] != '\0' && n < CMDLINE_SIZE - 1) {
            cmdline[n] = s[n];
            n++;
        }
        if (s[n] != '\0')
            die("command line longer than 8191 bytes");
        cover(c, n + 1);
    }
    uint64_t map = rd64(si + 40);
    uint32_t n = rd32(si + 48);
    cover(map, (uint64_t)n * 24);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t a = rd64(map + i * 24), len = rd64(map + i * 24 + 8);
        if (rd32(map + i * 24 + 16) != E820_RAM || a > IMAGE_BASE ||
            a + len <= IMAGE_BASE)
            continue;
        ram_top = (a + len < GIB4 ? a + len : GIB4) & ~(PAGE - 1);
    }
}

/* A writable copy of the image's manifest note, or NULL without one. */
static struct atoll_mft *manifest(void)
{
    size_t len = (size_t)(__mft_note_end - __mft_note);
    const struct atoll_mft *m;
    size_t size;

    if (len < ATOLL_MFT_NOTE_DESC_OFFSET + sizeof(struct atoll_mft))
        return NULL;
    m = (const struct atoll_mft *)(const void *)(__mft_note +
                                                 ATOLL_MFT_NOTE_DESC_OFFSET);
    if (m->version != ATOLL_MFT_VERSION || m->entries > ATOLL_MFT_MAX_ENTRIES)
        die("the image's manifest is not version 1 or has too many entries");
    size = ATOLL_MFT_SIZE(m->entries);
    if (size > len - ATOLL_MFT_NOTE_DESC_OFFSET)
        die("the image's manifest note is truncated");
    const uint8_t *from = (const uint8_t *)m;
    uint8_t *to = (uint8_t *)mft_copy;
    for (size_t i = 0; i < size; i++)
        to[i] = from[i];
    return (struct atoll_mft *)(void *)mft_copy;
}

static _Noreturn void start_runtime(void)
{
    atoll_rt_start();
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
    if (info == 0 || rd32(info) != PVH_MAGIC)
        die("not started through the PVH entry (no hvm_start_info)");
    start_info(info);
    if (ram_top < image_end + BIND_STACK_SIZE + 16 * PAGE)
        die("too little RAM after the image");
    /* The heap must start zeroed: clear what Xen put after the image
     * (the start info, command line, memory map), now read. */
    if (info_hi > image_end && info_lo < ram_top) {
        uint64_t from = info_lo > image_end ? info_lo : image_end;
        uint64_t to = info_hi < ram_top ? info_hi : ram_top;
        for (uint64_t a = from; a < to; a++)
            *(volatile uint8_t *)(uintptr_t)a = 0;
    }
    x86_paging_init(ram_top, ram_top - BIND_STACK_SIZE);
    xen_clock_init();
    xen_store_init();
    struct atoll_mft *mft = manifest();
    x86_alloc_close();
    bind_mft_init(mft);
    bind_cmdline_init(cmdline);
    bind_heap_init(x86_alloc_end(), ram_top);
    x86_stack_switch(ram_top, start_runtime);
}
