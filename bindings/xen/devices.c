/*
 * The xen target's devices, bound at boot to the manifest's entries by
 * index per kind in the manifest's (unikernel.conf's) order: the k-th
 * block device is the k-th disk of the domain's configuration (xvda,
 * xvdb..., xenstore device/vbd/VDEV), the k-th net device its vif k
 * (device/vif/k). Each frontend connects over xenbus and marks its entry
 * attached; acquire (bindings/common/devices.c) then finds it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "../common/bindings.h"
#include "xen.h"

void xen_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bind_vsay("xen", fmt, ap);
    va_end(ap);
}

void xen_devices_init(struct atoll_mft *mft)
{
    unsigned nnet = 0, nblk = 0;
    uint32_t ne = mft->entries <= ATOLL_MFT_MAX_ENTRIES ? mft->entries
                                                        : ATOLL_MFT_MAX_ENTRIES;

    for (uint32_t i = 1; i < ne; i++) {
        struct atoll_mft_entry *e = &mft->e[i];
        const char *why;

        if (e->type == ATOLL_MFT_DEV_BLOCK_BASIC)
            why = xen_blkfront_init(e, i, nblk++);
        else if (e->type == ATOLL_MFT_DEV_NET_BASIC)
            why = xen_netfront_init(e, i, nnet++);
        else
            continue;
        if (why != NULL)
            xen_say("%s %s: not attached: %s",
                    e->type == ATOLL_MFT_DEV_NET_BASIC ? "net" : "block",
                    e->name, why);
    }
}

void xen_devices_close(void)
{
    xen_blkfront_close();
    xen_netfront_close();
}
