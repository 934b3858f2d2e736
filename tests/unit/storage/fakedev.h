/*
 * A block device in memory that can lose power. Writes land in a
 * volatile view; flush makes them durable. fakedev_powercut() keeps each
 * block written since the last flush whole, drops it, or tears it (a
 * prefix of new bytes over the old ones), at random; fakedev_kill() is a
 * process kill (the host page cache keeps every write). The device can
 * also be told to die after a number of operations: every later
 * operation fails with EIO, as if the power went while the store was
 * busy.
 */
#ifndef FAKEDEV_H
#define FAKEDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "atoll/blockdev.h"

struct fakedev {
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

void fakedev_init(struct fakedev *f, uint64_t capacity, uint32_t bs,
                  uint64_t seed);
void fakedev_free(struct fakedev *f);
/* Power loss: unflushed blocks survive, vanish or tear. Revives. */
void fakedev_powercut(struct fakedev *f);
/* Process kill: everything written survives. Revives. */
void fakedev_kill(struct fakedev *f);
uint64_t fakedev_rand(struct fakedev *f);

#endif
