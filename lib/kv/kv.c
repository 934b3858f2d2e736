/*
 * lib/kv: the store's operations — format, open, get, put, del, commit,
 * rollback, list, and the cleaner and checkpoints that keep the log
 * bounded. See include/atoll/kv.h for the contract and FORMAT.md for the
 * bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "log.h"
#include "random.h"
#include "recover.h"
#include "store.h"

/* ---- space accounting ------------------------------------------------- */

#define COMMIT_SIZE (KV_HDR + 8)

static int kv_checkpoint_write(struct atoll_kv *kv);

/* Bytes a checkpoint of est entry bytes takes in the log. */
static uint64_t ckpt_log_size(const struct atoll_kv *kv, uint64_t est)
{
    uint64_t parts = est / (KV_CKPT_PART_MAX - 2 * ATOLL_KV_KEY_MAX) + 1;
    return est + parts * (KV_HDR + KV_CKPT_PART_HDR + 8) + 2 * kv->bs;
}

static uint64_t ckpt_interval(const struct atoll_kv *kv)
{
    uint64_t i = kv->data_size / 16;
    if (i > (16u << 20))
        i = 16u << 20;
    if (i < 2 * ckpt_log_size(kv, kv->ckpt_est))
        i = 2 * ckpt_log_size(kv, kv->ckpt_est);
    return i;
}

/* Room every append leaves behind: a COMMIT and two sync points. */
static uint64_t slack(const struct atoll_kv *kv)
{
    return COMMIT_SIZE + 2 * (2 * (uint64_t)kv->bs + KV_HDR);
}

/* What the cleaner must always be able to get: room to copy one largest
 * record while keeping the slack. */
static uint64_t clean_reserve(const struct atoll_kv *kv)
{
    return kv->max_rec + 2 * slack(kv);
}

/*
 * Would the store still fit if a record of size bytes for a new key of
 * klen (0: not a new key) joined the open transaction? Counts the live
 * data, the transaction, the two checkpoints recovery may need, the log
 * written between checkpoints, and the cleaning reserve.
 */
static bool admits(const struct atoll_kv *kv, uint64_t size, uint64_t klen)
{
    uint64_t pend = kv->txn ? kv->head - kv->txn_start : 0;
    uint64_t est = kv->ckpt_est + (klen ? ckpt_entry_size(klen) : 0);
    uint64_t need = kv->live_bytes + pend + size + 3 * ckpt_log_size(kv, est) +
                    2 * ckpt_interval(kv) + clean_reserve(kv);
    return need <= kv->data_size;
}

/* ---- the cleaner ------------------------------------------------------ */

/* How far the tail may go: not past a checkpoint recovery may use, nor
 * into the open transaction. */
static uint64_t clean_limit(const struct atoll_kv *kv)
{
    uint64_t lim = kv->ckpt_floor;
    if (kv->txn && kv->txn_start < lim)
        lim = kv->txn_start;
    if (kv->head < lim)
        lim = kv->head;
    return lim;
}

/* Space that would be free once the cleaner's progress is durable. */
static uint64_t potential(const struct atoll_kv *kv)
{
    uint64_t limit = kv_floor(kv, kv->tail) + kv->data_size;
    return limit > kv->head ? limit - kv->head : 0;
}

/* Copy the live record r (a PUT of entry e) to the head. */
static int copy_forward(struct atoll_kv *kv, const struct rec *r,
                        struct kv_ent *e)
{
    size_t len = (size_t)r->klen + r->vlen;
    uint64_t pos;
    int err;

    if ((err = kv_scratch(kv, len)) != 0)
        return err;
    if ((err = log_read(kv, r->pos + KV_HDR, kv->scratch, len)) != 0)
        return err;
    /* Never launder a damaged value into a fresh, valid record. */
    if (kv_crc32c(0, kv->scratch, len) != r->dcrc)
        return ATOLL_ERR_CORRUPT;
    err = log_append(kv, REC_PUT, F_COPY, kv->scratch, r->klen,
                     kv->scratch + r->klen, r->vlen, r->dcrc, &pos);
    if (err != 0)
        return err;
    e->pos = pos;
    kv->st.copied_bytes += rec_size(r->klen, r->vlen);
    return 0;
}

