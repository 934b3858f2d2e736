/*
 * Reading an image for `atoll describe`: its size, and its boot parameters
 * with their defaults, taken from the ELF file without running it.
 *
 * Each boot parameter (ATOLL_PARAM_INT and the like, atoll/param.h) puts a
 * pointer to a struct atoll_param in the section "atoll_params". The
 * guest is x86-64 like this host, so the descriptor
 * has the host's layout; its pointers are guest addresses, read through
 * the loadable segments (bytes past a segment's file size are zero, .bss).
 * The list is then printed by the runtime's own atoll_params_help, so it
 * reads exactly as `IMAGE --help` would print it.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll.h"
#include "atoll/abi/hvt.h"
#include "atoll/abi/spt.h"
#include "../../tenders/common/tender.h"
#include "atoll/param.h"

_Static_assert(sizeof(void *) == 8, "the guest is x86-64");

struct img {
    const unsigned char *data;
    size_t size;
    const Elf64_Phdr *ph;
    int phnum;
};

/* Copy n bytes at guest address addr into out; false if not all of them
 * lie in a loadable segment. */
static bool img_read(const struct img *im, uint64_t addr, void *out,
                     size_t n)
{
    for (int i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];

        if (p->p_type != PT_LOAD || addr < p->p_vaddr ||
            addr - p->p_vaddr > p->p_memsz ||
            n > p->p_memsz - (addr - p->p_vaddr))
            continue;
        uint64_t off = addr - p->p_vaddr;
        unsigned char *o = out;
        for (size_t k = 0; k < n; k++, off++)
            o[k] = off < p->p_filesz ? im->data[p->p_offset + off] : 0;
        return true;
    }
    return false;
}

/* The NUL-terminated string at addr, malloc'ed; NULL if addr is 0 or
 * the string runs out of its segment. */
static char *img_string(const struct img *im, uint64_t addr)
{
    size_t cap = 64, n = 0;
    char *s;

    if (addr == 0)
        return NULL;
    s = xmalloc(cap);
    for (;;) {
        char c;

        if (!img_read(im, addr + n, &c, 1) || n > 4096) {
            free(s);
            return NULL;
        }
        if (n + 1 >= cap)
            s = xrealloc(s, cap *= 2);
        s[n++] = c;
        if (c == '\0')
            return s;
    }
}

static int check_elf(struct img *im, char *err, size_t errsize)
{
    const Elf64_Ehdr *eh = (const void *)im->data;

    if (im->size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64) {
        snprintf(err, errsize, "not an x86-64 ELF image");
        return -1;
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > im->size ||
        (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > im->size - eh->e_phoff ||
        eh->e_phoff % 8 != 0) {
        snprintf(err, errsize, "bad program headers");
        return -1;
    }
    im->ph = (const void *)(im->data + eh->e_phoff);
    im->phnum = eh->e_phnum;
    for (int i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];

        if (p->p_type == PT_LOAD &&
            (p->p_offset > im->size || p->p_filesz > im->size - p->p_offset ||
             p->p_filesz > p->p_memsz)) {
            snprintf(err, errsize, "segment %d lies outside the file", i);
            return -1;
        }
    }
    return 0;
}

/* The atoll_params section: its address and size (0 if absent). */
static int find_params(const struct img *im, uint64_t *addr, uint64_t *size,
                       char *err, size_t errsize)
{
    const Elf64_Ehdr *eh = (const void *)im->data;
    const Elf64_Shdr *sh, *strtab;

    *addr = *size = 0;
    if (eh->e_shoff == 0 || eh->e_shnum == 0)
        return 0;
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > im->size ||
        (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > im->size - eh->e_shoff ||
        eh->e_shoff % 8 != 0 || eh->e_shstrndx >= eh->e_shnum) {
        snprintf(err, errsize, "bad section headers");
        return -1;
    }
    sh = (const void *)(im->data + eh->e_shoff);
    strtab = &sh[eh->e_shstrndx];
    if (strtab->sh_offset > im->size ||
        strtab->sh_size > im->size - strtab->sh_offset) {
        snprintf(err, errsize, "bad section name table");
        return -1;
    }
    for (int i = 0; i < eh->e_shnum; i++) {
        const char *want = "atoll_params";
        size_t len = strlen(want) + 1;

        if (sh[i].sh_name > strtab->sh_size ||
            strtab->sh_size - sh[i].sh_name < len ||
            memcmp(im->data + strtab->sh_offset + sh[i].sh_name, want,
                   len) != 0)
            continue;
        *addr = sh[i].sh_addr;
        *size = sh[i].sh_size;
        return 0;
    }
    return 0;
}

/* Host copies of the guest's descriptors, their strings and values. */
struct host_param {
    struct atoll_param p;
    char *name, *help, *metavar, *str;
    bool b;
    int64_t i;
};

static int read_param(const struct img *im, uint64_t at,
                      struct host_param *hp, char *err, size_t errsize)
{
    struct atoll_param g; /* guest layout, guest pointers */
    uint64_t ptr;

