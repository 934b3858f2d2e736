/*
 * Net and block devices on xen. netfront and blkfront are not written yet
 * (issue #17): no manifest entry is ever marked attached, so acquiring a
 * device says EUNSPEC (bindings/common/devices.c: "the tender attached
 * nothing to it") and no handle is valid here. These calls exist so that
 * an application with devices links and fails cleanly at acquire.
 */
#include "../common/bindings.h"

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

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    (void)handle;
    (void)offset;
    (void)buf;
    (void)len;
    return ATOLL_EINVAL;
}

enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    (void)handle;
    (void)offset;
    (void)buf;
    (void)len;
    return ATOLL_EINVAL;
}

enum atoll_result atoll_block_flush(atoll_handle_t handle)
{
    (void)handle;
    return ATOLL_EINVAL;
}
