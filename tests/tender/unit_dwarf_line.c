/*
 * Unit tests for the fault reports' source lines (tenders/common/
 * dwarf_line.c): an ELF file made here with a DWARF 5 unit and a DWARF 4
 * unit, looked up at chosen addresses, then damaged as a hostile image
 * would be (truncated sections, lying lengths, LEB128 numbers past 64
 * bits, bad opcodes and forms, file indexes and string offsets out of
 * range), under ASan/UBSan: every load returns, a damaged unit loses its
 * lines and leaves the other unit's, and every lookup is a bounded string.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../lib/check.h"
#include "dwarf_line.h"
#include "tender.h"

#define TEXT 0x100000u
#define CAP 4096

/* The damage done to the file made by build(). */
enum dmg {
    D_NONE, D_TRUNC_SECTION, D_UNIT_LEN, D_HDR_LEN, D_HUGE_LEB, D_EXT_LEN,
    D_SETADDR_LEN, D_FILE_RANGE, D_STRP_RANGE, D_FORM, D_STR_UNTERM,
    D_COMPRESSED, D_NO_END, D_OUTSIDE, D_LONG_NAME, D_DWARF64, D_UNKNOWN_OP,
    D_VERSION, D_LINE_RANGE0, D_LINE_WRAP, D_SHSTR, D_FILE_COUNT,
};

struct out {
    uint8_t b[CAP];
    size_t n;
};

