/*
 * The virtio target's boot, from start.S's 64-bit entry to the runtime:
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

#define PVH_MAGIC 0x336ec578u
#define MULTIBOOT_MAGIC 0x2badb002u
#define MB_INFO_MEM (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define E820_RAM 1u
#define IMAGE_BASE 0x100000ull
#define GIB4 0x100000000ull
#define PAGE 0x1000ull
#define CMDLINE_SIZE 8192
#define MMIO_WORD "virtio_mmio.device="

const char bind_target_name[] = "virtio";

extern void virtio_devices_init(struct atoll_mft *mft) __attribute__((weak));
extern const char __mft_note[], __mft_note_end[], _end[];

/* What the loader told us. */
struct boot_info {
    const char *entry; /* "PVH" or "multiboot" */
    uint64_t ram_top;  /* end of the RAM that holds the image */
    uint64_t rsdp;     /* 0: search for it */
    uint64_t lo, hi;   /* the loader's structures lie within [lo, hi) */
};

static char cmdline_full[CMDLINE_SIZE], cmdline_app[CMDLINE_SIZE];
static const char *entry = "none";
static uint64_t mft_copy[ATOLL_MFT_SIZE(ATOLL_MFT_MAX_ENTRIES) / 8 + 1];
static uint64_t ram_top;

static _Noreturn void die(const char *msg)
{
    x86_putstr("atoll: boot: ");
    x86_putstr(msg);
    x86_putstr("\n");
    x86_halt(X86_EXIT_ABORT);
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
    const char *s = phys(addr);
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
        die("command line longer than 8191 bytes");
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
    uint32_t version = rd32(si + 4);

    bi->entry = "PVH";
    cover(bi, si, 56);
    take_cmdline(bi, rd64(si + 24), 0);
    if (version < 1)
        die("PVH start_info version 0 has no memory map");
    bi->rsdp = rd64(si + 32);
    uint64_t map = rd64(si + 40);
    uint32_t n = rd32(si + 48);
    cover(bi, map, (uint64_t)n * 24);
    for (uint32_t i = 0; i < n; i++)
        take_ram(bi, rd64(map + i * 24), rd64(map + i * 24 + 8),
                 rd32(map + i * 24 + 16));
}

static void multiboot(struct boot_info *bi, uint64_t mbi)
{
    uint32_t flags = rd32(mbi);

    bi->entry = "multiboot";
    cover(bi, mbi, 52);
    if (flags & MB_INFO_CMDLINE)
        take_cmdline(bi, rd32(mbi + 16), 1);
    if (flags & MB_INFO_MMAP) {
        uint64_t p = rd32(mbi + 48), end = p + rd32(mbi + 44);
        cover(bi, p, end - p);
        /* Each entry: size (not counting itself), addr, len, type. */
        while (p + 24 <= end) {
            take_ram(bi, rd64(p + 4), rd64(p + 12), rd32(p + 20));
            p += (uint64_t)rd32(p) + 4;
        }
    } else if (flags & MB_INFO_MEM) {
        take_ram(bi, IMAGE_BASE, (uint64_t)rd32(mbi + 8) * 1024, E820_RAM);
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
    struct boot_info bi = {.lo = ~0ull};
    uint64_t image_end = ((uint64_t)(uintptr_t)_end + PAGE - 1) & ~(PAGE - 1);

    bind_ssp_init();
    virtio_console_init();
    x86_cpu_init();

    /* start_info's magic first: qboot (QEMU microvm's firmware) enters
     * the PVH entry with the multiboot magic in %eax. A multiboot info
     * starts with its flags, which never look like that magic. */
    if (info != 0 && rd32(info) == PVH_MAGIC)
        pvh(&bi, info);
    else if (magic == MULTIBOOT_MAGIC)
        multiboot(&bi, info);
    else
        die("started neither by a PVH nor by a multiboot loader");
    app_cmdline();
    bi.ram_top &= ~(PAGE - 1);
    if (bi.ram_top < image_end + BIND_STACK_SIZE + 16 * PAGE)
        die("too little RAM after the image");
    /* The heap must start zeroed: clear the loader's structures that lie
     * after the image (QEMU puts multiboot's there), now copied. */
    if (bi.hi > image_end && bi.lo < bi.ram_top) {
        uint64_t from = bi.lo > image_end ? bi.lo : image_end;
        uint64_t to = bi.hi < bi.ram_top ? bi.hi : bi.ram_top;
        for (uint64_t a = from; a < to; a++)
            *(volatile uint8_t *)(uintptr_t)a = 0;
    }

    /* ACPI first: it reads page 0 (the EBDA pointer), unmapped next. */
    virtio_acpi_init(bi.rsdp);
    ram_top = bi.ram_top;
    x86_paging_init(ram_top, ram_top - BIND_STACK_SIZE);
    virtio_irq_init();
    virtio_clock_init();

    struct atoll_mft *mft = manifest();
    if (virtio_devices_init != NULL && mft != NULL)
        virtio_devices_init(mft);
    x86_alloc_close();
    bind_mft_init(mft);
    bind_cmdline_init(cmdline_app);
    bind_heap_init(x86_alloc_end(), ram_top);
    entry = bi.entry;
    x86_stack_switch(ram_top, start_runtime);
}

const char *virtio_boot_entry(void)
{
    return entry;
}

const char *virtio_boot_cmdline(void)
{
    return cmdline_full;
}
