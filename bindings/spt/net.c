/*
 * Net devices: one Ethernet frame per read(2)/write(2) on the TAP fd the
 * tender attached (non-blocking). On a device the tender opened with
 * virtio-net headers (ATOLL_EXT_F_NET_VNET) each frame comes with its
 * header and may be a 64 KB TCP segment: the kernel checks nothing the
 * guest writes beyond what it checks from any TAP user, and lib/net
 * checks what it reads (lib/net/vnet.c).
 *
 * Reads are paced (rxpace.h): after the frames a wake-up is expected to
 * bring, atoll_net_read answers AGAIN without the read that would find
 * the TAP empty; atoll_yield reports the device again at once if more
 * is queued (spt_net_ready starts each wake-up).
 */
#include "rxpace.h"
#include "spt.h"
#include "sys.h"

static struct rxpace pace[ATOLL_MFT_MAX_ENTRIES];

void spt_net_ready(atoll_handle_set_t set, bool quick)
{
    for (atoll_handle_t h = 0; h < ATOLL_MFT_MAX_ENTRIES; h++)
        if ((set & (1ull << h)) != 0)
            rxpace_ready(&pace[h], quick);
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    long n;

    if (e == NULL || frame == NULL || len < ATOLL_NET_HLEN ||
        len > bind_net_frame_max(handle, e))
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
        size < bind_net_frame_max(handle, e))
        return ATOLL_EINVAL;
    if (!rxpace_may_read(&pace[handle]))
        return ATOLL_AGAIN;
    do
        n = sys_read(e->b.hostfd, buf, size);
    while (n == -SYS_EINTR);
    if (n == -SYS_EAGAIN) {
        rxpace_result(&pace[handle], false);
        return ATOLL_AGAIN;
    }
    if (n < 0)
        return ATOLL_EUNSPEC;
    rxpace_result(&pace[handle], true);
    *len = (size_t)n;
    return ATOLL_OK;
}
