/*
 * The image's DWARF line table, for fault reports (dwarf_line.h).
 *
 * Loading reads hostile input: a reader never leaves its range (the
 * section, or one unit of it), LEB128 numbers longer than 64 bits and
 * unknown forms make the unit bad, every string must end inside its
 * section, and the rows and names kept are bounded. A unit's rows count
 * only by whole sequences: a sequence cut short by damage is dropped.
 * Formatting runs in atoll-spt's fault handler: it calls nothing and is
 * built without the stack protector (tenders/common/module.mk).
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dwarf_line.h"

#define ADD_OVF(a, b, r) __builtin_add_overflow((a), (b), (r))
#define NO_NAME UINT32_MAX   /* a file whose name is not in the pool yet */
#define BAD_NAME (UINT32_MAX - 1) /* a file whose name cannot be kept */

/* A bounded cursor: once bad, reads give 0 and it stays bad. */
struct rd {
    const uint8_t *p;
    uint64_t len, pos;
    bool bad;
};

struct sect {
    const uint8_t *p;
    uint64_t len;
};

static uint64_t rd_n(struct rd *r, unsigned n)
{
    uint64_t v = 0;
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        return 0;
    }
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)r->p[r->pos + i] << (8 * i);
    r->pos += n;
    return v;
}

static void rd_skip(struct rd *r, uint64_t n)
{
    if (r->bad || r->len - r->pos < n)
        r->bad = true;
    else
        r->pos += n;
}

/* Unsigned LEB128 of at most 64 significant bits. */
static uint64_t rd_uleb(struct rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = (uint8_t)rd_n(r, 1);
        if (r->bad)
            return 0;
        if (shift >= 64 || (shift == 63 && (b & 0x7e) != 0)) {
            r->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0)
            return v;
    }
}

/* Signed LEB128, as two's complement in a uint64_t. */
static uint64_t rd_sleb(struct rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = (uint8_t)rd_n(r, 1);
        if (r->bad)
            return 0;
        if (shift >= 64) {
            r->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            if (shift + 7 < 64 && (b & 0x40))
                v |= ~(uint64_t)0 << (shift + 7);
            return v;
        }
    }
}

/* The NUL-terminated string at off in s, or NULL. */
static const char *str_at(const struct sect *s, uint64_t off)
{
    if (s->p == NULL || off >= s->len ||
        memchr(s->p + off, '\0', s->len - off) == NULL)
        return NULL;
    return (const char *)s->p + off;
}

static const char *rd_str(struct rd *r)
{
    if (r->bad)
        return NULL;
    const uint8_t *z = memchr(r->p + r->pos, '\0', r->len - r->pos);
    if (z == NULL) {
        r->bad = true;
        return NULL;
    }
    const char *s = (const char *)r->p + r->pos;
    r->pos = (uint64_t)(z - r->p) + 1;
    return s;
}

/* ---- sections ---- */

struct dw {
    struct sect line, line_str, str;
};

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    uint64_t end;
    return !ADD_OVF(off, size, &end) && end <= len;
}

/* Find the three sections by name; false when there is no .debug_line
 * that can be read (missing, compressed, outside the file). */
static bool find_sections(const uint8_t *buf, size_t len, struct dw *d)
{
    Elf64_Ehdr eh;
    Elf64_Shdr sh, nsh;

    memset(d, 0, sizeof *d);
    if (len < sizeof eh)
        return false;
    memcpy(&eh, buf, sizeof eh);
    if (eh.e_shoff == 0 || eh.e_shnum == 0 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum ||
        !in_file(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof sh, len))
        return false;
    memcpy(&nsh, buf + eh.e_shoff + (uint64_t)eh.e_shstrndx * sizeof sh,
           sizeof nsh);
    if (nsh.sh_type != SHT_STRTAB || !in_file(nsh.sh_offset, nsh.sh_size, len))
        return false;
    struct sect names = {buf + nsh.sh_offset, nsh.sh_size};
    for (uint32_t i = 0; i < eh.e_shnum; i++) {
        memcpy(&sh, buf + eh.e_shoff + (uint64_t)i * sizeof sh, sizeof sh);
        const char *n = str_at(&names, sh.sh_name);
        struct sect *s = NULL;
        if (n == NULL || sh.sh_type != SHT_PROGBITS ||
            (sh.sh_flags & SHF_COMPRESSED) ||
            !in_file(sh.sh_offset, sh.sh_size, len))
            continue;
        if (strcmp(n, ".debug_line") == 0)
            s = &d->line;
        else if (strcmp(n, ".debug_line_str") == 0)
            s = &d->line_str;
        else if (strcmp(n, ".debug_str") == 0)
            s = &d->str;
        if (s != NULL && s->p == NULL && sh.sh_size > 0) {
            s->p = buf + sh.sh_offset;
            s->len = sh.sh_size;
        }
    }
    return d->line.p != NULL;
}