/*
 * Advance the tail until at least want bytes could be appended (or budget
 * bytes were copied), copying live records to the head. Progress becomes
 * usable space only after a sync, done here when the durable room is
 * short of need. ENOSPC when need cannot be met.
 */
static int clean(struct atoll_kv *kv, uint64_t need, uint64_t want,
                 uint64_t budget)
{
    uint64_t copied = 0;
    int err;

    while (potential(kv) < want && (budget == 0 || copied < budget)) {
        struct rec r;
        const char *why;
        struct kv_ent *e = NULL;

        if (kv->tail >= clean_limit(kv))
            break;
        if (!rec_read_header(kv, kv->tail, &r, &why)) {
            uint64_t next, live;
            /* Damaged records holding nothing live are stepped over;
             * live values there are lost, which the store reports. */
            if (kv->failed)
                return kv->failed;
            if ((err = kv_resync(kv, kv->tail, clean_limit(kv) + 1, &next,
                                 &live)) != 0)
                return err;
            if (next == 0 || live != 0)
                return ATOLL_ERR_CORRUPT;
            kv->st.cleaned_bytes += next - kv->tail;
            kv->tail = next;
            continue;
        }
        uint64_t size = rec_size(r.klen, r.vlen);
        if (r.type == REC_PUT) {
            uint8_t key[ATOLL_KV_KEY_MAX];
            if ((err = log_read(kv, r.pos + KV_HDR, key, r.klen)) != 0)
                return err;
            e = tab_get(&kv->live, key, r.klen);
            if (e != NULL && e->pos != r.pos)
                e = NULL;
        }
        if (e != NULL) {
            if (log_avail(kv) < size + slack(kv)) {
                if (kv->tail == kv->tail_durable)
                    break;
                if ((err = log_sync(kv)) != 0)
                    return err;
                continue;
            }
            if ((err = copy_forward(kv, &r, e)) != 0)
                return err;
            copied += size;
        }
        kv->tail += size;
        kv->st.cleaned_bytes += size;
    }
    if (log_avail(kv) < need && kv->tail != kv->tail_durable &&
        (err = log_sync(kv)) != 0)
        return err;
    return log_avail(kv) >= need ? 0 : ATOLL_ERR_NOSPC;
}

/* Make room to append n bytes (and still commit). */
static int reserve(struct atoll_kv *kv, uint64_t n)
{
    uint64_t need = n + slack(kv), want;
    int err;

    if (log_avail(kv) >= need + clean_reserve(kv))
        return 0;
    /* Clean a good stretch at once: each round ends with a flush. */
    want = need + clean_reserve(kv) + kv->data_size / 16;
    err = clean(kv, need, want, 0);
    if (err == ATOLL_ERR_NOSPC && !kv->txn && kv->tail >= kv->ckpt_floor &&
        kv->ckpt_floor < kv->head) {
        /* Blocked by the checkpoints: write a newer one and retry. */
        if ((err = kv_checkpoint_write(kv)) != 0)
            return err;
        if ((err = kv_checkpoint_write(kv)) != 0)
            return err;
        err = clean(kv, need, want, 0);
    }
    return err;
}

/* ---- checkpoints ------------------------------------------------------ */

static int ckpt_flush_part(struct atoll_kv *kv, uint8_t *part, size_t len,
                           uint32_t no, uint32_t n, bool last)
{
    put32(part + CP_PART, no);
    put32(part + CP_COUNT, n);
    put64(part + CP_TOTAL, kv->live.count);
    put64(part + CP_COMMIT_SEQ, kv->commit_seq);
    memset(part + CP_LAST, 0, KV_CKPT_PART_HDR - CP_LAST);
    part[24] = last ? 1 : 0;
    return log_append(kv, REC_CKPT, 0, NULL, 0, part, len,
                      kv_crc32c(0, part, len), NULL);
}

