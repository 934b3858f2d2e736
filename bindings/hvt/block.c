/*
 * Block devices: BLOCK_READ / BLOCK_WRITE hypercalls, and the Atoll
 * extension BLOCK_FLUSH when the tender offers it.
 */
#include "hvt_bind.h"

static enum atoll_result result(int32_t ret)
{
    switch (ret) {
    case ATOLL_HVT_R_OK: return ATOLL_OK;
    case ATOLL_HVT_R_EINVAL: return ATOLL_EINVAL;
    default: return ATOLL_EUNSPEC;
    }
}

/* Is [offset, offset + len) a whole number of blocks inside the device? */
static const struct atoll_mft_entry *range_ok(atoll_handle_t handle,
                                              uint64_t offset, size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        return NULL;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (bs == 0 || len == 0 || offset % bs != 0 || len % bs != 0 ||
        offset >= cap || len > cap - offset)
        return NULL;
    return e;
}

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    if (buf == NULL || range_ok(handle, offset, len) == NULL)
        return ATOLL_EINVAL;
    struct atoll_hvt_hc_block_read r = {
        .handle = handle,
        .offset = offset,
        .data = (uint64_t)(uintptr_t)buf,
        .len = len,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_BLOCK_READ, &r);
    return result(r.ret);
}

enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    if (buf == NULL || range_ok(handle, offset, len) == NULL)
        return ATOLL_EINVAL;
    struct atoll_hvt_hc_block_write w = {
        .handle = handle,
        .offset = offset,
        .data = (uint64_t)(uintptr_t)buf,
        .len = len,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_BLOCK_WRITE, &w);
    return result(w.ret);
}

enum atoll_result atoll_block_flush(atoll_handle_t handle)
{
    if (bind_mft_get(handle, ATOLL_MFT_DEV_BLOCK_BASIC) == NULL)
        return ATOLL_EINVAL;
    if (!(bind_ext_features & ATOLL_EXT_F_BLOCK_FLUSH))
        return ATOLL_ENOTSUP;
    struct atoll_hvt_hc_block_flush f = {
        .handle = handle,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_BLOCK_FLUSH, &f);
    return result(f.ret);
}
