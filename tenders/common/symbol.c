/*
 * The image's function symbols, for fault reports (symbol.h).
 *
 * Loading reads hostile input: every offset and size is checked against
 * the file with overflow-checked sums before it is used, names are read
 * only inside the string table, and the number of entries is bounded.
 * Formatting runs in atoll-spt's fault handler: it calls nothing and is
 * built without the stack protector (tenders/common/module.mk).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "symbol.h"

#define ADD_OVF(a, b, r) __builtin_add_overflow((a), (b), (r))
#define MUL_OVF(a, b, r) __builtin_mul_overflow((a), (b), (r))

/* The two sections a table is made from, checked against the file. */
struct tabs {
    const uint8_t *sym;  /* Elf64_Sym entries, nsym of them */
    uint64_t nsym;
    const char *str;     /* string table, strsz bytes */
    uint64_t strsz;
};

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    uint64_t end;
    return !ADD_OVF(off, size, &end) && end <= len;
}

static void get_shdr(const uint8_t *buf, const Elf64_Ehdr *eh, uint32_t i,
                     Elf64_Shdr *sh)
{
    memcpy(sh, buf + eh->e_shoff + (uint64_t)i * sizeof *sh, sizeof *sh);
}

/* Find SHT_SYMTAB and its string table. 1 found, 0 none, -1 malformed. */
static int find_tabs(const uint8_t *buf, size_t len, struct tabs *t,
                     char *err)
{
    Elf64_Ehdr eh;
    Elf64_Shdr sh, strsh;
    uint64_t size;
    uint32_t i;

    if (len < sizeof eh)
        return tender_err(err, "file truncated: no ELF header");
    memcpy(&eh, buf, sizeof eh);
    if (eh.e_shoff == 0 || eh.e_shnum == 0)
        return 0; /* no section headers: a stripped or minimal image */
    if (eh.e_shentsize != sizeof(Elf64_Shdr))
        return tender_err(err, "bad section header entry size %u (want "
                          "%zu)", eh.e_shentsize, sizeof(Elf64_Shdr));
    if (MUL_OVF((uint64_t)eh.e_shnum, sizeof(Elf64_Shdr), &size) ||
        !in_file(eh.e_shoff, size, len))
        return tender_err(err, "file truncated: section headers run past "
                          "the end of the file");
    for (i = 0; i < eh.e_shnum; i++) {
        get_shdr(buf, &eh, i, &sh);
        if (sh.sh_type == SHT_SYMTAB)
            break;
    }
    if (i == eh.e_shnum)
        return 0;
    if (sh.sh_entsize != sizeof(Elf64_Sym) ||
        sh.sh_size % sizeof(Elf64_Sym) != 0)
        return tender_err(err, "symbol table (section %u): entry size %llu, "
                          "size %llu (want entries of %zu bytes)", i,
                          (unsigned long long)sh.sh_entsize,
                          (unsigned long long)sh.sh_size, sizeof(Elf64_Sym));
    if (sh.sh_size / sizeof(Elf64_Sym) > TENDER_SYM_MAX)
        return tender_err(err, "symbol table has more than %u entries",
                          TENDER_SYM_MAX);
    if (!in_file(sh.sh_offset, sh.sh_size, len))
        return tender_err(err, "file truncated: symbol table (section %u) "
                          "runs past the end of the file", i);
    if (sh.sh_link == 0 || sh.sh_link >= eh.e_shnum)
        return tender_err(err, "symbol table links to section %u, not a "
                          "section of this file", sh.sh_link);
    get_shdr(buf, &eh, sh.sh_link, &strsh);
    if (strsh.sh_type != SHT_STRTAB)
        return tender_err(err, "symbol table links to section %u, not a "
                          "string table", sh.sh_link);
    if (!in_file(strsh.sh_offset, strsh.sh_size, len))
        return tender_err(err, "file truncated: string table (section %u) "
                          "runs past the end of the file", sh.sh_link);
    t->sym = buf + sh.sh_offset;
    t->nsym = sh.sh_size / sizeof(Elf64_Sym);
    t->str = (const char *)buf + strsh.sh_offset;
    t->strsz = strsh.sh_size;
    return 1;
}

/* The end of the executable segment holding addr, or 0 if none does. */
static uint64_t exec_end(const struct tender_image *img, uint64_t addr)
{
    for (int i = 0; i < img->nseg; i++) {
        const struct tender_segment *s = &img->seg[i];
        if ((s->prot & PROT_EXEC) && addr >= s->vaddr &&
            addr - s->vaddr < s->memsz)
            return s->vaddr + s->memsz;
    }
    return 0;
}

/*
 * Symbol k as a table entry: a function or label with a non-empty name
 * inside the string table, at an address inside an executable segment.
 * Returns the length of its name as kept (1..TENDER_SYM_NAME_MAX), or 0 to
 * skip it; fills e (name left unset) and *name.
 */
