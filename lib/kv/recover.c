/*
 * Opening a store: find the current superblock slot, load its checkpoint,
 * replay the log after it unit by unit, and tell a log cut short by a
 * crash from a damaged one (FORMAT.md, "Recovery"). atoll_kv_check uses
 * the same pieces and then verifies everything else.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "log.h"
#include "random.h"
#include "recover.h"

void kv_note(struct atoll_kv *kv, enum atoll_kv_note_level level,
             const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (level == ATOLL_KV_NOTE_DAMAGE)
        kv->damage++;
    else if (level == ATOLL_KV_NOTE_WARN)
        kv->warnings++;
    if (kv->note == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kv->note(kv->note_arg, level, msg);
}

/* ---- operations staged during a scan ---------------------------------- */

struct op {
    uint8_t type, flags, klen;
    uint32_t vlen;
    uint64_t pos, seq;
    size_t koff; /* key bytes in the vector's arena */
};

struct opvec {
    struct op *v;
    size_t n, cap;
    uint8_t *keys;
    size_t kn, kcap;
};

static int opvec_push(struct opvec *o, const struct op *op,
                      const uint8_t *key)
{
    if (o->n == o->cap) {
        size_t ncap = o->cap ? 2 * o->cap : 64;
        struct op *nv = realloc(o->v, ncap * sizeof *nv);
        if (nv == NULL)
            return ATOLL_ERR_NOMEM;
        o->v = nv;
        o->cap = ncap;
    }
    if (o->kn + op->klen > o->kcap) {
        size_t ncap = o->kcap ? 2 * o->kcap : 4096;
        while (ncap < o->kn + op->klen)
            ncap *= 2;
        uint8_t *nk = realloc(o->keys, ncap);
        if (nk == NULL)
            return ATOLL_ERR_NOMEM;
        o->keys = nk;
        o->kcap = ncap;
    }
    o->v[o->n] = *op;
    o->v[o->n].koff = o->kn;
    if (op->klen > 0) { /* COMMIT and ABORT have no key (keys may be NULL) */
        memcpy(o->keys + o->kn, key, op->klen);
        o->kn += op->klen;
    }
    o->n++;
    return 0;
}

static void opvec_clear(struct opvec *o)
{
    o->n = 0;
    o->kn = 0;
}

static void opvec_free(struct opvec *o)
{
    free(o->v);
    free(o->keys);
    memset(o, 0, sizeof *o);
}

/* ---- scanning --------------------------------------------------------- */

struct scan {
    uint64_t pos;   /* next record */
    uint32_t chain; /* hcrc the next record must name as prev */
    bool any;       /* the next record's prev is not known */
    uint64_t stop;  /* do not read records at or past this position */
    uint64_t tail;  /* tail field of the last record read */
    /* The end of the last whole unit, and the state there. */
    uint64_t unit_pos, unit_tail;
    uint32_t unit_chain;
    uint64_t commit_seq;
    bool effects; /* apply to kv->live; else only verify */
    /* A checkpoint to step over unread (an unusable newer one). */
    uint64_t skip_pos, skip_end;
    uint32_t skip_chain;
    struct opvec staged, pending;
    uint64_t records, bytes;
    const char *why; /* why the scan stopped, NULL at stop */
};

static void scan_init(struct scan *s, uint64_t pos, uint32_t chain, bool any,
                      uint64_t tail, bool effects)
{
    memset(s, 0, sizeof *s);
    s->pos = s->unit_pos = pos;
    s->chain = s->unit_chain = chain;
    s->any = any;
    s->tail = s->unit_tail = tail;
    s->stop = ~(uint64_t)0;
    s->effects = effects;
}

static void scan_free(struct scan *s)
{
    opvec_free(&s->staged);
    opvec_free(&s->pending);
}

