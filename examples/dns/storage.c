/* The zones from the tar archive on the block device "storage". */
#include "atoll/blockdev.h"
#include "atoll/rt.h"

#include "server.h"

int srv_open_zones(struct atoll_tarkv **tar)
{
    static struct atoll_blockdev dev;

    if (atoll_blockdev_platform(&dev, "storage") != 0) {
        atoll_log(ATOLL_LOG_ERROR, "dns: no usable block device 'storage'");
        return ATOLL_ERR_NOENT;
    }
    return srv_mount_zones(&dev, "storage", tar);
}
