/*
 * lib/kv: a crash-safe key-value store on a block device.
 *
 * Keys are 1..255 bytes, values 0..max_value bytes (1 MiB unless the
 * device is small; see atoll_kv_format). The store is a log: every change
 * is appended as a checksummed record, an in-memory hash index maps each
 * key to its latest record, checkpoints of the index bound the work done
 * at open, and a cleaner copies live records away from the oldest part of
 * the log so its space can be written again. lib/kv/FORMAT.md describes
 * the bytes on the device.
 *
 * Changes form a transaction: every put and del since the last commit or
 * rollback. Gets and lists see them at once. atoll_kv_commit applies them
 * all or none and is the durability point: once it returns OK the changes
 * survive the program being killed or the machine losing power (given a
 * device whose flush keeps its promise). Closing without a commit, or a
 * crash, discards the open transaction.
 *
 * One caller at a time: no locking. Functions return 0 or a negative
 * code of atoll/err.h: ATOLL_ERR_NOENT (no such key), INVAL (key length,
 * value too big), NOSPC (no room on the device; nothing was changed),
 * RANGE (the caller's buffer is too small), IO (the device failed),
 * CORRUPT (a checksum or structure check failed), NOMEM, FORMAT (the
 * device holds no store, or one of another format), ROFS (the store was
 * opened read-only), NOTSUP (the device cannot flush; see the open flags).
 * After ATOLL_ERR_IO the store refuses everything but close; open it again
 * to recover.
 */
#ifndef ATOLL_KV_H
#define ATOLL_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/blockdev.h"
#include "atoll/err.h"

#define ATOLL_KV_KEY_MAX 255
#define ATOLL_KV_VALUE_MAX (1u << 20) /* default largest value */

struct atoll_kv;

/* A one-line description of an ATOLL_KV_E* code. */
const char *atoll_strerror(int err);

/* ---- format ------------------------------------------------------------ */

struct atoll_kv_format_opts {
    /* Largest value the store accepts; 0: 1 MiB, or less on a device
     * under about 8 MiB. A record with a largest key and value may take
     * at most an eighth of the log area, and values at most 16 MiB. */
    uint32_t max_value;
    /* Block size of the format: the unit of every write. 0: the device's.
     * A power of two, a multiple of the device's block size, at most
     * 64 KiB. */
    uint32_t block_size;
};

/*
 * Write an empty store over the whole device (only its first blocks and one
 * checkpoint are written; old contents cannot be mistaken for records). opts
 * may be NULL. ATOLL_ERR_INVAL if the device is too small for the options (at
 * least 64 blocks plus eight values are needed).
 */
int atoll_kv_format(struct atoll_blockdev *dev,
                    const struct atoll_kv_format_opts *opts);

/* ---- open and close ---------------------------------------------------- */

enum {
    /* Never write: for inspection. Puts and commits fail with
     * ATOLL_ERR_ROFS. */
    ATOLL_KV_RDONLY = 1 << 0,
    /* Open even if the device cannot flush; commits then only promise
     * atomicity, not durability. Without it, open fails with
     * ATOLL_ERR_NOTSUP. */
    ATOLL_KV_NOFLUSH_OK = 1 << 1,
    /* With RDONLY: when the log is damaged in the middle (not just cut
     * short by a crash), skip the damaged part instead of failing. */
    ATOLL_KV_SALVAGE = 1 << 2,
};

/*
 * Recover the store on dev: read the newest valid checkpoint and replay the
 * log after it. A log cut short by a crash is normal; damage to records that
 * were durable fails with ATOLL_ERR_CORRUPT, and ATOLL_ERR_FORMAT means no
 * store was found. On failure, when why is not NULL, a one-line reason is
 * written into why (whylen bytes). The store keeps using dev until close.
 */
int atoll_kv_open(struct atoll_blockdev *dev, unsigned flags,
                  struct atoll_kv **out, char *why, size_t whylen);

/* Roll back an open transaction and free the store (the device stays
 * open). NULL is allowed. */
void atoll_kv_close(struct atoll_kv *kv);

/* ---- reading ----------------------------------------------------------- */

/*
 * Copy the value of key into buf (cap bytes) and set *vlen to its length.
 * ATOLL_ERR_NOENT if absent; ATOLL_ERR_RANGE (with *vlen set) if cap is too
 * small; ATOLL_ERR_CORRUPT if the record fails its checksum. buf may be NULL
 * when cap is 0.
 */
int atoll_kv_get(struct atoll_kv *kv, const void *key, size_t klen,
                 void *buf, size_t cap, size_t *vlen);