    memset(hp, 0, sizeof *hp);
    if (!img_read(im, at, &ptr, sizeof ptr) ||
        !img_read(im, ptr, &g, sizeof g)) {
        snprintf(err, errsize, "boot parameter descriptor at %#llx is "
                 "outside the image", (unsigned long long)at);
        return -1;
    }
    hp->name = img_string(im, (uint64_t)(uintptr_t)g.name);
    hp->help = img_string(im, (uint64_t)(uintptr_t)g.help);
    hp->metavar = img_string(im, (uint64_t)(uintptr_t)g.metavar);
    if (hp->name == NULL) {
        snprintf(err, errsize, "boot parameter at %#llx has no readable "
                 "name", (unsigned long long)ptr);
        return -1;
    }
    hp->p.name = hp->name;
    hp->p.help = hp->help;
    hp->p.metavar = hp->metavar;
    hp->p.type = g.type;
    switch (g.type) {
    case ATOLL_PTYPE_BOOL: {
        uint8_t v = 0;

        img_read(im, (uint64_t)(uintptr_t)g.u.b, &v, 1);
        hp->b = v != 0;
        hp->p.u.b = &hp->b;
        break;
    }
    case ATOLL_PTYPE_INT:
        img_read(im, (uint64_t)(uintptr_t)g.u.i.value, &hp->i,
                 sizeof hp->i);
        hp->p.u.i.value = &hp->i;
        hp->p.u.i.min = g.u.i.min;
        hp->p.u.i.max = g.u.i.max;
        break;
    case ATOLL_PTYPE_STRING:
        if (img_read(im, (uint64_t)(uintptr_t)g.u.s.value, &ptr, sizeof ptr))
            hp->str = img_string(im, ptr);
        hp->p.u.s.value = (const char **)&hp->str;
        hp->p.u.s.check = NULL;
        break;
    default:
        snprintf(err, errsize, "boot parameter --%s has unknown type %d",
                 hp->name, (int)g.type);
        return -1;
    }
    return 0;
}

/* The features the image asks for in its Atoll request notes, read by the
 * target's tender's own parser (tenders/common/elf.c) with that tender's
 * ABI (spt or hvt): an image it would refuse is refused here with the same
 * reason. The memory size is the tender's business; here any layout that
 * fits the address space passes. */
int image_requests(const char *path, const char *target, uint32_t *features,
                   char *err, size_t errsize)
{
    bool hvt = strcmp(target, "hvt") == 0;
    struct tender_image ti;
    char terr[TENDER_ERR_SIZE];
    size_t size;
    uint8_t *data;
    int rc;

    *features = 0;
    if (!hvt && strcmp(target, "spt") != 0) {
        snprintf(err, errsize, "no request notes on target %s", target);
        return -1;
    }
    data = (uint8_t *)read_file(path, &size);
    if (data == NULL) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    rc = tender_image_parse(
        data, size, hvt ? ATOLL_ABI_TARGET_HVT : ATOLL_ABI_TARGET_SPT,
        hvt ? ATOLL_HVT_ABI_VERSION : ATOLL_SPT_ABI_VERSION,
        hvt ? ATOLL_HVT_GUEST_MIN_BASE : ATOLL_SPT_GUEST_MIN_BASE, UINT64_MAX,
        &ti, terr);
    if (rc == 0) {
        *features = ti.ext_request;
        tender_image_free(&ti);
    } else {
        snprintf(err, errsize, "%s", terr);
    }
    free(data);
    return rc;
}

int image_describe(const char *path, struct image_info *info, line_fn emit,
                   void *arg, char *err, size_t errsize)
{
    struct img im = {0};
    size_t size;
    uint64_t addr, psize;
    struct host_param *hps = NULL;
    const struct atoll_param **list = NULL;
    size_t n = 0;
    int rc = -1;

    im.data = (const unsigned char *)read_file(path, &size);
    if (im.data == NULL) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    im.size = size;
    if (check_elf(&im, err, errsize) != 0 ||
        find_params(&im, &addr, &psize, err, errsize) != 0)
        goto out;
    info->file_size = size;
    info->mem_size = 0;
    for (int i = 0; i < im.phnum; i++)
        if (im.ph[i].p_type == PT_LOAD)
            info->mem_size += im.ph[i].p_memsz;
    n = psize / 8;
    hps = xmalloc((n ? n : 1) * sizeof *hps);
    list = xmalloc((n ? n : 1) * sizeof *list);
    memset(hps, 0, (n ? n : 1) * sizeof *hps);
    for (size_t i = 0; i < n; i++) {
        if (read_param(&im, addr + 8 * i, &hps[i], err, errsize) != 0)
            goto out;
        list[i] = &hps[i].p;
    }
    atoll_params_help(list, n, emit, arg);
    rc = 0;
out:
    for (size_t i = 0; hps != NULL && i < n; i++) {
        free(hps[i].name);
        free(hps[i].help);
        free(hps[i].metavar);
        free(hps[i].str);
    }
    free(hps);
    free(list);
    free((void *)im.data);
    return rc;
}