/* ---- the table being built ---- */

struct row {
    uint64_t addr;
    uint32_t file, line;
    uint32_t seq;  /* order read */
    uint32_t end;  /* 1: a sequence's end */
};

struct file {
    const char *dir, *name; /* dir NULL: the compilation directory */
    uint32_t pool;          /* NO_NAME, BAD_NAME or an offset in names */
};

struct build {
    const struct tender_image *img;
    struct dw dw;
    struct row *rows;
    uint32_t n, cap, committed;
    char *names;
    uint32_t names_len, names_cap;
    struct file *files;     /* of the unit being read */
    uint32_t nfiles;
    const char **dirs;
    uint32_t ndirs;
    bool full;              /* a bound was reached: stop reading */
};

static bool in_exec(const struct tender_image *img, uint64_t addr)
{
    for (int i = 0; i < img->nseg; i++) {
        const struct tender_segment *s = &img->seg[i];
        if ((s->prot & PROT_EXEC) && addr >= s->vaddr &&
            addr - s->vaddr < s->memsz)
            return true;
    }
    return false;
}

/* The pool offset of file f's name, joined with its directory and cut to
 * its last TENDER_LINE_NAME_MAX bytes; BAD_NAME when it cannot be kept. */
static uint32_t file_name(struct build *b, struct file *f)
{
    if (f->pool != NO_NAME)
        return f->pool;
    f->pool = BAD_NAME;
    if (f->name == NULL || f->name[0] == '\0')
        return BAD_NAME;
    const char *dir = f->name[0] == '/' ? NULL : f->dir;
    size_t dl = dir != NULL ? strlen(dir) : 0, nl = strlen(f->name);
    size_t full = dl > 0 ? dl + 1 + nl : nl;
    size_t skip = full > TENDER_LINE_NAME_MAX ? full - TENDER_LINE_NAME_MAX : 0;
    size_t keep = full - skip;
    if (b->names_len + keep + 1 > b->names_cap) {
        uint32_t cap = b->names_cap ? b->names_cap * 2 : 4096;
        if (b->names_len + keep + 1 > TENDER_LINE_NAMES) {
            b->full = true;
            return BAD_NAME;
        }
        if (cap > TENDER_LINE_NAMES)
            cap = TENDER_LINE_NAMES;
        char *n = realloc(b->names, cap);
        if (n == NULL) {
            b->full = true;
            return BAD_NAME;
        }
        b->names = n;
        b->names_cap = cap;
    }
    char *out = b->names + b->names_len;
    for (size_t i = skip; i < full; i++) {
        char c;
        if (dl == 0)
            c = f->name[i];
        else if (i < dl)
            c = dir[i];
        else
            c = i == dl ? '/' : f->name[i - dl - 1];
        *out++ = c;
    }
    *out = '\0';
    f->pool = b->names_len;
    b->names_len += (uint32_t)keep + 1;
    return f->pool;
}

static void emit(struct build *b, uint64_t addr, uint64_t file, uint64_t line,
                 bool end)
{
    struct row r = {addr, BAD_NAME, 0, 0, end};

    if (end ? addr == 0 || !in_exec(b->img, addr - 1) : !in_exec(b->img, addr))
        return;
    if (!end && file < b->nfiles && line > 0 && line <= UINT32_MAX) {
        r.file = file_name(b, &b->files[file]);
        if (r.file != BAD_NAME)
            r.line = (uint32_t)line;
    }
    /* Rows of one sequence at one address: the last holds it (an end
     * there leaves the previous row an empty range). */
    if (b->n > b->committed && b->rows[b->n - 1].addr == addr) {
        r.seq = b->n - 1;
        b->rows[b->n - 1] = r;
        return;
    }
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 1024;
        if (b->n >= TENDER_LINE_MAX) {
            b->full = true;
            return;
        }
        if (cap > TENDER_LINE_MAX)
            cap = TENDER_LINE_MAX;
        struct row *n = realloc(b->rows, (size_t)cap * sizeof *n);
        if (n == NULL) {
            b->full = true;
            return;
        }
        b->rows = n;
        b->cap = cap;
    }
    r.seq = b->n;
    b->rows[b->n++] = r;
}

