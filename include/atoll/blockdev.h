/*
 * A block device as the storage libraries (lib/kv, lib/tarkv) see it: whole
 * blocks at block-aligned offsets, plus a flush that makes completed writes
 * durable. Two adapters fill one in:
 *
 *   atoll_blockdev_platform()  (guests)  a device from the manifest, over
 *                                         atoll_block_* of the platform ABI
 *   atoll_blockdev_file()      (host)    a regular file or block device,
 *                                         over pread/pwrite/fdatasync
 *   atoll_blockdev_memory()    (both)    read-only bytes in memory (an
 *                                         archive compiled into the image)
 *
 * Tests add their own (a fake device that drops or tears unflushed writes).
 * The inline wrappers below check alignment and bounds, so an adapter only
 * moves bytes. Results are 0 or a negative code of atoll/err.h:
 * ATOLL_ERR_IO (the device failed the operation), INVAL (misaligned or out
 * of range), NOTSUP (flush: durability cannot be promised), ROFS (a write
 * to a device opened read-only).
 */
#ifndef ATOLL_BLOCKDEV_H
#define ATOLL_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/err.h"

struct atoll_blockdev;

struct atoll_blockdev_ops {
    int (*read)(struct atoll_blockdev *d, uint64_t off, void *buf,
                size_t len);
    int (*write)(struct atoll_blockdev *d, uint64_t off, const void *buf,
                 size_t len);
    int (*flush)(struct atoll_blockdev *d);
    void (*close)(struct atoll_blockdev *d); /* may be NULL */
};

struct atoll_blockdev {
    const struct atoll_blockdev_ops *ops;
    uint64_t capacity;   /* bytes, a multiple of block_size */
    uint32_t block_size; /* a power of two, at least 512 */
    bool can_flush;      /* flush makes completed writes durable */
    bool read_only;      /* write always fails with EROFS */
    /* Adapter state. */
    uint64_t handle;
    int fd;
    void *priv;
};

static inline int atoll_blockdev_span_ok(const struct atoll_blockdev *d,
                                         uint64_t off, size_t len)
{
    uint64_t bs = d->block_size;
    return bs != 0 && off % bs == 0 && len % bs == 0 && off <= d->capacity &&
           len <= d->capacity - off;
}

/* Read len bytes at off (both multiples of block_size). */
static inline int atoll_blockdev_read(struct atoll_blockdev *d, uint64_t off,
                                      void *buf, size_t len)
{
    if (!atoll_blockdev_span_ok(d, off, len))
        return ATOLL_ERR_INVAL;
    return len == 0 ? 0 : d->ops->read(d, off, buf, len);
}

/* Write len bytes at off; visible to reads at once, durable after flush. */
static inline int atoll_blockdev_write(struct atoll_blockdev *d, uint64_t off,
                                       const void *buf, size_t len)
{
    if (d->read_only)
        return ATOLL_ERR_ROFS;
    if (!atoll_blockdev_span_ok(d, off, len))
        return ATOLL_ERR_INVAL;
    return len == 0 ? 0 : d->ops->write(d, off, buf, len);
}

/* Make every completed write durable. ATOLL_ERR_NOTSUP when the device
 * cannot. */
static inline int atoll_blockdev_flush(struct atoll_blockdev *d)
{
    if (!d->can_flush)
        return ATOLL_ERR_NOTSUP;
    return d->ops->flush(d);
}

static inline void atoll_blockdev_close(struct atoll_blockdev *d)
{
    if (d->ops != NULL && d->ops->close != NULL)
        d->ops->close(d);
    d->ops = NULL;
}

/* A short name for a result above ("I/O error", ...). */
const char *atoll_strerror(int err);

/*
 * Guests: acquire the manifest's block device called name. Returns 0, or
 * ATOLL_ERR_INVAL when the manifest has no such device or it is
 * already acquired, ATOLL_ERR_IO when the tender attached nothing usable.
 */
int atoll_blockdev_platform(struct atoll_blockdev *d, const char *name);

/*
 * Guests and host: a read-only device over the len bytes at data (len a
 * multiple of 512, the block size), for an archive compiled into the
 * image. The bytes must outlive the device. Returns 0, or
 * ATOLL_ERR_INVAL for a length that is not whole blocks.
 */
int atoll_blockdev_memory(struct atoll_blockdev *d, const void *data,
                          size_t len);

/*
 * Host: open path (a regular file or a block device). block_size 0 means 512.
 * The capacity is the file's size rounded down to whole blocks. On failure
 * returns ATOLL_ERR_IO or ATOLL_ERR_INVAL and, when err is not NULL, writes
 * one line saying why into err (errlen bytes).
 */
int atoll_blockdev_file(struct atoll_blockdev *d, const char *path,
                        bool read_only, uint32_t block_size, char *err,
                        size_t errlen);

#endif
