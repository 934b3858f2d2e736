/* The fake block device of fakeblk.h. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fakeblk.h"

static uint64_t rnd(struct t_blk *f)
{
    unsigned long long s = f->rng;
    uint64_t r = t_rand_next(&s);

    f->rng = s;
    return r;
}

static struct t_blk *fd_of(struct atoll_blockdev *d)
{
    return d->priv;
}

static bool step(struct t_blk *f)
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
    struct t_blk *f = fd_of(d);
    if (f->dead)
        return ATOLL_ERR_IO;
    f->reads++;
    memcpy(buf, f->cur + off, len);
    return 0;
}

static int fd_write(struct atoll_blockdev *d, uint64_t off, const void *buf,
                    size_t len)
{
    struct t_blk *f = fd_of(d);
    uint32_t bs = d->block_size;
    const uint8_t *p = buf;

    /* Block by block: the device may die in the middle of a request. */
    for (size_t i = 0; i < len; i += bs) {
        if (!step(f))
            return ATOLL_ERR_IO;
        memcpy(f->cur + off + i, p + i, bs);
        f->dirty[(off + i) / bs] = 1;
        f->writes++;
    }
    return 0;
}

static int fd_flush(struct atoll_blockdev *d)
{
    struct t_blk *f = fd_of(d);
    uint32_t bs = d->block_size;

    if (!step(f))
        return ATOLL_ERR_IO;
    for (uint64_t b = 0; b < f->nblocks; b++)
        if (f->dirty[b]) {
            memcpy(f->durable + b * bs, f->cur + b * bs, bs);
            f->dirty[b] = 0;
        }
    f->flushes++;
    return 0;
}

static const struct atoll_blockdev_ops fd_ops = {
    .read = fd_read,
    .write = fd_write,
    .flush = fd_flush,
    .close = NULL,
};

void t_blk_init(struct t_blk *f, uint64_t capacity, uint32_t bs,
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

void t_blk_free(struct t_blk *f)
{
    free(f->durable);
    free(f->cur);
    free(f->dirty);
    memset(f, 0, sizeof *f);
}

void t_blk_load(struct t_blk *f, const void *data, uint64_t len)
{
    uint64_t cap = f->nblocks * f->bd.block_size;

    if (len > cap)
        len = cap;
    memcpy(f->cur, data, len);
    memcpy(f->durable, data, len);
}

void t_blk_powercut(struct t_blk *f)
{
    uint32_t bs = f->bd.block_size;

    for (uint64_t b = 0; b < f->nblocks; b++) {
        if (!f->dirty[b])
            continue;
        uint8_t *dst = f->durable + b * bs, *src = f->cur + b * bs;
        switch (rnd(f) % 4) {
        case 0: /* lost */
            break;
        case 1: { /* torn: a prefix of the new bytes */
            size_t k = rnd(f) % bs;
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

void t_blk_kill(struct t_blk *f)
{
    memcpy(f->durable, f->cur, f->nblocks * f->bd.block_size);
    memset(f->dirty, 0, f->nblocks);
    f->dead = false;
    f->die_at = 0;
}
