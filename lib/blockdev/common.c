/* Shared by every block device adapter. */
#include "atoll/blockdev.h"

const char *atoll_blockdev_strerror(int err)
{
    switch (err) {
    case ATOLL_BLOCKDEV_OK:
        return "success";
    case ATOLL_BLOCKDEV_EIO:
        return "I/O error";
    case ATOLL_BLOCKDEV_EINVAL:
        return "misaligned or out-of-range block request";
    case ATOLL_BLOCKDEV_ENOTSUP:
        return "the device cannot flush";
    case ATOLL_BLOCKDEV_EROFS:
        return "the device is read-only";
    }
    return "unknown block device error";
}
