/*
 * virtio-blk's driver (bindings/virtio/block.c) against a disk model that
 * serves each request when notified: sectors and lengths as the spec has
 * them, large transfers split within size_max, the device's statuses as
 * the platform ABI's errors, flush only where offered, read-only disks,
 * and a device that never answers given up on after its timeout.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../bindings/common/bindings.h"
#include "../../../bindings/virtio/mem.h"
#include "../../../bindings/virtio/virtio_drv.h"
#include "../../lib/check.h"
#include "fake.h"

/* ---- the bindings around block.c (the rest in fake.c) -------------------- */

_Static_assert(VIRTIO_BLOCK_MAX <= FAKE_MFT_MAX, "fake manifest too small");
#define H fake_mft_count
#define entry (fake_mft[H])

/* ---- the disk ------------------------------------------------------------- */

#define SECTORS 2048 /* 1 MiB */
struct disk {
    struct fake f; /* first: serve gets &disk.f */
    uint8_t disk[SECTORS * 512];
    uint8_t answer;         /* status byte to give; 0xee: never answer */
    unsigned requests, flushes;
    uint32_t largest;       /* largest data buffer seen */
    const char *bad;        /* a malformed request seen */
};

/* Serve every available request: header, data, status. */
static void serve(struct fake *fk, uint16_t idx)
{
    struct disk *f = (struct disk *)fk;
    struct chain c;

    (void)idx;
    while (fake_pop(fk, 0, &c)) {
        unsigned n = c.n < 3 ? c.n : 3;
        f->requests++;
        if (f->answer == 0xee)
            continue;
        uint32_t type;
        uint64_t sector;
        memcpy(&type, c.addr[0], 4);
        memcpy(&sector, c.addr[0] + 8, 8);
        uint8_t *st = c.addr[n - 1];
        uint32_t written = 1;
        if (c.len[0] != 16 || c.len[n - 1] != 1 || !c.write[n - 1])
            f->bad = "header or status descriptor";
        if (type == 4) {
            f->flushes++;
            if (n != 2)
                f->bad = "flush with data";
        } else if (n == 3) {
            uint8_t *data = c.addr[1];
            uint32_t len = c.len[1];
            bool w = c.write[1];
            if (len > f->largest)
                f->largest = len;
            if (len % 512 != 0 || sector + len / 512 > SECTORS ||
                w != (type == 0))
                f->bad = "data descriptor";
            else if (f->answer == 0 && type == 0)
                memcpy(data, f->disk + sector * 512, len), written += len;
            else if (f->answer == 0 && type == 1)
                memcpy(f->disk + sector * 512, data, len);
        } else {
            f->bad = "no data";
        }
        *st = f->answer;
        fake_push(fk, 0, c.head, written);
    }
}

#define V1 (1ull << VIRTIO_F_VERSION_1)
#define F_SIZE_MAX (1ull << 1)
#define F_RO (1ull << 5)
#define F_BLK_SIZE (1ull << 6)
#define F_FLUSH (1ull << VIRTIO_BLK_F_FLUSH)

static struct disk *dev, *devs[VIRTIO_BLOCK_MAX];

static const char *bring_up(uint64_t offered, uint32_t blk_size,
                            uint32_t size_max)
{
    if (H == VIRTIO_BLOCK_MAX)
        return "more cases than block.c has devices";
    dev = devs[H] = calloc(1, sizeof *dev);
    fake_init(&dev->f, VIRTIO_PCI_MODERN, offered | V1);
    dev->f.qmax = 128;
    dev->f.serve = serve;
    /* capacity lo/hi, size_max, seg_max, geometry, blk_size */
    dev->f.cfg[0] = SECTORS;
    dev->f.cfg[2] = size_max;
    dev->f.cfg[5] = blk_size;
    H++;
    entry.type = fake_mft_type = ATOLL_MFT_DEV_BLOCK_BASIC;
    return virtio_block_init(&dev->f.d, &entry, H);
}

/* ---- cases ------------------------------------------------------------------ */

