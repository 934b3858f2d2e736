/*
 * The in-memory image builder (see imgbuild.h).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "imgbuild.h"

static void put_phdr(uint8_t *img, int i, uint32_t type, uint32_t flags,
                     uint64_t off, uint64_t vaddr, uint64_t filesz,
                     uint64_t memsz, uint64_t align)
{
    Elf64_Phdr ph = {
        .p_type = type, .p_flags = flags, .p_offset = off,
        .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
        .p_memsz = memsz, .p_align = align,
    };
    memcpy(img + sizeof(Elf64_Ehdr) + (size_t)i * sizeof ph, &ph, sizeof ph);
}

static void put_abi_note(uint8_t *p, uint32_t target, uint32_t version)
{
    struct atoll_abi_note n = {
        .h = {.n_namesz = sizeof(ATOLL_NOTE_NAME),
              .n_descsz = sizeof(struct atoll_abi_info),
              .n_type = ATOLL_NOTE_TYPE_ABI,
              .n_name = ATOLL_NOTE_NAME},
        .i = {.abi_target = target, .abi_version = version},
    };
    memcpy(p, &n, sizeof n);
}

/* Returns the note's total size. */
static size_t put_mft_note(uint8_t *p, const struct img_spec *s)
{
    uint32_t n = (uint32_t)s->ndev + 1;
    struct atoll_note_hdr h = {
        .n_namesz = sizeof(ATOLL_NOTE_NAME),
        .n_descsz = (uint32_t)ATOLL_MFT_NOTE_DESCSZ(n),
        .n_type = ATOLL_NOTE_TYPE_MANIFEST,
        .n_name = ATOLL_NOTE_NAME,
    };
    struct atoll_mft m = {.version = ATOLL_MFT_VERSION, .entries = n};
    struct atoll_mft_entry e;

    memcpy(p, &h, sizeof h);
    p += ATOLL_MFT_NOTE_DESC_OFFSET;
    memcpy(p, &m, sizeof m);
    p += sizeof m;
    for (uint32_t i = 0; i < n; i++) {
        memset(&e, 0, sizeof e);
        if (i == 0) {
            e.type = ATOLL_MFT_RESERVED_FIRST;
        } else {
            strncpy(e.name, s->dev[i - 1].name, ATOLL_MFT_NAME_MAX);
            e.type = s->dev[i - 1].type;
        }
        memcpy(p, &e, sizeof e);
        p += sizeof e;
    }
    return ATOLL_MFT_NOTE_DESC_OFFSET + ATOLL_MFT_SIZE(n);
}

uint8_t *img_build(const struct img_spec *spec, size_t *len)
{
    if (spec->ndev < 0 || spec->ndev >= ATOLL_MFT_MAX_ENTRIES)
        return NULL;
    uint8_t *img = calloc(1, IMG_FILE_SIZE);
    if (img == NULL)
        return NULL;

    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
                    ELFDATA2LSB, EV_CURRENT},
        .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
        .e_entry = IMG_TEXT_VADDR, .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = 5,
    };
    memcpy(img, &eh, sizeof eh);

    /* Text: "1: hlt; jmp 1b", never run by the tests. */
    memset(img + IMG_TEXT_OFF, 0xcc, 0x1000);
    memcpy(img + IMG_TEXT_OFF, "\xf4\xeb\xfd", 3);

    uint8_t *ro = img + IMG_RODATA_OFF;
    put_abi_note(ro, spec->target, spec->version);
    size_t mft_len = put_mft_note(ro + IMG_MFT_NOTE_OFF, spec);
    memset(img + IMG_DATA_OFF, 0x5a, 0x1000);

    put_phdr(img, IMG_PH_TEXT, PT_LOAD, PF_R | PF_X, IMG_TEXT_OFF,
             IMG_TEXT_VADDR, 0x1000, 0x1000, 0x1000);
    put_phdr(img, IMG_PH_RODATA, PT_LOAD, PF_R, IMG_RODATA_OFF,
             IMG_RODATA_VADDR, 0x2000, 0x2000, 0x1000);
    put_phdr(img, IMG_PH_DATA, PT_LOAD, PF_R | PF_W, IMG_DATA_OFF,
             IMG_DATA_VADDR, 0x1000, 0x2000, 0x1000);
    put_phdr(img, IMG_PH_ABI, PT_NOTE, PF_R, IMG_RODATA_OFF,
             IMG_RODATA_VADDR, sizeof(struct atoll_abi_note),
             sizeof(struct atoll_abi_note), 4);
    put_phdr(img, IMG_PH_MFT, PT_NOTE, PF_R, IMG_RODATA_OFF + IMG_MFT_NOTE_OFF,
             IMG_RODATA_VADDR + IMG_MFT_NOTE_OFF, mft_len, mft_len, 8);
    *len = IMG_FILE_SIZE;
    return img;
}