/* A unit ended: apply what it staged. */
static int unit_end(struct atoll_kv *kv, struct scan *s)
{
    int r = 0;

    for (size_t i = 0; i < s->staged.n && r == 0; i++) {
        const struct op *op = &s->staged.v[i];
        const uint8_t *key = op->klen ? s->staged.keys + op->koff : NULL;
        switch (op->type) {
        case REC_PUT:
            if (op->flags & F_COPY)
                r = tab_set(&kv->live, key, op->klen, op->pos, op->vlen,
                            false);
            else
                r = opvec_push(&s->pending, op, key);
            break;
        case REC_DEL:
            r = opvec_push(&s->pending, op, key);
            break;
        case REC_COMMIT:
            for (size_t j = 0; j < s->pending.n && r == 0; j++) {
                const struct op *p = &s->pending.v[j];
                const uint8_t *pk = s->pending.keys + p->koff; /* klen>0 */
                if (p->type == REC_PUT)
                    r = tab_set(&kv->live, pk, p->klen, p->pos, p->vlen,
                                false);
                else
                    tab_del(&kv->live, pk, p->klen);
            }
            opvec_clear(&s->pending);
            s->commit_seq = op->seq;
            break;
        case REC_ABORT:
            opvec_clear(&s->pending);
            break;
        }
    }
    opvec_clear(&s->staged);
    s->unit_pos = s->pos;
    s->unit_chain = s->chain;
    s->unit_tail = s->tail;
    return r;
}

/*
 * Read valid records from s->pos on until one is not (s->why says why)
 * or s->stop is reached (s->why NULL). Errors are device failures and
 * memory exhaustion only.
 */
static int scan_run(struct atoll_kv *kv, struct scan *s)
{
    uint8_t first[ATOLL_KV_KEY_MAX + 8];

    s->why = NULL;
    while (s->pos < s->stop) {
        struct rec r;
        const char *why;
        bool ok;
        int e;

        if (s->skip_end != 0 && s->pos == s->skip_pos) {
            /* Checkpoints change nothing in a replay. */
            s->pos = s->skip_end;
            s->chain = s->skip_chain;
            s->any = false;
            if ((e = unit_end(kv, s)) != 0)
                return e;
            continue;
        }
        if (!rec_read_header(kv, s->pos, &r, &why)) {
            if (kv->failed)
                return kv->failed;
            s->why = why;
            break;
        }
        uint64_t size = rec_size(r.klen, r.vlen);
        if (!s->any && r.prev != s->chain) {
            s->why = "chain broken: not the record that followed";
            break;
        }
        if (!s->any && r.tail < s->tail) {
            s->why = "tail moved backwards";
            break;
        }
        if (s->pos + size > r.tail + kv->data_size) {
            s->why = "record would overlap the tail";
            break;
        }
        e = rec_check_data(kv, &r, first, sizeof first, &ok);
        if (e != 0)
            return e;
        if (!ok) {
            s->why = "data checksum mismatch";
            break;
        }
        if (r.type == REC_PUT || r.type == REC_DEL || r.type == REC_COMMIT ||
            r.type == REC_ABORT) {
            struct op op = {
                .type = r.type,
                .flags = r.flags,
                .klen = r.klen,
                .vlen = r.vlen,
                .pos = s->pos,
                .seq = r.type == REC_COMMIT ? get64(first) : 0,
            };
            if (s->effects &&
                (e = opvec_push(&s->staged, &op, first)) != 0)
                return e;
        }
        s->pos += size;
        s->chain = r.hcrc;
        s->any = false;
        s->tail = r.tail;
        s->records++;
        s->bytes += size;
        if (s->pos % kv->bs == 0 && (e = unit_end(kv, s)) != 0)
            return e;
    }
    return 0;
}

/*
 * After an invalid record at x: is there a record with the START flag at
 * its own position at a block boundary past x (within window bytes, and
 * within one pass of the ring from tail)? Its position goes to *found.
 */
static int probe(struct atoll_kv *kv, uint64_t x, uint64_t tail,
                 uint64_t window, bool *hit, uint64_t *found)
{
    uint64_t b = kv_ceil(kv, x + 1), end = x + window;
    size_t chunk = kv->scratch_cap - kv->scratch_cap % kv->bs;

    *hit = false;
    if (end > tail + kv->data_size)
        end = tail + kv->data_size;
    while (b < end) {
        size_t n = chunk;
        if (n > end - b)
            n = (size_t)kv_ceil(kv, end - b);
        int e = log_read(kv, b, kv->scratch, n);
        if (e != 0)
            return e;
        for (size_t off = 0; off < n && b + off < end; off += kv->bs) {
            struct rec r;
            const char *why;
            if (rec_header_ok(kv, kv->scratch + off, b + off, &r, &why) &&
                (r.flags & F_START)) {
                *hit = true;
                *found = b + off;
                return 0;
            }
        }
        b += n;
    }
    return 0;
}

