/*
 * Host unit tests of lib/kv: the API, transactions, cleaning and
 * checkpoints against a model, power cuts at random moments on a fake
 * device that drops or tears unflushed writes, a full device, and
 * damaged images. Run under ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/kv/crc32c.h"
#include "../../../lib/kv/index.h"
#include "../../../lib/kv/store.h"
#include "atoll/kv.h"
#include "../../lib/check.h"
#include "../../lib/fakeblk.h"

/* ---- a model of the store --------------------------------------------- */

#define NKEYS 160

struct model {
    uint8_t *val[NKEYS];
    size_t len[NKEYS];
    bool has[NKEYS];
};

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Key i: mostly "k/NNN", every 17th a 255-byte key. */
static size_t key_of(int i, char *buf)
{
    if (i % 17 == 0) {
        memset(buf, 'L', ATOLL_KV_KEY_MAX);
        snprintf(buf, 8, "L/%03d", i);
        buf[5] = 'L';
        return ATOLL_KV_KEY_MAX;
    }
    return (size_t)snprintf(buf, 16, "k/%03d", i);
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (uint8_t)(seed >> 56);
    }
}

static void model_set(struct model *m, int i, const uint8_t *v, size_t n)
{
    free(m->val[i]);
    m->val[i] = malloc(n ? n : 1);
    memcpy(m->val[i], v, n);
    m->len[i] = n;
    m->has[i] = true;
}

static void model_del(struct model *m, int i)
{
    free(m->val[i]);
    m->val[i] = NULL;
    m->len[i] = 0;
    m->has[i] = false;
}

static void model_copy(struct model *dst, const struct model *src)
{
    for (int i = 0; i < NKEYS; i++) {
        if (src->has[i])
            model_set(dst, i, src->val[i], src->len[i]);
        else
            model_del(dst, i);
    }
}

static void model_free(struct model *m)
{
    for (int i = 0; i < NKEYS; i++)
        model_del(m, i);
}

static uint8_t vbuf[2u << 20];

struct listing {
    int n;
    bool sorted;
    char last[ATOLL_KV_KEY_MAX + 1];
    size_t lastlen;
};

static int count_key(void *arg, const void *key, size_t klen, size_t vlen)
{
    struct listing *l = arg;
    size_t n = klen < l->lastlen ? klen : l->lastlen;
    int c = memcmp(l->last, key, n);
    (void)vlen;
    if (l->n > 0 && (c > 0 || (c == 0 && l->lastlen >= klen)))
        l->sorted = false;
    memcpy(l->last, key, klen);
    l->lastlen = klen;
    l->n++;
    return 0;
}

/* NULL if the store holds exactly the model. */
static const char *matches(struct atoll_kv *kv, const struct model *m)
{
    static char why[200];
    char key[ATOLL_KV_KEY_MAX + 1];
    int n = 0;

    for (int i = 0; i < NKEYS; i++) {
        size_t klen = key_of(i, key), vlen = 0;
        int r = atoll_kv_get(kv, key, klen, vbuf, sizeof vbuf, &vlen);
        if (!m->has[i]) {
            if (r != ATOLL_ERR_NOENT) {
                snprintf(why, sizeof why, "key %d: got %d, want ENOENT", i,
                         r);
                return why;
            }
            continue;
        }
        n++;
        if (r != 0) {
            snprintf(why, sizeof why, "key %d: %s", i, atoll_strerror(r));
            return why;
        }
        if (vlen != m->len[i] || memcmp(vbuf, m->val[i], vlen) != 0) {
            snprintf(why, sizeof why, "key %d: wrong value (%zu bytes, "
                     "want %zu)", i, vlen, m->len[i]);
            return why;
        }
    }
    struct listing l = {.sorted = true};
    if (atoll_kv_list(kv, "", 0, count_key, &l) != 0 || l.n != n ||
        !l.sorted) {
        snprintf(why, sizeof why, "list: %d keys (want %d), sorted %d", l.n,
                 n, l.sorted);
        return why;
    }
    return NULL;
}

static size_t random_len(size_t max)
{
    switch (rnd() % 10) {
    case 0:
        return 0;
    case 1:
        return rnd() % (max + 1);
    default:
        return rnd() % 1500;
    }
}

/* ---- fixtures ---------------------------------------------------------- */

static struct t_blk dev;

static struct atoll_kv *reopen(struct atoll_kv *kv)
{
    struct atoll_kv *out;
    char why[200];

    atoll_kv_close(kv);
    if (atoll_kv_open(&dev.bd, 0, &out, why, sizeof why) != 0) {
        fprintf(stderr, "reopen: %s\n", why);
        return NULL;
    }
    return out;
}