/* Write a checkpoint of the committed index and publish it in the older
 * superblock slot. Only between transactions. */
static int kv_checkpoint_write(struct atoll_kv *kv)
{
    size_t cap = KV_CKPT_PART_HDR + KV_CKPT_PART_MAX, len;
    uint64_t start;
    uint32_t no = 0, n = 0;
    uint8_t *part;
    struct slot s;
    int err;

    if (kv->txn)
        return ATOLL_ERR_INVAL;
    if ((err = log_sync(kv)) != 0)
        return err;
    uint64_t size = ckpt_log_size(kv, kv->ckpt_est);
    if (log_avail(kv) < size + slack(kv)) {
        err = clean(kv, size + slack(kv), size + slack(kv), 0);
        if (err != 0)
            return err;
        if ((err = log_sync(kv)) != 0)
            return err;
    }
    part = malloc(cap);
    if (part == NULL)
        return ATOLL_ERR_NOMEM;
    start = kv->head;
    len = KV_CKPT_PART_HDR;
    for (size_t i = 0; i <= kv->live.mask; i++) {
        const struct kv_ent *e = kv->live.slot[i];
        if (e == NULL)
            continue;
        if (len + ckpt_entry_size(e->klen) > cap) {
            if ((err = ckpt_flush_part(kv, part, len, no++, n, false)) != 0)
                goto out;
            len = KV_CKPT_PART_HDR;
            n = 0;
        }
        put64(part + len + CE_POS, e->pos);
        put32(part + len + CE_VLEN, e->vlen);
        part[len + CE_KLEN] = e->klen;
        memcpy(part + len + KV_CKPT_ENT_FIXED, e->key, e->klen);
        len += ckpt_entry_size(e->klen);
        n++;
    }
    if ((err = ckpt_flush_part(kv, part, len, no, n, true)) != 0)
        goto out;
    if ((err = log_sync(kv)) != 0)
        goto out;
    memset(&s, 0, sizeof s);
    s.bs = kv->bs;
    s.data_start = kv->data_start;
    s.data_size = kv->data_size;
    s.store_id = kv->store_id;
    s.max_value = kv->max_value;
    s.seq = kv->sb_seq + 1;
    s.ckpt_pos = start;
    s.ckpt_end = kv->head;
    s.ckpt_chain = kv->chain;
    s.tail = kv->tail_durable;
    s.commit_seq = kv->commit_seq;
    err = slot_write(kv->dev, kv->bs, kv->sb_cur ^ 1, &s);
    if (err == 0) {
        int r = atoll_blockdev_flush(kv->dev);
        if (r == ATOLL_ERR_NOTSUP && (kv->flags & ATOLL_KV_NOFLUSH_OK))
            r = 0;
        if (r != 0)
            err = ATOLL_ERR_IO;
        else
            kv->st.flushes++;
    }
    if (err != 0) {
        kv_fail(kv, err);
        goto out;
    }
    /* The previous checkpoint becomes the one recovery falls back to. */
    kv->other = kv->cur_slot;
    kv->cur_slot = s;
    kv->ckpt_floor = kv->ckpt_pos;
    kv->other_ok = true;
    kv->sb_cur ^= 1;
    kv->sb_seq = s.seq;
    kv->ckpt_pos = s.ckpt_pos;
    kv->ckpt_end = s.ckpt_end;
    kv->ckpt_chain = s.ckpt_chain;
    kv->st.checkpoints++;
out:
    free(part);
    return err;
}

/* ---- format, open, close ---------------------------------------------- */