static size_t one_sym(const struct tabs *t, uint64_t k,
                      const struct tender_image *img, struct tender_sym *e,
                      const char **name)
{
    Elf64_Sym s;
    uint64_t seg_end, end;
    size_t n = 0;

    memcpy(&s, t->sym + k * sizeof s, sizeof s);
    if ((ELF64_ST_TYPE(s.st_info) != STT_FUNC &&
         ELF64_ST_TYPE(s.st_info) != STT_NOTYPE) ||
        s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE ||
        s.st_name == 0 || s.st_name >= t->strsz)
        return 0;
    seg_end = exec_end(img, s.st_value);
    if (seg_end == 0)
        return 0;
    /* The name must end inside the string table; keep at most MAX bytes. */
    *name = t->str + s.st_name;
    while (s.st_name + n < t->strsz && (*name)[n] != '\0')
        n++;
    if (n == 0 || s.st_name + n == t->strsz)
        return 0;
    if (n > TENDER_SYM_NAME_MAX)
        n = TENDER_SYM_NAME_MAX;
    /* A sized symbol ends at its size, a label at its segment's end (both
     * are cut at the next symbol once sorted). */
    if (s.st_size == 0 || ADD_OVF(s.st_value, s.st_size, &end) ||
        end > seg_end)
        end = seg_end;
    e->start = s.st_value;
    e->end = end;
    e->rank = (ELF64_ST_TYPE(s.st_info) == STT_FUNC ? 2u : 0u) +
              (s.st_size > 0 ? 1u : 0u);
    return n;
}

static int by_start(const void *a, const void *b)
{
    const struct tender_sym *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* Same address: a function over a label ("main", not "__image_start"
     * of the linker script), then the first in the symbol table. */
    if (x->rank != y->rank)
        return x->rank > y->rank ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* Sort, drop later symbols at the same address, cut overlaps. */
static uint32_t tidy(struct tender_sym *sym, uint32_t n)
{
    uint32_t out = 0;

    qsort(sym, n, sizeof *sym, by_start);
    for (uint32_t i = 0; i < n; i++) {
        if (out > 0 && sym[out - 1].start == sym[i].start)
            continue;
        sym[out++] = sym[i];
    }
    for (uint32_t i = 0; i + 1 < out; i++)
        if (sym[i].end > sym[i + 1].start)
            sym[i].end = sym[i + 1].start;
    return out;
}

int tender_symtab_load(const uint8_t *buf, size_t len,
                       const struct tender_image *img,
                       struct tender_symtab *st, char *err)
{
    struct tabs t = {NULL, 0, NULL, 0};
    struct tender_sym e;
    const char *name;
    uint64_t nkeep = 0, namebytes = 0, size;
    size_t n;
    int rc;

    memset(st, 0, sizeof *st);
    rc = find_tabs(buf, len, &t, err);
    if (rc <= 0)
        return rc;
    for (uint64_t k = 0; k < t.nsym; k++) {
        n = one_sym(&t, k, img, &e, &name);
        if (n > 0) {
            nkeep++;
            namebytes += n + 1;
        }
    }
    if (nkeep == 0)
        return 0;
    /* Bounded by TENDER_SYM_MAX * (sizeof e + 64): no overflow. */
    size = nkeep * sizeof e + namebytes;
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return tender_err(err, "out of memory for %llu symbols",
                          (unsigned long long)nkeep);
    struct tender_sym *sym = map;
    char *names = (char *)map + nkeep * sizeof e;
    uint32_t i = 0, off = 0;
    for (uint64_t k = 0; k < t.nsym; k++) {
        n = one_sym(&t, k, img, &sym[i], &name);
        if (n == 0)
            continue;
        memcpy(names + off, name, n);
        names[off + n] = '\0';
        sym[i++].name = off;
        off += (uint32_t)n + 1;
    }
    st->n = tidy(sym, i);
    st->sym = sym;
    st->names = names;
    st->names_len = off;
    st->map = map;
    st->map_len = size;
    if (mprotect(map, size, PROT_READ) != 0) {
        tender_symtab_free(st);
        return tender_err(err, "cannot make the symbol table read-only");
    }
    return 0;
}

static void put(char *dst, size_t size, size_t *len, const char *s)
{
    while (*s != '\0' && *len + 1 < size)
        dst[(*len)++] = *s++;
}

size_t tender_symtab_format(const struct tender_symtab *st, uint64_t addr,
                            char *dst, size_t size)
{
    uint32_t lo = 0, hi, len = 0;
    size_t out = 0;
    char hex[19];
    int h = (int)sizeof hex - 1;

    if (size == 0)
        return 0;
    dst[0] = '\0';
    if (st == NULL || st->n == 0)
        return 0;
    /* The last entry starting at or below addr. */
    hi = st->n;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (st->sym[mid].start <= addr)
            lo = mid;
        else
            hi = mid;
    }
    const struct tender_sym *s = &st->sym[lo];
    if (addr < s->start || addr >= s->end || s->name >= st->names_len)
        return 0;
    /* Names were cut when loaded; bound the walk all the same. */
    const char *name = st->names + s->name;
    while (len < TENDER_SYM_NAME_MAX && s->name + len < st->names_len &&
           name[len] != '\0')
        len++;
    uint64_t off = addr - s->start;
    hex[h] = '\0';
    do {
        hex[--h] = "0123456789abcdef"[off & 0xf];
        off >>= 4;
    } while (off != 0);
    put(dst, size, &out, "<");
    /* A data-dependent loop, so that no compiler makes it a memcpy call. */
    for (uint32_t i = 0; i < len && name[i] != '\0' && out + 1 < size; i++)
        dst[out++] = name[i];
    put(dst, size, &out, "+0x");
    put(dst, size, &out, &hex[h]);
    put(dst, size, &out, ">");
    dst[out] = '\0';
    return out;
}

void tender_symtab_free(struct tender_symtab *st)
{
    if (st->map != NULL)
        munmap(st->map, st->map_len);
    memset(st, 0, sizeof *st);
}
