/*
 * lib/kv's bytes on the device, as FORMAT.md describes them: the format's
 * constants, the field offsets of a superblock slot, a record header and a
 * checkpoint part, the decoded forms of a slot and a header, and the
 * little-endian helpers that read and write them. Nothing here knows the
 * store (store.h); every file of lib/kv may include it.
 */
#ifndef KV_FORMAT_H
#define KV_FORMAT_H

#include <stdint.h>

/* ---- constants --------------------------------------------------------- */

#define KV_SLOT_MAGIC "ATOLLKV1"
#define KV_VERSION 1
#define KV_REC_MAGIC 0x52564b41u /* "AKVR" */
#define KV_HDR 48                /* record header bytes */
#define KV_SLOT_BYTES 92         /* used bytes of a superblock slot */
#define KV_CKPT_PART_HDR 32      /* header of a CKPT record's data */
#define KV_CKPT_PART_MAX (64u << 10) /* data bytes of one CKPT record */
#define KV_CKPT_ENT_FIXED 13         /* pos, vlen, klen */
#define KV_MAX_BLOCK (64u << 10)     /* largest format block size */
#define KV_VALUE_LIMIT (16u << 20)   /* largest max_value */

/* ---- superblock slot (one block; FORMAT.md "Superblock slots") --------- */

enum {
    SB_MAGIC = 0,      /* 8: KV_SLOT_MAGIC */
    SB_VERSION = 8,    /* 4 */
    SB_BS = 12,        /* 4: block size */
    SB_DATA_START = 16, /* 8 */
    SB_DATA_SIZE = 24, /* 8 */
    SB_STORE_ID = 32,  /* 4 */
    SB_MAX_VALUE = 36, /* 4 */
    SB_SEQ = 40,       /* 8: slot sequence number */
    SB_CKPT_POS = 48,  /* 8 */
    SB_CKPT_END = 56,  /* 8 */
    SB_CKPT_CHAIN = 64, /* 4; 4 zero bytes follow */
    SB_TAIL = 72,      /* 8 */
    SB_COMMIT_SEQ = 80, /* 8 */
    SB_CRC = 88,       /* 4: CRC of bytes [0, SB_CRC) */
};

_Static_assert(SB_CRC + 4 == KV_SLOT_BYTES, "slot layout");

/* A decoded superblock slot. */
struct slot {
    uint32_t bs, store_id, max_value, ckpt_chain;
    uint64_t data_start, data_size, seq, ckpt_pos, ckpt_end, tail;
    uint64_t commit_seq;
};

/* ---- records (FORMAT.md "Records") ------------------------------------- */

enum {
    RH_MAGIC = 0,  /* 4: KV_REC_MAGIC */
    RH_STORE = 4,  /* 4: store id */
    RH_TYPE = 8,   /* 1 */
    RH_FLAGS = 9,  /* 1 */
    RH_KLEN = 10,  /* 1 */
    RH_ZERO1 = 11, /* 1: zero */
    RH_VLEN = 12,  /* 4 */
    RH_POS = 16,   /* 8: the record's own log position */
    RH_TAIL = 24,  /* 8 */
    RH_DCRC = 32,  /* 4: CRC of key and data */
    RH_PREV = 36,  /* 4: hcrc of the record before */
    RH_ZERO2 = 40, /* 4: zero */
    RH_HCRC = 44,  /* 4: CRC of bytes [0, RH_HCRC) */
};

_Static_assert(RH_HCRC + 4 == KV_HDR, "record header layout");

enum {
    REC_PUT = 1,
    REC_DEL = 2,
    REC_COMMIT = 3,
    REC_ABORT = 4,
    REC_CKPT = 5,
    REC_PAD = 6,
};

enum {
    F_COPY = 1,
    F_START = 2,
};

/* A decoded record header. */
struct rec {
    uint8_t type, flags, klen;
    uint32_t store, vlen, dcrc, prev, hcrc;
    uint64_t pos, tail;
};

/* Bytes a record takes in the log: header, key, data, padding to 8. */
static inline uint64_t rec_size(uint64_t klen, uint64_t vlen)
{
    return (KV_HDR + klen + vlen + 7) & ~(uint64_t)7;
}

/* ---- checkpoints (FORMAT.md "Checkpoints") ----------------------------- */

/* The header of a CKPT record's data; entries follow at KV_CKPT_PART_HDR. */
enum {
    CP_PART = 0,        /* 4: part number, from 0 */
    CP_COUNT = 4,       /* 4: entries in this part */
    CP_TOTAL = 8,       /* 8: keys in the whole checkpoint */
    CP_COMMIT_SEQ = 16, /* 8 */
    CP_LAST = 24,       /* 1: 1 on the last part; 7 zero bytes follow */
};

_Static_assert(CP_LAST + 8 == KV_CKPT_PART_HDR, "checkpoint part header");

/* One entry: the key's PUT position, its value length, the key. */
enum {
    CE_POS = 0,  /* 8 */
    CE_VLEN = 8, /* 4 */
    CE_KLEN = 12, /* 1; the key follows at KV_CKPT_ENT_FIXED */
};

_Static_assert(CE_KLEN + 1 == KV_CKPT_ENT_FIXED, "checkpoint entry");

/* Bytes of a checkpoint entry for a key of klen bytes. */
static inline uint64_t ckpt_entry_size(uint64_t klen)
{
    return KV_CKPT_ENT_FIXED + klen;
}

/* ---- little-endian helpers --------------------------------------------- */


static inline void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

#endif