static int check_quiet(void)
{
    struct atoll_kv_check_report rep;
    return atoll_kv_check(&dev.bd, &rep, NULL, NULL);
}

static void print_note(void *arg, enum atoll_kv_note_level l,
                       const char *msg)
{
    (void)arg;
    fprintf(stderr, "  check [%d]: %s\n", (int)l, msg);
}

/* ---- cases ------------------------------------------------------------- */

static const char *crc_vectors(void)
{
    static const uint8_t zeros[32], ones[32] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint8_t inc[32];

    for (int i = 0; i < 32; i++)
        inc[i] = (uint8_t)i;
    /* RFC 3720 B.4 and the usual check value. */
    T_ASSERT(kv_crc32c(0, "123456789", 9) == 0xe3069283u);
    T_ASSERT(kv_crc32c(0, zeros, 32) == 0x8a9136aau);
    T_ASSERT(kv_crc32c(0, ones, 32) == 0x62a8ab43u);
    T_ASSERT(kv_crc32c(0, inc, 32) == 0x46dd794eu);
    /* Pieces chain, at every split point and alignment. */
    for (int k = 0; k <= 32; k++)
        T_ASSERT(kv_crc32c(kv_crc32c(0, inc, (size_t)k), inc + k,
                           (size_t)(32 - k)) == 0x46dd794eu);
    return NULL;
}

static const char *index_table(void)
{
    struct kv_table t;
    uint64_t key[2] = {1, 2};
    char k[16];

    T_ASSERT(tab_init(&t, key) == 0);
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(k, sizeof k, "%d", i);
        T_ASSERT(tab_set(&t, k, (size_t)n, (uint64_t)i, (uint32_t)i,
                         false) == 0);
    }
    T_ASSERT(t.count == 5000);
    for (int i = 0; i < 5000; i += 2) {
        int n = snprintf(k, sizeof k, "%d", i);
        tab_del(&t, k, (size_t)n);
    }
    T_ASSERT(t.count == 2500);
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(k, sizeof k, "%d", i);
        struct kv_ent *e = tab_get(&t, k, (size_t)n);
        if (i % 2 == 0)
            T_ASSERT(e == NULL);
        else
            T_ASSERT(e != NULL && e->pos == (uint64_t)i);
    }
    tab_free(&t);
    return NULL;
}

static const char *basic(void)
{
    struct atoll_kv *kv;
    char why[200];
    size_t vlen;
    char buf[64];

    t_blk_init(&dev, 1u << 20, 512, 1);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) ==
             ATOLL_ERR_FORMAT);
    T_ASSERT(strstr(why, "no Atoll kv store") != NULL);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) == 0);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) ==
             ATOLL_ERR_NOENT);
    T_ASSERT(atoll_kv_put(kv, "a", 1, "hello", 5) == 0);
    /* The transaction sees its own change. */
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) == 0);
    T_ASSERT(vlen == 5 && memcmp(buf, "hello", 5) == 0);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, 3, &vlen) == ATOLL_ERR_RANGE &&
             vlen == 5);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT(atoll_kv_put(kv, "b", 1, "", 0) == 0);
    T_ASSERT(atoll_kv_del(kv, "a", 1) == 0);
    T_ASSERT(atoll_kv_del(kv, "a", 1) == ATOLL_ERR_NOENT);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) ==
             ATOLL_ERR_NOENT);
    /* Closing without a commit drops the transaction. */
    T_ASSERT((kv = reopen(kv)) != NULL);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) == 0);
    T_ASSERT(atoll_kv_get(kv, "b", 1, buf, sizeof buf, &vlen) ==
             ATOLL_ERR_NOENT);
    T_ASSERT(atoll_kv_del(kv, "a", 1) == 0);
    T_ASSERT(atoll_kv_put(kv, "b", 1, "x", 1) == 0);
    T_ASSERT(atoll_kv_rollback(kv) == 0);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) == 0);
    /* After a rollback, a later commit must not resurrect its records. */
    T_ASSERT(atoll_kv_put(kv, "c", 1, "y", 1) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT((kv = reopen(kv)) != NULL);
    T_ASSERT(atoll_kv_get(kv, "a", 1, buf, sizeof buf, &vlen) == 0);
    T_ASSERT(atoll_kv_get(kv, "b", 1, buf, sizeof buf, &vlen) ==
             ATOLL_ERR_NOENT);
    T_ASSERT(atoll_kv_get(kv, "c", 1, buf, sizeof buf, &vlen) == 0);
    /* Arguments. */
    char big[300] = {0};
    T_ASSERT(atoll_kv_put(kv, big, 256, "v", 1) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_kv_put(kv, big, 0, "v", 1) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_kv_put(kv, big, 255, "v", 1) == 0);
    struct atoll_kv_stats st;
    atoll_kv_stats(kv, &st);
    T_ASSERT(atoll_kv_put(kv, "v", 1, vbuf, st.max_value + 1) ==
             ATOLL_ERR_INVAL);
    T_ASSERT(atoll_kv_put(kv, "v", 1, vbuf, st.max_value) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0); /* nothing to do */
    atoll_kv_close(kv);
    /* Read-only opens refuse changes. */
    T_ASSERT(atoll_kv_open(&dev.bd, ATOLL_KV_RDONLY, &kv, why,
                           sizeof why) == 0);
    T_ASSERT(atoll_kv_put(kv, "a", 1, "z", 1) == ATOLL_ERR_ROFS);
    atoll_kv_close(kv);
    /* A device that cannot flush is refused unless asked. */
    dev.bd.can_flush = false;
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) ==
             ATOLL_ERR_NOTSUP);
    T_ASSERT(atoll_kv_open(&dev.bd, ATOLL_KV_NOFLUSH_OK, &kv, why,
                           sizeof why) == 0);
    T_ASSERT(atoll_kv_put(kv, "n", 1, "f", 1) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    atoll_kv_close(kv);
    dev.bd.can_flush = true;
    T_ASSERT(check_quiet() == 0);
    t_blk_free(&dev);
    return NULL;
}

