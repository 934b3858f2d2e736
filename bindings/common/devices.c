/*
 * Device acquisition, the same on every target: the manifest says what
 * exists, the extension block what the tender offers beyond Solo5.
 */
#include "bindings.h"

uint32_t bind_ext_features;
uint64_t bind_ext_net_vnet;

/* Targets whose block devices differ in flush support (virtio) define it. */
__attribute__((weak)) bool bind_block_can_flush(atoll_handle_t handle)
{
    (void)handle;
    return (bind_ext_features & ATOLL_EXT_F_BLOCK_FLUSH) != 0;
}

enum atoll_result atoll_net_acquire(const char *name, atoll_handle_t *handle,
                                    struct atoll_net_info *info)
{
    const struct atoll_mft_entry *e;
    atoll_handle_t h;
    enum atoll_result r;

    if (name == NULL || handle == NULL)
        return ATOLL_EINVAL;
    r = bind_mft_acquire(name, ATOLL_MFT_DEV_NET_BASIC, &h);
    if (r != ATOLL_OK)
        return r;
    e = bind_mft_get(h, ATOLL_MFT_DEV_NET_BASIC);
    if (info != NULL) {
        for (int i = 0; i < ATOLL_NET_ALEN; i++)
            info->mac[i] = e->u.net_basic.mac[i];
        info->mtu = e->u.net_basic.mtu;
        info->features = bind_net_vnet(h) ? ATOLL_NET_F_VNET : 0;
    }
    *handle = h;
    return ATOLL_OK;
}

enum atoll_result atoll_block_acquire(const char *name, atoll_handle_t *handle,
                                      struct atoll_block_info *info)
{
    const struct atoll_mft_entry *e;
    atoll_handle_t h;
    enum atoll_result r;

    if (name == NULL || handle == NULL)
        return ATOLL_EINVAL;
    r = bind_mft_acquire(name, ATOLL_MFT_DEV_BLOCK_BASIC, &h);
    if (r != ATOLL_OK)
        return r;
    e = bind_mft_get(h, ATOLL_MFT_DEV_BLOCK_BASIC);
    if (info != NULL) {
        info->capacity = e->u.block_basic.capacity;
        info->block_size = e->u.block_basic.block_size;
        info->can_flush = bind_block_can_flush(h);
    }
    *handle = h;
    return ATOLL_OK;
}