/* ---- one unit ---- */

enum { DW_LNCT_path = 1, DW_LNCT_directory_index = 2 };

/* One attribute value of a DWARF 5 directory or file entry: a string
 * (*s) or a number (*v). */
static void rd_form(struct build *b, struct rd *r, uint64_t form, bool off64,
                    const char **s, uint64_t *v)
{
    *s = NULL;
    *v = 0;
    switch (form) {
    case 0x08: *s = rd_str(r); break;                     /* string */
    case 0x1f:                                            /* line_strp */
    case 0x0e: {                                          /* strp */
        uint64_t off = rd_n(r, off64 ? 8 : 4);
        *s = str_at(form == 0x1f ? &b->dw.line_str : &b->dw.str, off);
        if (*s == NULL)
            r->bad = true;
        break;
    }
    case 0x0f: *v = rd_uleb(r); break;                    /* udata */
    case 0x0d: (void)rd_sleb(r); break;                   /* sdata */
    case 0x0b: *v = rd_n(r, 1); break;                    /* data1 */
    case 0x05: *v = rd_n(r, 2); break;                    /* data2 */
    case 0x06: *v = rd_n(r, 4); break;                    /* data4 */
    case 0x07: *v = rd_n(r, 8); break;                    /* data8 */
    case 0x1e: rd_skip(r, 16); break;                     /* data16 */
    case 0x09: rd_skip(r, rd_uleb(r)); break;             /* block */
    default: r->bad = true; break;
    }
}

/* A DWARF 5 entry list: directories (dirs != NULL) or files. */
static void rd_entries(struct build *b, struct rd *r, bool off64, bool dirs)
{
    uint64_t fmt[2 * 255];
    unsigned nfmt = (unsigned)rd_n(r, 1);

    for (unsigned i = 0; i < 2 * nfmt; i++)
        fmt[i] = rd_uleb(r);
    uint64_t count = rd_uleb(r);
    if (r->bad || count > TENDER_LINE_FILES) {
        r->bad = true;
        return;
    }
    for (uint64_t k = 0; k < count && !r->bad; k++) {
        const char *path = NULL, *s;
        uint64_t dir = 0, v;
        for (unsigned i = 0; i < nfmt; i++) {
            rd_form(b, r, fmt[2 * i + 1], off64, &s, &v);
            if (fmt[2 * i] == DW_LNCT_path && s != NULL)
                path = s;
            else if (fmt[2 * i] == DW_LNCT_directory_index)
                dir = v;
        }
        if (dirs) {
            b->dirs[b->ndirs++] = k == 0 ? NULL : path;
        } else {
            /* directory 0 is the compilation directory, left out */
            b->files[b->nfiles++] = (struct file){
                dir > 0 && dir < b->ndirs ? b->dirs[dir] : NULL, path,
                NO_NAME};
        }
    }
}

/* DWARF 2 to 4: strings up to an empty one, directory 0 and file 0 being
 * implicit. */
static void rd_old_tables(struct build *b, struct rd *r)
{
    b->dirs[b->ndirs++] = NULL;
    for (;;) {
        const char *s = rd_str(r);
        if (s == NULL || s[0] == '\0')
            break;
        if (b->ndirs == TENDER_LINE_FILES) {
            r->bad = true;
            return;
        }
        b->dirs[b->ndirs++] = s;
    }
    b->files[b->nfiles++] = (struct file){NULL, NULL, NO_NAME};
    for (;;) {
        const char *s = rd_str(r);
        if (s == NULL || s[0] == '\0')
            break;
        uint64_t dir = rd_uleb(r);
        (void)rd_uleb(r); /* mtime */
        (void)rd_uleb(r); /* length */
        if (b->nfiles == TENDER_LINE_FILES) {
            r->bad = true;
            return;
        }
        b->files[b->nfiles++] = (struct file){
            dir > 0 && dir < b->ndirs ? b->dirs[dir] : NULL, s, NO_NAME};
    }
}