struct pfx {
    char keys[8][8];
    int n;
};

static int collect(void *arg, const void *key, size_t klen, size_t vlen)
{
    struct pfx *p = arg;
    (void)vlen;
    if (p->n < 8)
        snprintf(p->keys[p->n], 8, "%.*s", (int)klen, (const char *)key);
    p->n++;
    return p->n == 100 ? 7 : 0;
}

static const char *list_prefix(void)
{
    struct atoll_kv *kv;
    struct pfx p = {0};
    const char *ks[] = {"ab", "a", "abc", "b", "abd", "ab\x01", "c"};

    t_blk_init(&dev, 1u << 20, 512, 2);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    for (size_t i = 0; i < 7; i++)
        T_ASSERT(atoll_kv_put(kv, ks[i], strlen(ks[i]), "v", 1) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT(atoll_kv_del(kv, "abc", 3) == 0); /* pending */
    T_ASSERT(atoll_kv_put(kv, "abz", 3, "v", 1) == 0);
    T_ASSERT(atoll_kv_list(kv, "ab", 2, collect, &p) == 0);
    T_ASSERT(p.n == 4);
    T_ASSERT(strcmp(p.keys[0], "ab") == 0 && strcmp(p.keys[1], "ab\x01") == 0 &&
             strcmp(p.keys[2], "abd") == 0 && strcmp(p.keys[3], "abz") == 0);
    /* A non-zero return stops the walk. */
    for (int i = 0; i < 150; i++) {
        char k[8];
        int n = snprintf(k, sizeof k, "z%03d", i);
        T_ASSERT(atoll_kv_put(kv, k, (size_t)n, "v", 1) == 0);
    }
    p.n = 0;
    T_ASSERT(atoll_kv_list(kv, "z", 1, collect, &p) == 7 && p.n == 100);
    atoll_kv_close(kv);
    t_blk_free(&dev);
    return NULL;
}

/*
 * Random puts, deletes, commits, rollbacks and reopens on a small device,
 * so the cleaner and checkpoints run many times; the store must always
 * match the model.
 */
static const char *model_churn(void)
{
    struct model work = {0}, done = {0};
    struct atoll_kv *kv;
    char key[ATOLL_KV_KEY_MAX + 1];
    struct atoll_kv_stats st;
    const char *w;
    uint64_t cleaned = 0, ckpts = 0, enospc = 0;

    t_blk_init(&dev, 1u << 20, 512, 3);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    atoll_kv_stats(kv, &st);
    for (int step = 0; step < 30000; step++) {
        int i = (int)(rnd() % NKEYS), r;
        size_t klen = key_of(i, key);
        uint64_t op = rnd() % 100;
        if (op < 55) {
            size_t n = random_len(st.max_value / 2);
            fill(vbuf, n, rnd());
            r = atoll_kv_put(kv, key, klen, vbuf, n);
            if (r == ATOLL_ERR_NOSPC) {
                enospc++;
                continue;
            }
            if (r != 0)
                T_FAILF("step %d: put: %s", step, atoll_strerror(r));
            model_set(&work, i, vbuf, n);
        } else if (op < 75) {
            r = atoll_kv_del(kv, key, klen);
            if (r != (work.has[i] ? 0 : ATOLL_ERR_NOENT))
                T_FAILF("step %d: del: %s", step, atoll_strerror(r));
            model_del(&work, i);
        } else if (op < 93) {
            if ((r = atoll_kv_commit(kv)) != 0)
                T_FAILF("step %d: commit: %s", step, atoll_strerror(r));
            model_copy(&done, &work);
        } else if (op < 96) {
            T_ASSERT(atoll_kv_rollback(kv) == 0);
            model_copy(&work, &done);
        } else if (op < 98) {
            if ((w = matches(kv, &work)) != NULL)
                T_FAILF("step %d: %s", step, w);
        } else {
            atoll_kv_stats(kv, &st);
            cleaned += st.cleaned_bytes;
            ckpts += st.checkpoints;
            T_ASSERT((kv = reopen(kv)) != NULL);
            model_copy(&work, &done);
            if ((w = matches(kv, &done)) != NULL)
                T_FAILF("step %d after reopen: %s", step, w);
        }
    }
    atoll_kv_stats(kv, &st);
    cleaned += st.cleaned_bytes;
    ckpts += st.checkpoints;
    atoll_kv_close(kv);
    if (check_quiet() != 0) {
        atoll_kv_check(&dev.bd, NULL, print_note, NULL);
        T_FAILF("check found damage");
    }
    /* The device is 1 MiB: the cleaner must have gone round many times. */
    if (cleaned < 20 * st.data_size || ckpts < 10)
        T_FAILF("cleaned %llu bytes, %llu checkpoints",
                (unsigned long long)cleaned, (unsigned long long)ckpts);
    printf("# churn: cleaned %llu bytes (%llu passes), %llu checkpoints, "
           "%llu ENOSPC\n", (unsigned long long)cleaned,
           (unsigned long long)(cleaned / st.data_size),
           (unsigned long long)ckpts, (unsigned long long)enospc);
    model_free(&work);
    model_free(&done);
    t_blk_free(&dev);
    return NULL;
}

/*
 * Power cuts: the device dies after a random number of writes and
 * flushes; unflushed blocks are then kept, lost or torn at random. The
 * reopened store must hold the last acknowledged commit, or the one in
 * flight when the power went, and nothing else; check must find no
 * damage.
 */
static const char *power_cuts_bs(uint32_t bs, uint64_t devsize, int rounds)
{
    struct model work = {0}, done = {0}, flight = {0};
    struct atoll_kv *kv;
    char key[ATOLL_KV_KEY_MAX + 1], why[200];
    struct atoll_kv_stats st;
    int cuts = 0, inflight_won = 0;

    t_blk_init(&dev, devsize, bs, 4 + bs);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    atoll_kv_stats(kv, &st);
    for (int round = 0; round < rounds; round++) {
        bool in_flight = false;
        dev.die_at = dev.ops + 1 + rnd() % 300;
        for (int step = 0; step < 2000 && !dev.dead; step++) {
            int i = (int)(rnd() % NKEYS), r;
            size_t klen = key_of(i, key);
            uint64_t op = rnd() % 100;
            if (op < 60) {
                size_t n = random_len(st.max_value / 3);
                fill(vbuf, n, rnd());
                r = atoll_kv_put(kv, key, klen, vbuf, n);
                if (r == 0)
                    model_set(&work, i, vbuf, n);
                else if (r != ATOLL_ERR_NOSPC && r != ATOLL_ERR_IO)
                    T_FAILF("put: %s", atoll_strerror(r));
            } else if (op < 75) {
                r = atoll_kv_del(kv, key, klen);
                if (r == 0)
                    model_del(&work, i);
                else if (r != ATOLL_ERR_NOENT && r != ATOLL_ERR_IO)
                    T_FAILF("del: %s", atoll_strerror(r));
            } else if (op < 97) {
                r = atoll_kv_commit(kv);
                if (r == 0) {
                    model_copy(&done, &work);
                } else if (r == ATOLL_ERR_IO) {
                    model_copy(&flight, &work);
                    in_flight = true;
                } else {
                    T_FAILF("commit: %s", atoll_strerror(r));
                }
            } else {
                r = atoll_kv_rollback(kv);
                if (r == 0)
                    model_copy(&work, &done);
            }
        }
        atoll_kv_close(kv);
        if (rnd() % 5 == 0)
            t_blk_kill(&dev);
        else
            t_blk_powercut(&dev);
        cuts++;
        if (atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) != 0)
            T_FAILF("round %d: open after the cut: %s", round, why);
        const char *w1 = matches(kv, &done);
        if (w1 != NULL) {
            const char *w2 = in_flight ? matches(kv, &flight) : "no commit "
                                                               "in flight";
            if (w2 != NULL)
                T_FAILF("round %d: neither the last commit (%s) nor the "
                        "one in flight (%s)", round, w1, w2);
            model_copy(&done, &flight);
            inflight_won++;
        }
        model_copy(&work, &done);
        if (round % 10 == 0) {
            atoll_kv_close(kv);
            if (check_quiet() != 0) {
                atoll_kv_check(&dev.bd, NULL, print_note, NULL);
                T_FAILF("round %d: check found damage", round);
            }
            T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
        }
    }
    atoll_kv_stats(kv, &st);
    atoll_kv_close(kv);
    T_ASSERT(check_quiet() == 0);
    printf("# power cuts (block %u): %d cuts, %d in-flight commits kept\n",
           bs, cuts, inflight_won);
    model_free(&work);
    model_free(&done);
    model_free(&flight);
    t_blk_free(&dev);
    return NULL;
}

