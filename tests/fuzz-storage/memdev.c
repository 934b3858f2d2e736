/* The buffer-backed block device of memdev.h. */
#include <string.h>

#include "memdev.h"

static int mem_read(struct atoll_blockdev *d, uint64_t off, void *buf,
                    size_t len)
{
    memcpy(buf, (uint8_t *)d->priv + off, len);
    return ATOLL_BLOCKDEV_OK;
}

static int mem_write(struct atoll_blockdev *d, uint64_t off, const void *buf,
                     size_t len)
{
    memcpy((uint8_t *)d->priv + off, buf, len);
    return ATOLL_BLOCKDEV_OK;
}

static int mem_flush(struct atoll_blockdev *d)
{
    (void)d;
    return ATOLL_BLOCKDEV_OK;
}

static const struct atoll_blockdev_ops mem_ops = {
    .read = mem_read,
    .write = mem_write,
    .flush = mem_flush,
    .close = NULL,
};

void memdev_init(struct atoll_blockdev *d, uint8_t *buf, uint64_t capacity,
                 uint32_t bs, int read_only)
{
    memset(d, 0, sizeof *d);
    d->ops = &mem_ops;
    d->capacity = capacity;
    d->block_size = bs;
    d->can_flush = 1;
    d->read_only = read_only != 0;
    d->fd = -1;
    d->priv = buf;
}
