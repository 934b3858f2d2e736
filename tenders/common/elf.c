/*
 * ELF64 image validation and loading.
 *
 * The image is hostile input: every header field is checked, every sum of
 * offsets and sizes is overflow-checked, and nothing is copied into guest
 * memory until the whole image has been accepted. The checks follow the
 * rules of Solo5 v0.12.1 tenders (so its images are accepted) and are
 * somewhat stricter where Solo5 trusts the file (bss-only segments, note
 * sizes, duplicate notes).
 *
 * Order: ELF header, program header table, file ranges of the segments,
 * notes and the ABI note, loadable segments, entry point, manifest note. A file for another target is thus named as
 * such before its layout is judged by this target's rules.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "tender.h"

#define ADD_OVF(a, b, r) __builtin_add_overflow((a), (b), (r))
#define MUL_OVF(a, b, r) __builtin_mul_overflow((a), (b), (r))

struct notes {
    uint64_t abi_off, mft_off; /* descriptor offsets in the file */
    uint32_t abi_size, mft_size; /* n_descsz */
    int abi_ph, mft_ph;          /* program header index, -1 if none */
    uint32_t ext_request;        /* features asked by Atoll request notes */
};

/* An Atoll request note (owner "Atoll"): its features are asked for. A
 * descriptor of another size is an error, not a guess. */
static int request_note(const uint8_t *buf, const uint32_t w[3],
                        uint64_t pos, uint64_t desc_off, int ph,
                        struct notes *nt, char *err)
{
    struct atoll_ext_request r;

    if (w[0] != sizeof(ATOLL_EXT_NOTE_NAME) ||
        memcmp(buf + pos + 3 * sizeof(uint32_t), ATOLL_EXT_NOTE_NAME,
               sizeof(ATOLL_EXT_NOTE_NAME)) != 0 ||
        w[2] != ATOLL_NOTE_TYPE_REQUEST)
        return 0;
    if (w[1] != sizeof r)
        return tender_err(err, "Atoll request note in segment %d has size "
                          "%u, want %zu", ph, w[1], sizeof r);
    memcpy(&r, buf + desc_off, sizeof r);
    nt->ext_request |= r.features;
    return 0;
}

/* [off, off+size) inside a file of len bytes; *end gets off+size. */
static bool in_file(uint64_t off, uint64_t size, size_t len, uint64_t *end)
{
    return !ADD_OVF(off, size, end) && *end <= len;
}

/* The message for data at [off, off+size) that the file does not hold. */
static int trunc_err(char *err, const char *what, uint64_t off,
                     uint64_t size, size_t len)
{
    uint64_t end;

    if (ADD_OVF(off, size, &end))
        return tender_err(err, "file truncated: %s run past the end of the "
                          "file (%zu bytes)", what, len);
    return tender_err(err, "file truncated: %s end at offset %llu, file is "
                      "%zu bytes", what, (unsigned long long)end, len);
}

static int check_ehdr(const uint8_t *buf, size_t len, Elf64_Ehdr *eh,
                      char *err)
{
    if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return tender_err(err, "not an ELF file (bad magic)");
    if (len < sizeof *eh)
        return tender_err(err, "file truncated: ELF header needs %zu bytes, "
                          "file is %zu bytes", sizeof *eh, len);
    memcpy(eh, buf, sizeof *eh);
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return tender_err(err, "not a 64-bit ELF file (ELF class %u)",
                          eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return tender_err(err, "not a little-endian ELF file (ELF data "
                          "encoding %u)", eh->e_ident[EI_DATA]);
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return tender_err(err, "unsupported ELF version %u",
                          eh->e_ident[EI_VERSION] != EV_CURRENT
                              ? eh->e_ident[EI_VERSION]
                              : eh->e_version);
    if (eh->e_type != ET_EXEC)
        return tender_err(err, "not a static executable (ELF type %u, want "
                          "ET_EXEC)", eh->e_type);
    if (eh->e_machine != EM_X86_64)
        return tender_err(err, "built for ELF machine %u, not x86_64 (%u)",
                          eh->e_machine, EM_X86_64);
    if (eh->e_ehsize != sizeof(Elf64_Ehdr))
        return tender_err(err, "bad ELF header size %u (want %zu)",
                          eh->e_ehsize, sizeof(Elf64_Ehdr));
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return tender_err(err, "bad program header entry size %u (want %zu)",
                          eh->e_phentsize, sizeof(Elf64_Phdr));
    if (eh->e_phnum == 0)
        return tender_err(err, "no program headers");

    uint64_t size, end;
    if (MUL_OVF((uint64_t)eh->e_phnum, sizeof(Elf64_Phdr), &size) ||
        !in_file(eh->e_phoff, size, len, &end))
        return trunc_err(err, "program headers", eh->e_phoff, size, len);
    return 0;
}

static void get_phdr(const uint8_t *buf, const Elf64_Ehdr *eh, int i,
                     Elf64_Phdr *ph)
{
    memcpy(ph, buf + eh->e_phoff + (uint64_t)i * sizeof *ph, sizeof *ph);
}

/* Every PT_LOAD and PT_NOTE the tender reads lies inside the file. Checked
 * before the ABI note, so a cut-off file is named as such whatever else is
 * wrong with it. */
static int check_file_ranges(size_t len, const uint8_t *buf,
                             const Elf64_Ehdr *eh, char *err)
{
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        uint64_t end;
        char what[48];
        get_phdr(buf, eh, i, &ph);
        if ((ph.p_type != PT_LOAD && ph.p_type != PT_NOTE) ||
            ph.p_filesz == 0 || in_file(ph.p_offset, ph.p_filesz, len, &end))
            continue;
        snprintf(what, sizeof what, "the contents of segment %d", i);
        return trunc_err(err, what, ph.p_offset, ph.p_filesz, len);
    }
    return 0;
}

