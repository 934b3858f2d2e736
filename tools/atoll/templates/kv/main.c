/*
 * @NAME@: counts its boots in a key-value store on the block device
 * "storage", formatting the device the first time.
 *
 * atoll/kv.h describes the store: puts and deletes are grouped into
 * transactions that atoll_kv_commit makes durable at once; a crash
 * before the commit leaves the previous state. `atoll kv` reads and
 * writes the same store from the host (atoll kv get disk.img boots).
 */
#include <stdio.h>
#include <stdlib.h>

#include "atoll/blockdev.h"
#include "atoll/kv.h"
#include "atoll/rt.h"

const char atoll_app_name[] = "@NAME@";

int main(void)
{
    static struct atoll_blockdev dev;
    struct atoll_kv *kv;
    char why[200], value[32];
    size_t len = 0;
    unsigned long long boots = 0;
    int r;

    if (atoll_blockdev_platform(&dev, "storage") != 0) {
        printf("no block device 'storage'\n");
        return 1;
    }
    r = atoll_kv_open(&dev, 0, &kv, why, sizeof why);
    if (r == ATOLL_ERR_FORMAT) {
        /* A fresh (zeroed) disk image: make an empty store on it. */
        if ((r = atoll_kv_format(&dev, NULL)) != 0) {
            printf("format: %s\n", atoll_strerror(r));
            return 1;
        }
        printf("formatted the block device 'storage'\n");
        r = atoll_kv_open(&dev, 0, &kv, why, sizeof why);
    }
    if (r != 0) {
        printf("open: %s\n", why);
        return 1;
    }
    /* Read the counter (absent the first time), add one, commit. */
    r = atoll_kv_get(kv, "boots", 5, value, sizeof value - 1, &len);
    if (r == 0) {
        value[len] = '\0';
        boots = strtoull(value, NULL, 10);
    } else if (r != ATOLL_ERR_NOENT) {
        printf("get: %s\n", atoll_strerror(r));
        return 1;
    }
    len = (size_t)snprintf(value, sizeof value, "%llu", boots + 1);
    if ((r = atoll_kv_put(kv, "boots", 5, value, len)) != 0 ||
        (r = atoll_kv_commit(kv)) != 0) {
        printf("put: %s\n", atoll_strerror(r));
        return 1;
    }
    printf("boot number %llu\n", boots + 1);
    atoll_kv_close(kv);
    return 0;
}
