/*
 * Grant tables, version 1 (grant_table.h): an array of 8-byte entries
 * (flags, domid, frame) in frames Xen maps at pages of ours
 * (XENMEM_add_to_physmap with XENMAPSPACE_grant_table). Granting fills
 * domid and frame, then sets the flags; the other domain marks an entry
 * it has mapped with GTF_reading/GTF_writing, so ending access is a
 * compare-and-swap of the flags to 0 that fails while either is set.
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

#define GTF_PERMIT_ACCESS 1u
#define GTF_READONLY (1u << 2)
#define GTF_READING (1u << 3)
#define GTF_WRITING (1u << 4)

#define NREFS (XEN_GRANT_FRAMES * 4096u / 8u)
/* GNTTAB_NR_RESERVED_ENTRIES: the toolstack's console and xenstore. */
#define FIRST_REF 8u

struct grant_v1 {
    uint16_t flags;
    uint16_t domid;
    uint32_t frame;
};
_Static_assert(sizeof(struct grant_v1) == 8, "grant_entry_v1");

static struct grant_v1 *table;
static int failed;
/* The free refs, a stack. */
static uint32_t free_refs[NREFS];
static uint32_t nfree;

static int init(void)
{
    if (table != NULL)
        return 0;
    if (failed)
        return -1;
    failed = 1;
    uint8_t *pages = x86_page_alloc(XEN_GRANT_FRAMES);
    if (pages == NULL)
        return -1;
    for (unsigned i = 0; i < XEN_GRANT_FRAMES; i++) {
        struct xen_add_to_physmap a = {
            .domid = XEN_DOMID_SELF,
            .space = XEN_MAPSPACE_GRANT_TABLE,
            .idx = i,
            .gpfn = ((uint64_t)(uintptr_t)pages >> 12) + i,
        };
        if (xen_hypercall2(XEN_HC_MEMORY_OP, XEN_MEM_ADD_TO_PHYSMAP,
                           (uint64_t)(uintptr_t)&a) != 0)
            return -1;
    }
    table = (struct grant_v1 *)(void *)pages;
    for (uint32_t r = NREFS; r-- > FIRST_REF;)
        free_refs[nfree++] = r;
    failed = 0;
    return 0;
}

int xen_grant_access(uint16_t domid, const void *page, bool readonly,
                     uint32_t *ref)
{
    uint64_t addr = (uint64_t)(uintptr_t)page;

    if (init() != 0 || nfree == 0 || (addr & 0xfff) != 0 ||
        addr >= (1ull << 32))
        return -1;
    uint32_t r = free_refs[--nfree];
    volatile struct grant_v1 *g = &table[r];
    g->frame = (uint32_t)(addr >> 12);
    g->domid = domid;
    /* Frame and domid before the flags that make them valid. */
    __atomic_store_n(&table[r].flags,
                     (uint16_t)(GTF_PERMIT_ACCESS |
                                (readonly ? GTF_READONLY : 0)),
                     __ATOMIC_RELEASE);
    *ref = r;
    return 0;
}

int xen_grant_end(uint32_t ref)
{
    if (table == NULL || ref < FIRST_REF || ref >= NREFS)
        return -1;
    uint16_t flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
    do {
        if ((flags & GTF_PERMIT_ACCESS) == 0 ||
            (flags & (GTF_READING | GTF_WRITING)) != 0)
            return -1; /* not granted, or still mapped */
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    free_refs[nfree++] = ref;
    return 0;
}