static const char *power_cuts(void)
{
    return power_cuts_bs(512, 1u << 20, 400);
}

static const char *power_cuts_4k(void)
{
    return power_cuts_bs(4096, 2u << 20, 150);
}

/* Fill the store until ENOSPC; what was committed stays; deleting frees
 * the room again. */
static const char *full_device(void)
{
    struct atoll_kv *kv;
    char key[32];
    int n = 0, r;
    size_t vlen;

    t_blk_init(&dev, 2u << 20, 512, 5);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    for (;;) {
        int kl = snprintf(key, sizeof key, "fill-%05d", n);
        fill(vbuf, 4096, (uint64_t)n);
        r = atoll_kv_put(kv, key, (size_t)kl, vbuf, 4096);
        if (r != 0)
            break;
        n++;
        if (n % 10 == 0)
            T_ASSERT(atoll_kv_commit(kv) == 0);
    }
    T_ASSERT(r == ATOLL_ERR_NOSPC);
    /* Commit what the transaction holds: commits never run out. */
    T_ASSERT(atoll_kv_commit(kv) == 0);
    struct atoll_kv_stats st;
    atoll_kv_stats(kv, &st);
    if (st.live_bytes * 2 < st.data_size)
        T_FAILF("full at %llu of %llu bytes",
                (unsigned long long)st.live_bytes,
                (unsigned long long)st.data_size);
    printf("# full: %d values of 4 KiB, %llu%% of the log area\n", n,
           (unsigned long long)(st.live_bytes * 100 / st.data_size));
    T_ASSERT((kv = reopen(kv)) != NULL);
    for (int i = 0; i < n; i++) {
        int kl = snprintf(key, sizeof key, "fill-%05d", i);
        T_ASSERT(atoll_kv_get(kv, key, (size_t)kl, vbuf, sizeof vbuf,
                              &vlen) == 0);
        uint8_t want[4096];
        fill(want, 4096, (uint64_t)i);
        T_ASSERT(vlen == 4096 && memcmp(vbuf, want, 4096) == 0);
    }
    /* Deleting works on a full store, and frees the room. */
    for (int i = 0; i < n; i++) {
        int kl = snprintf(key, sizeof key, "fill-%05d", i);
        T_ASSERT(atoll_kv_del(kv, key, (size_t)kl) == 0);
        if (i % 50 == 0)
            T_ASSERT(atoll_kv_commit(kv) == 0);
    }
    T_ASSERT(atoll_kv_commit(kv) == 0);
    /* Nearly full again, then overwritten over and over: the cleaner
     * works with little room. */
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < n - 5; i++) {
            int kl = snprintf(key, sizeof key, "again-%05d", i);
            T_ASSERT(atoll_kv_put(kv, key, (size_t)kl, vbuf, 4096) == 0);
            T_ASSERT(atoll_kv_commit(kv) == 0);
        }
    atoll_kv_close(kv);
    T_ASSERT(check_quiet() == 0);
    t_blk_free(&dev);
    return NULL;
}