int atoll_kv_format(struct atoll_blockdev *dev,
                    const struct atoll_kv_format_opts *opts)
{
    struct atoll_kv *kv;
    uint32_t bs = opts && opts->block_size ? opts->block_size
                                           : dev->block_size;
    uint64_t ds, dsz, rnd[2];
    struct slot s;
    int err;

    if (bs < 512 || bs > KV_MAX_BLOCK || (bs & (bs - 1)) != 0 ||
        bs % dev->block_size != 0 || dev->read_only)
        return ATOLL_ERR_INVAL;
    ds = 2 * (uint64_t)bs > 4096 ? 2 * (uint64_t)bs : 4096;
    ds = (ds + bs - 1) / bs * bs;
    if (dev->capacity < ds + 64 * (uint64_t)bs)
        return ATOLL_ERR_INVAL;
    dsz = (dev->capacity - ds) / bs * bs;
    uint64_t mv = opts && opts->max_value ? opts->max_value : 0;
    if (mv == 0) {
        /* The largest that fits the limit below, at most 1 MiB. */
        mv = dsz / 8 - ATOLL_KV_KEY_MAX - KV_HDR - 8;
        mv -= mv % 8;
        if (mv > ATOLL_KV_VALUE_MAX)
            mv = ATOLL_KV_VALUE_MAX;
    }
    if (mv == 0 || mv > KV_VALUE_LIMIT ||
        rec_size(ATOLL_KV_KEY_MAX, mv) > dsz / 8)
        return ATOLL_ERR_INVAL;

    kv = calloc(1, sizeof *kv);
    if (kv == NULL)
        return ATOLL_ERR_NOMEM;
    kv->dev = dev;
    kv->bs = bs;
    kv->data_start = ds;
    kv->data_size = dsz;
    kv->max_value = (uint32_t)mv;
    kv->max_rec = rec_size(ATOLL_KV_KEY_MAX, mv);
    kv_random(rnd);
    kv->store_id = (uint32_t)(rnd[0] ^ (rnd[0] >> 32)) | 1;
    kv->next_start = true;
    kv->flags = ATOLL_KV_NOFLUSH_OK; /* format is not a commit */
    if ((err = kv_alloc_buffers(kv)) != 0 ||
        (err = tab_init(&kv->live, rnd)) != 0 ||
        (err = tab_init(&kv->pend, rnd)) != 0)
        goto out;
    kv->wpos = 0;
    /* The first checkpoint (empty) at position 0, named by both slots. */
    uint8_t part[KV_CKPT_PART_HDR];
    kv->commit_seq = 0;
    if ((err = ckpt_flush_part(kv, part, sizeof part, 0, 0, true)) != 0 ||
        (err = log_sync(kv)) != 0)
        goto out;
    memset(&s, 0, sizeof s);
    s.bs = bs;
    s.data_start = ds;
    s.data_size = dsz;
    s.store_id = kv->store_id;
    s.max_value = kv->max_value;
    s.ckpt_pos = 0;
    s.ckpt_end = kv->head;
    s.ckpt_chain = kv->chain;
    s.seq = 0;
    if ((err = slot_write(dev, bs, 1, &s)) != 0)
        goto out;
    s.seq = 1;
    if ((err = slot_write(dev, bs, 0, &s)) != 0)
        goto out;
    int r = atoll_blockdev_flush(dev);
    if (r != 0 && r != ATOLL_ERR_NOTSUP)
        err = ATOLL_ERR_IO;
out:
    atoll_kv_close(kv);
    return err;
}

int atoll_kv_open(struct atoll_blockdev *dev, unsigned flags,
                  struct atoll_kv **out, char *why, size_t whylen)
{
    struct atoll_kv *kv;
    uint64_t seed[2];
    char buf[200];
    int err;