/*
 * Run a replay scan to the end of the log, probing after each invalid
 * record; damage fails the open unless salvaging (or checking), which
 * skips to the intact sync point.
 */
static int replay(struct atoll_kv *kv, struct scan *s, char *why,
                  size_t whylen)
{
    bool salvage = (kv->flags & ATOLL_KV_SALVAGE) || kv->note != NULL;
    uint64_t window = kv->note != NULL ? kv->data_size : KV_PROBE_OPEN;

    for (;;) {
        int e = scan_run(kv, s);
        if (e != 0)
            return e;
        uint64_t x = s->pos, at;
        bool hit;
        if ((e = probe(kv, x, s->tail, window, &hit, &at)) != 0)
            return e;
        if (!hit) {
            kv->scan_end = x;
            return 0;
        }
        if (!salvage) {
            snprintf(why, whylen, "log damaged at position %llu (%s), "
                     "but records written after it are intact at %llu",
                     (unsigned long long)x, s->why,
                     (unsigned long long)at);
            return ATOLL_ERR_CORRUPT;
        }
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "log damaged at position %llu "
                "(%s); skipped %llu bytes to the intact records at %llu; "
                "the transaction around it is lost",
                (unsigned long long)x, s->why,
                (unsigned long long)(at - x), (unsigned long long)at);
        opvec_clear(&s->staged);
        opvec_clear(&s->pending);
        s->pos = s->unit_pos = at;
        s->any = true;
    }
}

/* ---- checkpoints ------------------------------------------------------ */

static int ckpt_load(struct atoll_kv *kv, const struct slot *sl,
                     const char **why)
{
    uint64_t pos = sl->ckpt_pos, total = 0, got = 0;
    uint32_t part = 0, chain = 0;
    bool any = true, last = false;
    int e;

    *why = NULL;
    if (sl->ckpt_pos % kv->bs || sl->ckpt_end % kv->bs ||
        sl->ckpt_end <= sl->ckpt_pos ||
        sl->ckpt_end - sl->ckpt_pos > kv->data_size ||
        sl->tail > sl->ckpt_pos) {
        *why = "superblock names an impossible checkpoint";
        return ATOLL_ERR_CORRUPT;
    }
    if ((e = kv_scratch(kv, KV_CKPT_PART_HDR + KV_CKPT_PART_MAX)) != 0)
        return e;
    while (pos < sl->ckpt_end) {
        struct rec r;
        if (!rec_read_header(kv, pos, &r, why))
            goto bad;
        uint64_t size = rec_size(r.klen, r.vlen);
        if ((!any && r.prev != chain) || pos + size > sl->ckpt_end) {
            *why = "checkpoint records do not chain";
            goto bad;
        }
        if (last) {
            if (r.type != REC_PAD) {
                *why = "record after the last checkpoint part";
                goto bad;
            }
        } else {
            if (r.type != REC_CKPT) {
                *why = "checkpoint part missing";
                goto bad;
            }
            uint8_t *d = kv->scratch;
            if ((e = log_read(kv, pos + KV_HDR, d, r.vlen)) != 0)
                return e;
            if (kv_crc32c(0, d, r.vlen) != r.dcrc) {
                *why = "checkpoint data checksum mismatch";
                goto bad;
            }
            uint32_t n = get32(d + CP_COUNT);
            if (get32(d + CP_PART) != part ||
                (part > 0 && get64(d + CP_TOTAL) != total) ||
                get64(d + CP_COMMIT_SEQ) != sl->commit_seq ||
                d[CP_LAST] > 1) {
                *why = "checkpoint parts disagree";
                goto bad;
            }
            total = get64(d + CP_TOTAL);
            last = d[CP_LAST] == 1;
            size_t off = KV_CKPT_PART_HDR;
            for (uint32_t i = 0; i < n; i++) {
                if (off + KV_CKPT_ENT_FIXED > r.vlen) {
                    *why = "checkpoint entry past its part";
                    goto bad;
                }
                uint64_t epos = get64(d + off + CE_POS);
                uint32_t evlen = get32(d + off + CE_VLEN);
                uint8_t eklen = d[off + CE_KLEN];
                off += KV_CKPT_ENT_FIXED;
                if (eklen == 0 || off + eklen > r.vlen ||
                    evlen > kv->max_value || epos < sl->tail ||
                    epos % 8 != 0 ||
                    epos + rec_size(eklen, evlen) > sl->ckpt_pos) {
                    *why = "impossible checkpoint entry";
                    goto bad;
                }
                if (tab_get(&kv->live, d + off, eklen) != NULL) {
                    *why = "key twice in the checkpoint";
                    goto bad;
                }
                if ((e = tab_set(&kv->live, d + off, eklen, epos, evlen,
                                 false)) != 0)
                    return e;
                off += eklen;
                got++;
            }
            if (off != r.vlen) {
                *why = "checkpoint part has trailing bytes";
                goto bad;
            }
            part++;
        }
        pos += size;
        chain = r.hcrc;
        any = false;
    }
    if (!last || got != total || chain != sl->ckpt_chain) {
        *why = "checkpoint incomplete";
        goto bad;
    }
    return 0;
bad:
    if (kv->failed)
        return kv->failed;
    tab_clear(&kv->live);
    return ATOLL_ERR_CORRUPT;
}

