/*
 * Unit test of the page tables atoll-hvt builds (tenders/hvt/layout.c):
 * walk them like the CPU does and check each region's protection.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hvt.h"

#define P (1ull << 0)
#define RW (1ull << 1)
#define PS (1ull << 7)
#define NX (1ull << 63)
#define ADDR 0x000ffffffffff000ull

static int failed;

static void check(int ok, const char *name)
{
    printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
    if (!ok)
        failed = 1;
}

static uint64_t get64(const uint8_t *mem, uint64_t gpa)
{
    uint64_t v;
    memcpy(&v, mem + gpa, sizeof v);
    return v;
}

enum { NOTMAPPED = 0, RO = 1, RX = 2, RWNX = 3, RONX = 4, WX = 5 };

/* The effective protection of virtual address va. */
static int prot(const uint8_t *mem, uint64_t va)
{
    uint64_t e = get64(mem, HVT_PML4_BASE + 8 * ((va >> 39) & 511));
    int w = 1, x = 1;
    for (int level = 0; level < 3; level++) {
        if (!(e & P))
            return NOTMAPPED;
        w &= (e & RW) != 0;
        x &= (e & NX) == 0;
        int shift = level == 0 ? 30 : level == 1 ? 21 : 12;
        if (level == 2 && (e & PS))
            break;
        e = get64(mem, (e & ADDR) + 8 * ((va >> shift) & 511));
    }
    if (!(e & P))
        return NOTMAPPED;
    w &= (e & RW) != 0;
    x &= (e & NX) == 0;
    if (w && x)
        return WX;
    if (w)
        return RWNX;
    return x ? RX : RONX;
}

static struct tender_image image(uint64_t scale)
{
    struct tender_image img;
    memset(&img, 0, sizeof img);
    img.nseg = 3;
    img.seg[0] = (struct tender_segment){.vaddr = 0x100000,
                                         .memsz = 0x3000 * scale,
                                         .prot = PROT_READ | PROT_EXEC};
    img.seg[1] = (struct tender_segment){.vaddr = 0x100000 + 0x3000 * scale,
                                         .memsz = 0x2000, .prot = PROT_READ};
    img.seg[2] = (struct tender_segment){.vaddr = 0x102000 + 0x3000 * scale,
                                         .memsz = 0x4000,
                                         .prot = PROT_READ | PROT_WRITE};
    img.kernel_end = 0x109000 + 0x3000 * scale;
    img.entry = 0x100000;
    return img;
}

/* Is the 2 MiB region holding va one 2 MiB page? */
static int large(const uint8_t *mem, uint64_t va)
{
    uint64_t pdpte = get64(mem, HVT_PDPT_BASE + 8 * ((va >> 30) & 511));
    uint64_t pde = get64(mem, (pdpte & ADDR) + 8 * ((va >> 21) & 511));
    return (pde & P) && (pde & PS);
}

/* n segments of 2 MiB + 4 KiB, text, rodata and data in turn: every 2 MiB
 * region holds a segment boundary. */
static struct tender_image striped(int n)
{
    static const int prots[3] = {PROT_READ | PROT_EXEC, PROT_READ,
                                 PROT_READ | PROT_WRITE};
    struct tender_image img;
    memset(&img, 0, sizeof img);
    img.nseg = n;
    for (int i = 0; i < n; i++)
        img.seg[i] = (struct tender_segment){
            .vaddr = 0x100000 + (uint64_t)i * 0x201000,
            .memsz = 0x201000,
            .prot = prots[i % 3]};
    img.kernel_end = 0x100000 + (uint64_t)n * 0x201000;
    img.entry = 0x100000;
    return img;
}

static void no_wx(const uint8_t *mem, uint64_t mem_size, const char *name)
{
    int ok = 1;
    for (uint64_t va = 0; va < mem_size; va += 0x1000)
        ok &= prot(mem, va) != WX;
    check(ok, name);
}

