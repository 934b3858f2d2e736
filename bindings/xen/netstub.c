/*
 * Net devices on xen until netfront exists (issue #17): nothing is
 * attached, so acquiring a net device says EUNSPEC and no handle is
 * valid here. netfront.c replaces this file.
 */
#include "../common/bindings.h"
#include "xen.h"

const char *xen_netfront_init(struct atoll_mft_entry *e, atoll_handle_t h,
                              unsigned index)
{
    (void)e;
    (void)h;
    (void)index;
    return "netfront is not written yet";
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    (void)handle;
    (void)frame;
    (void)len;
    return ATOLL_EINVAL;
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    (void)handle;
    (void)buf;
    (void)size;
    (void)len;
    return ATOLL_EINVAL;
}
