/*
 * libFuzzer target for lib/kv's recovery path: the input is a device
 * image. check, a read-only salvage open and a read-write open (with a
 * few changes, a commit, compaction and a checkpoint) must never crash,
 * hang or leak, reads may only fail with the documented errors, and what
 * the read-write open left must open again with its commit in it (else
 * abort).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/kv.h"
#include "../lib/fakeblk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t val[1 << 17];

static int visit(void *arg, const void *key, size_t klen, size_t vlen)
{
    struct atoll_kv *kv = arg;
    size_t n;
    int r = atoll_kv_get(kv, key, klen, val, sizeof val, &n);
    if (r != 0 && r != ATOLL_ERR_CORRUPT && r != ATOLL_ERR_RANGE)
        abort();
    if (r == 0 && n != vlen)
        abort();
    return 0;
}

/* A store lib/kv opened for writing and closed must open again (abort
 * with the reason if not), and hold a committed put. */
static void reopen(struct atoll_blockdev *d, int committed)
{
    struct atoll_kv *kv;
    char why[200];
    size_t n;
    int r;

    r = atoll_kv_open(d, ATOLL_KV_RDONLY, &kv, why, sizeof why);
    if (r != 0) {
        fprintf(stderr, "fuzz_kv: the store does not open again after "
                "changes: %s: %s\n", atoll_strerror(r), why);
        abort();
    }
    if (committed) {
        r = atoll_kv_get(kv, "fuzz", 4, val, sizeof val, &n);
        if (r != 0 || n != 5 || memcmp(val, "value", 5) != 0) {
            fprintf(stderr, "fuzz_kv: a committed put is lost: %s\n",
                    atoll_strerror(r));
            abort();
        }
    }
    atoll_kv_close(kv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct t_blk dev;
    struct atoll_blockdev *d = &dev.bd;
    struct atoll_kv *kv;
    uint64_t cap = (size + 511) / 512 * 512;

    if (size > (1u << 20))
        return 0;
    t_blk_init(&dev, cap, 512, 1);
    t_blk_load(&dev, data, size);

    atoll_kv_check(d, NULL, NULL, NULL);
    if (atoll_kv_open(d, ATOLL_KV_RDONLY | ATOLL_KV_SALVAGE, &kv, NULL,
                      0) == 0) {
        atoll_kv_list(kv, "", 0, visit, kv);
        atoll_kv_close(kv);
    }
    if (atoll_kv_open(d, 0, &kv, NULL, 0) == 0) {
        int committed;

        atoll_kv_list(kv, "", 0, visit, kv);
        /* A put refused (a damaged store) leaves nothing to find. */
        committed = atoll_kv_put(kv, "fuzz", 4, "value", 5) == 0;
        atoll_kv_del(kv, "k00", 3);
        committed &= atoll_kv_commit(kv) == 0;
        atoll_kv_put(kv, "fuzz2", 5, data, size < 200 ? size : 200);
        atoll_kv_rollback(kv);
        atoll_kv_compact(kv, 0);
        atoll_kv_checkpoint(kv);
        atoll_kv_list(kv, "k", 1, visit, kv);
        atoll_kv_close(kv);
        /* What it wrote must open again, with what it committed. */
        reopen(d, committed);
    }
    t_blk_free(&dev);
    return 0;
}
