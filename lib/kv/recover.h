/*
 * lib/kv's recovery (recover.c): the log read back at open, resync past
 * damage, the findings of check.
 */
#ifndef KV_RECOVER_H
#define KV_RECOVER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Bytes probed past a bad record at open (FORMAT.md, recovery step 4). */
#define KV_PROBE_OPEN (4u << 20)

int kv_recover(struct atoll_kv *kv, char *why, size_t whylen);
/*
 * After an invalid record at from: the next position below limit where a
 * valid record header sits (0 if none) and how many live keys point into
 * the gap.
 */
int kv_resync(struct atoll_kv *kv, uint64_t from, uint64_t limit,
              uint64_t *next, uint64_t *live);
/* A finding for check (and the count of damage/warnings). */
void kv_note(struct atoll_kv *kv, enum atoll_kv_note_level level,
             const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