/*
 * One note at buf[pos..end): fills *next with the offset after it. A Solo5
 * note (owner "Solo5", namesz 6, descriptor at +20) of type ABI1 or MFT1 is
 * recorded in nt.
 */
static int one_note(const uint8_t *buf, uint64_t pos, uint64_t end,
                    uint64_t align, int ph, struct notes *nt, uint64_t *next,
                    char *err)
{
    uint32_t w[3]; /* n_namesz, n_descsz, n_type */
    uint64_t desc_off, desc_end;

    memcpy(w, buf + pos, sizeof w);
    if (ADD_OVF(pos + sizeof w, ((uint64_t)w[0] + 3) & ~3ull, &desc_off) ||
        ADD_OVF(desc_off, (uint64_t)w[1], &desc_end) || desc_end > end)
        return tender_err(err, "malformed note in segment %d: it runs past "
                          "the end of the segment", ph);
    /* Next note: descriptor padded to the segment's note alignment. */
    uint64_t pad = (align - (desc_end & (align - 1))) & (align - 1);
    if (ADD_OVF(desc_end, pad, next))
        *next = end;

    if (request_note(buf, w, pos, desc_off, ph, nt, err) < 0)
        return -1;
    if (w[0] != sizeof(ATOLL_NOTE_NAME) ||
        memcmp(buf + pos + sizeof w, ATOLL_NOTE_NAME,
               sizeof(ATOLL_NOTE_NAME)) != 0)
        return 0; /* not Solo5's */
    if (w[2] == ATOLL_NOTE_TYPE_ABI) {
        if (nt->abi_ph >= 0)
            return tender_err(err, "two Solo5 ABI notes (segments %d and "
                              "%d)", nt->abi_ph, ph);
        nt->abi_ph = ph;
        nt->abi_off = desc_off;
        nt->abi_size = w[1];
    } else if (w[2] == ATOLL_NOTE_TYPE_MANIFEST) {
        if (nt->mft_ph >= 0)
            return tender_err(err, "two Solo5 manifest notes (segments %d "
                              "and %d)", nt->mft_ph, ph);
        nt->mft_ph = ph;
        nt->mft_off = desc_off;
        nt->mft_size = w[1];
    }
    return 0;
}

/* Walk every note of every PT_NOTE program header. */
static int find_notes(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                      struct notes *nt, char *err)
{
    memset(nt, 0, sizeof *nt);
    nt->abi_ph = nt->mft_ph = -1;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        uint64_t end;
        get_phdr(buf, eh, i, &ph);
        if (ph.p_type != PT_NOTE || ph.p_filesz == 0)
            continue;
        /* check_file_ranges has made this hold; keep the walk safe alone. */
        if (!in_file(ph.p_offset, ph.p_filesz, len, &end))
            return tender_err(err, "file truncated: notes of segment %d", i);
        uint64_t align = ph.p_align == 8 ? 8 : 4;
        uint64_t pos = ph.p_offset;
        /* Fewer than 12 bytes left cannot hold a note: trailing padding. */
        while (end - pos >= 12) {
            uint64_t next = end;
            if (one_note(buf, pos, end, align, i, nt, &next, err) < 0)
                return -1;
            pos = next > end ? end : next;
        }
    }
    return 0;
}