static const char *round_trip(void)
{
    static uint8_t out[300 * 1024], in[300 * 1024];

    T_ASSERT(bring_up(F_FLUSH | F_SIZE_MAX, 0, 64 * 1024) == NULL);
    T_ASSERT(entry.attached && entry.u.block_basic.capacity == SECTORS * 512);
    T_ASSERT(entry.u.block_basic.block_size == 512);
    T_ASSERT(bind_block_can_flush(H));
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i * 7 + 3);
    /* 300 KiB at sector 5: several requests of at most size_max. */
    T_ASSERT(atoll_block_write(H, 5 * 512, out, sizeof out) == ATOLL_OK);
    T_ASSERT(memcmp(dev->disk + 5 * 512, out, sizeof out) == 0);
    T_ASSERT(dev->largest == 64 * 1024 && dev->requests == 5);
    T_ASSERT(atoll_block_read(H, 5 * 512, in, sizeof in) == ATOLL_OK);
    T_ASSERT(memcmp(in, out, sizeof in) == 0);
    T_ASSERT(atoll_block_flush(H) == ATOLL_OK && dev->flushes == 1);
    T_ASSERT(dev->bad == NULL);
    /* Range and alignment. */
    T_ASSERT(atoll_block_read(H, 1, in, 512) == ATOLL_EINVAL);
    T_ASSERT(atoll_block_read(H, 0, in, 511) == ATOLL_EINVAL);
    T_ASSERT(atoll_block_read(H, 0, in, 0) == ATOLL_EINVAL);
    T_ASSERT(atoll_block_read(H, SECTORS * 512, in, 512) == ATOLL_EINVAL);
    T_ASSERT(atoll_block_write(H, (SECTORS - 1) * 512, out, 1024) ==
             ATOLL_EINVAL);
    T_ASSERT(atoll_block_read(H + 1, 0, in, 512) == ATOLL_EINVAL);
    T_ASSERT(dev->requests == 11);
    return NULL;
}

static const char *statuses(void)
{
    uint8_t buf[4096];

    T_ASSERT(bring_up(F_FLUSH, 0, 0) == NULL);
    dev->answer = 1; /* VIRTIO_BLK_S_IOERR */
    T_ASSERT(atoll_block_read(H, 0, buf, 4096) == ATOLL_EUNSPEC);
    T_ASSERT(atoll_block_flush(H) == ATOLL_EUNSPEC);
    dev->answer = 2; /* VIRTIO_BLK_S_UNSUPP */
    T_ASSERT(atoll_block_write(H, 0, buf, 4096) == ATOLL_ENOTSUP);
    dev->answer = 7; /* not a status at all */
    T_ASSERT(atoll_block_read(H, 0, buf, 4096) == ATOLL_EUNSPEC);
    dev->answer = 0;
    T_ASSERT(atoll_block_read(H, 0, buf, 4096) == ATOLL_OK);
    return NULL;
}

static const char *no_flush_read_only_4k(void)
{
    uint8_t buf[8192];

    /* No FLUSH offered: can_flush false, flush ENOTSUP without asking the
     * device; a 4 KiB block size from the configuration. */
    T_ASSERT(bring_up(F_BLK_SIZE | F_RO, 4096, 0) == NULL);
    T_ASSERT(!bind_block_can_flush(H));
    T_ASSERT(entry.u.block_basic.block_size == 4096);
    T_ASSERT(entry.u.block_basic.capacity == SECTORS * 512);
    T_ASSERT(atoll_block_flush(H) == ATOLL_ENOTSUP && dev->requests == 0);
    T_ASSERT(atoll_block_read(H, 512, buf, 4096) == ATOLL_EINVAL);
    T_ASSERT(atoll_block_read(H, 4096, buf, 8192) == ATOLL_OK);
    /* Read-only: writes fail without a request. */
    T_ASSERT(atoll_block_write(H, 0, buf, 4096) == ATOLL_EUNSPEC);
    T_ASSERT(dev->requests == 1);
    /* A block size that is not a power of two: refused at init. */
    T_ASSERT(bring_up(F_BLK_SIZE, 1000, 0) != NULL && !entry.attached);
    return NULL;
}

static const char *silent_device(void)
{
    uint8_t buf[512];

    T_ASSERT(bring_up(F_FLUSH, 0, 0) == NULL);
    dev->answer = 0xee;
    atoll_time_t t0 = fake_now_ns;
    T_ASSERT(atoll_block_read(H, 0, buf, 512) == ATOLL_EUNSPEC);
    T_ASSERT(fake_now_ns - t0 >= 30000000000ull);
    T_ASSERT(strstr(fake_said, "given up") != NULL);
    /* The buffer may still be the device's: no more requests. */
    dev->answer = 0;
    T_ASSERT(atoll_block_read(H, 0, buf, 512) == ATOLL_EUNSPEC);
    T_ASSERT(dev->requests == 1);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(round_trip);
    RUN(statuses);
    RUN(no_flush_read_only_4k);
    RUN(silent_device);
    fake_free_pages();
    for (unsigned i = 0; i < VIRTIO_BLOCK_MAX; i++)
        free(devs[i]);
    return t_finish();
}
