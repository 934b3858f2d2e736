/*
 * Host adapter: a struct atoll_blockdev over a file descriptor, for the
 * atoll-kv tool and tests. Flush is fdatasync, as in the tenders.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atoll/blockdev.h"

/* The whole range or an error: pread/pwrite may move fewer bytes. */
static int transfer(struct atoll_blockdev *d, uint64_t off, char *p,
                    size_t len, bool write)
{
    while (len > 0) {
        ssize_t n = write ? pwrite(d->fd, p, len, (off_t)off)
                          : pread(d->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ATOLL_ERR_IO;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_read(struct atoll_blockdev *d, uint64_t off, void *buf,
                     size_t len)
{
    return transfer(d, off, buf, len, false);
}

/* transfer() only reads from buf when writing. */
static int file_write(struct atoll_blockdev *d, uint64_t off,
                      const void *buf, size_t len)
{
    return transfer(d, off, (char *)(uintptr_t)buf, len, true);
}

static int file_flush(struct atoll_blockdev *d)
{
    int r;

    do
        r = fdatasync(d->fd);
    while (r < 0 && errno == EINTR);
    return r == 0 ? 0 : ATOLL_ERR_IO;
}

static void file_close(struct atoll_blockdev *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

static const struct atoll_blockdev_ops file_ops = {
    .read = file_read,
    .write = file_write,
    .flush = file_flush,
    .close = file_close,
};

int atoll_blockdev_file(struct atoll_blockdev *d, const char *path,
                        bool read_only, uint32_t block_size, char *err,
                        size_t errlen)
{
    struct stat st;
    uint64_t size;
    int fd;

    if (block_size == 0)
        block_size = 512;
    if (block_size < 512 || (block_size & (block_size - 1)) != 0) {
        if (err != NULL)
            snprintf(err, errlen, "block size %u is not a power of two of "
                     "at least 512", block_size);
        return ATOLL_ERR_INVAL;
    }
    fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        if (err != NULL)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return ATOLL_ERR_IO;
    }
    if (fstat(fd, &st) < 0) {
        if (err != NULL)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return ATOLL_ERR_IO;
    }
    if (S_ISREG(st.st_mode)) {
        size = (uint64_t)st.st_size;
    } else if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
            if (err != NULL)
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return ATOLL_ERR_IO;
        }
    } else {
        if (err != NULL)
            snprintf(err, errlen, "%s: not a regular file or block device",
                     path);
        close(fd);
        return ATOLL_ERR_INVAL;
    }
    d->ops = &file_ops;
    d->capacity = size - size % block_size;
    d->block_size = block_size;
    d->can_flush = true;
    d->read_only = read_only;
    d->handle = 0;
    d->fd = fd;
    d->priv = NULL;
    return 0;
}