/* ---- superblock ------------------------------------------------------- */

static const char *geometry_bad(const struct atoll_kv *kv,
                                const struct slot *s)
{
    const struct atoll_blockdev *d = kv->dev;
    uint64_t ds = 2 * (uint64_t)s->bs > 4096 ? 2 * (uint64_t)s->bs : 4096;

    if (s->bs < 512 || s->bs > KV_MAX_BLOCK || (s->bs & (s->bs - 1)) ||
        s->bs % d->block_size != 0)
        return "bad block size";
    ds = (ds + s->bs - 1) / s->bs * s->bs;
    if (s->data_start != ds || s->data_size % s->bs != 0 ||
        s->data_size < 64 * (uint64_t)s->bs)
        return "bad log geometry";
    if (s->store_id == 0 || s->max_value == 0 ||
        s->max_value > KV_VALUE_LIMIT ||
        rec_size(ATOLL_KV_KEY_MAX, s->max_value) > s->data_size / 8)
        return "bad store id or value limit";
    return NULL;
}

/* Read both slots; valid ones go to good[] (newest first), *n of them. */
static int read_slots(struct atoll_kv *kv, struct slot good[2], int which[2],
                      int *n, char *why, size_t whylen)
{
    struct slot s[2];
    const char *w[2] = {NULL, NULL};
    int r[2];
    bool corrupt = false;

    *n = 0;
    r[0] = slot_read(kv->dev, 0, &s[0], &w[0]);
    if (r[0] == ATOLL_ERR_IO || r[0] == ATOLL_ERR_NOMEM)
        return r[0];
    if (r[0] == 0) {
        if (s[0].bs >= 512 && s[0].bs <= KV_MAX_BLOCK &&
            s[0].bs % kv->dev->block_size == 0 &&
            s[0].bs < kv->dev->capacity)
            r[1] = slot_read(kv->dev, s[0].bs, &s[1], &w[1]);
        else
            r[1] = ATOLL_ERR_FORMAT, w[1] = "not read";
        if (r[1] == 0 && s[1].bs != s[0].bs)
            r[1] = ATOLL_ERR_CORRUPT, w[1] = "slots disagree on geometry";
    } else {
        /* Slot 0 is unusable: look for slot 1 at each block size. */
        r[1] = ATOLL_ERR_FORMAT;
        w[1] = "not found";
        for (uint64_t bs = kv->dev->block_size; bs <= KV_MAX_BLOCK &&
             bs < kv->dev->capacity; bs *= 2) {
            const char *wh;
            int rr = slot_read(kv->dev, bs, &s[1], &wh);
            if (rr == ATOLL_ERR_IO || rr == ATOLL_ERR_NOMEM)
                return rr;
            if (rr == 0 && s[1].bs == bs) {
                r[1] = rr;
                break;
            }
            if (rr == ATOLL_ERR_CORRUPT)
                r[1] = rr, w[1] = wh;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (r[i] == 0) {
            kv->bs = s[i].bs;
            const char *g = geometry_bad(kv, &s[i]);
            if (g != NULL)
                r[i] = ATOLL_ERR_CORRUPT, w[i] = g;
        }
        if (r[i] == ATOLL_ERR_CORRUPT)
            corrupt = true;
    }
    if (r[0] == 0 || r[1] == 0)
        for (int i = 0; i < 2; i++)
            if (r[i] != 0)
                kv_note(kv, ATOLL_KV_NOTE_WARN, "superblock slot %d "
                        "unusable (%s); the other one is used", i, w[i]);
    if (r[0] == 0 && r[1] == 0 &&
        (s[0].store_id != s[1].store_id ||
         s[0].data_size != s[1].data_size ||
         s[0].max_value != s[1].max_value)) {
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "the superblock slots describe "
                "different stores; using the newer");
        r[s[0].seq > s[1].seq ? 1 : 0] = ATOLL_ERR_CORRUPT;
    }
    for (int i = 0; i < 2; i++)
        if (r[i] == 0) {
            good[*n] = s[i];
            which[*n] = i;
            (*n)++;
        }
    if (*n == 2 && good[1].seq > good[0].seq) {
        struct slot t = good[0];
        good[0] = good[1];
        good[1] = t;
        int tw = which[0];
        which[0] = which[1];
        which[1] = tw;
    }
    if (*n == 0) {
        if (!corrupt) {
            snprintf(why, whylen, "no Atoll kv store on the device (%s)",
                     w[0]);
            return ATOLL_ERR_FORMAT;
        }
        snprintf(why, whylen, "both superblock slots are damaged (%s; %s)",
                 w[0], w[1]);
        return ATOLL_ERR_CORRUPT;
    }
    if (good[0].data_start + good[0].data_size > kv->dev->capacity) {
        snprintf(why, whylen, "the device has %llu bytes but the store was "
                 "formatted for %llu (truncated image?)",
                 (unsigned long long)kv->dev->capacity,
                 (unsigned long long)(good[0].data_start +
                                      good[0].data_size));
        return ATOLL_ERR_CORRUPT;
    }
    return 0;
}

