/*
 * libFuzzer target for lib/tarkv's archive parser: the input is the
 * device's contents (zero padded to whole blocks). Whatever mounts must
 * hold only entries whose data lies inside the device, findable by name
 * and readable; nothing may crash or leak. The first byte's low bit picks
 * 4096-byte device blocks instead of 512.
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/tarkv.h"
#include "../lib/fakeblk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct t_blk dev;
    struct atoll_tarkv *t;
    uint32_t bs = size > 0 && (data[0] & 1) ? 4096 : 512;
    uint64_t cap = (size + bs - 1) / bs * bs;
    uint8_t tmp[600];
    char why[200];

    t_blk_init(&dev, cap, bs, 1);
    t_blk_load(&dev, data, size);
    dev.bd.read_only = true;
    if (atoll_tarkv_mount(&dev.bd, &t, why, sizeof why) == 0) {
        for (size_t i = 0; i < atoll_tarkv_count(t); i++) {
            const struct atoll_tarkv_entry *e = atoll_tarkv_entry(t, i);
            size_t got;
            if (e->offset + e->size > cap || e->name_len == 0 ||
                strlen(e->name) != e->name_len)
                abort();
            if (atoll_tarkv_lookup(t, e->name, e->name_len) != e)
                abort();
            if (atoll_tarkv_read(t, e, 0, tmp, sizeof tmp, &got) != 0 ||
                atoll_tarkv_read(t, e, e->size - got, tmp, sizeof tmp,
                                 &got) != 0)
                abort();
        }
        atoll_tarkv_lookup(t, "index.html", 10);
        atoll_tarkv_unmount(t);
    } else if (why[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    t_blk_free(&dev);
    return 0;
}
