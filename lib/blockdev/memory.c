/*
 * Memory adapter: a read-only struct atoll_blockdev over bytes in the
 * image or the heap, so that code written for a device (lib/tarkv) also
 * reads an archive compiled into the image (examples/dns-builtin). No
 * platform calls: built into the guest and host archives alike.
 */
#include <string.h>

#include "atoll/blockdev.h"

static int mem_read(struct atoll_blockdev *d, uint64_t off, void *buf,
                    size_t len)
{
    /* The wrapper checked off and len against the capacity. */
    memcpy(buf, (const unsigned char *)d->priv + off, len);
    return 0;
}

static int mem_write(struct atoll_blockdev *d, uint64_t off, const void *buf,
                     size_t len)
{
    (void)d, (void)off, (void)buf, (void)len;
    return ATOLL_ERR_ROFS; /* not reached: the device is read_only */
}

static int mem_flush(struct atoll_blockdev *d)
{
    (void)d;
    return 0; /* nothing was written */
}

static const struct atoll_blockdev_ops mem_ops = {
    .read = mem_read,
    .write = mem_write,
    .flush = mem_flush,
    .close = NULL,
};

int atoll_blockdev_memory(struct atoll_blockdev *d, const void *data,
                          size_t len)
{
    if (d == 0 || (data == 0 && len != 0) || len % 512 != 0)
        return ATOLL_ERR_INVAL;
    d->ops = &mem_ops;
    d->capacity = len;
    d->block_size = 512;
    d->can_flush = true;
    d->read_only = true;
    d->handle = 0;
    d->fd = -1;
    d->priv = (void *)(uintptr_t)data; /* read only: never written */
    return 0;
}