/* ---- open ------------------------------------------------------------ */

/* Salvage only: no checkpoint loads. Find the latest tail after the newest
 * one and rebuild the index from the whole log from there, stepping over
 * the checkpoint. Deleted keys may come back (their tombstones may be
 * gone), which is why a normal open refuses instead. */
static int full_scan(struct atoll_kv *kv, const struct slot *c,
                     struct scan *s)
{
    uint64_t t;
    int e;

    scan_init(s, c->ckpt_end, c->ckpt_chain, false, c->tail, false);
    if ((e = scan_run(kv, s)) != 0)
        return e;
    t = s->unit_tail;
    scan_free(s);
    if (t > c->ckpt_pos || t % 8 != 0)
        t = c->tail;
    scan_init(s, t, 0, true, t, true);
    s->stop = c->ckpt_pos;
    if ((e = scan_run(kv, s)) != 0)
        return e;
    if (s->pos != c->ckpt_pos)
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "log before the checkpoint "
                "damaged at %llu (%s); keys written before are lost",
                (unsigned long long)s->pos, s->why ? s->why : "unit cut");
    opvec_clear(&s->staged);
    opvec_clear(&s->pending);
    s->pos = s->unit_pos = c->ckpt_end;
    s->chain = s->unit_chain = c->ckpt_chain;
    s->any = false;
    s->stop = ~(uint64_t)0;
    if (s->commit_seq < c->commit_seq)
        s->commit_seq = c->commit_seq;
    return 0;
}

/* The space counters of the recovered index: live record bytes and the
 * size of a checkpoint of it. */
