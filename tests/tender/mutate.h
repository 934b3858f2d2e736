/*
 * Ways to break a good unikernel image, shared by the unit tests, the
 * malformed-image generator and the fuzz corpus.
 *
 * Each case names the keyword the tender's one-line message must contain.
 * stage 'E' cases are refused before the ABI note is compared with the
 * tender's target (so any tender names the same problem); stage 'I' cases
 * after it (a tender of the other target reports "built for" instead).
 */
#ifndef ATOLL_TEST_MUTATE_H
#define ATOLL_TEST_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* Where things are in a (good) image. */
struct elfinfo {
    uint64_t phoff;
    int phnum;
    int load[16]; /* program header indices of non-empty PT_LOADs */
    int nload;
    int exec_load, write_load; /* -1 if none */
    size_t abi_hdr, mft_hdr;   /* file offsets of the note headers */
    int has_abi, has_mft;
    uint32_t mft_entries;
};

/* Fill ei from a good image; -1 if it is not one this code understands. */
int elfinfo_get(const uint8_t *buf, size_t len, struct elfinfo *ei);

struct mutation {
    const char *name;
    const char *keyword;
    char stage; /* 'E' or 'I', see above */
    int min_devices; /* manifest devices (besides entry 0) the case needs */
    /* Change buf[0..*len) in place (may shrink *len); -1 if the image does
     * not allow this case. */
    int (*apply)(uint8_t *buf, size_t *len, const struct elfinfo *ei);
};

extern const struct mutation mutations[];
extern const int nmutations;

#endif
