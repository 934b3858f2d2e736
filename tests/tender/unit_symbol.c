/*
 * Unit tests for the fault reports' function names (tenders/common/
 * symbol.c): an image from imgbuild with a symbol table appended, looked
 * up at chosen addresses, then damaged as a hostile image would be
 * (truncated, out-of-range or overlapping tables, names without an end),
 * under ASan/UBSan: every damaged table is refused with one line or read
 * without a byte outside the file.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/abi/hvt.h"
#include "../lib/check.h"
#include "imgbuild.h"
#include "symbol.h"
#include "tender.h"

#define MEM (4u << 20)

static char err[TENDER_ERR_SIZE];

static const struct img_spec spec = {
    .target = ATOLL_ABI_TARGET_HVT, .version = ATOLL_HVT_ABI_VERSION,
    .ndev = 0,
};

/* Appended after the image: string table, symbol table, section headers
 * (0 null, 1 .symtab linked to 2, 2 .strtab). */
#define STR_OFF IMG_FILE_SIZE
#define SYM_OFF (IMG_FILE_SIZE + 0x200u)
#define NSYM 12
#define SH_OFF (SYM_OFF + NSYM * sizeof(Elf64_Sym))
#define FILE_LEN (SH_OFF + 3 * sizeof(Elf64_Shdr))

static char longname[101];

struct symdef {
    const char *name;
    unsigned type;
    uint16_t shndx;
    uint64_t value, size;
};

static size_t str_add(uint8_t *b, size_t *pos, const char *s)
{
    size_t at = *pos;
    memcpy(b + STR_OFF + at, s, strlen(s) + 1);
    *pos += strlen(s) + 1;
    return at;
}

/* The image with a symbol table: *len = FILE_LEN. */
static uint8_t *build(size_t *len)
{
    const struct symdef defs[NSYM] = {
        {"", STT_NOTYPE, 0, 0, 0}, /* entry 0 is always null */
        /* A linker-script label before the function at its address, as
         * in real images: the function must win. */
        {"__image_start", STT_NOTYPE, 1, IMG_TEXT_VADDR, 0},
        {"main", STT_FUNC, 1, IMG_TEXT_VADDR, 0x40},
        {"helper", STT_FUNC, 1, IMG_TEXT_VADDR + 0x40, 0x100},
        {"label", STT_NOTYPE, 1, IMG_TEXT_VADDR + 0x200, 0},
        {"overlap", STT_FUNC, 1, IMG_TEXT_VADDR + 0x300, 0x400},
        {"last", STT_FUNC, 1, IMG_TEXT_VADDR + 0x600, 0x5000},
        {"object", STT_OBJECT, 1, IMG_TEXT_VADDR + 0x900, 0x10},
        {"datafn", STT_FUNC, 3, IMG_DATA_VADDR, 0x10},
        {"undef", STT_FUNC, SHN_UNDEF, IMG_TEXT_VADDR + 0x10, 0},
        {"absolute", STT_FUNC, SHN_ABS, IMG_TEXT_VADDR + 0x20, 0},
        {longname, STT_FUNC, 1, IMG_TEXT_VADDR + 0x800, 0x10}, /* last */
    };
    size_t ilen, spos = 1;
    uint8_t *img = img_build(&spec, &ilen);
    uint8_t *b = calloc(1, FILE_LEN);

    memset(longname, 'x', sizeof longname - 1);
    memcpy(b, img, ilen);
    free(img);
    for (int i = 0; i < NSYM; i++) {
        Elf64_Sym s = {0};
        if (i > 0)
            s.st_name = (uint32_t)str_add(b, &spos, defs[i].name);
        s.st_info = ELF64_ST_INFO(STB_GLOBAL, defs[i].type);
        s.st_shndx = defs[i].shndx;
        s.st_value = defs[i].value;
        s.st_size = defs[i].size;
        memcpy(b + SYM_OFF + i * sizeof s, &s, sizeof s);
    }
    Elf64_Shdr sh[3] = {{0}};
    sh[1].sh_type = SHT_SYMTAB;
    sh[1].sh_offset = SYM_OFF;
    sh[1].sh_size = NSYM * sizeof(Elf64_Sym);
    sh[1].sh_entsize = sizeof(Elf64_Sym);
    sh[1].sh_link = 2;
    sh[2].sh_type = SHT_STRTAB;
    sh[2].sh_offset = STR_OFF;
    sh[2].sh_size = spos;
    memcpy(b + SH_OFF, sh, sizeof sh);
    Elf64_Ehdr eh;
    memcpy(&eh, b, sizeof eh);
    eh.e_shoff = SH_OFF;
    eh.e_shnum = 3;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    memcpy(b, &eh, sizeof eh);
    *len = FILE_LEN;
    return b;
}

