/*
 * lmdb-bench: the peer of kvbench (bench/kv/kvbench/kvbench.c), doing the
 * same work with LMDB in a Linux process, with the same durability: every
 * transaction commit syncs the data file (LMDB's default; no MDB_NOSYNC).
 *
 *   lmdb-bench DIR VSIZE N1 N2 BATCH G
 *
 * prints "put-commit N NS", "put-batch N NS", "get N NS" like kvbench.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lmdb.h>

static uint64_t now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "lmdb-bench: %s: %s\n", what, mdb_strerror(rc));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;
    unsigned long vsize, n1, n2, batch, g;
    static unsigned char val[1 << 20];
    uint64_t t0;

    if (argc != 7) {
        fprintf(stderr, "usage: lmdb-bench DIR VSIZE N1 N2 BATCH G\n");
        return 2;
    }
    vsize = strtoul(argv[2], NULL, 10);
    n1 = strtoul(argv[3], NULL, 10);
    n2 = strtoul(argv[4], NULL, 10);
    batch = strtoul(argv[5], NULL, 10);
    g = strtoul(argv[6], NULL, 10);
    memset(val, 0x5a, sizeof val);
    check(mdb_env_create(&env), "env");
    check(mdb_env_set_mapsize(env, (size_t)4 << 30), "mapsize");
    check(mdb_env_open(env, argv[1], 0, 0644), "open");
    check(mdb_txn_begin(env, NULL, 0, &txn), "begin");
    check(mdb_dbi_open(txn, NULL, 0, &dbi), "dbi");
    check(mdb_txn_commit(txn), "commit");

    t0 = now();
    for (unsigned long i = 0; i < n1 + n2;) {
        unsigned long end = i < n1 ? i + 1 : i + batch;
        if (end > n1 + n2 || (i < n1 && end > n1))
            end = i < n1 ? n1 : n1 + n2;
        check(mdb_txn_begin(env, NULL, 0, &txn), "begin");
        for (; i < end; i++) {
            char key[32];
            snprintf(key, sizeof key, "key%08lu", i);
            val[0] = (unsigned char)i;
            MDB_val k = {11, key}, v = {vsize, val};
            check(mdb_put(txn, dbi, &k, &v, 0), "put");
        }
        check(mdb_txn_commit(txn), "commit");
        if (i == n1) {
            printf("put-commit %lu %llu\n", n1,
                   (unsigned long long)(now() - t0));
            t0 = now();
        }
    }
    printf("put-batch %lu %llu\n", n2, (unsigned long long)(now() - t0));

    uint64_t x = 88172645463325252ull, sum = 0;
    t0 = now();
    check(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "begin");
    for (unsigned long i = 0; i < g; i++) {
        char key[32];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        snprintf(key, sizeof key, "key%08lu", (unsigned long)(x % (n1 + n2)));
        MDB_val k = {11, key}, v;
        check(mdb_get(txn, dbi, &k, &v), "get");
        /* Copy the value out, as kv's get does. */
        memcpy(val, v.mv_data, v.mv_size);
        sum += val[0];
    }
    mdb_txn_abort(txn);
    printf("get %lu %llu\n", g, (unsigned long long)(now() - t0));
    printf("checksum %llu\n", (unsigned long long)sum);
    mdb_env_close(env);
    return 0;
}
