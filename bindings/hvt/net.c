/* Network devices: NET_READ / NET_WRITE hypercalls. */
#include "hvt_bind.h"

static enum atoll_result result(int32_t ret)
{
    switch (ret) {
    case ATOLL_HVT_R_OK: return ATOLL_OK;
    case ATOLL_HVT_R_AGAIN: return ATOLL_AGAIN;
    case ATOLL_HVT_R_EINVAL: return ATOLL_EINVAL;
    default: return ATOLL_EUNSPEC;
    }
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || frame == NULL || len < ATOLL_NET_HLEN ||
        len > (size_t)e->u.net_basic.mtu + ATOLL_NET_HLEN)
        return ATOLL_EINVAL;
    struct atoll_hvt_hc_net_write w = {
        .handle = handle,
        .data = (uint64_t)(uintptr_t)frame,
        .len = len,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_NET_WRITE, &w);
    return result(w.ret);
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || buf == NULL || len == NULL ||
        size < (size_t)e->u.net_basic.mtu + ATOLL_NET_HLEN)
        return ATOLL_EINVAL;
    struct atoll_hvt_hc_net_read r = {
        .handle = handle,
        .data = (uint64_t)(uintptr_t)buf,
        .len = size,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_NET_READ, &r);
    enum atoll_result res = result(r.ret);
    if (res == ATOLL_OK) {
        if (r.len > size)
            return ATOLL_EUNSPEC; /* a tender cannot write past buf */
        *len = r.len;
    }
    return res;
}