static void recount(struct atoll_kv *kv)
{
    kv->live_bytes = 0;
    kv->ckpt_est = 0;
    for (size_t i = 0; i <= kv->live.mask; i++) {
        const struct kv_ent *e = kv->live.slot[i];
        if (e == NULL)
            continue;
        kv->live_bytes += rec_size(e->klen, e->vlen);
        kv->ckpt_est += ckpt_entry_size(e->klen);
    }
}

int kv_recover(struct atoll_kv *kv, char *why, size_t whylen)
{
    struct slot sl[2];
    int which[2], nslots, e, used = -1;
    struct scan s;
    const char *w = NULL;
    bool salvage = (kv->flags & ATOLL_KV_SALVAGE) || kv->note != NULL;

    e = read_slots(kv, sl, which, &nslots, why, whylen);
    if (e != 0) {
        if (e == ATOLL_ERR_IO)
            snprintf(why, whylen, "cannot read the superblock");
        return e;
    }
    kv->bs = sl[0].bs;
    kv->store_id = sl[0].store_id;
    kv->max_value = sl[0].max_value;
    kv->data_start = sl[0].data_start;
    kv->data_size = sl[0].data_size;
    kv->max_rec = rec_size(ATOLL_KV_KEY_MAX, kv->max_value);
    kv->wpos = ~(uint64_t)0; /* nothing buffered: every read is the device */
    if ((e = kv_alloc_buffers(kv)) != 0)
        return e;

    for (int i = 0; i < nslots && used < 0; i++) {
        e = ckpt_load(kv, &sl[i], &w);
        if (e == 0)
            used = i;
        else if (e != ATOLL_ERR_CORRUPT)
            return e;
        else
            kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "checkpoint at %llu (slot %d) "
                    "unusable: %s", (unsigned long long)sl[i].ckpt_pos,
                    which[i], w);
    }
    const struct slot *c = &sl[used >= 0 ? used : 0];
    kv->sb_cur = which[used >= 0 ? used : 0];
    kv->sb_seq = sl[0].seq;
    kv->ckpt_pos = c->ckpt_pos;
    kv->ckpt_end = c->ckpt_end;
    kv->ckpt_chain = c->ckpt_chain;
    kv->ckpt_floor = c->ckpt_pos;
    kv->cur_slot = *c;
    if (nslots == 2) {
        kv->other = sl[1 - (used >= 0 ? used : 0)];
        kv->other_ok = true;
        if (kv->other.ckpt_pos < kv->ckpt_floor)
            kv->ckpt_floor = kv->other.ckpt_pos;
    }
    if (used >= 0) {
        scan_init(&s, c->ckpt_end, c->ckpt_chain, false, c->tail, true);
        s.commit_seq = c->commit_seq;
        kv->st.ckpt_fallback = used > 0;
        if (used > 0) {
            s.skip_pos = sl[0].ckpt_pos;
            s.skip_end = sl[0].ckpt_end;
            s.skip_chain = sl[0].ckpt_chain;
        }
    } else {
        if (!salvage) {
            snprintf(why, whylen, "no usable checkpoint (%s)", w);
            return ATOLL_ERR_CORRUPT;
        }
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "no usable checkpoint: index "
                "rebuilt from the whole log; deleted keys may reappear");
        if ((e = full_scan(kv, c, &s)) != 0) {
            scan_free(&s);
            return e;
        }
        kv->st.full_scan = true;
    }

    e = replay(kv, &s, why, whylen);
    if (e == 0) {
        kv->head = kv->flushed_head = kv->wpos = s.unit_pos;
        kv->chain = s.unit_chain;
        kv->tail = kv->tail_written = kv->tail_durable = s.unit_tail;
        kv->commit_seq = s.commit_seq;
        kv->open_txn = s.pending.n > 0;
        kv->st.replayed_bytes = s.unit_pos - kv->ckpt_end;
        kv->st.discarded_bytes = kv->scan_end - s.unit_pos;
        kv->st.ckpt_pos = kv->ckpt_pos;
        kv->st.ckpt_bytes = kv->ckpt_end - kv->ckpt_pos;
        if (kv->tail > kv->ckpt_floor && !kv->st.full_scan) {
            snprintf(why, whylen, "log tail %llu is past the checkpoint "
                     "at %llu", (unsigned long long)kv->tail,
                     (unsigned long long)kv->ckpt_floor);
            e = ATOLL_ERR_CORRUPT;
        }
    }
    if (e == 0)
        recount(kv);
    scan_free(&s);
    return e;
}