/* 1 MiB values: stored, read back, overwritten (so the cleaner moves
 * them), recovered. */
static const char *big_values(void)
{
    struct atoll_kv *kv;
    struct atoll_kv_stats st;
    size_t vlen;
    char key[16];

    t_blk_init(&dev, 24u << 20, 512, 6);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    atoll_kv_stats(kv, &st);
    T_ASSERT(st.max_value == ATOLL_KV_VALUE_MAX);
    for (int round = 0; round < 12; round++) {
        for (int i = 0; i < 4; i++) {
            int kl = snprintf(key, sizeof key, "big%d", i);
            fill(vbuf, ATOLL_KV_VALUE_MAX, (uint64_t)(round * 10 + i));
            T_ASSERT(atoll_kv_put(kv, key, (size_t)kl, vbuf,
                                  ATOLL_KV_VALUE_MAX) == 0);
        }
        T_ASSERT(atoll_kv_commit(kv) == 0);
        if (round % 4 == 3)
            T_ASSERT((kv = reopen(kv)) != NULL);
        for (int i = 0; i < 4; i++) {
            static uint8_t want[ATOLL_KV_VALUE_MAX];
            int kl = snprintf(key, sizeof key, "big%d", i);
            fill(want, ATOLL_KV_VALUE_MAX, (uint64_t)(round * 10 + i));
            T_ASSERT(atoll_kv_get(kv, key, (size_t)kl, vbuf, sizeof vbuf,
                                  &vlen) == 0);
            T_ASSERT(vlen == ATOLL_KV_VALUE_MAX &&
                     memcmp(vbuf, want, vlen) == 0);
        }
    }
    atoll_kv_stats(kv, &st);
    atoll_kv_close(kv);
    T_ASSERT(check_quiet() == 0);
    t_blk_free(&dev);
    return NULL;
}

