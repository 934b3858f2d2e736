/*
 * The log on the device: mapping log positions to the ring, reading at any
 * alignment, appending records through a write buffer that only ever
 * writes whole blocks, sync points, and the superblock slots.
 */
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "log.h"

int kv_fail(struct atoll_kv *kv, int err)
{
    if (kv->failed == 0)
        kv->failed = err;
    return err;
}

/* A failed device call as the store reports it: a flush the device cannot
 * do stays NOTSUP, anything else (even INVAL or ROFS) is the store's IO. */
static int dev_err(int r)
{
    return r == ATOLL_ERR_NOTSUP ? r : ATOLL_ERR_IO;
}

/*
 * Read or write whole blocks of the log at a block-aligned position,
 * splitting where the ring wraps.
 */
static int ring_io(struct atoll_kv *kv, bool write, uint64_t pos, void *buf,
                   size_t len)
{
    uint8_t *p = buf;

    while (len > 0) {
        uint64_t off = pos % kv->data_size;
        size_t n = len;
        int r;

        if (n > kv->data_size - off)
            n = (size_t)(kv->data_size - off);
        if (write)
            r = atoll_blockdev_write(kv->dev, kv->data_start + off, p, n);
        else
            r = atoll_blockdev_read(kv->dev, kv->data_start + off, p, n);
        if (r != 0)
            return kv_fail(kv, dev_err(r));
        p += n;
        pos += n;
        len -= n;
    }
    return 0;
}

/* The block at pos (aligned) through the one-block cache. */
static int read_block(struct atoll_kv *kv, uint64_t pos, const uint8_t **blk)
{
    if (kv->rblk_pos != pos) {
        kv->rblk_pos = ~(uint64_t)0;
        int r = ring_io(kv, false, pos, kv->rblk, kv->bs);
        if (r != 0)
            return r;
        kv->rblk_pos = pos;
    }
    *blk = kv->rblk;
    return 0;
}

int log_read(struct atoll_kv *kv, uint64_t pos, void *dst, size_t len)
{
    uint8_t *d = dst;

    /* Nothing exists past the head (a damaged length may point there). */
    if (kv->wpos != ~(uint64_t)0 && (pos > kv->head || len > kv->head - pos))
        return ATOLL_ERR_CORRUPT;
    /* The part still in the write buffer. */
    if (pos + len > kv->wpos) {
        uint64_t from = pos > kv->wpos ? pos : kv->wpos;
        memcpy(d + (from - pos), kv->wbuf + (from - kv->wpos),
               (size_t)(pos + len - from));
        len = (size_t)(from - pos);
    }
    while (len > 0) {
        uint64_t off = pos % kv->bs;
        if (off != 0 || len < kv->bs) {
            const uint8_t *blk;
            size_t n = kv->bs - off;
            int r = read_block(kv, pos - off, &blk);
            if (r != 0)
                return r;
            if (n > len)
                n = len;
            memcpy(d, blk + off, n);
            d += n;
            pos += n;
            len -= n;
        } else {
            size_t n = (size_t)kv_floor(kv, len);
            int r = ring_io(kv, false, pos, d, n);
            if (r != 0)
                return r;
            d += n;
            pos += n;
            len -= n;
        }
    }
    return 0;
}

void rec_decode(const uint8_t *h, struct rec *r)
{
    r->store = get32(h + RH_STORE);
    r->type = h[RH_TYPE];
    r->flags = h[RH_FLAGS];
    r->klen = h[RH_KLEN];
    r->vlen = get32(h + RH_VLEN);
    r->pos = get64(h + RH_POS);
    r->tail = get64(h + RH_TAIL);
    r->dcrc = get32(h + RH_DCRC);
    r->prev = get32(h + RH_PREV);
    r->hcrc = get32(h + RH_HCRC);
}

