/* The zones compiled into the image: the tar archive zonedata.c holds
 * (atoll dns pack --c), read through a memory block device. */
#include "atoll/blockdev.h"
#include "atoll/rt.h"

#include "../dns/server.h"

extern const unsigned char atoll_dns_zones[];
extern const size_t atoll_dns_zones_size;

int srv_open_zones(struct atoll_tarkv **tar)
{
    static struct atoll_blockdev dev;
    int r = atoll_blockdev_memory(&dev, atoll_dns_zones,
                                  atoll_dns_zones_size);

    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "dns: the compiled-in zones are not "
                  "whole 512-byte blocks (%zu bytes)", atoll_dns_zones_size);
        return r;
    }
    return srv_mount_zones(&dev, "compiled-in zones", tar);
}
