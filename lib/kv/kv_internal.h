/*
 * lib/kv internals shared by its source files: the store's state and the
 * functions of index.c, log.c and recover.c. The bytes on the device are
 * format.h's (FORMAT.md).
 */
#ifndef KV_INTERNAL_H
#define KV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/kv.h"
#include "format.h"

/* Bytes probed past a bad record at open (FORMAT.md, recovery step 4). */
#define KV_PROBE_OPEN (4u << 20)

/* ---- CRC-32C and randomness --------------------------------------------- */

/* Continue a CRC-32C: start with crc = 0, feed the pieces in order. */
uint32_t kv_crc32c(uint32_t crc, const void *buf, size_t len);

/* 128 random bits for hash keys and store ids. */
void kv_random(uint64_t out[2]);

/* ---- index ------------------------------------------------------------ */

struct kv_ent {
    uint64_t pos;  /* position of the key's PUT (or DEL) record */
    uint32_t vlen;
    uint32_t hash; /* low bits of the key's hash */
    uint8_t klen;
    bool del;      /* in a transaction's table: the key is deleted */
    uint8_t key[];
};

/* Open addressing with linear probing and backward-shift deletion. */
struct kv_table {
    struct kv_ent **slot;
    size_t mask; /* capacity - 1, capacity a power of two */
    size_t count;
    uint64_t key[2];
};

int tab_init(struct kv_table *t, const uint64_t key[2]);
void tab_free(struct kv_table *t);
/* Drop every entry, keep the table. */
void tab_clear(struct kv_table *t);
struct kv_ent *tab_get(const struct kv_table *t, const void *key,
                       size_t klen);
/* Insert or update key; ATOLL_ERR_NOMEM on failure. */
int tab_set(struct kv_table *t, const void *key, size_t klen, uint64_t pos,
            uint32_t vlen, bool del);
/* Remove key if present. */
void tab_del(struct kv_table *t, const void *key, size_t klen);

/* ---- the store -------------------------------------------------------- */

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

/* ---- log I/O (log.c) --------------------------------------------------- */

static inline uint64_t kv_floor(const struct atoll_kv *kv, uint64_t x)
{
    return x - x % kv->bs;
}

static inline uint64_t kv_ceil(const struct atoll_kv *kv, uint64_t x)
{
    return kv_floor(kv, x + kv->bs - 1);
}

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

/* ---- the store object (store.c) ---------------------------------------- */

/* Free the store's tables, buffers and itself (no rollback, no I/O). */
void kv_free(struct atoll_kv *kv);

/* ---- recovery (recover.c) --------------------------------------------- */

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
