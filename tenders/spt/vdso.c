/*
 * The kernel's vDSO clock_gettime, handed to the guest (extension
 * ATOLL_EXT_F_SPT_VDSO_CLOCK). The guest runs inside this process, in the
 * same address space, so it may call the code the kernel mapped there and
 * read the clocks without a system call: on spt, where the guest has no
 * vDSO of its own, clock_gettime was every other system call a packet
 * cost (bench/net).
 *
 * Security: no system call and no argument is added to the seccomp filter.
 * The vDSO runs in user mode with the guest's privileges; where it cannot
 * read a clock by itself it falls back to the clock_gettime system call,
 * which meets the same filter as the guest's own (CLOCK_MONOTONIC and
 * CLOCK_REALTIME only). What the guest learns is one address of the
 * process it already runs in.
 *
 * ATOLL_SPT_VDSO=0 in the tender's environment withholds the offer.
 *
 * The lookup follows the dynamic segment (DT_SYMTAB, DT_STRTAB, DT_HASH
 * for the symbol count), as a dynamic linker does, and checks every table
 * against the image's loaded extent.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "vdso.h"

struct image {
    const uint8_t *base;
    uint64_t bias;   /* link-time address of base */
    uint64_t extent; /* bytes loaded from base */
};

/* Pointer to [vaddr, vaddr + len) of the image, or NULL if outside. */
static const void *at(const struct image *im, uint64_t vaddr, uint64_t len)
{
    uint64_t off = vaddr - im->bias;

    if (vaddr < im->bias || off > im->extent || len > im->extent - off)
        return NULL;
    return im->base + off;
}

static int load_extent(struct image *im, const Elf64_Ehdr *eh,
                       const Elf64_Phdr **dyn)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(im->base + eh->e_phoff);
    bool first = true;

    *dyn = NULL;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_DYNAMIC)
            *dyn = &ph[i];
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (first) {
            if (ph[i].p_vaddr < ph[i].p_offset)
                return -1;
            im->bias = ph[i].p_vaddr - ph[i].p_offset;
            first = false;
        }
        if (ph[i].p_offset + ph[i].p_filesz > im->extent)
            im->extent = ph[i].p_offset + ph[i].p_filesz;
    }
    return first || *dyn == NULL ? -1 : 0;
}

uint64_t spt_vdso_symbol(const void *vdso, const char *name)
{
    const Elf64_Ehdr *eh = vdso;
    struct image im = {.base = vdso, .bias = 0, .extent = 0};
    const Elf64_Phdr *dph;
    const Elf64_Dyn *dyn;
    const Elf64_Sym *sym = NULL;
    const char *str = NULL;
    const uint32_t *hash = NULL;
    uint64_t strsz = 0;

    if (vdso == NULL || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > 4096 ||
        eh->e_phnum > 64 || load_extent(&im, eh, &dph) != 0)
        return 0;
    dyn = at(&im, dph->p_vaddr, dph->p_filesz);
    for (uint64_t i = 0; dyn != NULL && i < dph->p_filesz / sizeof *dyn &&
                         dyn[i].d_tag != DT_NULL; i++) {
        uint64_t v = dyn[i].d_un.d_ptr;

        if (dyn[i].d_tag == DT_SYMTAB)
            sym = at(&im, v, sizeof *sym);
        else if (dyn[i].d_tag == DT_STRTAB)
            str = at(&im, v, 1);
        else if (dyn[i].d_tag == DT_STRSZ)
            strsz = v;
        else if (dyn[i].d_tag == DT_HASH)
            hash = at(&im, v, 2 * sizeof *hash);
    }
    if (sym == NULL || str == NULL || hash == NULL ||
        at(&im, (uint64_t)((const uint8_t *)str - im.base) + im.bias,
           strsz) == NULL)
        return 0;
    /* nchain, the hash table's second word, is the symbol count. */
    uint64_t nsym = hash[1];
    if (at(&im, (uint64_t)((const uint8_t *)sym - im.base) + im.bias,
           nsym * sizeof *sym) == NULL)
        return 0;
    size_t want = strlen(name);
    for (uint64_t i = 0; i < nsym; i++) {
        const Elf64_Sym *s = &sym[i];

        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
            s->st_shndx == SHN_UNDEF || s->st_name >= strsz ||
            strsz - s->st_name <= want ||
            memcmp(str + s->st_name, name, want + 1) != 0)
            continue;
        if (at(&im, s->st_value, 1) == NULL)
            return 0;
        return (uint64_t)(uintptr_t)(im.base + (s->st_value - im.bias));
    }
    return 0;
}

uint64_t spt_vdso_clock_gettime(void)
{
    const void *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
    const char *env = getenv("ATOLL_SPT_VDSO");

    /* ATOLL_SPT_VDSO=0: not offered (tests and benchmarks compare). */
    if (env != NULL && strcmp(env, "0") == 0)
        return 0;

    return spt_vdso_symbol(vdso, "__vdso_clock_gettime");
}
