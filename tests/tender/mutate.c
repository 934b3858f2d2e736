/*
 * The malformed-image cases (see mutate.h).
 */
#include <elf.h>
#include <string.h>

#include "atoll/abi/mft.h"
#include "mutate.h"

/* Offsets inside Elf64_Phdr and the manifest note. */
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_PADDR 24
#define PH_FILESZ 32
#define PH_MEMSZ 40
#define PH_ALIGN 48
#define NOTE_DESCSZ 4
#define NOTE_TYPE 8
#define MFT_VERSION_OFF 24
#define MFT_ENTRIES_OFF 28
#define MFT_E0 32
#define E_TYPE 68
#define E_ATTACHED 96

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static uint8_t *ph(uint8_t *buf, const struct elfinfo *ei, int i)
{
    return buf + ei->phoff + (size_t)i * sizeof(Elf64_Phdr);
}

static void walk_notes(const uint8_t *buf, uint64_t off, uint64_t size,
                       struct elfinfo *ei)
{
    uint64_t pos = off, end = off + size;

    while (end - pos >= 12) {
        uint32_t namesz = rd32(buf + pos), descsz = rd32(buf + pos + 4);
        uint32_t type = rd32(buf + pos + 8);
        uint64_t desc = pos + 12 + ((namesz + 3ull) & ~3ull);
        if (desc > end || descsz > end - desc)
            return;
        if (namesz == 6 && memcmp(buf + pos + 12, "Solo5", 6) == 0) {
            if (type == ATOLL_NOTE_TYPE_ABI && descsz == 16) {
                ei->has_abi = 1;
                ei->abi_hdr = pos;
            }
            if (type == ATOLL_NOTE_TYPE_MANIFEST && descsz >= 12) {
                ei->has_mft = 1;
                ei->mft_hdr = pos;
                ei->mft_entries = rd32(buf + pos + MFT_ENTRIES_OFF);
            }
        }
        pos = (desc + descsz + 3) & ~3ull;
    }
}

int elfinfo_get(const uint8_t *buf, size_t len, struct elfinfo *ei)
{
    memset(ei, 0, sizeof *ei);
    ei->exec_load = ei->write_load = -1;
    if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return -1;
    ei->phoff = rd64(buf + 32);
    ei->phnum = rd16(buf + 56);
    if (ei->phoff > len || ei->phnum > 64 ||
        (len - ei->phoff) / sizeof(Elf64_Phdr) < (size_t)ei->phnum)
        return -1;
    for (int i = 0; i < ei->phnum; i++) {
        const uint8_t *p = buf + ei->phoff + (size_t)i * sizeof(Elf64_Phdr);
        uint32_t type = rd32(p + PH_TYPE), flags = rd32(p + PH_FLAGS);
        uint64_t off = rd64(p + PH_OFFSET), filesz = rd64(p + PH_FILESZ);
        if (off > len || filesz > len - off)
            return -1;
        if (type == PT_NOTE)
            walk_notes(buf, off, filesz, ei);
        if (type != PT_LOAD || rd64(p + PH_MEMSZ) == 0 || ei->nload >= 16)
            continue;
        ei->load[ei->nload++] = i;
        if ((flags & PF_X) && ei->exec_load < 0)
            ei->exec_load = i;
        if ((flags & PF_W) && ei->write_load < 0)
            ei->write_load = i;
    }
    if (ei->nload < 2 || ei->exec_load < 0 || !ei->has_abi || !ei->has_mft)
        return -1;
    return 0;
}

/* ---- ELF header -------------------------------------------------------- */

static int m_not_elf(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)ei;
    memcpy(b, "hello, world\n", 13);
    *len = 13;
    return 0;
}

static int m_empty(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)b, (void)ei;
    *len = 0;
    return 0;
}

static int m_trunc_ehdr(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)b, (void)ei;
    *len = 40;
    return 0;
}

static int m_trunc_phdr(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)b;
    size_t cut = ei->phoff + sizeof(Elf64_Phdr) + 20;
    if (cut >= *len || cut <= sizeof(Elf64_Ehdr))
        return -1;
    *len = cut;
    return 0;
}

/* Cut the file in the middle of the last segment with file contents. */
static int m_trunc_seg(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    size_t phend = ei->phoff + (size_t)ei->phnum * sizeof(Elf64_Phdr);
    for (int k = ei->nload - 1; k >= 0; k--) {
        uint8_t *p = ph(b, ei, ei->load[k]);
        uint64_t off = rd64(p + PH_OFFSET), filesz = rd64(p + PH_FILESZ);
        if (filesz < 2 || off + filesz / 2 <= phend)
            continue;
        *len = off + filesz / 2;
        return 0;
    }
    return -1;
}

static int m_class32(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    b[EI_CLASS] = ELFCLASS32;
    return 0;
}

static int m_big_endian(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    b[EI_DATA] = ELFDATA2MSB;
    return 0;
}

static int m_machine(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr16(b + 18, EM_AARCH64);
    return 0;
}

