/*
 * The fake platform's block device (a struct atoll_blockdev in memory),
 * for the storage unit tests, fuzzers and seed writers. Writes land in a
 * volatile view (cur); flush makes them durable. t_blk_powercut() keeps each
 * block written since the last flush whole, drops it, or tears it (a
 * prefix of new bytes over the old ones), at random; t_blk_kill() is a
 * process kill (the host page cache keeps every write). The device can
 * also be told to die after a number of operations: every later
 * operation fails with EIO, as if the power went while the store was
 * busy.
 */
#ifndef ATOLL_TESTS_FAKEBLK_H
#define ATOLL_TESTS_FAKEBLK_H

#include <stdbool.h>
#include <stdint.h>

#include "atoll/blockdev.h"

struct t_blk {
    struct atoll_blockdev bd;
    uint8_t *durable, *cur;
    uint8_t *dirty; /* per block: written since the last flush */
    uint64_t nblocks;
    uint64_t ops;     /* writes and flushes so far */
    uint64_t die_at;  /* ops count at which the device dies; 0 never */
    bool dead;
    uint64_t rng;
    uint64_t writes, flushes, reads;
};

/* A zeroed device of capacity bytes in blocks of bs; seed drives the
 * power cuts. */
void t_blk_init(struct t_blk *f, uint64_t capacity, uint32_t bs,
                uint64_t seed);
void t_blk_free(struct t_blk *f);
/* Both views hold data (at most capacity bytes of it) from offset 0. */
void t_blk_load(struct t_blk *f, const void *data, uint64_t len);
/* Power loss: unflushed blocks survive, vanish or tear. Revives. */
void t_blk_powercut(struct t_blk *f);
/* Process kill: everything written survives. Revives. */
void t_blk_kill(struct t_blk *f);

#endif
