/*
 * lib/kv's store object, struct atoll_kv: the state every part of the
 * store shares (kv.c's operations, log.c's I/O, recover.c's recovery),
 * its block arithmetic and its freeing (store.c). The bytes on the device
 * are format.h's (FORMAT.md).
 */
#ifndef KV_STORE_H
#define KV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/kv.h"
#include "format.h"
#include "index.h"

struct atoll_kv {
    struct atoll_blockdev *dev;
    unsigned flags;
    int failed; /* 0, or the error that stopped the store */

    /* Geometry, from the superblock. */
    uint32_t bs, store_id, max_value;
    uint64_t data_start, data_size;
    uint64_t max_rec; /* largest record: a largest key and value */

    /* The current superblock slot and its checkpoint. */
    int sb_cur;
    uint64_t sb_seq;
    uint64_t ckpt_pos, ckpt_end;
    uint32_t ckpt_chain;
    /* The older slot's checkpoint: recovery falls back to it, so the
     * cleaner never moves the tail past it. */
    uint64_t ckpt_floor;
    struct slot cur_slot; /* what the current slot holds */
    struct slot other;    /* the older slot, when valid */
    bool other_ok;

    /* The log. */
    uint64_t head;         /* where the next record goes */
    uint64_t tail;         /* the cleaner's position */
    uint64_t tail_written; /* tail field of the last record appended */
    uint64_t tail_durable; /* tail in a record known to be durable */
    uint64_t flushed_head; /* head at the last flush */
    uint32_t chain;        /* hcrc of the last record appended */
    bool next_start;       /* the next record follows a flush */

    /* Write buffer: the bytes [wpos, head), wpos block aligned. */
    uint8_t *wbuf;
    size_t wcap;
    uint64_t wpos;

    /* A one-block read cache, and scratch for one whole record. */
    uint8_t *rblk;
    uint64_t rblk_pos; /* log position of the cached block, or ~0 */
    uint8_t *scratch;
    size_t scratch_cap;

    /* The index: committed keys, and the open transaction's changes. */
    struct kv_table live, pend;
    uint64_t live_bytes; /* sum of rec_size over live keys */
    uint64_t ckpt_est;   /* sum of checkpoint entry sizes over live keys */
    bool txn;            /* the transaction has records in the log */
    bool open_txn;       /* the recovered log ends inside a transaction */
    uint64_t txn_start;  /* position of its first record */
    uint64_t commit_seq;

    /* Statistics and what open found. */
    struct atoll_kv_stats st;

    /* Findings, for check (NULL otherwise). */
    atoll_kv_note_fn note;
    void *note_arg;
    uint64_t damage, warnings;
    uint64_t scan_end; /* first invalid record after the head */
};

/* ---- block arithmetic ------------------------------------------------- */

static inline uint64_t kv_floor(const struct atoll_kv *kv, uint64_t x)
{
    return x - x % kv->bs;
}

static inline uint64_t kv_ceil(const struct atoll_kv *kv, uint64_t x)
{
    return kv_floor(kv, x + kv->bs - 1);
}

/* Free the store's tables, buffers and itself (no rollback, no I/O). */
void kv_free(struct atoll_kv *kv);

#endif