/* ---- damage the cleaner steps over ------------------------------------- */

int kv_resync(struct atoll_kv *kv, uint64_t from, uint64_t limit,
              uint64_t *next, uint64_t *live)
{
    *next = 0;
    *live = 0;
    for (uint64_t p = from + 8; p < limit; p += 8) {
        struct rec r;
        const char *why;
        if (rec_read_header(kv, p, &r, &why)) {
            *next = p;
            break;
        }
        if (kv->failed)
            return kv->failed;
    }
    if (*next == 0)
        return 0;
    for (size_t i = 0; i <= kv->live.mask; i++) {
        const struct kv_ent *e = kv->live.slot[i];
        if (e != NULL && e->pos >= from && e->pos < *next)
            (*live)++;
    }
    return 0;
}

/* ---- check ------------------------------------------------------------ */

static uint64_t compare(struct atoll_kv *kv, const struct kv_table *a,
                        const struct kv_table *b, const char *what)
{
    uint64_t diffs = 0;

    for (size_t i = 0; i <= a->mask; i++) {
        const struct kv_ent *e = a->slot[i], *f;
        if (e == NULL)
            continue;
        f = tab_get(b, e->key, e->klen);
        if (f != NULL && f->pos == e->pos && f->vlen == e->vlen)
            continue;
        if (diffs++ < 5)
            kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "key '%.*s' %s", e->klen,
                    (const char *)e->key, what);
    }
    return diffs;
}

/* Rebuild the index from the older checkpoint and the log after it, up to
 * the head, and compare it with the one open recovered. */
static int cross_check(struct atoll_kv *kv, const uint64_t seed[2])
{
    struct kv_table recovered = kv->live;
    struct scan s;
    const char *w;
    int e;

    if ((e = tab_init(&kv->live, seed)) != 0) {
        kv->live = recovered;
        return e;
    }
    e = ckpt_load(kv, &kv->other, &w);
    if (e == ATOLL_ERR_CORRUPT) {
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "older checkpoint at %llu "
                "unusable: %s", (unsigned long long)kv->other.ckpt_pos, w);
        e = 0;
    } else if (e == 0) {
        scan_init(&s, kv->other.ckpt_end, kv->other.ckpt_chain, false,
                  kv->other.tail, true);
        s.stop = kv->head;
        e = scan_run(kv, &s);
        if (e == 0 && s.unit_pos != kv->head) {
            kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "log after the older "
                    "checkpoint damaged at %llu: %s",
                    (unsigned long long)s.pos, s.why ? s.why : "unit cut");
        } else if (e == 0) {
            uint64_t d = compare(kv, &recovered, &kv->live,
                                 "differs between the checkpoints");
            d += compare(kv, &kv->live, &recovered,
                         "is missing from the newer checkpoint");
            if (d > 5)
                kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "%llu keys differ in all",
                        (unsigned long long)d);
        }
        scan_free(&s);
    }
    tab_free(&kv->live);
    kv->live = recovered;
    return e;
}

/* Every key must lead to a PUT of that key and length. */
static int check_entries(struct atoll_kv *kv)
{
    uint64_t bad = 0;

    for (size_t i = 0; i <= kv->live.mask; i++) {
        const struct kv_ent *e = kv->live.slot[i];
        uint8_t key[ATOLL_KV_KEY_MAX];
        struct rec r;
        const char *why = "not a PUT of this key";
        if (e == NULL)
            continue;
        if (rec_read_header(kv, e->pos, &r, &why) && r.type == REC_PUT &&
            r.klen == e->klen && r.vlen == e->vlen &&
            log_read(kv, e->pos + KV_HDR, key, r.klen) == 0 &&
            memcmp(key, e->key, e->klen) == 0)
            continue;
        if (kv->failed)
            return kv->failed;
        if (bad++ < 5)
            kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "key '%.*s' points at %llu: "
                    "%s", e->klen, (const char *)e->key,
                    (unsigned long long)e->pos, why);
    }
    return 0;
}