/* Many small commits without an explicit checkpoint: open replays at most
 * one checkpoint interval. */
static const char *bounded_replay(void)
{
    struct atoll_kv *kv;
    struct atoll_kv_stats st;
    char key[32];

    t_blk_init(&dev, 8u << 20, 512, 7);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    for (int i = 0; i < 20000; i++) {
        int kl = snprintf(key, sizeof key, "r%d", i % 500);
        T_ASSERT(atoll_kv_put(kv, key, (size_t)kl, "0123456789", 10) == 0);
        T_ASSERT(atoll_kv_commit(kv) == 0);
    }
    T_ASSERT((kv = reopen(kv)) != NULL);
    atoll_kv_stats(kv, &st);
    /* The interval here is data_size / 16, plus one commit's unit. */
    if (st.replayed_bytes > st.data_size / 16 + 4096)
        T_FAILF("replayed %llu bytes of a %llu-byte log",
                (unsigned long long)st.replayed_bytes,
                (unsigned long long)st.data_size);
    T_ASSERT(st.keys == 500 && st.commits == 20000);
    atoll_kv_close(kv);
    t_blk_free(&dev);
    return NULL;
}

/* ---- damaged images ---------------------------------------------------- */

static uint8_t *image;
static uint64_t image_size;
static struct model image_model;

/* A store with a history: commits, deletes, checkpoints, a cleaner pass. */
static const char *build_image(void)
{
    struct atoll_kv *kv;
    char key[ATOLL_KV_KEY_MAX + 1];
    struct atoll_kv_stats st;

    memset(&image_model, 0, sizeof image_model);
    t_blk_init(&dev, 1u << 20, 512, 8);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    for (int step = 0; step < 3000; step++) {
        int i = (int)(rnd() % 60);
        size_t klen = key_of(i, key);
        if (rnd() % 4 == 0 && image_model.has[i]) {
            T_ASSERT(atoll_kv_del(kv, key, klen) == 0);
            model_del(&image_model, i);
        } else {
            size_t n = rnd() % 2000;
            fill(vbuf, n, rnd());
            T_ASSERT(atoll_kv_put(kv, key, klen, vbuf, n) == 0);
            model_set(&image_model, i, vbuf, n);
        }
        if (rnd() % 3 == 0)
            T_ASSERT(atoll_kv_commit(kv) == 0);
    }
    T_ASSERT(atoll_kv_commit(kv) == 0);
    /* The last unit: a checkpoint (damage after it could pass for a torn
     * tail, which is the limit of what a log can tell). */
    T_ASSERT(atoll_kv_checkpoint(kv) == 0);
    atoll_kv_stats(kv, &st);
    T_ASSERT(st.cleaned_bytes > 0);
    atoll_kv_close(kv);
    T_ASSERT(check_quiet() == 0);
    image_size = dev.bd.capacity;
    image = malloc(image_size);
    memcpy(image, dev.cur, image_size);
    t_blk_free(&dev);
    return NULL;
}

/* Open a damaged copy: never a crash, never a wrong value; anything
 * unreadable must show up in check. */
