/*
 * Build small, valid Solo5-layout unikernel images in memory, for the
 * tender unit tests, the malformed-image generator and the fuzz corpus.
 *
 * Layout (file offset -> guest address, every segment page-aligned):
 *   0x0000 ELF header, 5 program headers
 *   0x1000 -> 0x100000  text, R+X, one page, entry at its start
 *   0x2000 -> 0x101000  rodata, R, two pages: ABI note at +0, manifest
 *                       note at +IMG_MFT_NOTE_OFF
 *   0x4000 -> 0x103000  data, R+W, one page in the file, two in memory
 *   program headers: 0 text, 1 rodata, 2 data, 3 PT_NOTE abi,
 *   4 PT_NOTE manifest.
 */
#ifndef ATOLL_TEST_IMGBUILD_H
#define ATOLL_TEST_IMGBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/mft.h"

#define IMG_TEXT_OFF 0x1000u
#define IMG_RODATA_OFF 0x2000u
#define IMG_DATA_OFF 0x4000u
#define IMG_FILE_SIZE 0x5000u
#define IMG_TEXT_VADDR 0x100000u
#define IMG_RODATA_VADDR 0x101000u
#define IMG_DATA_VADDR 0x103000u
#define IMG_END_VADDR 0x105000u
#define IMG_MFT_NOTE_OFF 0x28u /* from IMG_RODATA_OFF, 8-aligned */
#define IMG_PH_TEXT 0
#define IMG_PH_RODATA 1
#define IMG_PH_DATA 2
#define IMG_PH_ABI 3
#define IMG_PH_MFT 4

struct img_dev {
    const char *name;
    uint32_t type;
};

struct img_spec {
    uint32_t target, version;
    int ndev;                   /* devices after the reserved entry */
    struct img_dev dev[ATOLL_MFT_MAX_ENTRIES];
};

/* A malloc'd image of IMG_FILE_SIZE bytes; NULL if ndev is out of range. */
uint8_t *img_build(const struct img_spec *spec, size_t *len);

#endif
