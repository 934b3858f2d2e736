/*
 * Guest memory: one anonymous mapping at the guest's own addresses,
 * [ATOLL_SPT_HOST_MEM_BASE, mem_size), below everything the tender maps.
 * The first 64 KiB (page zero and friends) stay unmapped. Protections:
 * image segments as their program headers say (never W+X), the low boot
 * area read-only, everything else (heap, stack) read-write, nothing else
 * executable.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "../common/internal.h"
#include "spt.h"

/* The lowest address of the tender's own (PIE) executable. */
extern const char __executable_start[];

static void *gaddr(uint64_t a)
{
    return (void *)(uintptr_t)a;
}

int spt_mem_init(struct spt *spt, char *err)
{
    uint64_t base = ATOLL_SPT_HOST_MEM_BASE;
    uint64_t limit = (uint64_t)(uintptr_t)__executable_start;
    void *p;

    if (spt->mem_size <= ATOLL_SPT_GUEST_MIN_BASE ||
        spt->mem_size % TENDER_PAGE_SIZE != 0)
        return tender_err(err, "guest memory size %llu is not usable",
                          (unsigned long long)spt->mem_size);
    if (spt->mem_size > limit)
        return tender_err(err, "--mem=%llu reaches the tender's own code at "
                          "%p: use at most %llu MiB",
                          (unsigned long long)(spt->mem_size >> 20),
                          (const void *)__executable_start,
                          (unsigned long long)(limit >> 20));
    /* NOREPLACE: fail rather than clobber anything already mapped there. */
    p = mmap(gaddr(base), spt->mem_size - base, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                 MAP_FIXED_NOREPLACE,
             -1, 0);
    if (p == MAP_FAILED)
        return tender_err(err, "cannot map %llu MiB of guest memory at %#llx: "
                          "%s", (unsigned long long)(spt->mem_size >> 20),
                          (unsigned long long)base, strerror(errno));
    if (p != gaddr(base)) {
        /* A kernel older than 4.17 takes NOREPLACE as a hint. */
        munmap(p, spt->mem_size - base);
        return tender_err(err, "guest memory at %#llx is in use by the "
                          "tender", (unsigned long long)base);
    }
    return 0;
}

int spt_mem_load(struct spt *spt, const struct tender_image *img,
                 const uint8_t *file, char *err)
{
    (void)spt;
    /* Copy every segment's file bytes first: protections may share no page
     * with a later copy, but set them only once everything is in place.
     * Guest memory is a fresh mapping at the guest's own addresses, with
     * nothing written above the boot area yet. */
    tender_image_load(img, file, 0);
    for (int i = 0; i < img->nseg; i++) {
        const struct tender_segment *s = &img->seg[i];

        if ((s->prot & PROT_WRITE) && (s->prot & PROT_EXEC))
            return tender_err(err, "segment at %#llx is writable and "
                              "executable", (unsigned long long)s->vaddr);
        if (mprotect(gaddr(s->vaddr), s->memsz, s->prot) != 0)
            return tender_err(err, "cannot protect the segment at %#llx: %s",
                              (unsigned long long)s->vaddr, strerror(errno));
    }
    return 0;
}

int spt_mem_seal_low(char *err)
{
    uint64_t base = ATOLL_SPT_HOST_MEM_BASE;

    if (mprotect(gaddr(base), ATOLL_SPT_GUEST_MIN_BASE - base, PROT_READ) != 0)
        return tender_err(err, "cannot protect the boot area: %s",
                          strerror(errno));
    return 0;
}