bool rec_header_ok(const struct atoll_kv *kv, const uint8_t *h,
                   uint64_t pos, struct rec *r, const char **why)
{
    bool ok;

    rec_decode(h, r);
    if (get32(h + RH_MAGIC) != KV_REC_MAGIC) {
        *why = "no record magic";
        return false;
    }
    if (r->store != kv->store_id) {
        *why = "record of another store";
        return false;
    }
    if (kv_crc32c(0, h, RH_HCRC) != r->hcrc) {
        *why = "header checksum mismatch";
        return false;
    }
    if (r->pos != pos) {
        *why = "record from an earlier pass over the ring";
        return false;
    }
    if (h[RH_ZERO1] != 0 || get32(h + RH_ZERO2) != 0) {
        *why = "non-zero reserved field";
        return false;
    }
    if ((r->flags & ~(F_COPY | F_START)) != 0 ||
        ((r->flags & F_COPY) && r->type != REC_PUT)) {
        *why = "unknown flags";
        return false;
    }
    if (r->tail > pos) {
        *why = "tail beyond the record";
        return false;
    }
    switch (r->type) {
    case REC_PUT:
        ok = r->klen > 0 && r->vlen <= kv->max_value;
        break;
    case REC_DEL:
        ok = r->klen > 0 && r->vlen == 0;
        break;
    case REC_COMMIT:
        ok = r->klen == 0 && r->vlen == 8;
        break;
    case REC_ABORT:
        ok = r->klen == 0 && r->vlen == 0;
        break;
    case REC_CKPT:
        ok = r->klen == 0 && r->vlen >= KV_CKPT_PART_HDR &&
             r->vlen <= KV_CKPT_PART_HDR + KV_CKPT_PART_MAX;
        break;
    case REC_PAD:
        ok = r->klen == 0 && r->vlen % 8 == 0 && r->vlen < 2 * kv->bs &&
             r->dcrc == 0;
        break;
    default:
        *why = "unknown record type";
        return false;
    }
    if (!ok) {
        *why = "bad lengths for the record type";
        return false;
    }
    return true;
}

bool rec_read_header(struct atoll_kv *kv, uint64_t pos, struct rec *r,
                     const char **why)
{
    uint8_t h[KV_HDR];

    if (log_read(kv, pos, h, KV_HDR) != 0) {
        *why = "read error";
        return false;
    }
    return rec_header_ok(kv, h, pos, r, why);
}

int rec_check_data(struct atoll_kv *kv, const struct rec *r, uint8_t *first,
                   size_t firstcap, bool *ok)
{
    uint64_t pos = r->pos + KV_HDR, left = (uint64_t)r->klen + r->vlen;
    uint32_t crc = 0;
    uint8_t buf[512];
    int e;

    *ok = true;
    if (r->type == REC_PAD)
        return 0;
    if (first != NULL && firstcap > 0) {
        size_t n = left < firstcap ? (size_t)left : firstcap;
        if ((e = log_read(kv, pos, first, n)) != 0)
            return e;
        crc = kv_crc32c(crc, first, n);
        pos += n;
        left -= n;
    }
    while (left > 0) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        uint8_t *p = buf;
        /* Long runs go through scratch, in as few reads as it allows. */
        if (left > sizeof buf && kv->scratch_cap > sizeof buf) {
            n = left < kv->scratch_cap ? (size_t)left : kv->scratch_cap;
            p = kv->scratch;
        }
        if ((e = log_read(kv, pos, p, n)) != 0)
            return e;
        crc = kv_crc32c(crc, p, n);
        pos += n;
        left -= n;
    }
    *ok = crc == r->dcrc;
    return 0;
}

uint64_t log_avail(const struct atoll_kv *kv)
{
    uint64_t limit = kv_floor(kv, kv->tail_durable) + kv->data_size;
    return limit > kv->head ? limit - kv->head : 0;
}

/* Write the whole blocks of the write buffer (all of it when the head is
 * block aligned). */
