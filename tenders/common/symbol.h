/*
 * Function names for guest fault reports, from the image's ELF symbol
 * table: "rip=0x10003f <main+0x1f>".
 *
 * The image is untrusted. tender_symtab_load reads the section headers,
 * the symbol table and its string table with every offset, size and name
 * checked against the file, keeps only the function symbols (STT_FUNC, and
 * STT_NOTYPE labels of assembly code) that lie inside an executable
 * segment of the parsed image, and copies them into a table of its own:
 * sorted, without overlaps (each entry ends where the next begins at the
 * latest), names cut to TENDER_SYM_NAME_MAX bytes. The table is one
 * mapping made read-only once built, so atoll-spt's guest, which shares
 * the tender's address space, cannot rewrite it.
 *
 * A missing symbol table (a stripped image) is not an error: the table is
 * empty and reports show the bare address, as before. A malformed one is
 * an error for the caller to ignore or report; the image still runs.
 */
#ifndef ATOLL_TENDER_SYMBOL_H
#define ATOLL_TENDER_SYMBOL_H

#include <stddef.h>
#include <stdint.h>

#include "tender.h"

#define TENDER_SYM_NAME_MAX 63        /* bytes of a name kept */
#define TENDER_SYM_MAX (1u << 20)     /* symbol table entries read */

struct tender_sym {
    uint64_t start, end; /* [start, end) in guest addresses */
    uint32_t name;       /* offset of a NUL-terminated name in names */
    uint32_t rank;       /* at one address the highest wins: a function
                            (2) over a label, a sized symbol (1) over not */
};

struct tender_symtab {
    struct tender_sym *sym; /* n entries, start ascending, disjoint */
    uint32_t n;
    const char *names;
    uint32_t names_len;
    void *map;              /* the mapping holding both, map_len bytes */
    size_t map_len;
};

/* Build st from the image buf[0..len) that tender_image_parse accepted as
 * img. Returns 0 (st->n may be 0: no symbol table, or no function in it)
 * or -1 with err set and st empty. */
int tender_symtab_load(const uint8_t *buf, size_t len,
                       const struct tender_image *img,
                       struct tender_symtab *st, char *err);

/* Write "<name+0xOFF>" for addr into dst[size] (NUL-terminated, cut to
 * fit) and return its length; 0 and "" when no function holds addr.
 * Async-signal-safe: no library call, no stack protector (atoll-spt calls
 * it from its fault handler, under the guest's %fs). */
size_t tender_symtab_format(const struct tender_symtab *st, uint64_t addr,
                            char *dst, size_t size);

void tender_symtab_free(struct tender_symtab *st);

#endif