static Elf64_Ehdr *ehdr(uint8_t *b)
{
    return (Elf64_Ehdr *)b; /* calloc'd: aligned */
}

static Elf64_Shdr *shdr(uint8_t *b, int i)
{
    return (Elf64_Shdr *)(b + SH_OFF) + i;
}

static Elf64_Sym *sym(uint8_t *b, int i)
{
    return (Elf64_Sym *)(b + SYM_OFF) + i;
}

static int load(const uint8_t *b, size_t len, struct tender_symtab *st)
{
    struct tender_image img;
    if (tender_image_parse(b, len, ATOLL_ABI_TARGET_HVT,
                           ATOLL_HVT_ABI_VERSION, ATOLL_HVT_GUEST_MIN_BASE,
                           MEM, &img, err) != 0) {
        printf("FAIL: symbol: the test image is refused: %s\n", err);
        exit(1);
    }
    int rc = tender_symtab_load(b, len, &img, st, err);
    tender_image_free(&img);
    return rc;
}

static const char *fmt(const struct tender_symtab *st, uint64_t addr)
{
    static char out[128];
    memset(out, '#', sizeof out);
    tender_symtab_format(st, addr, out, sizeof out);
    return out;
}

/* addr is shown as want ("" for no name). */
static void expect(const struct tender_symtab *st, uint64_t addr,
                   const char *want)
{
    char name[160], why[300];
    const char *got = fmt(st, addr);
    snprintf(name, sizeof name, "symbol: 0x%llx is '%s'",
             (unsigned long long)addr, want);
    snprintf(why, sizeof why, "got '%s'", got);
    t_check(name, strcmp(got, want) == 0, why);
}

/* Is the table's mapping read-only, from /proc/self/maps? */
static int read_only(const struct tender_symtab *st)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int ro = 0;
    uintptr_t p = (uintptr_t)st->map;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        char perm[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 && p >= lo &&
            p < hi)
            ro = perm[0] == 'r' && perm[1] == '-';
    }
    if (f != NULL)
        fclose(f);
    return ro;
}

static void test_good(void)
{
    struct tender_symtab st;
    size_t len;
    uint8_t *b = build(&len);
    int rc = load(b, len, &st);
    t_check("symbol: a good table loads", rc == 0, err);
    /* main, helper, label, overlap, last, the long name. */
    t_check("symbol: functions and labels of the text kept, others not",
          st.n == 6, "wrong count");
    t_check("symbol: the table is read-only", st.n > 0 && read_only(&st),
          "writable");
    free(b); /* the table is a copy */
    expect(&st, IMG_TEXT_VADDR, "<main+0x0>");
    expect(&st, IMG_TEXT_VADDR + 0x1f, "<main+0x1f>");
    expect(&st, IMG_TEXT_VADDR + 0x40, "<helper+0x0>");
    expect(&st, IMG_TEXT_VADDR + 0x13f, "<helper+0xff>");
    expect(&st, IMG_TEXT_VADDR + 0x140, ""); /* between functions */
    expect(&st, IMG_TEXT_VADDR + 0x2ff, "<label+0xff>"); /* up to next */
    expect(&st, IMG_TEXT_VADDR + 0x5ff, "<overlap+0x2ff>");
    expect(&st, IMG_TEXT_VADDR + 0x600, "<last+0x0>"); /* overlap cut */
    expect(&st, IMG_TEXT_VADDR + 0x7ff, "<last+0x1ff>");
    expect(&st, IMG_TEXT_VADDR + 0x900, ""); /* an object, no function */
    expect(&st, IMG_TEXT_VADDR + 0x10, "<main+0x10>"); /* not 'undef' */
    expect(&st, IMG_TEXT_VADDR - 1, "");
    expect(&st, IMG_DATA_VADDR, ""); /* a function symbol in data */
    expect(&st, UINT64_MAX, "");
    char want[80];
    snprintf(want, sizeof want, "<%.*s+0x8>", TENDER_SYM_NAME_MAX, longname);
    expect(&st, IMG_TEXT_VADDR + 0x808, want);

    char small[8];
    size_t n = tender_symtab_format(&st, IMG_TEXT_VADDR + 0x1f, small,
                                    sizeof small);
    t_check("symbol: a small buffer gets a cut, terminated name",
          n == 7 && strcmp(small, "<main+0") == 0, small);
    t_check("symbol: a NULL or empty table formats nothing",
          tender_symtab_format(NULL, IMG_TEXT_VADDR, small, sizeof small) ==
                  0 &&
              small[0] == '\0',
          small);
    tender_symtab_free(&st);
    t_check("symbol: free clears", st.n == 0 && st.map == NULL, "not cleared");
}