static int check_abi(const uint8_t *buf, const struct notes *nt,
                     uint32_t want_target, uint32_t want_version,
                     struct tender_image *img, char *err)
{
    struct atoll_abi_info ai;

    if (nt->abi_ph < 0)
        return tender_err(err, "no Solo5 ABI note: not a Solo5/Atoll "
                          "unikernel image");
    if (nt->abi_size != sizeof ai)
        return tender_err(err, "Solo5 ABI note has size %u, want %zu",
                          nt->abi_size, sizeof ai);
    memcpy(&ai, buf + nt->abi_off, sizeof ai);
    if (ai.abi_target != want_target)
        return tender_err(err, "built for %s (ABI target %u), not %s",
                          tender_abi_target_name(ai.abi_target),
                          ai.abi_target, tender_abi_target_name(want_target));
    if (ai.abi_version != want_version)
        return tender_err(err, "%s ABI version %u, this tender speaks "
                          "version %u", tender_abi_target_name(want_target),
                          ai.abi_version, want_version);
    img->abi_target = ai.abi_target;
    img->abi_version = ai.abi_version;
    return 0;
}

struct seg_limits {
    uint64_t min_base, mem_size;
};

/* Check one PT_LOAD program header i and append it to img. raw_end[]
 * keeps p_vaddr + p_memsz of each accepted segment (for the entry point). */
static int one_segment(const Elf64_Phdr *ph, int i, size_t len,
                       const struct seg_limits *lim, struct tender_image *img,
                       uint64_t *raw_end, char *err)
{
    uint64_t fend, end, align, start, rend;

    if (ph->p_filesz > 0 &&
        !in_file(ph->p_offset, ph->p_filesz, len, &fend)) {
        char what[48];
        snprintf(what, sizeof what, "the contents of segment %d", i);
        return trunc_err(err, what, ph->p_offset, ph->p_filesz, len);
    }
    if (ph->p_memsz < ph->p_filesz)
        return tender_err(err, "segment %d: memsz 0x%llx is smaller than "
                          "filesz 0x%llx", i, (unsigned long long)ph->p_memsz,
                          (unsigned long long)ph->p_filesz);
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        return tender_err(err, "segment %d is both writable and executable",
                          i);
    align = ph->p_align > 1 ? ph->p_align : 1;
    if ((align & (align - 1)) != 0)
        return tender_err(err, "segment %d: alignment 0x%llx is not a power "
                          "of two", i, (unsigned long long)align);
    if (ADD_OVF(ph->p_vaddr, ph->p_memsz, &end) ||
        ADD_OVF(end, align - 1, &rend))
        return tender_err(err, "segment %d: address range overflows", i);
    start = ph->p_vaddr & ~(align - 1);
    rend &= ~(align - 1);
    if (start < lim->min_base)
        return tender_err(err, "segment %d starts at 0x%llx, below the "
                          "lowest load address 0x%llx", i,
                          (unsigned long long)start,
                          (unsigned long long)lim->min_base);
    if (rend > lim->mem_size)
        return tender_err(err, "segment %d ends at 0x%llx, beyond guest "
                          "memory (0x%llx)", i, (unsigned long long)rend,
                          (unsigned long long)lim->mem_size);
    if ((start | rend) & (TENDER_PAGE_SIZE - 1))
        return tender_err(err, "segment %d (0x%llx-0x%llx) is not "
                          "page-aligned", i, (unsigned long long)start,
                          (unsigned long long)rend);
    if (img->nseg > 0) {
        const struct tender_segment *p = &img->seg[img->nseg - 1];
        if (ph->p_vaddr < p->file_vaddr)
            return tender_err(err, "segment %d at 0x%llx is out of address "
                              "order (after 0x%llx)", i,
                              (unsigned long long)ph->p_vaddr,
                              (unsigned long long)p->file_vaddr);
        if (start < p->vaddr + p->memsz)
            return tender_err(err, "segment %d (0x%llx-0x%llx) overlaps the "
                              "segment before it (0x%llx-0x%llx)", i,
                              (unsigned long long)start,
                              (unsigned long long)rend,
                              (unsigned long long)p->vaddr,
                              (unsigned long long)(p->vaddr + p->memsz));
    }
    if (img->nseg >= TENDER_MAX_SEGMENTS)
        return tender_err(err, "more than %d loadable segments",
                          TENDER_MAX_SEGMENTS);
    struct tender_segment *s = &img->seg[img->nseg];
    s->vaddr = start;
    s->memsz = rend - start;
    s->file_vaddr = ph->p_vaddr;
    s->filesz = ph->p_filesz;
    /* Nothing is read for a segment without file bytes (.bss): keep no
     * offset, which may point anywhere. */
    s->file_offset = ph->p_filesz > 0 ? ph->p_offset : 0;
    s->prot = ((ph->p_flags & PF_R) ? PROT_READ : 0) |
              ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
              ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
    raw_end[img->nseg] = end;
    img->nseg++;
    if (rend > img->kernel_end)
        img->kernel_end = rend;
    return 0;
}

