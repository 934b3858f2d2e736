/*
 * Block devices: pread64/pwrite64 on the file the tender attached. The spt
 * ABI (and solo5-spt's seccomp filter) allows exactly one block per call,
 * so multi-block requests loop.
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

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    const struct atoll_mft_entry *e = block_check(handle, offset, len);
    uint8_t *p = buf;

    if (e == NULL || (buf == NULL && len > 0))
        return ATOLL_EINVAL;
    for (size_t bs = e->u.block_basic.block_size; len > 0; len -= bs) {
        long n;

        do
            n = sys_pread64(e->b.hostfd, p, bs, offset);
        while (n == -SYS_EINTR);
        if (n != (long)bs)
            return ATOLL_EUNSPEC;
        p += bs;
        offset += bs;
    }
    return ATOLL_OK;
}

enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    const struct atoll_mft_entry *e = block_check(handle, offset, len);
    const uint8_t *p = buf;

    if (e == NULL || (buf == NULL && len > 0))
        return ATOLL_EINVAL;
    for (size_t bs = e->u.block_basic.block_size; len > 0; len -= bs) {
        long n;

        do
            n = sys_pwrite64(e->b.hostfd, p, bs, offset);
        while (n == -SYS_EINTR);
        if (n != (long)bs)
            return ATOLL_EUNSPEC;
        p += bs;
        offset += bs;
    }
    return ATOLL_OK;
}

/* fdatasync is allowed only by a tender that says so in the extension
 * block; under solo5-spt it would kill the guest. */
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