int atoll_kv_check(struct atoll_blockdev *dev,
                   struct atoll_kv_check_report *report,
                   atoll_kv_note_fn note, void *arg)
{
    struct atoll_kv *kv;
    struct atoll_kv_check_report rep;
    struct scan s;
    char why[256] = "";
    uint64_t seed[2];
    int e;

    memset(&rep, 0, sizeof rep);
    kv = calloc(1, sizeof *kv);
    if (kv == NULL)
        return ATOLL_ERR_NOMEM;
    kv->dev = dev;
    kv->flags = ATOLL_KV_RDONLY | ATOLL_KV_SALVAGE;
    kv->note = note;
    kv->note_arg = arg;
    kv_random(seed);
    if (tab_init(&kv->live, seed) != 0 ||
        tab_init(&kv->pend, seed) != 0) {
        kv_free(kv);
        return ATOLL_ERR_NOMEM;
    }
    e = kv_recover(kv, why, sizeof why);
    if (e == 0) {
        if (kv->st.discarded_bytes > 0)
            kv_note(kv, ATOLL_KV_NOTE_INFO, "%llu bytes of an unfinished "
                    "commit after the head ignored (normal after a crash)",
                    (unsigned long long)kv->st.discarded_bytes);
        /* Every record from tail to head: valid and chained. Damage the
         * cleaner can step over (dead records before the checkpoints) is
         * a warning. */
        scan_init(&s, kv->tail, 0, true, kv->tail, false);
        s.stop = kv->head;
        for (;;) {
            uint64_t next, live;
            if ((e = scan_run(kv, &s)) != 0 || s.pos == kv->head)
                break;
            if (s.pos >= kv->ckpt_floor ||
                (e = kv_resync(kv, s.pos, kv->ckpt_floor, &next,
                               &live)) != 0 ||
                next == 0) {
                kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "record at %llu between "
                        "tail and head is bad: %s", (unsigned long long)s.pos,
                        s.why ? s.why : "?");
                break;
            }
            kv_note(kv, live ? ATOLL_KV_NOTE_DAMAGE : ATOLL_KV_NOTE_WARN,
                    "records damaged from %llu to %llu (%s); %llu live keys "
                    "there", (unsigned long long)s.pos,
                    (unsigned long long)next, s.why ? s.why : "?",
                    (unsigned long long)live);
            s.pos = s.unit_pos = next;
            s.any = true;
        }
        rep.records = s.records;
        rep.bytes = s.bytes;
        scan_free(&s);
    }
    if (e == 0)
        e = check_entries(kv);
    if (e == 0 && kv->other_ok && !kv->st.full_scan &&
        !kv->st.ckpt_fallback && kv->other.ckpt_pos != kv->ckpt_pos)
        e = cross_check(kv, seed);
    if (e == 0) {
        recount(kv);
        atoll_kv_stats(kv, &rep.stats);
        rep.keys = rep.stats.keys;
        kv_note(kv, ATOLL_KV_NOTE_INFO, "%llu keys, %llu bytes live; "
                "%llu records, %llu bytes verified from tail %llu to head "
                "%llu; %llu commits",
                (unsigned long long)rep.keys,
                (unsigned long long)rep.stats.live_bytes,
                (unsigned long long)rep.records,
                (unsigned long long)rep.bytes,
                (unsigned long long)kv->tail, (unsigned long long)kv->head,
                (unsigned long long)kv->commit_seq);
    } else if (e == ATOLL_ERR_CORRUPT || e == ATOLL_ERR_FORMAT) {
        kv_note(kv, ATOLL_KV_NOTE_DAMAGE, "%s", why);
    } else if (note != NULL) {
        note(arg, ATOLL_KV_NOTE_DAMAGE, atoll_strerror(e));
    }
    rep.damage = kv->damage;
    rep.warnings = kv->warnings;
    if (report != NULL)
        *report = rep;
    kv_free(kv);
    if (e != 0)
        return e;
    return rep.damage ? ATOLL_ERR_CORRUPT : 0;
}
