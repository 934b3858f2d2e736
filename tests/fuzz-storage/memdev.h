/* A writable block device over a byte buffer, for the storage fuzzers and
 * their seed generator. Flush does nothing: memory is "durable". */
#ifndef FUZZ_MEMDEV_H
#define FUZZ_MEMDEV_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/blockdev.h"

/* d over buf[0, capacity); capacity a multiple of bs. */
void memdev_init(struct atoll_blockdev *d, uint8_t *buf, uint64_t capacity,
                 uint32_t bs, int read_only);

#endif