    *out = NULL;
    if (why == NULL) {
        why = buf;
        whylen = sizeof buf;
    }
    why[0] = '\0';
    if ((flags & ATOLL_KV_SALVAGE) && !(flags & ATOLL_KV_RDONLY)) {
        snprintf(why, whylen, "salvage is for read-only opens");
        return ATOLL_ERR_INVAL;
    }
    if (!(flags & ATOLL_KV_RDONLY) && dev->read_only) {
        snprintf(why, whylen, "the device is read-only");
        return ATOLL_ERR_ROFS;
    }
    if (!(flags & (ATOLL_KV_RDONLY | ATOLL_KV_NOFLUSH_OK)) &&
        !dev->can_flush) {
        snprintf(why, whylen, "the device cannot flush (open with "
                 "ATOLL_KV_NOFLUSH_OK to accept commits without "
                 "durability)");
        return ATOLL_ERR_NOTSUP;
    }
    kv = calloc(1, sizeof *kv);
    if (kv == NULL)
        return ATOLL_ERR_NOMEM;
    kv->dev = dev;
    kv->flags = flags;
    kv_random(seed);
    if ((err = tab_init(&kv->live, seed)) != 0 ||
        (err = tab_init(&kv->pend, seed)) != 0)
        goto fail;
    if ((err = kv_recover(kv, why, whylen)) != 0)
        goto fail;
    if (!(flags & ATOLL_KV_RDONLY)) {
        /* Whatever recovery accepted must be durable before anything
         * new carries the START flag (FORMAT.md, recovery step 4). */
        int r = atoll_blockdev_flush(dev);
        if (r != 0 && r != ATOLL_ERR_NOTSUP) {
            err = ATOLL_ERR_IO;
            snprintf(why, whylen, "flush failed");
            goto fail;
        }
        kv->next_start = true;
        /* A transaction cut short by the crash still has records in the
         * log: end it, or the next COMMIT would apply them too. */
        if (kv->open_txn &&
            ((err = log_append(kv, REC_ABORT, 0, NULL, 0, NULL, 0,
                               kv_crc32c(0, NULL, 0), NULL)) != 0 ||
             (err = log_sync(kv)) != 0)) {
            snprintf(why, whylen, "cannot end the interrupted transaction: "
                     "%s", atoll_strerror(err));
            goto fail;
        }
        kv->open_txn = false;
        /* Replace an unusable checkpoint right away, twice, so neither
         * slot leads recovery through it again. */
        if (kv->st.ckpt_fallback &&
            (err = kv_checkpoint_write(kv)) == 0)
            err = kv_checkpoint_write(kv);
        if (kv->st.ckpt_fallback && err != 0 &&
            err != ATOLL_ERR_NOSPC) {
            snprintf(why, whylen, "cannot rewrite the checkpoint: %s",
                     atoll_strerror(err));
            goto fail;
        }
    }
    *out = kv;
    return 0;
fail:
    if (why[0] == '\0')
        snprintf(why, whylen, "%s", atoll_strerror(err));
    atoll_kv_close(kv);
    return err;
}

void atoll_kv_close(struct atoll_kv *kv)
{
    if (kv == NULL)
        return;
    if (kv->txn && !kv->failed && !(kv->flags & ATOLL_KV_RDONLY))
        atoll_kv_rollback(kv);
    kv_free(kv);
}

/* ---- reading ---------------------------------------------------------- */

/* The entry key currently has (pending changes first), or NULL. */
static const struct kv_ent *lookup(struct atoll_kv *kv, const void *key,
                                   size_t klen)
{
    const struct kv_ent *e = tab_get(&kv->pend, key, klen);
    if (e != NULL)
        return e->del ? NULL : e;
    return tab_get(&kv->live, key, klen);
}

static bool key_ok(const void *key, size_t klen)
{
    return key != NULL && klen >= 1 && klen <= ATOLL_KV_KEY_MAX;
}