static int check_segments(const uint8_t *buf, size_t len,
                          const Elf64_Ehdr *eh, const struct seg_limits *lim,
                          struct tender_image *img, char *err)
{
    uint64_t raw_end[TENDER_MAX_SEGMENTS];

    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        get_phdr(buf, eh, i, &ph);
        /* Empty segments (an unused .tdata) occupy nothing. */
        if (ph.p_type != PT_LOAD || (ph.p_memsz == 0 && ph.p_filesz == 0))
            continue;
        if (one_segment(&ph, i, len, lim, img, raw_end, err) < 0)
            return -1;
    }
    if (img->nseg == 0)
        return tender_err(err, "no loadable segments");
    for (int k = 0; k < img->nseg; k++) {
        const struct tender_segment *s = &img->seg[k];
        if ((s->prot & PROT_EXEC) && eh->e_entry >= s->file_vaddr &&
            eh->e_entry < raw_end[k]) {
            img->entry = eh->e_entry;
            return 0;
        }
    }
    return tender_err(err, "entry point 0x%llx is not inside an executable "
                      "segment", (unsigned long long)eh->e_entry);
}

static int load_manifest(const uint8_t *buf, const struct notes *nt,
                         struct tender_image *img, char *err)
{
    const uint32_t pad = ATOLL_MFT_NOTE_DESC_OFFSET -
                         (uint32_t)sizeof(struct atoll_note_hdr);

    if (nt->mft_ph < 0)
        return tender_err(err, "no Solo5 manifest note");
    if (nt->mft_size < pad + sizeof(struct atoll_mft) ||
        nt->mft_size > ATOLL_MFT_NOTE_DESCSZ(ATOLL_MFT_MAX_ENTRIES))
        return tender_err(err, "manifest note size %u is out of range "
                          "(%zu to %zu)", nt->mft_size,
                          ATOLL_MFT_NOTE_DESCSZ(0),
                          ATOLL_MFT_NOTE_DESCSZ(ATOLL_MFT_MAX_ENTRIES));
    size_t size = nt->mft_size - pad;
    struct atoll_mft *m = malloc(size);
    if (m == NULL)
        return tender_err(err, "out of memory for the manifest");
    memcpy(m, buf + nt->mft_off + pad, size);
    if (tender_mft_validate(m, size, err) < 0) {
        free(m);
        return -1;
    }
    img->mft = m;
    img->mft_size = size;
    return 0;
}

int tender_image_parse(const uint8_t *buf, size_t len, uint32_t want_target,
                       uint32_t want_version, uint64_t min_base,
                       uint64_t mem_size, struct tender_image *img, char *err)
{
    Elf64_Ehdr eh;
    struct notes nt;
    struct seg_limits lim = {min_base, mem_size};

    memset(img, 0, sizeof *img);
    err[0] = '\0';
    if (check_ehdr(buf, len, &eh, err) < 0 ||
        check_file_ranges(len, buf, &eh, err) < 0 ||
        find_notes(buf, len, &eh, &nt, err) < 0 ||
        check_abi(buf, &nt, want_target, want_version, img, err) < 0 ||
        check_segments(buf, len, &eh, &lim, img, err) < 0 ||
        load_manifest(buf, &nt, img, err) < 0) {
        tender_image_free(img);
        return -1;
    }
    img->ext_request = nt.ext_request;
    return 0;
}

void tender_image_load(const struct tender_image *img, const uint8_t *buf,
                       uintptr_t host_base)
{
    for (int i = 0; i < img->nseg; i++) {
        const struct tender_segment *s = &img->seg[i];

        if (s->filesz > 0)
            memcpy((void *)(host_base + s->file_vaddr), buf + s->file_offset,
                   s->filesz);
    }
}

void tender_image_free(struct tender_image *img)
{
    free(img->mft);
    memset(img, 0, sizeof *img);
}
