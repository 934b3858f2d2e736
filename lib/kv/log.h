/*
 * lib/kv's log I/O (log.c): records read, checked and appended, the
 * superblock slots, the buffers.
 */
#ifndef KV_LOG_H
#define KV_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Stop the store after a device error; returns err. */
int kv_fail(struct atoll_kv *kv, int err);
/* Read len bytes at log position pos (any alignment). */
int log_read(struct atoll_kv *kv, uint64_t pos, void *dst, size_t len);
/* Decode the header in h (no validation beyond decoding). */
void rec_decode(const uint8_t *h, struct rec *r);
/* Check the header bytes h of a record that should be at pos. */
bool rec_header_ok(const struct atoll_kv *kv, const uint8_t *h,
                   uint64_t pos, struct rec *r, const char **why);
/*
 * Read and check the header at pos: magic, store id, hcrc, position,
 * type, flags and lengths. why gets a reason when it returns false.
 */
bool rec_read_header(struct atoll_kv *kv, uint64_t pos, struct rec *r,
                     const char **why);
/* Check the record's dcrc by reading its key and data; the first
 * firstcap bytes of them land in first (may be NULL). */
int rec_check_data(struct atoll_kv *kv, const struct rec *r, uint8_t *first,
                   size_t firstcap, bool *ok);
/* Append one record; returns its position in *pos. The caller made room. */
int log_append(struct atoll_kv *kv, uint8_t type, uint8_t flags,
               const void *key, size_t klen, const void *data, size_t dlen,
               uint32_t dcrc, uint64_t *pos);
/* Pad to a block boundary, write everything, flush. */
int log_sync(struct atoll_kv *kv);
/* Bytes that may be appended before overwriting the durable tail. */
uint64_t log_avail(const struct atoll_kv *kv);

/* Decode the slot in the device block at off (no geometry checks). */
int slot_read(struct atoll_blockdev *dev, uint64_t off, struct slot *s,
              const char **why);
int slot_write(struct atoll_blockdev *dev, uint32_t bs, int which,
               const struct slot *s);

/* Set up buffers for a store whose geometry is filled in. */
int kv_alloc_buffers(struct atoll_kv *kv);
int kv_scratch(struct atoll_kv *kv, size_t len);

#endif