static void test_stripped(void)
{
    struct tender_symtab st;
    size_t len;
    uint8_t *b = build(&len);
    ehdr(b)->e_shoff = 0;
    ehdr(b)->e_shnum = 0;
    int rc = load(b, len, &st);
    t_check("symbol: no section headers: no names, no error",
          rc == 0 && st.n == 0 && fmt(&st, IMG_TEXT_VADDR)[0] == '\0', err);
    ehdr(b)->e_shoff = SH_OFF;
    ehdr(b)->e_shnum = 3;
    shdr(b, 1)->sh_type = SHT_PROGBITS;
    rc = load(b, len, &st);
    t_check("symbol: no symbol table: no names, no error",
          rc == 0 && st.n == 0, err);
    free(b);
}

/* One damage to the table: the load fails with keyword, or (keyword NULL)
 * succeeds; either way nothing outside the file is read (ASan). */
static void damaged(const char *name, void (*damage)(uint8_t *, size_t *),
                    const char *keyword)
{
    struct tender_symtab st;
    size_t len;
    uint8_t *b = build(&len);
    damage(b, &len);
    /* An exact-size copy, so ASan sees any read past len. */
    uint8_t *c = malloc(len);
    memcpy(c, b, len);
    free(b);
    int rc = load(c, len, &st);
    if (keyword != NULL) {
        t_check_err(name, rc, err, keyword);
        t_check("symbol: a refused table is empty", st.n == 0 &&
                                                      st.map == NULL,
              name);
    } else {
        t_check(name, rc == 0, err);
        (void)fmt(&st, IMG_TEXT_VADDR + 0x10);
    }
    tender_symtab_free(&st);
    free(c);
}

static void d_shoff_past_end(uint8_t *b, size_t *len)
{
    (void)len;
    ehdr(b)->e_shoff = FILE_LEN - 8;
}
static void d_shoff_wraps(uint8_t *b, size_t *len)
{
    (void)len;
    ehdr(b)->e_shoff = UINT64_MAX - 0x10;
}
static void d_shnum_big(uint8_t *b, size_t *len)
{
    (void)len;
    ehdr(b)->e_shnum = 0xffff;
}
static void d_shentsize(uint8_t *b, size_t *len)
{
    (void)len;
    ehdr(b)->e_shentsize = 32;
}
static void d_truncated(uint8_t *b, size_t *len)
{
    /* Section headers moved to the front (in the ELF header's padding is
     * not possible: into the first page after it), then the file cut in
     * the middle of the symbol table. */
    memcpy(b + 0x800, b + SH_OFF, 3 * sizeof(Elf64_Shdr));
    ehdr(b)->e_shoff = 0x800;
    *len = SYM_OFF + 5 * sizeof(Elf64_Sym) + 3;
}
static void d_symsize_wraps(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_size = UINT64_MAX - UINT64_MAX % sizeof(Elf64_Sym);
}
static void d_too_many(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_offset = 0;
    shdr(b, 1)->sh_size = (uint64_t)(TENDER_SYM_MAX + 1) * sizeof(Elf64_Sym);
}
static void d_entsize(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_entsize = 16;
}
static void d_size_odd(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_size -= 1;
}
static void d_link_out(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_link = 3;
}
static void d_link_self(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_link = 1;
}
static void d_link_zero(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 1)->sh_link = 0;
}
static void d_strtab_past_end(uint8_t *b, size_t *len)
{
    (void)len;
    shdr(b, 2)->sh_size = FILE_LEN;
}
static void d_names_out(uint8_t *b, size_t *len)
{
    (void)len;
    sym(b, 2)->st_name = 0xfffffff0u;  /* main: past the string table */
    sym(b, 3)->st_name = (uint32_t)shdr(b, 2)->sh_size; /* helper: just
                                                          past */
}
static void d_name_unterminated(uint8_t *b, size_t *len)
{
    (void)len;
    /* The string table ends inside the last name (the long one, at
     * +0x800). */
    shdr(b, 2)->sh_size -= 2;
}
static void d_overlapping(uint8_t *b, size_t *len)
{
    (void)len;
    /* Symbol and string tables over each other and over the ELF header. */
    shdr(b, 1)->sh_offset = 0;
    shdr(b, 1)->sh_size = 0xfc0; /* 168 entries */
    shdr(b, 2)->sh_offset = 0x10;
    shdr(b, 2)->sh_size = 0x2000;
}
static void d_values_wrap(uint8_t *b, size_t *len)
{
    (void)len;
    sym(b, 2)->st_size = UINT64_MAX;          /* main: end wraps */
    sym(b, 3)->st_value = UINT64_MAX - 1;     /* helper: outside all */
    sym(b, 5)->st_size = 0;                   /* overlap: a label now */
}