struct hdr {
    unsigned min_inst, line_range, opcode_base, addr_size;
    int line_base;
    uint8_t std_len[256];
};

/* The line program of one unit, from r's position to its end. */
static void run_program(struct build *b, struct rd *r, const struct hdr *h)
{
    uint64_t addr = 0, file = 1, line = 1;

    while (r->pos < r->len && !r->bad && !b->full) {
        unsigned op = (unsigned)rd_n(r, 1);
        if (op >= h->opcode_base) {
            unsigned adj = op - h->opcode_base;
            addr += (uint64_t)(adj / h->line_range) * h->min_inst;
            line += (uint64_t)(int64_t)(h->line_base +
                                        (int)(adj % h->line_range));
            emit(b, addr, file, line, false);
            continue;
        }
        switch (op) {
        case 0: {                                         /* extended */
            uint64_t n = rd_uleb(r), at = r->pos;
            if (n == 0 || n > r->len - r->pos) {
                r->bad = true;
                break;
            }
            unsigned sub = (unsigned)rd_n(r, 1);
            if (sub == 1) {                               /* end_sequence */
                emit(b, addr, file, line, true);
                b->committed = b->n;
                addr = 0, file = 1, line = 1;
            } else if (sub == 2) {                        /* set_address */
                if (n - 1 != 8 && n - 1 != 4)
                    r->bad = true;
                else
                    addr = rd_n(r, (unsigned)(n - 1));
            }
            r->pos = at + n; /* define_file, discriminator, others */
            break;
        }
        case 1: emit(b, addr, file, line, false); break;  /* copy */
        case 2: addr += rd_uleb(r) * h->min_inst; break;  /* advance_pc */
        case 3: line += rd_sleb(r); break;                /* advance_line */
        case 4: file = rd_uleb(r); break;                 /* set_file */
        case 8:                                           /* const_add_pc */
            addr += (uint64_t)((255 - h->opcode_base) / h->line_range) *
                    h->min_inst;
            break;
        case 9: addr += rd_n(r, 2); break;                /* fixed_adv_pc */
        case 6: case 7: case 10: case 11: break;          /* no operand */
        default:                /* set_column, set_isa, and unknown ones */
            for (unsigned i = 0; i < h->std_len[op]; i++)
                (void)rd_uleb(r);
            break;
        }
    }
}

/* One unit in [0, r->len): header, then program. */
static void rd_unit(struct build *b, struct rd *r, bool off64)
{
    struct hdr h;
    unsigned version = (unsigned)rd_n(r, 2);

    memset(&h, 0, sizeof h);
    b->nfiles = b->ndirs = 0;
    if (version < 2 || version > 5)
        return;
    h.addr_size = 8;
    if (version == 5) {
        h.addr_size = (unsigned)rd_n(r, 1);
        (void)rd_n(r, 1); /* segment selector size */
    }
    uint64_t hlen = rd_n(r, off64 ? 8 : 4), prog;
    if (r->bad || ADD_OVF(r->pos, hlen, &prog) || prog > r->len)
        return;
    h.min_inst = (unsigned)rd_n(r, 1);
    if (version >= 4)
        (void)rd_n(r, 1); /* maximum operations per instruction: VLIW */
    (void)rd_n(r, 1);     /* default_is_stmt */
    h.line_base = (int8_t)rd_n(r, 1);
    h.line_range = (unsigned)rd_n(r, 1);
    h.opcode_base = (unsigned)rd_n(r, 1);
    if (h.line_range == 0 || h.opcode_base == 0)
        return;
    for (unsigned i = 1; i < h.opcode_base; i++)
        h.std_len[i] = (uint8_t)rd_n(r, 1);
    if (version == 5) {
        rd_entries(b, r, off64, true);
        rd_entries(b, r, off64, false);
    } else {
        rd_old_tables(b, r);
    }
    if (r->bad || r->pos > prog)
        return;
    r->pos = prog;
    run_program(b, r, &h);
}

/* ---- the finished table ---- */

