/*
 * fuzz-storage-seeds DIR: write kv store images for fuzz_kv into DIR/kv/:
 * fresh, with commits, wrapped many times (cleaned, checkpointed), with a
 * rolled-back transaction, and with 4096-byte blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atoll/kv.h"
#include "../lib/fakeblk.h"

static void save(const char *dir, const char *name, const uint8_t *b,
                 size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/kv/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void work(struct atoll_kv *kv, int commits, int keys, size_t vmax)
{
    static uint8_t v[8192];
    char key[16];
    for (int c = 0; c < commits; c++) {
        for (int i = 0; i < 3; i++) {
            int k = (c * 7 + i * 3) % keys;
            snprintf(key, sizeof key, "k%02d", k);
            size_t n = (size_t)(c * 131 + k * 17) % vmax;
            memset(v, 'a' + k % 26, n);
            atoll_kv_put(kv, key, strlen(key), v, n);
        }
        if (c % 5 == 4) {
            snprintf(key, sizeof key, "k%02d", c % keys);
            atoll_kv_del(kv, key, strlen(key));
        }
        atoll_kv_commit(kv);
    }
}

static void image(const char *dir, const char *name, uint64_t cap,
                  uint32_t bs, int commits, int cut)
{
    struct t_blk dev;
    struct atoll_kv *kv;

    t_blk_init(&dev, cap, bs, 1);
    if (atoll_kv_format(&dev.bd, NULL) != 0 ||
        atoll_kv_open(&dev.bd, 0, &kv, NULL, 0) != 0) {
        fprintf(stderr, "%s: format failed\n", name);
        exit(1);
    }
    work(kv, commits, 12, 700);
    if (cut) {
        /* A rolled-back transaction (an ABORT record) before a commit. */
        atoll_kv_put(kv, "k01", 3, "dropped", 7);
        atoll_kv_rollback(kv);
        atoll_kv_put(kv, "k02", 3, "kept", 4);
        atoll_kv_commit(kv);
    }
    save(dir, name, dev.cur, cap);
    atoll_kv_close(kv);
    t_blk_free(&dev);
}

int main(int argc, char **argv)
{
    char path[512];

    if (argc != 2) {
        fprintf(stderr, "usage: fuzz-storage-seeds DIR\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/kv", argv[1]);
    mkdir(argv[1], 0755);
    mkdir(path, 0755);
    image(argv[1], "fresh", 64 << 10, 512, 0, 0);
    image(argv[1], "some", 64 << 10, 512, 20, 0);
    image(argv[1], "wrapped", 64 << 10, 512, 400, 0);
    image(argv[1], "cut", 64 << 10, 512, 30, 1);
    image(argv[1], "big-blocks", 384 << 10, 4096, 60, 0);
    return 0;
}
