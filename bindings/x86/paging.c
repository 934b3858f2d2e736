/*
 * The final page tables, built over the boot ones of start.S (which map
 * the first 4 GiB with writable 2 MiB pages), and the page allocator
 * (x86.h; bindings/virtio/mem.h for its drivers).
 *
 *   page 0                  not present (NULL dereferences fault)
 *   image text              present, read-only, executable
 *   image rodata            read-only, NX
 *   image data, bss, RAM    read-write, NX
 *   the stack's guard page  not present (paging.c's caller picks it)
 *   the rest below 4 GiB    read-write, NX, uncached (device memory)
 *
 * CR0.WP (start.S) makes read-only pages read-only for the kernel too.
 * 2 MiB regions holding the image, the guard page or the end of RAM are
 * split into 4 KiB pages; the page tables for them come from the page
 * allocator, which hands out RAM right after the image.
 */
#include <stdint.h>

#include "x86.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PAGE 0x1000ull
#define LARGE 0x200000ull
#define GIB4 0x100000000ull
#define MSR_EFER 0xc0000080u
#define EFER_NXE (1u << 11)

extern uint64_t boot_pml4[512], boot_pdpt[512], boot_pd[4 * 512];
extern char __image_start[], _etext[], _erodata[], _end[];

static uint64_t nx, ram_end, guard;
static uint64_t alloc_next, alloc_limit;
static int alloc_closed;

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static void tlb_flush(void)
{
    uint64_t cr3;
    __asm__ __volatile__("movq %%cr3, %0\n\tmovq %0, %%cr3"
                         : "=r"(cr3)
                         :
                         : "memory");
}

static void zero_page(uint64_t addr)
{
    uint64_t *p = (uint64_t *)(uintptr_t)addr;
    for (unsigned i = 0; i < PAGE / 8; i++)
        p[i] = 0;
}

void *x86_page_alloc(size_t npages)
{
    uint64_t start = alloc_next;

    if (alloc_closed || npages == 0 ||
        npages > (alloc_limit - alloc_next) / PAGE)
        return NULL;
    alloc_next += npages * PAGE;
    for (uint64_t a = start; a < alloc_next; a += PAGE)
        zero_page(a);
    return (void *)(uintptr_t)start;
}

uint64_t x86_alloc_end(void)
{
    return alloc_next;
}

void x86_alloc_close(void)
{
    alloc_closed = 1;
}

/* The entry for the 4 KiB page at addr. */
static uint64_t pte_4k(uint64_t addr)
{
    uint64_t text = (uint64_t)(uintptr_t)__image_start;
    uint64_t etext = (uint64_t)(uintptr_t)_etext;
    uint64_t erodata = (uint64_t)(uintptr_t)_erodata;

    if (addr == 0 || addr == guard)
        return 0;
    if (addr >= text && addr < etext)
        return addr | PTE_P;
    if (addr >= etext && addr < erodata)
        return addr | PTE_P | nx;
    if (addr < ram_end)
        return addr | PTE_P | PTE_W | nx;
    return addr | PTE_P | PTE_W | PTE_PCD | PTE_PWT | nx;
}

/* Does the 2 MiB region at base need 4 KiB pages? */
static int split(uint64_t base)
{
    uint64_t end = base + LARGE;
    uint64_t image_end = (uint64_t)(uintptr_t)_erodata;

    return base < image_end || (guard >= base && guard < end) ||
           (ram_end > base && ram_end < end);
}

static uint64_t pde_2m(uint64_t base)
{
    if (base < ram_end)
        return base | PTE_P | PTE_W | PTE_PS | nx;
    return base | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT | nx;
}

void x86_paging_init(uint64_t ram_top, uint64_t stack_guard)
{
    nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
    ram_end = ram_top;
    guard = stack_guard;
    alloc_next = ((uint64_t)(uintptr_t)_end + PAGE - 1) & ~(PAGE - 1);
    alloc_limit = stack_guard;

    for (unsigned i = 0; i < 4 * 512; i++) {
        uint64_t base = (uint64_t)i * LARGE;
        uint64_t *pt;

        if (!split(base)) {
            boot_pd[i] = pde_2m(base);
            continue;
        }
        pt = x86_page_alloc(1);
        if (pt == NULL) {
            x86_putstr("atoll: no memory for the page tables\n");
            x86_halt(X86_EXIT_ABORT);
        }
        for (unsigned j = 0; j < 512; j++)
            pt[j] = pte_4k(base + (uint64_t)j * PAGE);
        boot_pd[i] = (uint64_t)(uintptr_t)pt | PTE_P | PTE_W;
    }
    tlb_flush();
}

int x86_map_mmio(uint64_t phys, uint64_t len)
{
    uint64_t end = phys + len;

    if (end < phys || end > 512 * 0x40000000ull)
        return -1;
    for (uint64_t base = phys & ~(LARGE - 1); base < end; base += LARGE) {
        uint64_t *pdpte = &boot_pdpt[base >> 30];
        uint64_t *pd;

        if (base < GIB4)
            continue;
        if (!(*pdpte & PTE_P)) {
            pd = x86_page_alloc(1);
            if (pd == NULL)
                return -1;
            *pdpte = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
        }
        pd = (uint64_t *)(uintptr_t)(*pdpte & PTE_ADDR);
        pd[(base >> 21) & 511] = pde_2m(base);
    }
    tlb_flush();
    return 0;
}
