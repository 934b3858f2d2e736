/*
 * The application manifest ("MFT1" ELF note), version 1.
 *
 * Fixed by the Solo5 v0.12.1 interface. The manifest lists the devices an
 * image declares. Entry 0 is always a reserved entry with an empty name;
 * a device's handle is its index in the entry array.
 *
 * The tender validates the manifest from the image, attaches host resources,
 * fills in the "u" (device info) and "attached" fields and copies the result
 * into guest memory, where the bindings read it.
 */
#ifndef ATOLL_ABI_MFT_H
#define ATOLL_ABI_MFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/note.h"

#define ATOLL_MFT_VERSION 1

enum atoll_mft_type {
    ATOLL_MFT_DEV_BLOCK_BASIC = 1,
    ATOLL_MFT_DEV_NET_BASIC = 2,
    ATOLL_MFT_RESERVED_FIRST = (1u << 30),
};

struct atoll_mft_block_basic {
    uint64_t capacity;   /* bytes */
    uint16_t block_size; /* bytes */
};

struct atoll_mft_net_basic {
    uint8_t mac[6];
    uint16_t mtu; /* not including the Ethernet header */
};

#define ATOLL_MFT_NAME_SIZE 68 /* bytes, including the terminating NUL */
#define ATOLL_MFT_NAME_MAX 67  /* characters */
#define ATOLL_MFT_MAX_ENTRIES 64

struct atoll_mft_entry {
    char name[ATOLL_MFT_NAME_SIZE];
    uint32_t type; /* enum atoll_mft_type; an enum is 4 bytes in the ABI */
    union {
        struct atoll_mft_block_basic block_basic;
        struct atoll_mft_net_basic net_basic;
    } u;
    union {
        int hostfd; /* tender-private: backing host descriptor */
        uint64_t data;
    } b;
    bool attached;
};
_Static_assert(sizeof(struct atoll_mft_entry) == 104, "mft entry layout");
_Static_assert(offsetof(struct atoll_mft_entry, u) == 72, "mft entry layout");
_Static_assert(offsetof(struct atoll_mft_entry, b) == 88, "mft entry layout");
_Static_assert(offsetof(struct atoll_mft_entry, attached) == 96,
               "mft entry layout");

struct atoll_mft {
    uint32_t version;
    uint32_t entries;
    struct atoll_mft_entry e[];
};

/* The manifest descriptor starts 8-byte aligned after the 20-byte header. */
#define ATOLL_MFT_NOTE_DESC_OFFSET 24

/* Size in bytes of a manifest with n entries. */
#define ATOLL_MFT_SIZE(n)                                                     \
    (sizeof(struct atoll_mft) + (size_t)(n) * sizeof(struct atoll_mft_entry))

/*
 * n_descsz of a manifest note with n entries: the padding between the note
 * header and the manifest is counted in the descriptor, as Solo5 does.
 */
#define ATOLL_MFT_NOTE_DESCSZ(n)                                              \
    (ATOLL_MFT_NOTE_DESC_OFFSET - sizeof(struct atoll_note_hdr) +             \
     ATOLL_MFT_SIZE(n))

#endif