static int m_type_dyn(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr16(b + 16, ET_DYN);
    return 0;
}

static int m_elf_version(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr32(b + 20, 2);
    return 0;
}

static int m_phentsize(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr16(b + 54, 32);
    return 0;
}

static int m_no_phdrs(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr16(b + 56, 0);
    return 0;
}

static int m_phoff_huge(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len, (void)ei;
    wr64(b + 32, UINT64_MAX - 10);
    return 0;
}

static int m_seg_offset_huge(uint8_t *b, size_t *len,
                             const struct elfinfo *ei)
{
    (void)len;
    wr64(ph(b, ei, ei->load[0]) + PH_OFFSET, UINT64_MAX - 100);
    return 0;
}

/* ---- ABI note ---------------------------------------------------------- */

/* A name size that, rounded up to 4, wraps a 32-bit sum. */
static int m_note_namesz(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->abi_hdr, 0xfffffffe);
    return 0;
}

static int m_no_abi(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->abi_hdr + NOTE_TYPE, 0x12345678);
    return 0;
}

static int m_abi_overrun(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->abi_hdr + NOTE_DESCSZ, 0x7fffff00);
    return 0;
}

static int m_abi_target(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->abi_hdr + 20, 6); /* xen */
    return 0;
}

static int m_abi_version(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->abi_hdr + 24, 1);
    return 0;
}

/* ---- segments ---------------------------------------------------------- */

static int m_seg_beyond(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr64(ph(b, ei, ei->load[ei->nload - 1]) + PH_MEMSZ, 1ull << 30);
    return 0;
}

/* p_vaddr + p_memsz wraps past 2^64 to exactly 0. */
static int m_seg_wrap(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    uint8_t *p = ph(b, ei, ei->load[ei->nload - 1]);
    wr64(p + PH_MEMSZ, 0 - rd64(p + PH_VADDR));
    return 0;
}

/* An alignment so large that rounding the start down reaches address 0. */
static int m_seg_align_huge(uint8_t *b, size_t *len,
                            const struct elfinfo *ei)
{
    (void)len;
    wr64(ph(b, ei, ei->load[0]) + PH_ALIGN, 1ull << 63);
    return 0;
}

static int m_seg_below(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    uint8_t *p = ph(b, ei, ei->load[0]);
    wr64(p + PH_VADDR, 0x1000);
    wr64(p + PH_PADDR, 0x1000);
    return 0;
}

static int m_seg_overlap(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    uint64_t v = rd64(ph(b, ei, ei->load[0]) + PH_VADDR);
    wr64(ph(b, ei, ei->load[1]) + PH_VADDR, v);
    wr64(ph(b, ei, ei->load[1]) + PH_PADDR, v);
    return 0;
}

static int m_seg_wx(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    uint8_t *p = ph(b, ei, ei->exec_load);
    wr32(p + PH_FLAGS, rd32(p + PH_FLAGS) | PF_W);
    return 0;
}

static int m_seg_memsz(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    for (int k = 0; k < ei->nload; k++) {
        uint8_t *p = ph(b, ei, ei->load[k]);
        uint64_t filesz = rd64(p + PH_FILESZ);
        if (filesz == 0)
            continue;
        wr64(p + PH_MEMSZ, filesz - 1);
        return 0;
    }
    return -1;
}

static int m_seg_misaligned(uint8_t *b, size_t *len,
                            const struct elfinfo *ei)
{
    (void)len;
    uint8_t *p = ph(b, ei, ei->load[0]);
    wr64(p + PH_ALIGN, 16);
    wr64(p + PH_VADDR, rd64(p + PH_VADDR) + 16);
    return 0;
}

static int m_seg_align_npot(uint8_t *b, size_t *len,
                            const struct elfinfo *ei)
{
    (void)len;
    wr64(ph(b, ei, ei->load[0]) + PH_ALIGN, 0x1800);
    return 0;
}

/* The entry point at the start of a segment that is not executable. */
static int m_entry(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    for (int k = 0; k < ei->nload; k++) {
        uint8_t *p = ph(b, ei, ei->load[k]);
        if (rd32(p + PH_FLAGS) & PF_X)
            continue;
        wr64(b + 24, rd64(p + PH_VADDR));
        return 0;
    }
    wr64(b + 24, 0x10);
    return 0;
}

/* ---- manifest ---------------------------------------------------------- */

static uint8_t *entry(uint8_t *b, const struct elfinfo *ei, int i)
{
    return b + ei->mft_hdr + MFT_E0 +
           (size_t)i * sizeof(struct atoll_mft_entry);
}

static int m_no_mft(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->mft_hdr + NOTE_TYPE, 0x12345678);
    return 0;
}

static int m_mft_overrun(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->mft_hdr + NOTE_DESCSZ, 0x7fffff00);
    return 0;
}

static int m_mft_version(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->mft_hdr + MFT_VERSION_OFF, 2);
    return 0;
}

static int m_mft_entries(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->mft_hdr + MFT_ENTRIES_OFF, ATOLL_MFT_MAX_ENTRIES + 1);
    return 0;
}

