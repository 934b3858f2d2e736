/*
 * Net devices: one Ethernet frame per read(2)/write(2) on the TAP fd the
 * tender attached (non-blocking). On a device the tender opened with
 * virtio-net headers (ATOLL_EXT_F_NET_VNET) each frame comes with its
 * header and may be a 64 KB TCP segment: the kernel checks nothing the
 * guest writes beyond what it checks from any TAP user, and lib/net
 * checks what it reads (lib/net/vnet.c).
 */
#include "spt.h"
#include "sys.h"

_Static_assert(ATOLL_NET_VNET_HLEN == ATOLL_EXT_NET_VNET_HLEN,
               "the header the tender sets up");

/* The longest frame, header included, one call may move. */
static size_t frame_max(atoll_handle_t handle,
                        const struct atoll_mft_entry *e)
{
    if (bind_net_vnet(handle))
        return ATOLL_NET_VNET_FRAME_MAX;
    return (size_t)e->u.net_basic.mtu + ATOLL_NET_HLEN;
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    long n;

    if (e == NULL || frame == NULL || len < ATOLL_NET_HLEN ||
        len > frame_max(handle, e))
        return ATOLL_EINVAL;
    do
        n = sys_write(e->b.hostfd, frame, len);
    while (n == -SYS_EINTR);
    return n == (long)len ? ATOLL_OK : ATOLL_EUNSPEC;
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    long n;

    if (e == NULL || buf == NULL || len == NULL ||
        size < frame_max(handle, e))
        return ATOLL_EINVAL;
    do
        n = sys_read(e->b.hostfd, buf, size);
    while (n == -SYS_EINTR);
    if (n == -SYS_EAGAIN)
        return ATOLL_AGAIN;
    if (n < 0)
        return ATOLL_EUNSPEC;
    *len = (size_t)n;
    return ATOLL_OK;
}