static const char *try_damaged(int *opened, int *flagged)
{
    struct atoll_kv *kv;
    struct atoll_kv_check_report rep;
    char why[200];
    int r = atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why);
    bool lost = false;

    if (r == 0) {
        char key[ATOLL_KV_KEY_MAX + 1];
        (*opened)++;
        for (int i = 0; i < NKEYS; i++) {
            size_t klen = key_of(i, key), vlen;
            int g = atoll_kv_get(kv, key, klen, vbuf, sizeof vbuf, &vlen);
            if (g == 0) {
                if (!image_model.has[i] || vlen != image_model.len[i] ||
                    memcmp(vbuf, image_model.val[i], vlen) != 0)
                    T_FAILF("key %d: a wrong value from a damaged store", i);
            } else if (g == ATOLL_ERR_NOENT || g == ATOLL_ERR_CORRUPT) {
                if (image_model.has[i])
                    lost = true;
            } else {
                T_FAILF("key %d: get: %s", i, atoll_strerror(g));
            }
        }
        struct listing l = {.sorted = true};
        atoll_kv_list(kv, "", 0, count_key, &l);
        atoll_kv_close(kv);
    } else if (r != ATOLL_ERR_CORRUPT && r != ATOLL_ERR_FORMAT) {
        T_FAILF("open: %d (%s)", r, why);
    } else if (why[0] == '\0') {
        T_FAILF("open failed without a reason");
    } else {
        lost = true;
    }
    r = atoll_kv_check(&dev.bd, &rep, NULL, NULL);
    if (r != 0)
        (*flagged)++;
    if (lost && r == 0)
        T_FAILF("data lost but check found nothing");
    return NULL;
}

static const char *flipped_bits(void)
{
    int opened = 0, flagged = 0;
    const char *w;

    for (int trial = 0; trial < 400; trial++) {
        t_blk_init(&dev, image_size, 512, 100 + (uint64_t)trial);
        memcpy(dev.cur, image, image_size);
        memcpy(dev.durable, image, image_size);
        int flips = 1 + (int)(rnd() % 4);
        for (int k = 0; k < flips; k++) {
            /* Half the flips in the first 64 KiB (slots, early log). */
            uint64_t at = rnd() % (rnd() % 2 ? 65536 : image_size);
            dev.cur[at] ^= (uint8_t)(1u << (rnd() % 8));
        }
        w = try_damaged(&opened, &flagged);
        t_blk_free(&dev);
        if (w != NULL) {
            snprintf(t_why, sizeof t_why, "trial %d: %s", trial, w);
            return t_why;
        }
    }
    printf("# flipped bits: 400 images, %d opened, %d flagged by check\n",
           opened, flagged);
    return NULL;
}

static const char *random_and_truncated(void)
{
    struct atoll_kv *kv;
    char why[200];
    int opened = 0, flagged = 0;
    const char *w;

    /* Random bytes: not a store. */
    t_blk_init(&dev, 1u << 20, 512, 9);
    for (uint64_t i = 0; i < dev.bd.capacity; i++)
        dev.cur[i] = (uint8_t)rnd();
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) ==
             ATOLL_ERR_FORMAT);
    T_ASSERT(atoll_kv_check(&dev.bd, NULL, NULL, NULL) == ATOLL_ERR_FORMAT);
    t_blk_free(&dev);
    /* Truncated: refused with the sizes. */
    t_blk_init(&dev, image_size / 2, 512, 10);
    memcpy(dev.cur, image, image_size / 2);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) ==
             ATOLL_ERR_CORRUPT);
    T_ASSERT(strstr(why, "truncated") != NULL);
    t_blk_free(&dev);
    /* Whole blocks of garbage over a good image. */
    for (int trial = 0; trial < 100; trial++) {
        t_blk_init(&dev, image_size, 512, 200 + (uint64_t)trial);
        memcpy(dev.cur, image, image_size);
        uint64_t b = rnd() % (image_size / 512);
        for (int i = 0; i < 512; i++)
            dev.cur[b * 512 + (uint64_t)i] = (uint8_t)rnd();
        w = try_damaged(&opened, &flagged);
        t_blk_free(&dev);
        if (w != NULL) {
            snprintf(t_why, sizeof t_why, "garbage block %llu: %s",
                     (unsigned long long)b, w);
            return t_why;
        }
    }
    return NULL;
}

/* Damage in the middle of the log (not its end): open refuses, salvage
 * reads around it, check says where. */