static void u8(struct out *o, uint64_t v) { o->b[o->n++] = (uint8_t)v; }
static void un(struct out *o, uint64_t v, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        u8(o, v >> (8 * i));
}
static void uleb(struct out *o, uint64_t v)
{
    do {
        u8(o, (v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v != 0);
}
static void sleb(struct out *o, int64_t v)
{
    for (;;) {
        uint8_t b = (uint8_t)(v & 0x7f);
        v >>= 7; /* arithmetic on the compilers built with */
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            u8(o, b);
            return;
        }
        u8(o, b | 0x80);
    }
}
static void str(struct out *o, const char *s)
{
    memcpy(o->b + o->n, s, strlen(s) + 1);
    o->n += strlen(s) + 1;
}
static void set_address(struct out *o, uint64_t a)
{
    u8(o, 0), uleb(o, 9), u8(o, 2), un(o, a, 8);
}
static void end_sequence(struct out *o) { u8(o, 0), uleb(o, 1), u8(o, 1); }

static const uint8_t std_len[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

/* The unit's common header fields after header_length. */
static void header_tail(struct out *o, enum dmg d)
{
    u8(o, 1), u8(o, 1), u8(o, 1);           /* min_inst, max_ops, is_stmt */
    u8(o, (uint8_t)-5);                     /* line_base */
    u8(o, d == D_LINE_RANGE0 ? 0 : 14);     /* line_range */
    u8(o, d == D_UNKNOWN_OP ? 14 : 13);     /* opcode_base */
    for (unsigned i = 0; i < 12; i++)
        u8(o, std_len[i]);
    if (d == D_UNKNOWN_OP)
        u8(o, 2);                           /* opcode 13: two operands */
}

/* .debug_line_str: "/comp", "src", then the long name. */
#define LS_COMP 0
#define LS_SRC 6
#define LS_LONG 10

/* DWARF 5 unit: src/a.c lines 10 and 15 at TEXT and TEXT+0x10, b.c 15
 * and 16 at +0x20 and +0x22, ending at +0x40. */
static void unit5(struct out *o, enum dmg d)
{
    bool w = d == D_DWARF64;
    unsigned osz = w ? 8 : 4;
    size_t len_at, hdr_at, prog_at;

    if (w)
        un(o, 0xffffffffu, 4);
    len_at = o->n, un(o, 0, osz);
    un(o, d == D_VERSION ? 6 : 5, 2), u8(o, 8), u8(o, 0);
    hdr_at = o->n, un(o, 0, osz);
    header_tail(o, d);
    u8(o, 1), uleb(o, 1), uleb(o, 0x1f); /* dirs */
    uleb(o, 2);
    un(o, LS_COMP, osz);
    un(o, d == D_STRP_RANGE                        ? 0x10000
          : d == D_STR_UNTERM || d == D_LONG_NAME ? LS_LONG
                                                  : LS_SRC,
       osz);
    /* Files: path, directory index, and (D_FORM) a vendor attribute of
     * an unknown form and no bytes. D_FILE_COUNT: many entries of no
     * attribute at all, so of no bytes either. */
    if (d == D_FILE_COUNT) {
        u8(o, 0), uleb(o, 100000);
        prog_at = o->n;
        goto program;
    }
    u8(o, d == D_FORM ? 3 : 2);
    uleb(o, 1), uleb(o, 0x08), uleb(o, 2), uleb(o, 0x0b);
    if (d == D_FORM)
        uleb(o, 0x2001), uleb(o, 0x99);
    uleb(o, 2);
    str(o, "b.c"), u8(o, 0);
    if (d == D_LONG_NAME) {
        char name[59]; /* "nn...n.c", 58 bytes, in a directory of 200 */
        memset(name, 'n', 56);
        memcpy(name + 56, ".c", 3);
        str(o, name);
    } else {
        str(o, "a.c");
    }
    u8(o, 1);
    prog_at = o->n;
program:
    set_address(o, d == D_OUTSIDE ? 0x900000 : TEXT);
    u8(o, 3), sleb(o, d == D_LINE_WRAP ? -100 : 9), u8(o, 1);
    if (d == D_HUGE_LEB) {
        u8(o, 2);
        for (int i = 0; i < 10; i++)
            u8(o, 0xff);
        u8(o, 0x01);
    } else {
        u8(o, 2), uleb(o, 0x10);
    }
    if (d == D_UNKNOWN_OP)
        u8(o, 13), uleb(o, 300), uleb(o, 5);
    if (d == D_EXT_LEN)
        u8(o, 0), uleb(o, 0x7fff), u8(o, 3);
    if (d == D_SETADDR_LEN)
        u8(o, 0), uleb(o, 3), u8(o, 2), u8(o, 0), u8(o, 0);
    u8(o, 3), sleb(o, 5), u8(o, 1);
    u8(o, 4), uleb(o, d == D_FILE_RANGE ? 7 : 0);
    u8(o, 2), uleb(o, 0x10), u8(o, 1);
    u8(o, (d == D_UNKNOWN_OP ? 14 : 13) + 6 + 14 * 2); /* +2, line +1 */
    u8(o, 2), uleb(o, 0x1e);
    if (d != D_NO_END)
        end_sequence(o);
    un(o, 0, 0);
    uint64_t ulen = o->n - len_at - osz, hlen = prog_at - hdr_at - osz;
    if (d == D_UNIT_LEN)
        ulen = 0x7ffffff0;
    if (d == D_HDR_LEN)
        hlen = 0x7ffffff0;
    for (unsigned i = 0; i < osz; i++) {
        o->b[len_at + i] = (uint8_t)(ulen >> (8 * i));
        o->b[hdr_at + i] = (uint8_t)(hlen >> (8 * i));
    }
}

/* DWARF 4 unit: inc/c.h line 100 at TEXT+0x100, d.c 100 at +0x108,
 * ending at +0x110. */
static void unit4(struct out *o)
{
    size_t len_at = o->n, hdr_at, prog_at;

    un(o, 0, 4), un(o, 4, 2);
    hdr_at = o->n, un(o, 0, 4);
    header_tail(o, D_NONE);
    str(o, "inc"), u8(o, 0);
    str(o, "c.h"), uleb(o, 1), uleb(o, 0), uleb(o, 0);
    str(o, "d.c"), uleb(o, 0), uleb(o, 0), uleb(o, 0);
    u8(o, 0);
    prog_at = o->n;
    set_address(o, TEXT + 0x100);
    u8(o, 3), sleb(o, 99), u8(o, 1);
    u8(o, 4), uleb(o, 2), u8(o, 2), uleb(o, 8), u8(o, 1);
    u8(o, 9), un(o, 8, 2);
    end_sequence(o);
    uint64_t ulen = o->n - len_at - 4, hlen = prog_at - hdr_at - 4;
    for (unsigned i = 0; i < 4; i++) {
        o->b[len_at + i] = (uint8_t)(ulen >> (8 * i));
        o->b[hdr_at + i] = (uint8_t)(hlen >> (8 * i));
    }
}

static void shdr(uint8_t *f, size_t at, uint32_t name, uint32_t type,
                 uint64_t flags, uint64_t off, uint64_t size)
{
    Elf64_Shdr sh = {.sh_name = name, .sh_type = type, .sh_flags = flags,
                     .sh_offset = off, .sh_size = size, .sh_addralign = 1};
    memcpy(f + at, &sh, sizeof sh);
}

/* The file: ELF header, .shstrtab, .debug_line, .debug_line_str, section
 * headers. Returns a malloc'd buffer of *len bytes. */
static uint8_t *build(enum dmg d, size_t *len)
{
    static const char shstr[] = "\0.shstrtab\0.debug_line\0.debug_line_str";
    struct out line = {.n = 0}, ls = {.n = 0};
    uint8_t *f = calloc(1, 3 * CAP);
    Elf64_Ehdr eh = {.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 4,
                     .e_shstrndx = d == D_SHSTR ? 9 : 1};
    size_t at = sizeof eh;

    unit5(&line, d);
    unit4(&line);
    str(&ls, "/comp"), str(&ls, "src");
    if (d == D_LONG_NAME) {
        memset(ls.b + ls.n, 'd', 200);
        ls.n += 200;
        u8(&ls, 0);
    } else {
        str(&ls, "long");
    }
    if (d == D_STR_UNTERM)
        ls.n--; /* the last string loses its NUL */
    memcpy(f + at, shstr, sizeof shstr);
    size_t sh_str = at, line_at = at + sizeof shstr;
    memcpy(f + line_at, line.b, line.n);
    size_t ls_at = line_at + line.n;
    memcpy(f + ls_at, ls.b, ls.n);
    eh.e_shoff = (ls_at + ls.n + 7) & ~(size_t)7;
    shdr(f, eh.e_shoff + 64, 1, SHT_STRTAB, 0, sh_str, sizeof shstr);
    shdr(f, eh.e_shoff + 128, 11, SHT_PROGBITS,
         d == D_COMPRESSED ? SHF_COMPRESSED : 0, line_at,
         d == D_TRUNC_SECTION ? line.n - 10 : line.n);
    shdr(f, eh.e_shoff + 192, 23, SHT_PROGBITS, 0, ls_at, ls.n);
    memcpy(f, &eh, sizeof eh);
    *len = eh.e_shoff + 4 * sizeof(Elf64_Shdr);
    return f;
}

static struct tender_image img(void)
{
    struct tender_image i;
    memset(&i, 0, sizeof i);
    i.nseg = 1;
    i.seg[0] = (struct tender_segment){.vaddr = TEXT, .memsz = 0x1000,
                                       .prot = PROT_READ | PROT_EXEC};
    return i;
}

static const char *at(const struct tender_linetab *lt, uint64_t a)
{
    static char out[TENDER_LINE_NAME_MAX + 16];
    size_t n = tender_lines_format(lt, a, out, sizeof out);
    if (n >= sizeof out || strlen(out) != n)
        return "(unbounded)";
    return out;
}

/* Load the file damaged by d; check the lines at the five addresses
 * (NULL: any) and that every row looks up to a bounded string. */
static void check(const char *name, enum dmg d, const char *want[5])
{
    static const uint64_t addr[5] = {TEXT, TEXT + 0x10, TEXT + 0x22,
                                     TEXT + 0x40, TEXT + 0x108};
    struct tender_image i = img();
    struct tender_linetab lt;
    char why[400] = "";
    size_t len;
    uint8_t *f = build(d, &len);

    tender_lines_load(f, len, &i, &lt);
    free(f); /* the table is a copy */
    for (int k = 0; k < 5; k++) {
        const char *got = at(&lt, addr[k]);
        if (want[k] != NULL && strcmp(got, want[k]) != 0 && why[0] == '\0')
            snprintf(why, sizeof why, "0x%llx is '%s', want '%s'",
                     (unsigned long long)addr[k], got, want[k]);
    }
    for (uint32_t r = 0; r < lt.n; r++)
        if ((r > 0 && lt.row[r - 1].addr >= lt.row[r].addr) ||
            (lt.row[r].line != 0 && lt.row[r].file >= lt.names_len) ||
            strcmp(at(&lt, lt.row[r].addr), "(unbounded)") == 0)
            snprintf(why, sizeof why, "row %u unsorted, unnamed or unbounded",
                     r);
    t_check(name, why[0] == '\0', why);
    tender_lines_free(&lt);
}

static int read_only(const void *map)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int ro = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        char perm[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 &&
            (uintptr_t)map >= lo && (uintptr_t)map < hi)
            ro = perm[0] == 'r' && perm[1] == '-';
    }
    if (f != NULL)
        fclose(f);
    return ro;
}