static int by_addr(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* Rows of different sequences (emit kept one row per address in
     * each): a sequence starting where another ends wins, then the last. */
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->seq > y->seq ? -1 : x->seq < y->seq;
}

static uint32_t finish(struct build *b, struct tender_linetab *lt)
{
    uint32_t out = 0;

    if (b->committed == 0)
        return 0;
    qsort(b->rows, b->committed, sizeof *b->rows, by_addr);
    for (uint32_t i = 0; i < b->committed; i++)
        if (out == 0 || b->rows[out - 1].addr != b->rows[i].addr)
            b->rows[out++] = b->rows[i];
    if (out == 0)
        return 0;
    size_t rbytes = (size_t)out * sizeof(struct tender_line);
    size_t size = rbytes + b->names_len;
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return 0;
    struct tender_line *row = map;
    for (uint32_t i = 0; i < out; i++)
        row[i] = (struct tender_line){b->rows[i].addr,
                                      b->rows[i].line ? b->rows[i].file : 0,
                                      b->rows[i].line};
    if (b->names_len > 0)
        memcpy((char *)map + rbytes, b->names, b->names_len);
    if (mprotect(map, size, PROT_READ) != 0) {
        munmap(map, size);
        return 0;
    }
    *lt = (struct tender_linetab){row, out, (const char *)map + rbytes,
                                  b->names_len, map, size};
    return out;
}

uint32_t tender_lines_load(const uint8_t *buf, size_t len,
                           const struct tender_image *img,
                           struct tender_linetab *lt)
{
    struct build b;
    uint32_t n = 0;

    memset(lt, 0, sizeof *lt);
    memset(&b, 0, sizeof b);
    b.img = img;
    if (!find_sections(buf, len, &b.dw))
        return 0;
    b.files = malloc(TENDER_LINE_FILES * sizeof *b.files);
    b.dirs = malloc(TENDER_LINE_FILES * sizeof *b.dirs);
    struct rd sec = {b.dw.line.p, b.dw.line.len, 0, false};
    while (b.files != NULL && b.dirs != NULL && !b.full &&
           sec.pos < sec.len) {
        bool off64 = false;
        uint64_t ulen = rd_n(&sec, 4);
        if (ulen == 0xffffffffu) {
            off64 = true;
            ulen = rd_n(&sec, 8);
        }
        if (sec.bad || ulen > sec.len - sec.pos)
            break;
        struct rd unit = {sec.p + sec.pos, ulen, 0, false};
        rd_unit(&b, &unit, off64);
        b.n = b.committed; /* drop a sequence left without its end */
        sec.pos += ulen;
    }
    n = finish(&b, lt);
    free(b.rows);
    free(b.names);
    free(b.files);
    free(b.dirs);
    return n;
}

static void put(char *dst, size_t size, size_t *len, const char *s)
{
    while (*s != '\0' && *len + 1 < size)
        dst[(*len)++] = *s++;
}

size_t tender_lines_format(const struct tender_linetab *lt, uint64_t addr,
                           char *dst, size_t size)
{
    uint32_t lo = 0, hi;
    size_t out = 0;
    char dec[11];
    int d = (int)sizeof dec - 1;

    if (size == 0)
        return 0;
    dst[0] = '\0';
    if (lt == NULL || lt->n == 0 || addr < lt->row[0].addr)
        return 0;
    /* The last row starting at or below addr. */
    hi = lt->n;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (lt->row[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    const struct tender_line *r = &lt->row[lo];
    if (r->line == 0 || r->file >= lt->names_len)
        return 0;
    const char *name = lt->names + r->file;
    /* Names were cut when loaded; bound the walk all the same. A
     * data-dependent loop, so that no compiler makes it a memcpy call. */
    for (uint32_t i = 0; i <= TENDER_LINE_NAME_MAX &&
                         r->file + i < lt->names_len && name[i] != '\0' &&
                         out + 1 < size; i++)
        dst[out++] = name[i];
    uint32_t v = r->line;
    dec[d] = '\0';
    do {
        dec[--d] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(dst, size, &out, ":");
    put(dst, size, &out, &dec[d]);
    dst[out] = '\0';
    return out;
}

void tender_lines_free(struct tender_linetab *lt)
{
    if (lt->map != NULL)
        munmap(lt->map, lt->map_len);
    memset(lt, 0, sizeof *lt);
}
