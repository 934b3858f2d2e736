/*
 * The virtio target's boot, from bindings/x86/start.S's 64-bit entry to
 * the runtime (the steps shared with xen: bindings/x86/boot.c):
 * which loader started us (PVH or multiboot), the command line and the
 * RAM from its structures, then the CPU, memory, ACPI, interrupts, clocks,
 * devices, and atoll_rt_start on the stack at the top of RAM.
 *
 * Built with -fno-stack-protector: the canary is seeded here.
 */
#include <stdint.h>

#include "devices.h"
#include "mem.h"
#include "virtio_boot.h"
#include "../x86/boot.h"

#define PVH_MAGIC 0x336ec578u
#define MULTIBOOT_MAGIC 0x2badb002u
#define MB_INFO_MEM (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define E820_RAM 1u
#define IMAGE_BASE 0x100000ull
#define GIB4 0x100000000ull
#define PAGE X86_PAGE
#define CMDLINE_SIZE 8192
#define MMIO_WORD "virtio_mmio.device="

const char bind_target_name[] = "virtio";

extern void virtio_devices_init(struct atoll_mft *mft) __attribute__((weak));
extern const char _end[];

/* What the loader told us. */
struct boot_info {
    const char *entry; /* "PVH" or "multiboot" */
    uint64_t ram_top;  /* end of the RAM that holds the image */
    uint64_t rsdp;     /* 0: search for it */
    uint64_t lo, hi;   /* the loader's structures lie within [lo, hi) */
};

static char cmdline_full[CMDLINE_SIZE], cmdline_app[CMDLINE_SIZE];
static const char *entry = "none";
static uint64_t ram_top;

static void cover(struct boot_info *bi, uint64_t addr, uint64_t len)
{
    if (addr < bi->lo)
        bi->lo = addr;
    if (addr + len > bi->hi)
        bi->hi = addr + len;
}

/* Copy the command line; multiboot's starts with the image's path. */
static void take_cmdline(struct boot_info *bi, uint64_t addr, int skip_word)
{
    const char *s = x86_phys(addr);
    size_t i = 0, n = 0;

    if (addr == 0)
        return;
    if (skip_word) {
        while (s[i] != '\0' && s[i] != ' ')
            i++;
        while (s[i] == ' ')
            i++;
    }
    while (s[i] != '\0' && n < CMDLINE_SIZE - 1)
        cmdline_full[n++] = s[i++];
    cmdline_full[n] = '\0';
    cover(bi, addr, i + 1);
    if (s[i] != '\0')
        x86_boot_die("command line longer than 8191 bytes");
}

/* The RAM region [addr, addr + len) of type type: keep the one holding the
 * image. */
static void take_ram(struct boot_info *bi, uint64_t addr, uint64_t len,
                     uint32_t type)
{
    if (type != E820_RAM || addr > IMAGE_BASE || addr + len <= IMAGE_BASE)
        return;
    bi->ram_top = addr + len < GIB4 ? addr + len : GIB4;
}

static void pvh(struct boot_info *bi, uint64_t si)
{
    uint32_t version = x86_rd32(si + 4);

    bi->entry = "PVH";
    cover(bi, si, 56);
    take_cmdline(bi, x86_rd64(si + 24), 0);
    if (version < 1)
        x86_boot_die("PVH start_info version 0 has no memory map");
    bi->rsdp = x86_rd64(si + 32);
    uint64_t map = x86_rd64(si + 40);
    uint32_t n = x86_rd32(si + 48);
    cover(bi, map, (uint64_t)n * 24);
    for (uint32_t i = 0; i < n; i++)
        take_ram(bi, x86_rd64(map + i * 24), x86_rd64(map + i * 24 + 8),
                 x86_rd32(map + i * 24 + 16));
}

static void multiboot(struct boot_info *bi, uint64_t mbi)
{
    uint32_t flags = x86_rd32(mbi);

    bi->entry = "multiboot";
    cover(bi, mbi, 52);
    if (flags & MB_INFO_CMDLINE)
        take_cmdline(bi, x86_rd32(mbi + 16), 1);
    if (flags & MB_INFO_MMAP) {
        uint64_t p = x86_rd32(mbi + 48), end = p + x86_rd32(mbi + 44);
        cover(bi, p, end - p);
        /* Each entry: size (not counting itself), addr, len, type. */
        while (p + 24 <= end) {
            take_ram(bi, x86_rd64(p + 4), x86_rd64(p + 12), x86_rd32(p + 20));
            p += (uint64_t)x86_rd32(p) + 4;
        }
    } else if (flags & MB_INFO_MEM) {
        take_ram(bi, IMAGE_BASE, (uint64_t)x86_rd32(mbi + 8) * 1024, E820_RAM);
    }
}

/* The application's command line: the loader's without the
 * virtio_mmio.device= words QEMU microvm and Firecracker append. */
static void app_cmdline(void)
{
    const char *s = cmdline_full;
    size_t n = 0;

    while (*s != '\0') {
        const char *w = s;
        size_t len = 0, k = 0;
        while (w[len] != '\0' && w[len] != ' ')
            len++;
        while (MMIO_WORD[k] != '\0' && k < len && w[k] == MMIO_WORD[k])
            k++;
        if (len > 0 && MMIO_WORD[k] != '\0') {
            if (n > 0)
                cmdline_app[n++] = ' ';
            for (size_t i = 0; i < len; i++)
                cmdline_app[n++] = w[i];
        }
        s = w + len;
        while (*s == ' ')
            s++;
    }
    cmdline_app[n] = '\0';
}

_Noreturn void x86_boot(uint32_t magic, uint32_t info)
{
    struct boot_info bi = {.lo = ~0ull};
    uint64_t image_end = ((uint64_t)(uintptr_t)_end + PAGE - 1) & ~(PAGE - 1);

    bind_ssp_init();
    virtio_console_init();
    x86_cpu_init();

    /* start_info's magic first: qboot (QEMU microvm's firmware) enters
     * the PVH entry with the multiboot magic in %eax. A multiboot info
     * starts with its flags, which never look like that magic. */
    if (info != 0 && x86_rd32(info) == PVH_MAGIC)
        pvh(&bi, info);
    else if (magic == MULTIBOOT_MAGIC)
        multiboot(&bi, info);
    else
        x86_boot_die("started neither by a PVH nor by a multiboot loader");
    app_cmdline();
    bi.ram_top &= ~(PAGE - 1);
    if (bi.ram_top < image_end + BIND_STACK_SIZE + 16 * PAGE)
        x86_boot_die("too little RAM after the image");
    /* The heap must start zeroed: clear the loader's structures that lie
     * after the image (QEMU puts multiboot's there), now copied. */
    x86_boot_clear(bi.lo, bi.hi, image_end, bi.ram_top);

    /* ACPI first: it reads page 0 (the EBDA pointer), unmapped next. */
    virtio_acpi_init(bi.rsdp);
    ram_top = bi.ram_top;
    x86_paging_init(ram_top, ram_top - BIND_STACK_SIZE);
    virtio_irq_init();
    virtio_clock_init();

    struct atoll_mft *mft = x86_manifest();
    if (virtio_devices_init != NULL && mft != NULL)
        virtio_devices_init(mft);
    entry = bi.entry;
    x86_boot_finish(mft, cmdline_app, ram_top);
}

const char *virtio_boot_entry(void)
{
    return entry;
}

const char *virtio_boot_cmdline(void)
{
    return cmdline_full;
}
