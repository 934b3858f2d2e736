/*
 * Unit tests for atoll-spt's vDSO lookup (tenders/spt/vdso.c): the real
 * vDSO's __vdso_clock_gettime reads the same clocks as clock_gettime, and
 * copies of the image, exactly as long as its mapping (so the sanitizers
 * see any read past it), resolve to the same offset, or to 0 when a field
 * the lookup follows is broken.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include "../lib/check.h"
#include "vdso.h"

#define SYM "__vdso_clock_gettime"

typedef int (*clock_fn)(clockid_t, struct timespec *);

static const uint8_t *vdso;
static size_t vdso_len;

/* The [vdso] mapping's length, from /proc/self/maps. */
static size_t mapping_len(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    size_t len = 0;

    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;

        if (strstr(line, "[vdso]") != NULL &&
            sscanf(line, "%lx-%lx", &lo, &hi) == 2)
            len = hi - lo;
    }
    if (f != NULL)
        fclose(f);
    return len;
}

static int64_t ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static const char *real_vdso(void)
{
    T_ASSERT(vdso != NULL && vdso_len > 0);
    uint64_t f = spt_vdso_clock_gettime();
    T_ASSERT(f != 0);
    T_ASSERT(f == spt_vdso_symbol(vdso, SYM));
    T_ASSERT(f > (uintptr_t)vdso && f < (uintptr_t)vdso + vdso_len);
    clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    for (int i = 0; i < 2; i++) {
        struct timespec a, b, c;
        clock_gettime(clocks[i], &a);
        T_ASSERT(((clock_fn)(uintptr_t)f)(clocks[i], &b) == 0);
        clock_gettime(clocks[i], &c);
        if (ns(&b) < ns(&a) || ns(&b) > ns(&c))
            T_FAILF("clock %d: vdso %lld not within %lld..%lld", clocks[i],
                    (long long)ns(&b), (long long)ns(&a), (long long)ns(&c));
    }
    return NULL;
}

static const char *names(void)
{
    T_ASSERT(spt_vdso_symbol(vdso, "__vdso_clock_gettim") == 0);
    T_ASSERT(spt_vdso_symbol(vdso, SYM "x") == 0);
    T_ASSERT(spt_vdso_symbol(vdso, "no_such_symbol") == 0);
    T_ASSERT(spt_vdso_symbol(NULL, SYM) == 0);
    return NULL;
}

/* A copy of the image, mangled by fn, resolves to want_ok ? the offset
 * of SYM : 0. */
static const char *copy_case(const char *what, void (*fn)(uint8_t *),
                             int want_ok)
{
    uint8_t *c = malloc(vdso_len);
    uint64_t off = spt_vdso_symbol(vdso, SYM) - (uintptr_t)vdso;

    T_ASSERT(c != NULL);
    memcpy(c, vdso, vdso_len);
    if (fn != NULL)
        fn(c);
    uint64_t got = spt_vdso_symbol(c, SYM);
    uint64_t want = want_ok ? (uintptr_t)c + off : 0;
    free(c);
    if (got != want)
        T_FAILF("%s: got %#llx, want %#llx", what, (unsigned long long)got,
                (unsigned long long)want);
    return NULL;
}

static Elf64_Phdr *phdr(uint8_t *c, uint32_t type)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)c;
    Elf64_Phdr *ph = (Elf64_Phdr *)(c + eh->e_phoff);

    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == type)
            return &ph[i];
    return NULL;
}

static Elf64_Dyn *dyn(uint8_t *c, int64_t tag)
{
    Elf64_Phdr *ph = phdr(c, PT_DYNAMIC), *load = phdr(c, PT_LOAD);
    Elf64_Dyn *d = (Elf64_Dyn *)(c + ph->p_vaddr -
                                 (load->p_vaddr - load->p_offset));

    for (; d->d_tag != DT_NULL; d++)
        if (d->d_tag == tag)
            return d;
    return NULL;
}

static uint8_t *at_vaddr(uint8_t *c, uint64_t vaddr)
{
    Elf64_Phdr *load = phdr(c, PT_LOAD);

    return c + vaddr - (load->p_vaddr - load->p_offset);
}

/* SYM's entry in the symbol table. */
static Elf64_Sym *target(uint8_t *c)
{
    Elf64_Sym *sym = (Elf64_Sym *)at_vaddr(c, dyn(c, DT_SYMTAB)->d_un.d_ptr);
    const char *str = (const char *)at_vaddr(c, dyn(c, DT_STRTAB)->d_un.d_ptr);
    uint32_t n = ((uint32_t *)at_vaddr(c, dyn(c, DT_HASH)->d_un.d_ptr))[1];

    for (uint32_t i = 0; i < n; i++)
        if (strcmp(str + sym[i].st_name, SYM) == 0)
            return &sym[i];
    abort();
}

static void bad_magic(uint8_t *c) { c[1] = 'X'; }
static void no_phdrs(uint8_t *c) { ((Elf64_Ehdr *)c)->e_phnum = 0; }
static void no_dynamic(uint8_t *c) { phdr(c, PT_DYNAMIC)->p_type = PT_NULL; }
static void short_load(uint8_t *c) { phdr(c, PT_LOAD)->p_filesz = 64; }
static void huge_nchain(uint8_t *c)
{
    Elf64_Dyn *h = dyn(c, DT_HASH);
    Elf64_Phdr *load = phdr(c, PT_LOAD);

    ((uint32_t *)(c + h->d_un.d_ptr - (load->p_vaddr - load->p_offset)))[1] =
        0x10000000;
}
static void symtab_outside(uint8_t *c)
{
    dyn(c, DT_SYMTAB)->d_un.d_ptr += 1 << 30;
}
static void strsz_huge(uint8_t *c)
{
    dyn(c, DT_STRSZ)->d_un.d_val = 1 << 30;
}
/* The string table ends inside SYM's name. */
static void strsz_cuts_name(uint8_t *c)
{
    dyn(c, DT_STRSZ)->d_un.d_val = target(c)->st_name + 5;
}
static void value_outside(uint8_t *c) { target(c)->st_value += 1 << 30; }
static void no_hash(uint8_t *c) { dyn(c, DT_HASH)->d_tag = DT_NEEDED; }

static const char *copies(void)
{
    T_ASSERT(dyn((uint8_t *)(uintptr_t)vdso, DT_HASH) != NULL);
    T_CHECK(copy_case("unchanged copy", NULL, 1));
    T_CHECK(copy_case("bad magic", bad_magic, 0));
    T_CHECK(copy_case("no program headers", no_phdrs, 0));
    T_CHECK(copy_case("no PT_DYNAMIC", no_dynamic, 0));
    T_CHECK(copy_case("PT_LOAD of 64 bytes", short_load, 0));
    T_CHECK(copy_case("nchain 2^28", huge_nchain, 0));
    T_CHECK(copy_case("DT_SYMTAB 1 GiB away", symtab_outside, 0));
    T_CHECK(copy_case("DT_STRSZ 1 GiB", strsz_huge, 0));
    T_CHECK(copy_case("DT_STRSZ ends inside the name", strsz_cuts_name, 0));
    T_CHECK(copy_case("st_value 1 GiB away", value_outside, 0));
    T_CHECK(copy_case("no DT_HASH", no_hash, 0));
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    vdso = (const uint8_t *)getauxval(AT_SYSINFO_EHDR);
    vdso_len = mapping_len();
    RUN(real_vdso);
    RUN(names);
    RUN(copies);
    return t_finish();
}