static const char *mid_log_damage(void)
{
    struct atoll_kv *kv;
    char why[200];
    size_t vlen;
    struct atoll_kv_stats st;
    uint64_t pos_b;

    t_blk_init(&dev, 4u << 20, 512, 11);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    T_ASSERT(atoll_kv_put(kv, "a", 1, "first", 5) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    atoll_kv_stats(kv, &st);
    pos_b = st.head;
    T_ASSERT(atoll_kv_put(kv, "b", 1, "second", 6) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT(atoll_kv_put(kv, "c", 1, "third", 5) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    atoll_kv_close(kv);
    /* Flip a bit in b's value (the record is at pos_b, after the header
     * and the key). */
    uint64_t at = 4096 + pos_b + KV_HDR + 1 + 2;
    dev.cur[at] ^= 0x10;
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) ==
             ATOLL_ERR_CORRUPT);
    T_ASSERT(strstr(why, "damaged") != NULL);
    T_ASSERT(atoll_kv_open(&dev.bd, ATOLL_KV_RDONLY | ATOLL_KV_SALVAGE, &kv,
                           why, sizeof why) == 0);
    T_ASSERT(atoll_kv_get(kv, "a", 1, vbuf, sizeof vbuf, &vlen) == 0 &&
             vlen == 5);
    T_ASSERT(atoll_kv_get(kv, "c", 1, vbuf, sizeof vbuf, &vlen) == 0 &&
             vlen == 5 && memcmp(vbuf, "third", 5) == 0);
    T_ASSERT(atoll_kv_get(kv, "b", 1, vbuf, sizeof vbuf, &vlen) ==
             ATOLL_ERR_NOENT);
    atoll_kv_close(kv);
    struct atoll_kv_check_report rep;
    T_ASSERT(atoll_kv_check(&dev.bd, &rep, NULL, NULL) == ATOLL_ERR_CORRUPT);
    T_ASSERT(rep.damage >= 1);
    /* A damaged checkpoint: open falls back to the older one. */
    dev.cur[at] ^= 0x10;
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    T_ASSERT(atoll_kv_checkpoint(kv) == 0);
    atoll_kv_stats(kv, &st);
    uint64_t ck = st.head; /* the next checkpoint starts here */
    T_ASSERT(atoll_kv_put(kv, "d", 1, "fourth", 6) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    T_ASSERT(atoll_kv_checkpoint(kv) == 0);
    atoll_kv_close(kv);
    (void)ck;
    T_ASSERT(atoll_kv_open(&dev.bd, ATOLL_KV_RDONLY, &kv, NULL, 0) == 0);
    atoll_kv_stats(kv, &st);
    atoll_kv_close(kv);
    dev.cur[4096 + st.ckpt_pos + 20] ^= 0x01; /* a checkpoint header */
    T_ASSERT(atoll_kv_check(&dev.bd, &rep, NULL, NULL) == ATOLL_ERR_CORRUPT);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, why, sizeof why) == 0);
    atoll_kv_stats(kv, &st);
    T_ASSERT(st.ckpt_fallback);
    T_ASSERT(atoll_kv_get(kv, "d", 1, vbuf, sizeof vbuf, &vlen) == 0 &&
             vlen == 6);
    atoll_kv_close(kv);
    /* The rw open rewrote the checkpoint: clean again. */
    T_ASSERT(check_quiet() == 0);
    t_blk_free(&dev);
    return NULL;
}

/* I/O errors: the store stops and says so; reopening recovers. */
static const char *io_errors(void)
{
    struct atoll_kv *kv;
    size_t vlen;

    t_blk_init(&dev, 1u << 20, 512, 12);
    T_ASSERT(atoll_kv_format(&dev.bd, NULL) == 0);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    T_ASSERT(atoll_kv_put(kv, "a", 1, "1", 1) == 0);
    T_ASSERT(atoll_kv_commit(kv) == 0);
    dev.die_at = dev.ops + 1;
    T_ASSERT(atoll_kv_put(kv, "b", 1, "2", 1) == 0); /* buffered */
    T_ASSERT(atoll_kv_commit(kv) == ATOLL_ERR_IO);
    T_ASSERT(atoll_kv_get(kv, "a", 1, vbuf, 8, &vlen) == ATOLL_ERR_IO);
    T_ASSERT(atoll_kv_put(kv, "c", 1, "3", 1) == ATOLL_ERR_IO);
    atoll_kv_close(kv);
    t_blk_kill(&dev);
    T_ASSERT(atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) == 0);
    T_ASSERT(atoll_kv_get(kv, "a", 1, vbuf, 8, &vlen) == 0);
    atoll_kv_close(kv);
    t_blk_free(&dev);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(crc_vectors);
    RUN(index_table);
    RUN(basic);
    RUN(list_prefix);
    RUN(model_churn);
    RUN(power_cuts);
    RUN(power_cuts_4k);
    RUN(full_device);
    RUN(big_values);
    RUN(bounded_replay);
    RUN(build_image);
    if (image != NULL) {
        RUN(flipped_bits);
        RUN(random_and_truncated);
    }
    RUN(mid_log_damage);
    RUN(io_errors);
    model_free(&image_model);
    free(image);
    return t_finish();
}