static int wbuf_drain(struct atoll_kv *kv)
{
    uint64_t end = kv_floor(kv, kv->head);
    size_t n = (size_t)(end - kv->wpos), rest;
    int r;

    if (n == 0)
        return 0;
    /* The last line of defence against overwriting live records. */
    if (end > kv_floor(kv, kv->tail_durable) + kv->data_size)
        return kv_fail(kv, ATOLL_ERR_IO);
    /* The cache may hold an earlier pass's copy of a block written now. */
    if (kv->rblk_pos != ~(uint64_t)0 &&
        (kv->rblk_pos % kv->data_size + kv->data_size -
         kv->wpos % kv->data_size) % kv->data_size < n)
        kv->rblk_pos = ~(uint64_t)0;
    r = ring_io(kv, true, kv->wpos, kv->wbuf, n);
    if (r != 0)
        return r;
    rest = (size_t)(kv->head - end);
    memmove(kv->wbuf, kv->wbuf + n, rest);
    kv->wpos = end;
    return 0;
}

static int wbuf_put(struct atoll_kv *kv, const void *src, size_t len)
{
    const uint8_t *s = src;

    while (len > 0) {
        size_t used = (size_t)(kv->head - kv->wpos), room = kv->wcap - used;
        if (room == 0) {
            int r = wbuf_drain(kv);
            if (r != 0)
                return r;
            continue;
        }
        if (room > len)
            room = len;
        if (s != NULL)
            memcpy(kv->wbuf + used, s, room);
        else
            memset(kv->wbuf + used, 0, room);
        kv->head += room;
        len -= room;
        if (s != NULL)
            s += room;
    }
    return 0;
}

int log_append(struct atoll_kv *kv, uint8_t type, uint8_t flags,
               const void *key, size_t klen, const void *data, size_t dlen,
               uint32_t dcrc, uint64_t *pos)
{
    uint8_t h[KV_HDR];
    uint64_t at = kv->head;
    size_t pad = (size_t)(rec_size(klen, dlen) - KV_HDR - klen - dlen);
    int r;

    if (kv->failed)
        return kv->failed;
    if (kv->next_start)
        flags |= F_START;
    memset(h, 0, sizeof h);
    put32(h + RH_MAGIC, KV_REC_MAGIC);
    put32(h + RH_STORE, kv->store_id);
    h[RH_TYPE] = type;
    h[RH_FLAGS] = flags;
    h[RH_KLEN] = (uint8_t)klen;
    put32(h + RH_VLEN, (uint32_t)dlen);
    put64(h + RH_POS, at);
    put64(h + RH_TAIL, kv->tail);
    put32(h + RH_DCRC, dcrc);
    put32(h + RH_PREV, kv->chain);
    uint32_t hcrc = kv_crc32c(0, h, RH_HCRC);
    put32(h + RH_HCRC, hcrc);
    if ((r = wbuf_put(kv, h, KV_HDR)) != 0 ||
        (r = wbuf_put(kv, key, klen)) != 0 ||
        (r = wbuf_put(kv, data, dlen)) != 0 ||
        (r = wbuf_put(kv, NULL, pad)) != 0)
        return r;
    kv->chain = hcrc;
    kv->tail_written = kv->tail;
    kv->next_start = false;
    if (pos != NULL)
        *pos = at;
    return 0;
}

int log_sync(struct atoll_kv *kv)
{
    int r;

    if (kv->failed)
        return kv->failed;
    if (kv->head % kv->bs != 0 || kv->tail_written != kv->tail) {
        uint64_t n = kv_ceil(kv, kv->head) - kv->head;
        if (n < KV_HDR)
            n += kv->bs;
        r = log_append(kv, REC_PAD, 0, NULL, 0, NULL, (size_t)n - KV_HDR, 0,
                       NULL);
        if (r != 0)
            return r;
    }
    if (kv->head == kv->flushed_head)
        return 0;
    if ((r = wbuf_drain(kv)) != 0)
        return r;
    r = atoll_blockdev_flush(kv->dev);
    if (r == ATOLL_ERR_NOTSUP && (kv->flags & ATOLL_KV_NOFLUSH_OK))
        r = 0;
    if (r != 0)
        return kv_fail(kv, dev_err(r));
    kv->st.flushes++;
    kv->flushed_head = kv->head;
    kv->tail_durable = kv->tail_written;
    kv->next_start = true;
    return 0;
}

