/*
 * libFuzzer target: arbitrary bytes as an image for both targets, as a
 * manifest, and as a command line. Besides the sanitizers' checks, every
 * accepted image must satisfy the invariants the tenders rely on, and every
 * error must be one non-empty line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "atoll/abi/hvt.h"
#include "atoll/abi/spt.h"
#include "dwarf_line.h"
#include "symbol.h"
#include "tender.h"

#define MEM (4u << 20)

static uint8_t guest[MEM];

static void check_err(int rc, const char *err)
{
    if (rc != 0 && (err[0] == '\0' || strchr(err, '\n') != NULL))
        abort();
}

/* What tender_image_parse promises about an accepted image. */
static void check_image(const struct tender_image *img, uint64_t mem,
                        size_t len)
{
    bool entry_ok = false;
    uint64_t prev_end = 0;

    if (img->nseg < 1 || img->nseg > TENDER_MAX_SEGMENTS || img->mft == NULL)
        abort();
    for (int i = 0; i < img->nseg; i++) {
        const struct tender_segment *s = &img->seg[i];
        if (s->vaddr < ATOLL_HVT_GUEST_MIN_BASE || s->vaddr < prev_end ||
            s->memsz == 0 || s->vaddr + s->memsz > mem ||
            s->vaddr + s->memsz < s->vaddr ||
            ((s->vaddr | s->memsz) & (TENDER_PAGE_SIZE - 1)) ||
            s->file_vaddr < s->vaddr ||
            s->file_vaddr + s->filesz > s->vaddr + s->memsz ||
            s->file_offset > len || s->filesz > len - s->file_offset ||
            ((s->prot & PROT_WRITE) && (s->prot & PROT_EXEC)))
            abort();
        if ((s->prot & PROT_EXEC) && img->entry >= s->vaddr &&
            img->entry < s->vaddr + s->memsz)
            entry_ok = true;
        prev_end = s->vaddr + s->memsz;
    }
    if (!entry_ok || img->kernel_end != prev_end || img->kernel_end > mem)
        abort();
}

/* The symbol table of an accepted image: loaded or refused with one line;
 * loaded, sorted, disjoint, inside the image's executable segments, and
 * every lookup a NUL-terminated "<name+0xOFF>" or nothing. */
static void fuzz_symbols(const uint8_t *data, size_t size,
                         const struct tender_image *img)
{
    char err[TENDER_ERR_SIZE], out[TENDER_SYM_NAME_MAX + 24];
    struct tender_symtab st;
    int rc = tender_symtab_load(data, size, img, &st, err);

    check_err(rc, err);
    if (rc != 0) {
        if (st.n != 0 || st.map != NULL)
            abort();
        return;
    }
    for (uint32_t i = 0; i < st.n; i++) {
        const struct tender_sym *e = &st.sym[i];
        if (e->start >= e->end || e->name >= st.names_len ||
            (i + 1 < st.n && e->end > st.sym[i + 1].start))
            abort();
        uint64_t probe[] = {e->start, e->end - 1, e->end};
        for (size_t k = 0; k < 3; k++) {
            size_t n = tender_symtab_format(&st, probe[k], out, sizeof out);
            if (n >= sizeof out || out[n] != '\0' ||
                (k < 2 && (n == 0 || out[0] != '<' || out[n - 1] != '>')))
                abort();
        }
    }
    tender_symtab_free(&st);
}

/* The DWARF line table of an accepted image: sorted, every named row's
 * name inside the table, inside an executable segment, and every lookup a
 * NUL-terminated "FILE:LINE" or nothing. */
static void fuzz_lines(const uint8_t *data, size_t size,
                       const struct tender_image *img)
{
    char out[TENDER_LINE_NAME_MAX + 16];
    struct tender_linetab lt;
    uint32_t n = tender_lines_load(data, size, img, &lt);

    if (n != lt.n || (n == 0 && lt.map != NULL))
        abort();
    for (uint32_t i = 0; i < lt.n; i++) {
        const struct tender_line *r = &lt.row[i];
        if ((i > 0 && lt.row[i - 1].addr >= r->addr) ||
            (r->line != 0 && r->file >= lt.names_len))
            abort();
        size_t k = tender_lines_format(&lt, r->addr, out, sizeof out);
        if (k >= sizeof out || out[k] != '\0' || (r->line != 0) != (k > 0))
            abort();
    }
    tender_lines_free(&lt);
}

static void fuzz_image(const uint8_t *data, size_t size)
{
    static const uint32_t targets[][2] = {
        {ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION},
        {ATOLL_ABI_TARGET_SPT, ATOLL_SPT_ABI_VERSION},
    };
    char err[TENDER_ERR_SIZE];
    struct tender_image img;

    for (size_t t = 0; t < 2; t++) {
        int rc = tender_image_parse(data, size, targets[t][0], targets[t][1],
                                    ATOLL_HVT_GUEST_MIN_BASE, MEM, &img, err);
        check_err(rc, err);
        if (rc != 0)
            continue;
        check_image(&img, MEM, size);
        fuzz_symbols(data, size, &img);
        fuzz_lines(data, size, &img);
        tender_image_load(&img, data, (uintptr_t)guest);
        tender_image_free(&img);
    }
}

static void fuzz_mft(const uint8_t *data, size_t size)
{
    char err[TENDER_ERR_SIZE];
    /* An exact-size, suitably aligned copy. */
    struct atoll_mft *m = malloc(size ? size : 1);

    if (m == NULL)
        return;
    memcpy(m, data, size);
    check_err(tender_mft_validate(m, size, err), err);
    free(m);
}

/* NUL-separated words as argv. */
static void fuzz_args(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    char *argv[64];
    int argc = 0;
    char err[TENDER_ERR_SIZE];
    struct tender_args a;

    if (buf == NULL || size > 4096) {
        free(buf);
        return;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = "atoll-fuzz";
    for (size_t i = 0; i <= size && argc < 63;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    int rc = tender_parse_args(argc, argv, &a, err);
    check_err(rc, err);
    if (rc == 0 && !a.help && !a.version &&
        (a.kernel == NULL || a.guest_argc < 0 ||
         a.mem_size < ((uint64_t)TENDER_MIN_MEM_MB << 20)))
        abort();
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_image(data, size);
    fuzz_mft(data, size);
    if (size > 0 && data[0] == '-')
        fuzz_args(data, size);
    return 0;
}