int main(void)
{
    char err[TENDER_ERR_SIZE];
    uint64_t mem_size = 8ull << 20;
    uint8_t *mem = calloc(1, mem_size);
    struct tender_image img = image(1);

    check(hvt_paging_build(mem, mem_size, &img, err) == 0, "build 8 MiB");
    check(prot(mem, 0) == NOTMAPPED, "page zero not mapped");
    check(prot(mem, HVT_GDT_BASE) == NOTMAPPED, "GDT not mapped");
    check(prot(mem, HVT_PML4_BASE) == NOTMAPPED, "PML4 not mapped");
    check(prot(mem, HVT_PT_POOL0_BASE) == NOTMAPPED, "page table not mapped");
    check(prot(mem, 0x10000) == RONX, "boot info read-only, NX");
    check(prot(mem, 0xff000) == RONX, "top of low memory read-only, NX");
    check(prot(mem, 0x100000) == RX, "text read+exec");
    check(prot(mem, 0x102000) == RX, "end of text read+exec");
    check(prot(mem, 0x103000) == RONX, "rodata read-only, NX");
    check(prot(mem, 0x105000) == RWNX, "data writable, NX");
    check(prot(mem, 0x108000) == RWNX, "bss writable, NX");
    check(prot(mem, 0x109000) == RWNX, "heap writable, NX");
    check(prot(mem, mem_size - 0x1000) == RWNX, "stack writable, NX");
    no_wx(mem, mem_size, "no page writable and executable (8 MiB)");
    check(hvt_paging_build(mem, 3ull << 20, &img, err) != 0,
          "memory not a multiple of 2 MiB refused");
    check(hvt_paging_build(mem, 0x100000, &img, err) != 0,
          "memory below 2 MiB refused");
    free(mem);

    /* A 2 MiB region that one segment fills is one 2 MiB page. */
    mem_size = 64ull << 20;
    mem = calloc(1, mem_size);
    img = image(2000); /* text up to ~24 MiB */
    check(hvt_paging_build(mem, mem_size, &img, err) == 0, "build 64 MiB");
    check(prot(mem, img.seg[0].vaddr + img.seg[0].memsz - 0x1000) == RX,
          "text above 16 MiB read+exec");
    check(prot(mem, img.seg[1].vaddr) == RONX, "rodata above 16 MiB");
    check(prot(mem, img.kernel_end) == RWNX, "heap after a large image");
    check(prot(mem, 32ull << 20) == RWNX, "2 MiB page writable, NX");
    check(large(mem, 4ull << 20) && prot(mem, (4ull << 20) + 0x1000) == RX,
          "text filling a 2 MiB region is a 2 MiB page, read+exec");
    check(!large(mem, 0) && !large(mem, img.seg[1].vaddr),
          "regions with mixed protections use 4 KiB pages");
    no_wx(mem, mem_size, "no page writable and executable (64 MiB)");

    /* Text at 2 MiB and rodata at the next 2 MiB boundary, as hvt.lds
     * links them: the gap after each segment takes its protection, and
     * the text is one 2 MiB page. */
    memset(mem, 0, mem_size);
    img = image(1);
    img.seg[0] = (struct tender_segment){.vaddr = 0x200000, .memsz = 0x5000,
                                         .prot = PROT_READ | PROT_EXEC};
    img.seg[1] = (struct tender_segment){.vaddr = 0x400000, .memsz = 0x2000,
                                         .prot = PROT_READ};
    img.seg[2] = (struct tender_segment){.vaddr = 0x404000, .memsz = 0x3000,
                                         .prot = PROT_READ | PROT_WRITE};
    img.kernel_end = 0x407000;
    img.entry = 0x200000;
    check(hvt_paging_build(mem, mem_size, &img, err) == 0,
          "build 64 MiB, text at 2 MiB");
    check(large(mem, 0x200000) && prot(mem, 0x3ff000) == RX,
          "text and the gap after it: one 2 MiB page, read+exec");
    check(prot(mem, 0x402000) == RONX, "gap after rodata read-only, NX");
    check(prot(mem, 0x404000) == RWNX && prot(mem, 0x407000) == RWNX,
          "data and heap writable, NX");
    check(prot(mem, 0x100000) == RWNX && prot(mem, 0xff000) == RONX,
          "low memory below the image as before");
    no_wx(mem, mem_size, "no page writable and executable (text at 2 MiB)");

    /* Segments that each straddle 2 MiB regions need more page tables
     * than pool 0 holds. */
    memset(mem, 0, mem_size);
    img = striped(12);
    check(hvt_paging_build(mem, mem_size, &img, err) == 0,
          "build 64 MiB, 12 segments");
    check(prot(mem, HVT_PT_POOL1_BASE) == NOTMAPPED,
          "page table in pool 1 not mapped");
    int ok = 1;
    for (int i = 0; i < img.nseg; i++) {
        int want = i % 3 == 0 ? RX : i % 3 == 1 ? RONX : RWNX;
        ok &= prot(mem, img.seg[i].vaddr) == want;
        ok &= prot(mem, img.seg[i].vaddr + img.seg[i].memsz - 0x1000) == want;
    }
    check(ok, "each of 12 segments keeps its protection");
    no_wx(mem, mem_size, "no page writable and executable (12 segments)");
    free(mem);

    /* 4 GiB spans all four page directories; only low memory is touched. */
    mem_size = HVT_MEM_MAX;
    mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    img = image(1);
    check(mem != MAP_FAILED && hvt_paging_build(mem, mem_size, &img, err) == 0,
          "build 4 GiB");
    check(prot(mem, mem_size - 0x1000) == RWNX, "last page of 4 GiB mapped");
    check(prot(mem, 3ull << 30) == RWNX, "fourth GiB mapped");
    check(hvt_paging_build(mem, mem_size + HVT_LARGE_PAGE, &img, err) != 0,
          "memory above 4 GiB refused");
    munmap(mem, mem_size);
    return failed;
}
