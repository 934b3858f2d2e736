/*
 * Guest adapter: a struct atoll_blockdev over the platform ABI's block
 * device calls. The platform checks alignment and bounds again; the
 * wrappers in blockdev.h have already done so.
 */
#include "atoll/blockdev.h"
#include "atoll/platform.h"

/* The platform's result codes (an ABI shared with Solo5) become
 * atoll/err.h's here, once. */
static int map(enum atoll_result r)
{
    switch (r) {
    case ATOLL_OK:
        return 0;
    case ATOLL_EINVAL:
        return ATOLL_ERR_INVAL;
    case ATOLL_ENOTSUP:
        return ATOLL_ERR_NOTSUP;
    default:
        return ATOLL_ERR_IO;
    }
}

static int plat_read(struct atoll_blockdev *d, uint64_t off, void *buf,
                     size_t len)
{
    return map(atoll_block_read(d->handle, off, buf, len));
}

static int plat_write(struct atoll_blockdev *d, uint64_t off,
                      const void *buf, size_t len)
{
    return map(atoll_block_write(d->handle, off, buf, len));
}

static int plat_flush(struct atoll_blockdev *d)
{
    return map(atoll_block_flush(d->handle));
}

static const struct atoll_blockdev_ops plat_ops = {
    .read = plat_read,
    .write = plat_write,
    .flush = plat_flush,
    .close = NULL,
};

int atoll_blockdev_platform(struct atoll_blockdev *d, const char *name)
{
    struct atoll_block_info info;
    atoll_handle_t h;
    enum atoll_result r = atoll_block_acquire(name, &h, &info);

    if (r == ATOLL_ENOENT || r == ATOLL_EINVAL)
        return ATOLL_ERR_INVAL;
    if (r != ATOLL_OK)
        return ATOLL_ERR_IO;
    /* The storage libraries want a power-of-two block of at least 512. */
    if (info.block_size < 512 || info.block_size > (1u << 20) ||
        (info.block_size & (info.block_size - 1)) != 0 ||
        info.capacity % info.block_size != 0)
        return ATOLL_ERR_IO;
    d->ops = &plat_ops;
    d->capacity = info.capacity;
    d->block_size = (uint32_t)info.block_size;
    d->can_flush = info.can_flush;
    d->read_only = false;
    d->handle = h;
    d->fd = -1;
    d->priv = NULL;
    return 0;
}