int atoll_kv_get(struct atoll_kv *kv, const void *key, size_t klen,
                 void *buf, size_t cap, size_t *vlen)
{
    uint8_t hk[KV_HDR + ATOLL_KV_KEY_MAX];
    const struct kv_ent *e;
    struct rec r;
    int err;

    if (kv->failed)
        return kv->failed;
    if (!key_ok(key, klen) || (buf == NULL && cap > 0))
        return ATOLL_ERR_INVAL;
    if ((e = lookup(kv, key, klen)) == NULL)
        return ATOLL_ERR_NOENT;
    if (vlen != NULL)
        *vlen = e->vlen;
    if (cap < e->vlen)
        return ATOLL_ERR_RANGE;
    if ((err = log_read(kv, e->pos, hk, KV_HDR + klen)) != 0)
        return err;
    rec_decode(hk, &r);
    if (get32(hk + RH_MAGIC) != KV_REC_MAGIC ||
        kv_crc32c(0, hk, RH_HCRC) != r.hcrc ||
        r.pos != e->pos || r.type != REC_PUT || r.klen != klen ||
        r.vlen != e->vlen || memcmp(hk + KV_HDR, key, klen) != 0)
        return ATOLL_ERR_CORRUPT;
    if ((err = log_read(kv, e->pos + KV_HDR + klen, buf, e->vlen)) != 0)
        return err;
    if (kv_crc32c(kv_crc32c(0, key, klen), buf, e->vlen) != r.dcrc)
        return ATOLL_ERR_CORRUPT;
    return 0;
}

struct match {
    const uint8_t *key;
    uint8_t klen;
    uint32_t vlen;
};

static int match_cmp(const void *a, const void *b)
{
    const struct match *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    if (c != 0)
        return c;
    return (int)x->klen - (int)y->klen;
}

int atoll_kv_list(struct atoll_kv *kv, const void *prefix, size_t plen,
                  atoll_kv_list_fn fn, void *arg)
{
    size_t cap = kv->live.count + kv->pend.count, n = 0;
    struct match *m;
    int ret = 0;

    if (kv->failed)
        return kv->failed;
    if (fn == NULL || (prefix == NULL && plen > 0))
        return ATOLL_ERR_INVAL;
    m = malloc((cap ? cap : 1) * sizeof *m);
    if (m == NULL)
        return ATOLL_ERR_NOMEM;
    for (int t = 0; t < 2; t++) {
        const struct kv_table *tab = t == 0 ? &kv->live : &kv->pend;
        for (size_t i = 0; i <= tab->mask; i++) {
            const struct kv_ent *e = tab->slot[i];
            if (e == NULL || e->del || e->klen < plen ||
                memcmp(e->key, prefix, plen) != 0)
                continue;
            if (t == 0 && tab_get(&kv->pend, e->key, e->klen) != NULL)
                continue; /* the transaction's version counts */
            m[n].key = e->key;
            m[n].klen = e->klen;
            m[n].vlen = e->vlen;
            n++;
        }
    }
    qsort(m, n, sizeof *m, match_cmp);
    for (size_t i = 0; i < n && ret == 0; i++)
        ret = fn(arg, m[i].key, m[i].klen, m[i].vlen);
    free(m);
    return ret;
}

/* ---- changing --------------------------------------------------------- */

static int writable(struct atoll_kv *kv)
{
    if (kv->failed)
        return kv->failed;
    if (kv->flags & ATOLL_KV_RDONLY)
        return ATOLL_ERR_ROFS;
    return 0;
}

/* Account for a record of the transaction just appended at pos. */
static void txn_note(struct atoll_kv *kv, uint64_t pos)
{
    if (!kv->txn) {
        kv->txn = true;
        kv->txn_start = pos;
    }
}

int atoll_kv_put(struct atoll_kv *kv, const void *key, size_t klen,
                 const void *val, size_t vlen)
{
    uint64_t size, pos;
    uint32_t dcrc;
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    if (!key_ok(key, klen) || vlen > kv->max_value ||
        (val == NULL && vlen > 0))
        return ATOLL_ERR_INVAL;
    size = rec_size(klen, vlen);
    if (!admits(kv, size, tab_get(&kv->live, key, klen) ? 0 : klen))
        return ATOLL_ERR_NOSPC;
    if ((err = reserve(kv, size)) != 0)
        return err;
    /* A pending entry is about to change; make sure it can. */
    if (tab_get(&kv->pend, key, klen) == NULL &&
        (err = tab_set(&kv->pend, key, klen, 0, 0, true)) != 0)
        return err;
    dcrc = kv_crc32c(kv_crc32c(0, key, klen), val, vlen);
    if ((err = log_append(kv, REC_PUT, 0, key, klen, val, vlen, dcrc,
                          &pos)) != 0)
        return err;
    txn_note(kv, pos);
    return tab_set(&kv->pend, key, klen, pos, (uint32_t)vlen, false);
}