#define W(...) ((const char *[5]){__VA_ARGS__})
#define GOOD5 "src/a.c:10", "src/a.c:15", "b.c:16", ""
#define NONE5 "", "", "", ""

static void test_good(void)
{
    struct tender_image i = img();
    struct tender_linetab lt;
    size_t len;
    uint8_t *f = build(D_NONE, &len);
    uint32_t n = tender_lines_load(f, len, &i, &lt);
    free(f);
    t_check("dwarf line: the table is read-only", n > 0 && read_only(lt.map),
            "writable or empty");
    t_check("dwarf line: between rows, before and after the sequences",
            strcmp(at(&lt, TEXT + 0x0f), "src/a.c:10") == 0 &&
                strcmp(at(&lt, TEXT + 0x21), "b.c:15") == 0 &&
                strcmp(at(&lt, TEXT + 0x3f), "b.c:16") == 0 &&
                strcmp(at(&lt, TEXT - 1), "") == 0 &&
                strcmp(at(&lt, TEXT + 0x100), "inc/c.h:100") == 0 &&
                strcmp(at(&lt, TEXT + 0x110), "") == 0 &&
                strcmp(at(&lt, TEXT + 0x800), "") == 0,
            at(&lt, TEXT + 0x21));
    char small[6];
    size_t k = tender_lines_format(&lt, TEXT, small, sizeof small);
    t_check("dwarf line: a small buffer gets a cut, terminated line",
            k == 5 && strcmp(small, "src/a") == 0, small);
    t_check("dwarf line: a NULL or empty table formats nothing",
            tender_lines_format(NULL, TEXT, small, sizeof small) == 0 &&
                small[0] == '\0',
            small);
    tender_lines_free(&lt);
    t_check("dwarf line: free clears", lt.n == 0 && lt.map == NULL,
            "not cleared");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_good();
    check("dwarf line: DWARF 5 and DWARF 4 units read", D_NONE,
          W(GOOD5, "d.c:100"));
    check("dwarf line: 64-bit DWARF read", D_DWARF64, W(GOOD5, "d.c:100"));
    check("dwarf line: an unknown standard opcode's operands skipped",
          D_UNKNOWN_OP, W(GOOD5, "d.c:100"));
    /* 200 + 1 + 58 bytes: the last 127 are 68 of the directory's. */
    char cut[TENDER_LINE_NAME_MAX + 8];
    memset(cut, 'd', 68);
    cut[68] = '/';
    memset(cut + 69, 'n', 56);
    memcpy(cut + 125, ".c:10", 6);
    check("dwarf line: a name cut to its last bytes", D_LONG_NAME,
          W(cut, NULL, "b.c:16", "", "d.c:100"));
    check("dwarf line: a section cut short loses its last unit",
          D_TRUNC_SECTION, W(GOOD5, ""));
    check("dwarf line: a unit length past the section stops the reading",
          D_UNIT_LEN, W(NONE5, ""));
    check("dwarf line: a header length past the unit drops the unit",
          D_HDR_LEN, W(NONE5, "d.c:100"));
    check("dwarf line: a LEB128 number past 64 bits drops the unit",
          D_HUGE_LEB, W(NONE5, "d.c:100"));
    check("dwarf line: an extended opcode past the unit drops the unit",
          D_EXT_LEN, W(NONE5, "d.c:100"));
    check("dwarf line: a 2-byte set_address drops the unit", D_SETADDR_LEN,
          W(NONE5, "d.c:100"));
    check("dwarf line: rows of a file index out of range have no line",
          D_FILE_RANGE, W("src/a.c:10", "src/a.c:15", "", "", "d.c:100"));
    check("dwarf line: a line_strp past .debug_line_str drops the unit",
          D_STRP_RANGE, W(NONE5, "d.c:100"));
    check("dwarf line: an unknown form drops the unit", D_FORM,
          W(NONE5, "d.c:100"));
    check("dwarf line: a string without its end drops the unit",
          D_STR_UNTERM, W(NONE5, "d.c:100"));
    check("dwarf line: more file entries than the limit drop the unit",
          D_FILE_COUNT, W(NONE5, "d.c:100"));
    check("dwarf line: an unknown version drops the unit", D_VERSION,
          W(NONE5, "d.c:100"));
    check("dwarf line: line_range 0 drops the unit", D_LINE_RANGE0,
          W(NONE5, "d.c:100"));
    check("dwarf line: a sequence without its end is dropped", D_NO_END,
          W(NONE5, "d.c:100"));
    check("dwarf line: rows outside the executable segments are dropped",
          D_OUTSIDE, W(NONE5, "d.c:100"));
    check("dwarf line: a line below 1 is no line", D_LINE_WRAP,
          W("", "", "", "", "d.c:100"));
    check("dwarf line: a compressed section is not read", D_COMPRESSED,
          W(NONE5, ""));
    check("dwarf line: a bad section name table: no lines", D_SHSTR,
          W(NONE5, ""));

    /* Random damage: any byte of the file, 2000 times. */
    struct tender_image i = img();
    size_t len;
    uint8_t *good = build(D_NONE, &len), *f = malloc(len);
    uint32_t rows = 0, bad = 0;
    for (int k = 0; k < 2000; k++) {
        struct tender_linetab lt;
        memcpy(f, good, len);
        for (int e = 0; e < 1 + (int)(t_rand() % 4); e++)
            f[64 + t_rand() % (len - 64)] = (uint8_t)t_rand();
        rows += tender_lines_load(f, len, &i, &lt);
        for (uint32_t r = 0; r < lt.n; r++)
            if ((r > 0 && lt.row[r - 1].addr >= lt.row[r].addr) ||
                (lt.row[r].line != 0 && lt.row[r].file >= lt.names_len) ||
                strcmp(at(&lt, lt.row[r].addr), "(unbounded)") == 0)
                bad++;
        tender_lines_free(&lt);
    }
    char why[64];
    snprintf(why, sizeof why, "%u bad rows", bad);
    t_check("dwarf line: 2000 random damages load, sorted and bounded",
            bad == 0 && rows > 0, why);
    free(f);
    free(good);
    return t_finish();
}
