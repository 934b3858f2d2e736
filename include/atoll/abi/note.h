/*
 * The ELF notes that identify a Solo5-compatible unikernel image.
 *
 * These layouts are an interface shared with Solo5 v0.12.1 tenders and
 * images (see DESIGN.md, "Compatibility with Solo5"). Every field here is
 * fixed by that interface; do not change sizes or order.
 *
 * Used by guest code (freestanding) and by the host tenders.
 */
#ifndef ATOLL_ABI_NOTE_H
#define ATOLL_ABI_NOTE_H

#include <stddef.h>
#include <stdint.h>

/* Which tender an image was built for. */
enum atoll_abi_target {
    ATOLL_ABI_TARGET_HVT = 1,
    ATOLL_ABI_TARGET_SPT = 2,
    ATOLL_ABI_TARGET_VIRTIO = 3,
    ATOLL_ABI_TARGET_MUEN = 4,
    ATOLL_ABI_TARGET_GENODE = 5,
    ATOLL_ABI_TARGET_XEN = 6,
};

/* Both notes carry the owner name "Solo5" (6 bytes with NUL, padded to 8). */
#define ATOLL_NOTE_NAME "Solo5"
#define ATOLL_NOTE_NAME_SIZE 8

#define ATOLL_NOTE_TYPE_ABI 0x31494241u      /* "ABI1" */
#define ATOLL_NOTE_TYPE_MANIFEST 0x3154464du /* "MFT1" */

/* ELF note header with the owner name, as laid out in the note section. */
struct atoll_note_hdr {
    uint32_t n_namesz;
    uint32_t n_descsz;
    uint32_t n_type;
    char n_name[ATOLL_NOTE_NAME_SIZE];
};
_Static_assert(sizeof(struct atoll_note_hdr) == 20, "note header layout");

/* Descriptor of the "ABI1" note. */
struct atoll_abi_info {
    uint32_t abi_target;  /* enum atoll_abi_target */
    uint32_t abi_version; /* ATOLL_HVT_ABI_VERSION or ATOLL_SPT_ABI_VERSION */
    uint32_t reserved0;
    uint32_t reserved1;
};

struct atoll_abi_note {
    struct atoll_note_hdr h;
    struct atoll_abi_info i;
};
_Static_assert(offsetof(struct atoll_abi_note, i) == 20, "abi note layout");

#define ATOLL_ABI_NOTE_SECTION ".note.solo5.abi"
#define ATOLL_MANIFEST_NOTE_SECTION ".note.solo5.manifest"

#endif
