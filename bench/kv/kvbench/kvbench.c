/*
 * kvbench: lib/kv timed from inside a unikernel, on the block device
 * "storage" (a store made with atoll-kv format). bench/kv/run.sh runs it
 * beside LMDB doing the same work (bench/kv/lmdb_bench.c). Modes:
 *
 *   bench VSIZE N1 N2 BATCH G   N1 puts with a commit each, N2 puts in
 *                               commits of BATCH, G random gets
 *   fill BYTES VSIZE BATCH      put until BYTES of live records (or the
 *                               store is full), commits of BATCH puts
 *   open                        nothing: the figure is the open itself
 *
 * Every mode first prints "open NS KEYS REPLAYED CKPT_BYTES". Results are
 * "NAME COUNT NANOSECONDS" lines; integers only (guests have no floating
 * point). Keys are "key%08u"; values are bytes of a fixed pattern.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/blockdev.h"
#include "atoll/kv.h"
#include "atoll/platform.h"

const char atoll_app_name[] = "kvbench";

static struct atoll_kv *kv;
static uint8_t *val;

static int put(uint32_t i, size_t vsize)
{
    char key[16];
    snprintf(key, sizeof key, "key%08u", (unsigned)i);
    val[0] = (uint8_t)i; /* a value per key */
    int r = atoll_kv_put(kv, key, 11, val, vsize);
    if (r != 0)
        printf("error: put %s: %s\n", key, atoll_strerror(r));
    return r;
}

static int commit(void)
{
    int r = atoll_kv_commit(kv);
    if (r != 0)
        printf("error: commit: %s\n", atoll_strerror(r));
    return r;
}

static void report(const char *name, uint64_t n, atoll_time_t t0)
{
    printf("%s %llu %llu\n", name, (unsigned long long)n,
           (unsigned long long)(atoll_clock_monotonic() - t0));
}

static int bench(size_t vsize, uint32_t n1, uint32_t n2, uint32_t batch,
                 uint32_t g)
{
    atoll_time_t t0 = atoll_clock_monotonic();
    uint32_t i;

    for (i = 0; i < n1; i++)
        if (put(i, vsize) || commit())
            return 1;
    report("put-commit", n1, t0);
    t0 = atoll_clock_monotonic();
    for (i = 0; i < n2; i++)
        if (put(n1 + i, vsize) || ((i + 1) % batch == 0 && commit()))
            return 1;
    if (commit())
        return 1;
    report("put-batch", n2, t0);
    uint64_t x = 88172645463325252ull, sum = 0;
    t0 = atoll_clock_monotonic();
    for (i = 0; i < g; i++) {
        char key[16];
        size_t vlen;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        snprintf(key, sizeof key, "key%08u", (unsigned)(x % (n1 + n2)));
        if (atoll_kv_get(kv, key, 11, val, vsize, &vlen) != 0) {
            printf("error: get %s\n", key);
            return 1;
        }
        sum += val[0];
    }
    report("get", g, t0);
    printf("checksum %llu\n", (unsigned long long)sum);
    return 0;
}

static int fill(uint64_t bytes, size_t vsize, uint32_t batch)
{
    atoll_time_t t0 = atoll_clock_monotonic();
    struct atoll_kv_stats st;
    uint32_t i = 0;

    for (;;) {
        atoll_kv_stats(kv, &st);
        if (st.live_bytes >= bytes)
            break;
        for (uint32_t b = 0; b < batch; b++, i++) {
            int r = put(i, vsize);
            if (r == ATOLL_ERR_NOSPC)
                goto full;
            if (r != 0)
                return 1;
        }
        if (commit())
            return 1;
    }
full:
    if (commit())
        return 1;
    report("fill", i, t0);
    atoll_kv_stats(kv, &st);
    printf("stats keys %llu live %llu log %llu data %llu\n",
           (unsigned long long)st.keys, (unsigned long long)st.live_bytes,
           (unsigned long long)st.log_bytes,
           (unsigned long long)st.data_size);
    return 0;
}

int main(int argc, char **argv)
{
    static struct atoll_blockdev dev;
    struct atoll_kv_stats st;
    char why[200];
    int status = 0;

    if (atoll_blockdev_platform(&dev, "storage") != 0) {
        printf("error: no block device 'storage'\n");
        return 1;
    }
    atoll_time_t t0 = atoll_clock_monotonic();
    if (atoll_kv_open(&dev, 0, &kv, why, sizeof why) != 0) {
        printf("error: open: %s\n", why);
        return 1;
    }
    atoll_time_t t1 = atoll_clock_monotonic();
    atoll_kv_stats(kv, &st);
    printf("open %llu %llu %llu %llu\n", (unsigned long long)(t1 - t0),
           (unsigned long long)st.keys,
           (unsigned long long)st.replayed_bytes,
           (unsigned long long)st.ckpt_bytes);
    val = malloc(st.max_value);
    memset(val, 0x5a, st.max_value);
    if (argc >= 7 && strcmp(argv[1], "bench") == 0)
        status = bench(strtoul(argv[2], NULL, 10),
                       (uint32_t)strtoul(argv[3], NULL, 10),
                       (uint32_t)strtoul(argv[4], NULL, 10),
                       (uint32_t)strtoul(argv[5], NULL, 10),
                       (uint32_t)strtoul(argv[6], NULL, 10));
    else if (argc >= 5 && strcmp(argv[1], "fill") == 0)
        status = fill(strtoull(argv[2], NULL, 10),
                      strtoul(argv[3], NULL, 10),
                      (uint32_t)strtoul(argv[4], NULL, 10));
    else if (argc < 2 || strcmp(argv[1], "open") != 0) {
        printf("usage: kvbench bench VSIZE N1 N2 BATCH G | fill BYTES "
               "VSIZE BATCH | open\n");
        status = 2;
    }
    atoll_kv_close(kv);
    return status;
}