/*
 * Call fn(arg, key, klen, vlen) for every key starting with the plen
 * bytes of prefix, in byte order (a shorter key first). Stops early when
 * fn returns non-zero and returns that value. fn must not change the
 * store.
 */
typedef int (*atoll_kv_list_fn)(void *arg, const void *key, size_t klen,
                                size_t vlen);
int atoll_kv_list(struct atoll_kv *kv, const void *prefix, size_t plen,
                  atoll_kv_list_fn fn, void *arg);

/* ---- changing ---------------------------------------------------------- */

/* Set key to the vlen bytes at val within the open transaction. */
int atoll_kv_put(struct atoll_kv *kv, const void *key, size_t klen,
                 const void *val, size_t vlen);

/* Remove key within the open transaction; ATOLL_ERR_NOENT if it is absent. */
int atoll_kv_del(struct atoll_kv *kv, const void *key, size_t klen);

/*
 * Apply the open transaction atomically and make it durable; 0 with
 * nothing to do. ATOLL_ERR_IO means the outcome is unknown until the store is
 * opened again (it holds either all of the transaction or none of it).
 */
int atoll_kv_commit(struct atoll_kv *kv);

/* Discard the open transaction. */
int atoll_kv_rollback(struct atoll_kv *kv);

/* ---- maintenance ------------------------------------------------------- */

/*
 * Reclaim space now, copying at most budget bytes of live records (0: as
 * much as possible) — for idle moments; puts also clean on their own when
 * they need room. Only outside a transaction (ATOLL_ERR_INVAL otherwise).
 */
int atoll_kv_compact(struct atoll_kv *kv, uint64_t budget);

/* Write a checkpoint of the index now (commits do when one is due).
 * Only outside a transaction. */
int atoll_kv_checkpoint(struct atoll_kv *kv);

struct atoll_kv_stats {
    uint64_t keys;          /* committed keys */
    uint64_t live_bytes;    /* bytes their records take in the log */
    uint64_t log_bytes;     /* bytes between the log's tail and head */
    uint64_t data_size;     /* bytes of the log area */
    uint64_t max_value;
    uint32_t block_size;
    uint32_t store_id;
    uint64_t commits;       /* commit sequence number */
    uint64_t head, tail;    /* log positions (bytes since format) */
    uint64_t ckpt_pos, ckpt_bytes; /* the checkpoint open started from */
    uint64_t checkpoints;   /* written since open */
    uint64_t cleaned_bytes; /* log bytes reclaimed since open */
    uint64_t copied_bytes;  /* of which live records copied forward */
    uint64_t flushes;       /* device flushes since open */
    /* What open did. */
    uint64_t replayed_bytes;   /* log bytes read after the checkpoint */
    uint64_t discarded_bytes;  /* unfinished records cut at the head */
    bool ckpt_fallback;        /* the newest checkpoint was unusable */
    bool full_scan;            /* none was (salvage): rebuilt from the log */
};

void atoll_kv_stats(struct atoll_kv *kv, struct atoll_kv_stats *st);

/* ---- checking ---------------------------------------------------------- */

enum atoll_kv_note_level {
    ATOLL_KV_NOTE_INFO,   /* what was found */
    ATOLL_KV_NOTE_WARN,   /* tolerated by design (a torn superblock slot) */
    ATOLL_KV_NOTE_DAMAGE, /* committed data is wrong or at risk */
};

struct atoll_kv_check_report {
    uint64_t records;       /* records read between tail and head */
    uint64_t bytes;         /* bytes read and verified */
    uint64_t keys;
    uint64_t damage;        /* number of DAMAGE notes */
    uint64_t warnings;
    struct atoll_kv_stats stats;
};

/*
 * Verify a store without writing: both superblock slots, the checkpoint, every
 * record from the log's tail to its head (checksums, positions, chaining),
 * that an index rebuilt from the whole log equals the one recovered from the
 * checkpoint, and that nothing valid lies past the head. Each finding goes to
 * note (may be NULL). Returns 0 when no damage was found, ATOLL_ERR_CORRUPT
 * when some was, ATOLL_ERR_FORMAT / ATOLL_ERR_IO when the device could not be
 * checked at all.
 */
typedef void (*atoll_kv_note_fn)(void *arg, enum atoll_kv_note_level level,
                                 const char *msg);
int atoll_kv_check(struct atoll_blockdev *dev,
                   struct atoll_kv_check_report *report,
                   atoll_kv_note_fn note, void *arg);

#endif