static void test_damaged(void)
{
    damaged("symbol: section headers past the end of the file",
            d_shoff_past_end, "section headers");
    damaged("symbol: section header offset wraps around", d_shoff_wraps,
            "section headers");
    damaged("symbol: 65535 section headers in a small file", d_shnum_big,
            "section headers");
    damaged("symbol: wrong section header size", d_shentsize,
            "section header entry size");
    damaged("symbol: file cut inside the symbol table", d_truncated,
            "symbol table");
    damaged("symbol: symbol table size wraps around", d_symsize_wraps,
            "symbol table");
    damaged("symbol: more entries than the limit", d_too_many,
            "more than");
    damaged("symbol: wrong symbol entry size", d_entsize, "entry size");
    damaged("symbol: symbol table size not a multiple of the entry size",
            d_size_odd, "entry size");
    damaged("symbol: symbol table links past the section headers",
            d_link_out, "not a section");
    damaged("symbol: symbol table links to itself", d_link_self,
            "not a string table");
    damaged("symbol: symbol table links to section 0", d_link_zero,
            "not a section");
    damaged("symbol: string table past the end of the file",
            d_strtab_past_end, "string table");
    damaged("symbol: names outside the string table are skipped",
            d_names_out, NULL);
    damaged("symbol: a name without its end is skipped",
            d_name_unterminated, NULL);
    damaged("symbol: tables overlapping each other and the ELF header",
            d_overlapping, NULL);
    damaged("symbol: sizes and values that wrap", d_values_wrap, NULL);

    /* What the skipped names leave: main and helper are gone, the label
     * at main's address is all there is. */
    struct tender_symtab st;
    size_t len;
    uint8_t *b = build(&len);
    d_names_out(b, &len);
    load(b, len, &st);
    expect(&st, IMG_TEXT_VADDR + 0x10, "<__image_start+0x10>");
    tender_symtab_free(&st);
    free(b);
    b = build(&len);
    d_name_unterminated(b, &len);
    load(b, len, &st);
    expect(&st, IMG_TEXT_VADDR + 0x808, "<last+0x208>"); /* long one gone */
    tender_symtab_free(&st);
    free(b);
    b = build(&len);
    d_values_wrap(b, &len);
    load(b, len, &st);
    expect(&st, IMG_TEXT_VADDR + 0x30, "<main+0x30>"); /* cut at helper's */
    expect(&st, IMG_TEXT_VADDR + 0x250, "<label+0x50>"); /* helper gone */
    tender_symtab_free(&st);
    free(b);
}

/* Random damage to the appended tables: never a crash or a read outside
 * the file (ASan), always one of the two outcomes. */
static void test_random(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    int bad = 0, loaded = 0;
    for (int round = 0; round < 3000; round++) {
        size_t len;
        uint8_t *b = build(&len);
        for (int k = 0; k < 4; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = IMG_FILE_SIZE + (x >> 8) % (len - IMG_FILE_SIZE);
            b[at] = (uint8_t)(x >> 32);
        }
        if (round % 10 == 0) /* sometimes the header fields too */
            b[0x28 + (x >> 40) % 24] = (uint8_t)x;
        uint8_t *c = malloc(len);
        memcpy(c, b, len);
        free(b);
        struct tender_symtab st;
        struct tender_image img;
        if (tender_image_parse(c, len, ATOLL_ABI_TARGET_HVT,
                               ATOLL_HVT_ABI_VERSION,
                               ATOLL_HVT_GUEST_MIN_BASE, MEM, &img,
                               err) != 0) {
            free(c);
            continue;
        }
        int rc = tender_symtab_load(c, len, &img, &st, err);
        tender_image_free(&img);
        if (rc == 0) {
            loaded++;
            for (uint64_t a = IMG_TEXT_VADDR; a < IMG_TEXT_VADDR + 0x1000;
                 a += 0x3f)
                (void)fmt(&st, a);
            for (uint32_t i = 0; i + 1 < st.n; i++)
                bad |= st.sym[i].end > st.sym[i + 1].start ||
                       st.sym[i].start >= st.sym[i].end;
        } else {
            bad |= st.n != 0 || err[0] == '\0';
        }
        tender_symtab_free(&st);
        free(c);
    }
    t_check("symbol: 3000 randomly damaged tables: no crash, entries sorted "
          "and disjoint, refusals explained",
          !bad && loaded > 0, "a bad outcome");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_good();
    test_stripped();
    test_damaged();
    test_random();
    return t_finish();
}