int atoll_kv_del(struct atoll_kv *kv, const void *key, size_t klen)
{
    uint64_t pos;
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    if (!key_ok(key, klen))
        return ATOLL_ERR_INVAL;
    if (lookup(kv, key, klen) == NULL)
        return ATOLL_ERR_NOENT;
    if ((err = reserve(kv, rec_size(klen, 0))) != 0)
        return err;
    if (tab_get(&kv->pend, key, klen) == NULL &&
        (err = tab_set(&kv->pend, key, klen, 0, 0, true)) != 0)
        return err;
    if ((err = log_append(kv, REC_DEL, 0, key, klen, NULL, 0,
                          kv_crc32c(0, key, klen), &pos)) != 0)
        return err;
    txn_note(kv, pos);
    return tab_set(&kv->pend, key, klen, pos, 0, true);
}

int atoll_kv_commit(struct atoll_kv *kv)
{
    uint8_t seq[8];
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    if (!kv->txn) {
        tab_clear(&kv->pend);
        return 0;
    }
    put64(seq, kv->commit_seq + 1);
    if ((err = log_append(kv, REC_COMMIT, 0, NULL, 0, seq, 8,
                          kv_crc32c(0, seq, 8), NULL)) != 0 ||
        (err = log_sync(kv)) != 0)
        return kv_fail(kv, err);
    /* Durable: apply the transaction to the committed index. */
    for (size_t i = 0; i <= kv->pend.mask; i++) {
        const struct kv_ent *e = kv->pend.slot[i];
        if (e == NULL)
            continue;
        const struct kv_ent *old = tab_get(&kv->live, e->key, e->klen);
        if (old != NULL) {
            kv->live_bytes -= rec_size(old->klen, old->vlen);
            kv->ckpt_est -= ckpt_entry_size(old->klen);
        }
        if (!e->del) {
            kv->live_bytes += rec_size(e->klen, e->vlen);
            kv->ckpt_est += ckpt_entry_size(e->klen);
        }
        if (e->del) {
            tab_del(&kv->live, e->key, e->klen);
        } else if (tab_set(&kv->live, e->key, e->klen, e->pos, e->vlen,
                           false) != 0) {
            /* The index can no longer follow the log: reopen. */
            return kv_fail(kv, ATOLL_ERR_NOMEM);
        }
    }
    tab_clear(&kv->pend);
    kv->txn = false;
    kv->commit_seq++;
    if (kv->head - kv->ckpt_end >= ckpt_interval(kv)) {
        err = kv_checkpoint_write(kv);
        /* The commit itself is durable; a failed device shows next time. */
        (void)err;
    }
    return 0;
}

int atoll_kv_rollback(struct atoll_kv *kv)
{
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    if (kv->txn) {
        /* Recovery must not apply these records with a later COMMIT.
         * Room for it was kept by every put (slack). */
        err = log_append(kv, REC_ABORT, 0, NULL, 0, NULL, 0,
                         kv_crc32c(0, NULL, 0), NULL);
        if (err != 0)
            return kv_fail(kv, err);
    }
    tab_clear(&kv->pend);
    kv->txn = false;
    return 0;
}

/* ---- maintenance ------------------------------------------------------ */

int atoll_kv_compact(struct atoll_kv *kv, uint64_t budget)
{
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    if (kv->txn)
        return ATOLL_ERR_INVAL;
    err = clean(kv, 0, kv->data_size, budget);
    if (err == 0 && kv->tail != kv->tail_durable)
        err = log_sync(kv);
    return err == ATOLL_ERR_NOSPC ? 0 : err;
}

int atoll_kv_checkpoint(struct atoll_kv *kv)
{
    int err;

    if ((err = writable(kv)) != 0)
        return err;
    return kv_checkpoint_write(kv);
}

