/*
 * The guest side of the scratch-layout image (see layout.lds): the two
 * Solo5 notes, a foreign note, an interpreter string, data and bss. Built
 * with -DTARGET=1 (hvt) or 2 (spt); never run.
 */
#include "atoll/abi/mft.h"

const struct atoll_abi_note abi_note
    __attribute__((section(ATOLL_ABI_NOTE_SECTION), aligned(4), used)) = {
        .h = {.n_namesz = sizeof(ATOLL_NOTE_NAME),
              .n_descsz = sizeof(struct atoll_abi_info),
              .n_type = ATOLL_NOTE_TYPE_ABI,
              .n_name = ATOLL_NOTE_NAME},
        .i = {.abi_target = TARGET, .abi_version = 2},
};

/* The manifest: the reserved entry, a net and two block devices. */
struct mft_note {
    struct atoll_note_hdr h;
    uint32_t pad; /* the descriptor's manifest starts 8-byte aligned */
    uint32_t version, entries;
    struct atoll_mft_entry e[4];
};
const struct mft_note mft_note
    __attribute__((section(ATOLL_MANIFEST_NOTE_SECTION), aligned(8),
                   used)) = {
        .h = {.n_namesz = sizeof(ATOLL_NOTE_NAME),
              .n_descsz = ATOLL_MFT_NOTE_DESCSZ(4),
              .n_type = ATOLL_NOTE_TYPE_MANIFEST,
              .n_name = ATOLL_NOTE_NAME},
        .version = ATOLL_MFT_VERSION,
        .entries = 4,
        .e = {{.name = "", .type = ATOLL_MFT_RESERVED_FIRST},
              {.name = "service", .type = ATOLL_MFT_DEV_NET_BASIC},
              {.name = "storage", .type = ATOLL_MFT_DEV_BLOCK_BASIC},
              {.name = "backup", .type = ATOLL_MFT_DEV_BLOCK_BASIC}},
};

_Static_assert(offsetof(struct mft_note, version) ==
                   ATOLL_MFT_NOTE_DESC_OFFSET,
               "manifest note layout");

/* Another owner's note, which the tender must skip. */
const struct {
    uint32_t namesz, descsz, type;
    char name[8];
    uint32_t data;
} other_note __attribute__((section(".note.other"), aligned(4), used)) = {
    8, 4, 1, "OpenBSD", 0};

const char interp[24]
    __attribute__((section(".interp"), aligned(8), used)) = "/nonexistent/";

volatile int counter;
volatile int step = 1;

void _start(void)
{
    for (;;)
        counter += step;
}