static int m_mft_no_entries(uint8_t *b, size_t *len,
                            const struct elfinfo *ei)
{
    (void)len;
    wr32(b + ei->mft_hdr + MFT_ENTRIES_OFF, 0);
    return 0;
}

static int m_mft_descsz(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    uint8_t *p = b + ei->mft_hdr + NOTE_DESCSZ;
    wr32(p, rd32(p) - 8);
    return 0;
}

static int m_mft_reserved(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    entry(b, ei, 0)[0] = 'x';
    return 0;
}

static int m_mft_unterminated(uint8_t *b, size_t *len,
                              const struct elfinfo *ei)
{
    (void)len;
    memset(entry(b, ei, 1), 'a', ATOLL_MFT_NAME_SIZE);
    return 0;
}

static int m_mft_empty_name(uint8_t *b, size_t *len,
                            const struct elfinfo *ei)
{
    (void)len;
    memset(entry(b, ei, 1), 0, ATOLL_MFT_NAME_SIZE);
    return 0;
}

static int m_mft_dup(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    memcpy(entry(b, ei, 2), entry(b, ei, 1), ATOLL_MFT_NAME_SIZE);
    return 0;
}

static int m_mft_type(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    wr32(entry(b, ei, 1) + E_TYPE, 7);
    return 0;
}

static int m_mft_attached(uint8_t *b, size_t *len, const struct elfinfo *ei)
{
    (void)len;
    entry(b, ei, 0)[E_ATTACHED] = 1;
    return 0;
}

const struct mutation mutations[] = {
    {"not-elf", "not an ELF file", 'E', 0, m_not_elf},
    {"empty", "not an ELF file", 'E', 0, m_empty},
    {"trunc-ehdr", "truncated", 'E', 0, m_trunc_ehdr},
    {"trunc-phdr", "truncated", 'E', 0, m_trunc_phdr},
    {"trunc-seg", "truncated", 'E', 0, m_trunc_seg},
    {"class32", "64-bit", 'E', 0, m_class32},
    {"big-endian", "little-endian", 'E', 0, m_big_endian},
    {"machine", "machine", 'E', 0, m_machine},
    {"type-dyn", "ET_EXEC", 'E', 0, m_type_dyn},
    {"elf-version", "ELF version", 'E', 0, m_elf_version},
    {"phentsize", "entry size", 'E', 0, m_phentsize},
    {"no-phdrs", "no program headers", 'E', 0, m_no_phdrs},
    {"phoff-huge", "truncated", 'E', 0, m_phoff_huge},
    {"seg-offset-huge", "truncated", 'E', 0, m_seg_offset_huge},
    {"no-abi", "no Solo5 ABI note", 'E', 0, m_no_abi},
    {"abi-overrun", "malformed note", 'E', 0, m_abi_overrun},
    {"note-namesz", "malformed note", 'E', 0, m_note_namesz},
    {"abi-target", "built for xen", 'E', 0, m_abi_target},
    {"abi-version", "ABI version 1,", 'I', 0, m_abi_version},
    {"seg-beyond-mem", "beyond guest memory", 'I', 0, m_seg_beyond},
    {"seg-wrap", "address range overflows", 'I', 0, m_seg_wrap},
    {"seg-align-huge", "below the lowest load address", 'I', 0,
     m_seg_align_huge},
    {"seg-below-base", "below the lowest load address", 'I', 0,
     m_seg_below},
    {"seg-overlap", "overlaps", 'I', 0, m_seg_overlap},
    {"seg-wx", "writable and executable", 'I', 0, m_seg_wx},
    {"seg-memsz", "smaller than filesz", 'I', 0, m_seg_memsz},
    {"seg-misaligned", "page-aligned", 'I', 0, m_seg_misaligned},
    {"seg-align", "power of two", 'I', 0, m_seg_align_npot},
    {"entry-outside", "entry point", 'I', 0, m_entry},
    {"no-mft", "no Solo5 manifest", 'I', 0, m_no_mft},
    {"mft-overrun", "malformed note", 'E', 0, m_mft_overrun},
    {"mft-version", "manifest version 2", 'I', 0, m_mft_version},
    {"mft-entries", "at most 64", 'I', 0, m_mft_entries},
    {"mft-no-entries", "no entries", 'I', 0, m_mft_no_entries},
    {"mft-descsz", "does not match", 'I', 0, m_mft_descsz},
    {"mft-reserved", "entry 0", 'I', 0, m_mft_reserved},
    {"mft-unterminated", "NUL-terminated", 'I', 1, m_mft_unterminated},
    {"mft-empty-name", "name is empty", 'I', 1, m_mft_empty_name},
    {"mft-dup", "same name", 'I', 2, m_mft_dup},
    {"mft-type", "unknown device type", 'I', 1, m_mft_type},
    {"mft-attached", "attached", 'I', 0, m_mft_attached},
};
const int nmutations = sizeof mutations / sizeof mutations[0];
