/*
 * The boot GDT and the page tables atoll-hvt builds in low guest memory.
 *
 * The image range is mapped with pages that follow the segments'
 * protections (W^X): text present and executable, rodata read-only and NX,
 * data/bss writable and NX. Low memory below the image is not mapped except
 * the boot-info area, which is read-only. Everything else up to mem_size is
 * writable and NX. A 2 MiB region whose pages all get the same protection
 * is one 2 MiB page, otherwise 512 4 KiB pages: KVM without hardware
 * support walks the guest's page tables for every instruction fetch and
 * every memory operand, and a 2 MiB page is one level less to read.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "hvt.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define PAGE 0x1000ull

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
    memcpy(mem + gpa, &v, sizeof v);
}

void hvt_gdt_build(uint8_t *mem)
{
    /* null, 64-bit code (L=1, P, S, type execute/read/accessed), flat data */
    put64(mem, HVT_GDT_BASE, 0);
    put64(mem, HVT_GDT_BASE + HVT_SEL_CODE, 0x00af9b000000ffffull);
    put64(mem, HVT_GDT_BASE + HVT_SEL_DATA, 0x00cf93000000ffffull);
}

/* Hands out page-table pages from the two pools in low memory. */
struct pt_pool {
    uint64_t next0, next1;
};

static uint64_t pt_alloc(struct pt_pool *p)
{
    uint64_t pt;
    if (p->next0 < HVT_PT_POOL0_END) {
        pt = p->next0;
        p->next0 += PAGE;
        return pt;
    }
    if (p->next1 < HVT_PT_POOL1_END) {
        pt = p->next1;
        p->next1 += PAGE;
        return pt;
    }
    return 0;
}

static uint64_t seg_flags(const struct tender_segment *s)
{
    if (s->prot & PROT_EXEC)
        return PTE_P | PTE_A;
    if (s->prot & PROT_WRITE)
        return PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX;
    return PTE_P | PTE_A | PTE_NX;
}

/*
 * Leaf entry for the 4 KiB page at addr. A page in a gap between two
 * segments (zero, unused) takes the protection of the segment below it,
 * so that an image whose rodata starts at the next 2 MiB boundary after
 * its text can have that text in 2 MiB pages; W^X still holds.
 */
static uint64_t pte_for(uint64_t addr, const struct tender_image *img,
                        const struct pt_pool *pool)
{
    if (addr < ATOLL_HVT_BOOT_INFO_BASE)
        return 0; /* page zero, GDT, paging structures, pool 0 */
    if (addr < ATOLL_HVT_GUEST_MIN_BASE) {
        if (addr >= HVT_PT_POOL1_BASE && addr < pool->next1)
            return 0; /* a page table */
        return addr | PTE_P | PTE_A | PTE_NX;
    }
    const struct tender_segment *below = NULL;
    for (int i = 0; i < img->nseg && addr >= img->seg[i].vaddr; i++) {
        below = &img->seg[i];
        if (addr - below->vaddr < below->memsz)
            return addr | seg_flags(below);
    }
    if (below != NULL && addr < img->kernel_end)
        return addr | seg_flags(below);
    /* heap and stack */
    return addr | PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX;
}

/*
 * The leaf flags shared by every 4 KiB page of the 2 MiB region at base, or
 * 0 if they differ: then the region needs a page table, else one 2 MiB page
 * gives each byte the same protection. Low memory always differs.
 */
static uint64_t large_flags(uint64_t base, const struct tender_image *img,
                            const struct pt_pool *pool)
{
    if (base < HVT_LARGE_PAGE)
        return 0;
    uint64_t flags = pte_for(base, img, pool) & ~PTE_ADDR;
    for (uint64_t a = base + PAGE; a < base + HVT_LARGE_PAGE; a += PAGE)
        if (pte_for(a, img, pool) != (a | flags))
            return 0;
    return flags;
}

int hvt_paging_build(uint8_t *mem, uint64_t mem_size,
                     const struct tender_image *img, char *err)
{
    if (mem_size < HVT_LARGE_PAGE || mem_size > HVT_MEM_MAX ||
        mem_size % HVT_LARGE_PAGE != 0) {
        snprintf(err, TENDER_ERR_SIZE,
                 "guest memory must be a multiple of 2 MiB from 2 MiB to "
                 "4096 MiB");
        return -1;
    }
    if (img->kernel_end > mem_size) {
        snprintf(err, TENDER_ERR_SIZE, "image does not fit in guest memory");
        return -1;
    }
    /* The 2 MiB regions up to the image's end are mapped with 4 KiB pages
     * unless one 2 MiB page gives them the same protections. */
    uint64_t nsmall = (img->kernel_end + HVT_LARGE_PAGE - 1) / HVT_LARGE_PAGE;
    if (nsmall == 0)
        nsmall = 1;
    uint64_t npd = (mem_size + (1ull << 30) - 1) >> 30;

    /* Claim the page tables first: pte_for() must know which pool-1 pages
     * hold page tables. Regions above low memory never involve the pools. */
    struct pt_pool pool = {HVT_PT_POOL0_BASE, HVT_PT_POOL1_BASE};
    uint64_t pts[(HVT_PT_POOL0_END - HVT_PT_POOL0_BASE +
                  HVT_PT_POOL1_END - HVT_PT_POOL1_BASE) / PAGE];
    uint64_t large[sizeof pts / sizeof pts[0]];
    if (nsmall > sizeof pts / sizeof pts[0]) {
        snprintf(err, TENDER_ERR_SIZE,
                 "image too large: it must end below %llu MiB",
                 (unsigned long long)(sizeof pts / sizeof pts[0] * 2));
        return -1;
    }
    for (uint64_t i = 0; i < nsmall; i++) {
        large[i] = large_flags(i * HVT_LARGE_PAGE, img, &pool);
        pts[i] = large[i] != 0 ? 0 : pt_alloc(&pool);
    }

    memset(mem + HVT_PML4_BASE, 0, PAGE);
    memset(mem + HVT_PDPT_BASE, 0, PAGE);
    memset(mem + HVT_PD_BASE, 0, npd * PAGE);
    put64(mem, HVT_PML4_BASE, HVT_PDPT_BASE | PTE_P | PTE_RW | PTE_A);
    for (uint64_t j = 0; j < npd; j++)
        put64(mem, HVT_PDPT_BASE + 8 * j,
              (HVT_PD_BASE + j * PAGE) | PTE_P | PTE_RW | PTE_A);

    for (uint64_t i = 0; i < mem_size / HVT_LARGE_PAGE; i++) {
        uint64_t base = i * HVT_LARGE_PAGE;
        if (i >= nsmall) {
            put64(mem, HVT_PD_BASE + 8 * i,
                  base | PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PS | PTE_NX);
            continue;
        }
        if (large[i] != 0) {
            put64(mem, HVT_PD_BASE + 8 * i, base | large[i] | PTE_PS);
            continue;
        }
        put64(mem, HVT_PD_BASE + 8 * i, pts[i] | PTE_P | PTE_RW | PTE_A);
        for (uint64_t k = 0; k < 512; k++)
            put64(mem, pts[i] + 8 * k, pte_for(base + k * PAGE, img, &pool));
    }
    return 0;
}
