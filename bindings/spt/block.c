/*
 * Block devices: pread64/pwrite64 on the file the tender attached. The spt
 * ABI (and solo5-spt's seccomp filter) allows exactly one block per call;
 * atoll-spt with the BLOCK_MULTI extension allows power-of-two multiples.
 */
#include "spt.h"
#include "sys.h"

/* The entry for handle if [offset, offset + len) is whole blocks inside the
 * device, else NULL. */
static const struct atoll_mft_entry *block_check(atoll_handle_t handle,
                                                 uint64_t offset, size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_BLOCK_BASIC);
    uint64_t bs, cap;

    if (e == NULL)
        return NULL;
    bs = e->u.block_basic.block_size;
    cap = e->u.block_basic.capacity;
    if (bs == 0 || offset % bs != 0 || len % bs != 0)
        return NULL;
    if (offset > cap || len > cap - offset)
        return NULL;
    return e;
}

/* The largest transfer the tender's seccomp filter allows for the next
 * step: one block on Solo5, else block_size << k up to the limit. */
static size_t step(size_t bs, size_t len)
{
    size_t n = bs;

    if ((bind_ext_features & ATOLL_EXT_F_BLOCK_MULTI) == 0)
        return n;
    while (n * 2 <= len && n * 2 <= ATOLL_EXT_BLOCK_IO_MAX)
        n *= 2;
    return n;
}

static enum atoll_result transfer(const struct atoll_mft_entry *e,
                                  uint8_t *p, uint64_t offset, size_t len,
                                  bool write)
{
    size_t bs = e->u.block_basic.block_size;

    while (len > 0) {
        size_t n = step(bs, len);
        long r;

        do
            r = write ? sys_pwrite64(e->b.hostfd, p, n, offset)
                      : sys_pread64(e->b.hostfd, p, n, offset);
        while (r == -SYS_EINTR);
        if (r != (long)n)
            return ATOLL_EUNSPEC;
        p += n;
        offset += n;
        len -= n;
    }
    return ATOLL_OK;
}

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    const struct atoll_mft_entry *e = block_check(handle, offset, len);

    if (e == NULL || (buf == NULL && len > 0))
        return ATOLL_EINVAL;
    return transfer(e, buf, offset, len, false);
}

/* transfer() only reads from buf when writing. */
enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    const struct atoll_mft_entry *e = block_check(handle, offset, len);

    if (e == NULL || (buf == NULL && len > 0))
        return ATOLL_EINVAL;
    return transfer(e, (uint8_t *)(uintptr_t)buf, offset, len, true);
}

enum atoll_result atoll_block_flush(atoll_handle_t handle)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_BLOCK_BASIC);
    long n;

    if (e == NULL)
        return ATOLL_EINVAL;
    if ((bind_ext_features & ATOLL_EXT_F_BLOCK_FLUSH) == 0)
        return ATOLL_ENOTSUP;
    do
        n = sys_fdatasync(e->b.hostfd);
    while (n == -SYS_EINTR);
    return n == 0 ? ATOLL_OK : ATOLL_EUNSPEC;
}
