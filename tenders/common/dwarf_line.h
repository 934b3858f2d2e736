/*
 * Source lines for guest fault reports, from the image's DWARF line
 * information (.debug_line, versions 2 to 5, with .debug_line_str and
 * .debug_str for DWARF 5 file names): "(examples/hello/main.c:12)".
 *
 * The image is untrusted. tender_lines_load runs every line program once,
 * with every length, offset, LEB128, string and opcode checked against its
 * section, and keeps the rows that fall inside an executable segment of
 * the parsed image in a table of its own: sorted by address, at most
 * TENDER_LINE_MAX rows and TENDER_LINE_NAMES bytes of file names, each
 * name cut to its last TENDER_LINE_NAME_MAX bytes. File names are the
 * program's own: a relative name is joined with its directory unless that
 * is the compilation directory. The table is one mapping made read-only
 * once built, as the symbol table is (symbol.h).
 *
 * No line information, compressed sections, or a malformed unit are not
 * errors: the table holds what was read before the damage (or nothing)
 * and reports simply go without a line.
 */
#ifndef ATOLL_TENDER_DWARF_LINE_H
#define ATOLL_TENDER_DWARF_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "tender.h"

#define TENDER_LINE_MAX (1u << 21)        /* rows kept */
#define TENDER_LINE_NAMES (4u << 20)      /* bytes of file names kept */
#define TENDER_LINE_NAME_MAX 127          /* bytes of one name kept */
#define TENDER_LINE_FILES (1u << 16)      /* file entries of one unit */

struct tender_line {
    uint64_t addr;  /* the row holds [addr, next row's addr) */
    uint32_t file;  /* offset of a NUL-terminated name in names */
    uint32_t line;  /* 0: no line here (a sequence's end, a bad file) */
};

struct tender_linetab {
    const struct tender_line *row; /* n rows, addr strictly ascending */
    uint32_t n;
    const char *names;
    uint32_t names_len;
    void *map;                     /* the mapping holding both */
    size_t map_len;
};

/* Build lt from the image buf[0..len) that tender_image_parse accepted as
 * img. Returns the number of rows kept (lt->n), 0 when there is no usable
 * line information; never fails otherwise. */
uint32_t tender_lines_load(const uint8_t *buf, size_t len,
                           const struct tender_image *img,
                           struct tender_linetab *lt);

/* Write "FILE:LINE" for addr into dst[size] (NUL-terminated, cut to fit)
 * and return its length; 0 and "" when no row holds addr.
 * Async-signal-safe: no library call, no stack protector (atoll-spt calls
 * it from its fault handler, under the guest's %fs). */
size_t tender_lines_format(const struct tender_linetab *lt, uint64_t addr,
                           char *dst, size_t size);

void tender_lines_free(struct tender_linetab *lt);

#endif