/* ---- superblock slots ------------------------------------------------- */

int slot_read(struct atoll_blockdev *dev, uint64_t off, struct slot *s,
              const char **why)
{
    uint8_t *b = malloc(dev->block_size);
    int r;

    if (b == NULL)
        return ATOLL_ERR_NOMEM;
    r = atoll_blockdev_read(dev, off, b, dev->block_size);
    if (r != 0) {
        free(b);
        *why = "cannot read the superblock";
        return r == ATOLL_ERR_INVAL ? ATOLL_ERR_FORMAT : ATOLL_ERR_IO;
    }
    r = 0;
    if (memcmp(b + SB_MAGIC, KV_SLOT_MAGIC, 8) != 0) {
        *why = "no superblock magic";
        r = ATOLL_ERR_FORMAT;
    } else if (get32(b + SB_VERSION) != KV_VERSION) {
        *why = "unknown format version";
        r = ATOLL_ERR_FORMAT;
    } else if (kv_crc32c(0, b, SB_CRC) != get32(b + SB_CRC)) {
        *why = "superblock checksum mismatch";
        r = ATOLL_ERR_CORRUPT;
    } else {
        s->bs = get32(b + SB_BS);
        s->data_start = get64(b + SB_DATA_START);
        s->data_size = get64(b + SB_DATA_SIZE);
        s->store_id = get32(b + SB_STORE_ID);
        s->max_value = get32(b + SB_MAX_VALUE);
        s->seq = get64(b + SB_SEQ);
        s->ckpt_pos = get64(b + SB_CKPT_POS);
        s->ckpt_end = get64(b + SB_CKPT_END);
        s->ckpt_chain = get32(b + SB_CKPT_CHAIN);
        s->tail = get64(b + SB_TAIL);
        s->commit_seq = get64(b + SB_COMMIT_SEQ);
    }
    free(b);
    return r;
}

int slot_write(struct atoll_blockdev *dev, uint32_t bs, int which,
               const struct slot *s)
{
    uint8_t *b = calloc(1, bs);
    int r;

    if (b == NULL)
        return ATOLL_ERR_NOMEM;
    memcpy(b + SB_MAGIC, KV_SLOT_MAGIC, 8);
    put32(b + SB_VERSION, KV_VERSION);
    put32(b + SB_BS, s->bs);
    put64(b + SB_DATA_START, s->data_start);
    put64(b + SB_DATA_SIZE, s->data_size);
    put32(b + SB_STORE_ID, s->store_id);
    put32(b + SB_MAX_VALUE, s->max_value);
    put64(b + SB_SEQ, s->seq);
    put64(b + SB_CKPT_POS, s->ckpt_pos);
    put64(b + SB_CKPT_END, s->ckpt_end);
    put32(b + SB_CKPT_CHAIN, s->ckpt_chain);
    put64(b + SB_TAIL, s->tail);
    put64(b + SB_COMMIT_SEQ, s->commit_seq);
    put32(b + SB_CRC, kv_crc32c(0, b, SB_CRC));
    r = atoll_blockdev_write(dev, (uint64_t)which * bs, b, bs);
    free(b);
    return r == 0 ? 0 : dev_err(r);
}

int kv_scratch(struct atoll_kv *kv, size_t len)
{
    if (kv->scratch_cap >= len)
        return 0;
    uint8_t *p = realloc(kv->scratch, len);
    if (p == NULL)
        return ATOLL_ERR_NOMEM;
    kv->scratch = p;
    kv->scratch_cap = len;
    return 0;
}

int kv_alloc_buffers(struct atoll_kv *kv)
{
    kv->wcap = 256u << 10;
    if (kv->wcap < 4 * (size_t)kv->bs)
        kv->wcap = 4 * (size_t)kv->bs;
    kv->wbuf = malloc(kv->wcap);
    kv->rblk = malloc(kv->bs);
    kv->rblk_pos = ~(uint64_t)0;
    if (kv->wbuf == NULL || kv->rblk == NULL)
        return ATOLL_ERR_NOMEM;
    return kv_scratch(kv, 64u << 10);
}
