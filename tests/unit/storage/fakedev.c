/* The fake block device of fakedev.h. */
#include <stdlib.h>
#include <string.h>

#include "fakedev.h"

uint64_t fakedev_rand(struct fakedev *f)
{
    /* xorshift64* */
    f->rng ^= f->rng >> 12;
    f->rng ^= f->rng << 25;
    f->rng ^= f->rng >> 27;
    return f->rng * 0x2545f4914f6cdd1dull;
}

static struct fakedev *fd_of(struct atoll_blockdev *d)
{
    return d->priv;
}

static bool step(struct fakedev *f)
{
    if (f->dead)
        return false;
    f->ops++;
    if (f->die_at != 0 && f->ops >= f->die_at) {
        f->dead = true;
        return false;
    }
    return true;
}

static int fd_read(struct atoll_blockdev *d, uint64_t off, void *buf,
                   size_t len)
{
    struct fakedev *f = fd_of(d);
    if (f->dead)
        return ATOLL_BLOCKDEV_EIO;
    f->reads++;
    memcpy(buf, f->cur + off, len);
    return ATOLL_BLOCKDEV_OK;
}

static int fd_write(struct atoll_blockdev *d, uint64_t off, const void *buf,
                    size_t len)
{
    struct fakedev *f = fd_of(d);
    uint32_t bs = d->block_size;
    const uint8_t *p = buf;

    /* Block by block: the device may die in the middle of a request. */
    for (size_t i = 0; i < len; i += bs) {
        if (!step(f))
            return ATOLL_BLOCKDEV_EIO;
        memcpy(f->cur + off + i, p + i, bs);
        f->dirty[(off + i) / bs] = 1;
        f->writes++;
    }
    return ATOLL_BLOCKDEV_OK;
}

static int fd_flush(struct atoll_blockdev *d)
{
    struct fakedev *f = fd_of(d);
    uint32_t bs = d->block_size;

    if (!step(f))
        return ATOLL_BLOCKDEV_EIO;
    for (uint64_t b = 0; b < f->nblocks; b++)
        if (f->dirty[b]) {
            memcpy(f->durable + b * bs, f->cur + b * bs, bs);
            f->dirty[b] = 0;
        }
    f->flushes++;
    return ATOLL_BLOCKDEV_OK;
}

static const struct atoll_blockdev_ops fd_ops = {
    .read = fd_read,
    .write = fd_write,
    .flush = fd_flush,
    .close = NULL,
};

void fakedev_init(struct fakedev *f, uint64_t capacity, uint32_t bs,
                  uint64_t seed)
{
    memset(f, 0, sizeof *f);
    f->nblocks = capacity / bs;
    f->durable = calloc(1, capacity);
    f->cur = calloc(1, capacity);
    f->dirty = calloc(1, f->nblocks);
    f->rng = seed | 1;
    f->bd.ops = &fd_ops;
    f->bd.capacity = f->nblocks * bs;
    f->bd.block_size = bs;
    f->bd.can_flush = true;
    f->bd.priv = f;
    f->bd.fd = -1;
}

void fakedev_free(struct fakedev *f)
{
    free(f->durable);
    free(f->cur);
    free(f->dirty);
    memset(f, 0, sizeof *f);
}

void fakedev_powercut(struct fakedev *f)
{
    uint32_t bs = f->bd.block_size;

    for (uint64_t b = 0; b < f->nblocks; b++) {
        if (!f->dirty[b])
            continue;
        uint8_t *dst = f->durable + b * bs, *src = f->cur + b * bs;
        switch (fakedev_rand(f) % 4) {
        case 0: /* lost */
            break;
        case 1: { /* torn: a prefix of the new bytes */
            size_t k = fakedev_rand(f) % bs;
            memcpy(dst, src, k);
            break;
        }
        default: /* made it */
            memcpy(dst, src, bs);
            break;
        }
        f->dirty[b] = 0;
    }
    memcpy(f->cur, f->durable, f->nblocks * bs);
    f->dead = false;
    f->die_at = 0;
}

void fakedev_kill(struct fakedev *f)
{
    memcpy(f->durable, f->cur, f->nblocks * f->bd.block_size);
    memset(f->dirty, 0, f->nblocks);
    f->dead = false;
    f->die_at = 0;
}
