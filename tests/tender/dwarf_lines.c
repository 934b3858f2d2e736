/*
 * dwarf_lines: tenders/common/dwarf_line.c on a real ELF file, for
 * tests/tender/run.sh (built with the sanitizers).
 *
 *   dwarf_lines -p IMAGE       print "0xADDR FILE:LINE" (or "0xADDR -")
 *                              for addresses spread over the executable
 *                              segments, to compare with addr2line
 *   dwarf_lines -m N SEED IMAGE
 *                              N random mutations of .debug_line and
 *                              .debug_line_str: every load returns, every
 *                              lookup is a bounded string; prints the
 *                              rows of the intact file and of the last
 *   dwarf_lines -t IMAGE       print the time to build the table
 *
 * The segments are the ELF's PT_LOAD headers, not tender_image_parse's,
 * so that host programs built by the test with gcc or clang serve too.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "dwarf_line.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n)) == NULL ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "dwarf_lines: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void segments(const uint8_t *buf, size_t len, struct tender_image *img)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;

    memset(img, 0, sizeof *img);
    memcpy(&eh, buf, sizeof eh);
    for (unsigned i = 0; i < eh.e_phnum && img->nseg < TENDER_MAX_SEGMENTS;
         i++) {
        if (eh.e_phoff + (i + 1) * sizeof ph > len)
            break;
        memcpy(&ph, buf + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        struct tender_segment *s = &img->seg[img->nseg++];
        s->vaddr = ph.p_vaddr;
        s->memsz = ph.p_memsz;
        s->prot = (ph.p_flags & PF_X) ? PROT_EXEC : PROT_READ;
    }
}

/* The file range of the named section, or 0. */
static uint64_t section(const uint8_t *buf, const char *want, uint64_t *size)
{
    Elf64_Ehdr eh;
    Elf64_Shdr sh, nsh;

    memcpy(&eh, buf, sizeof eh);
    memcpy(&nsh, buf + eh.e_shoff + eh.e_shstrndx * sizeof sh, sizeof nsh);
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        memcpy(&sh, buf + eh.e_shoff + i * sizeof sh, sizeof sh);
        if (strcmp((const char *)buf + nsh.sh_offset + sh.sh_name, want) == 0) {
            *size = sh.sh_size;
            return sh.sh_offset;
        }
    }
    *size = 0;
    return 0;
}

/* Look up every row start and its neighbours; abort on a bad string. */
static void probe_all(const struct tender_linetab *lt)
{
    char out[TENDER_LINE_NAME_MAX + 16];
    for (uint32_t i = 0; i < lt->n; i++) {
        if (i > 0 && lt->row[i - 1].addr >= lt->row[i].addr)
            abort();
        for (int d = -1; d <= 1; d++) {
            size_t n = tender_lines_format(lt, lt->row[i].addr + (uint64_t)d,
                                           out, sizeof out);
            if (n >= sizeof out || out[n] != '\0' || strlen(out) != n)
                abort();
        }
    }
}

int main(int argc, char **argv)
{
    struct tender_image img;
    struct tender_linetab lt;
    char out[TENDER_LINE_NAME_MAX + 16];
    size_t len;

    if (argc == 3 && strcmp(argv[1], "-p") == 0) {
        uint8_t *buf = slurp(argv[2], &len);
        segments(buf, len, &img);
        tender_lines_load(buf, len, &img, &lt);
        for (int i = 0; i < img.nseg; i++) {
            const struct tender_segment *s = &img.seg[i];
            uint64_t step = s->memsz / 300 + 1;
            if (s->prot != PROT_EXEC)
                continue;
            for (uint64_t a = s->vaddr; a < s->vaddr + s->memsz; a += step) {
                tender_lines_format(&lt, a, out, sizeof out);
                printf("0x%llx %s\n", (unsigned long long)a,
                       out[0] ? out : "-");
            }
        }
        tender_lines_free(&lt);
        free(buf);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "-t") == 0) {
        struct timespec t0, t1;
        uint8_t *buf = slurp(argv[2], &len);
        segments(buf, len, &img);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        uint32_t n = tender_lines_load(buf, len, &img, &lt);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("%u rows, %u bytes of names, %zu bytes mapped, %.3f ms\n", n,
               lt.names_len, lt.map_len,
               (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
        tender_lines_free(&lt);
        free(buf);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "-m") == 0) {
        int rounds = atoi(argv[2]);
        uint8_t *good = slurp(argv[4], &len), *buf = malloc(len);
        uint64_t lsz, ssz, loff = section(good, ".debug_line", &lsz);
        uint64_t soff = section(good, ".debug_line_str", &ssz);
        srand((unsigned)atoi(argv[3]));
        segments(good, len, &img);
        uint32_t full = tender_lines_load(good, len, &img, &lt);
        probe_all(&lt);
        tender_lines_free(&lt);
        if (loff == 0 || lsz == 0 || buf == NULL)
            return 2;
        uint32_t n = 0;
        for (int k = 0; k < rounds; k++) {
            memcpy(buf, good, len);
            int edits = 1 + rand() % 8;
            for (int e = 0; e < edits; e++) {
                bool str = ssz > 0 && rand() % 4 == 0;
                uint64_t at = str ? soff + (uint64_t)rand() % ssz
                                  : loff + (uint64_t)rand() % lsz;
                switch (rand() % 3) {
                case 0: buf[at] = (uint8_t)rand(); break;
                case 1: buf[at] ^= (uint8_t)(1u << (rand() % 8)); break;
                default: buf[at] = (uint8_t)(rand() % 2 ? 0xff : 0); break;
                }
            }
            n = tender_lines_load(buf, len, &img, &lt);
            probe_all(&lt);
            tender_lines_free(&lt);
        }
        printf("%u rows intact, %u rows after the last mutation\n", full, n);
        free(buf);
        free(good);
        return 0;
    }
    fprintf(stderr, "usage: dwarf_lines -p|-t IMAGE | -m N SEED IMAGE\n");
    return 2;
}
