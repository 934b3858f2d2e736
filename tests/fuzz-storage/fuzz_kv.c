/*
 * libFuzzer target for lib/kv's recovery path: the input is a device
 * image. check, a read-only salvage open and a read-write open (with a
 * few changes, a commit, compaction and a checkpoint) must never crash,
 * hang or leak, and reads may only fail with the documented errors.
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/kv.h"
#include "memdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t val[1 << 17];

static int visit(void *arg, const void *key, size_t klen, size_t vlen)
{
    struct atoll_kv *kv = arg;
    size_t n;
    int r = atoll_kv_get(kv, key, klen, val, sizeof val, &n);
    if (r != ATOLL_KV_OK && r != ATOLL_KV_ECORRUPT && r != ATOLL_KV_ERANGE)
        abort();
    if (r == ATOLL_KV_OK && n != vlen)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    uint64_t cap = (size + 511) / 512 * 512;
    uint8_t *buf;

    if (size > (1u << 20))
        return 0;
    buf = calloc(1, cap ? cap : 512);
    memcpy(buf, data, size);
    memdev_init(&d, buf, cap, 512, 0);

    atoll_kv_check(&d, NULL, NULL, NULL);
    if (atoll_kv_open(&d, ATOLL_KV_RDONLY | ATOLL_KV_SALVAGE, &kv, NULL,
                      0) == ATOLL_KV_OK) {
        atoll_kv_list(kv, "", 0, visit, kv);
        atoll_kv_close(kv);
    }
    if (atoll_kv_open(&d, 0, &kv, NULL, 0) == ATOLL_KV_OK) {
        atoll_kv_list(kv, "", 0, visit, kv);
        atoll_kv_put(kv, "fuzz", 4, "value", 5);
        atoll_kv_del(kv, "k00", 3);
        atoll_kv_commit(kv);
        atoll_kv_put(kv, "fuzz2", 5, data, size < 200 ? size : 200);
        atoll_kv_rollback(kv);
        atoll_kv_compact(kv, 0);
        atoll_kv_checkpoint(kv);
        atoll_kv_list(kv, "k", 1, visit, kv);
        atoll_kv_close(kv);
        /* What it wrote must open again. */
        if (atoll_kv_open(&d, ATOLL_KV_RDONLY, &kv, NULL, 0) == ATOLL_KV_OK)
            atoll_kv_close(kv);
    }
    free(buf);
    return 0;
}
