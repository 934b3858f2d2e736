/*
 * The --help text shared by the tenders.
 */
#include <stdio.h>

#include "tender.h"

void tender_usage(const char *prog, const char *extra_help)
{
    printf("usage: %s [OPTIONS] [--] KERNEL [ARGS...]\n"
           "\n"
           "Run the unikernel image KERNEL; ARGS become its command line.\n"
           "Options stop at the first word that does not start with '-'.\n"
           "\n"
           "Options:\n"
           "  --mem=MB                    guest memory in MiB (default %d, "
           "%d to %d)\n"
           "  --net:NAME=TAP              attach the existing TAP interface "
           "TAP (or an\n"
           "                              open TAP descriptor, @FD) to the "
           "network\n"
           "                              device NAME\n"
           "  --net-mac:NAME=MAC          MAC address of NAME, "
           "xx:xx:xx:xx:xx:xx\n"
           "                              (default: random, locally "
           "administered)\n"
           "  --block:NAME=FILE           back the block device NAME with "
           "FILE, a regular\n"
           "                              file or block device whose size "
           "(the capacity)\n"
           "                              is a multiple of the sector size\n"
           "  --block-sector-size:NAME=N  sector size of NAME: a power of two "
           "from %d\n"
           "                              to %d (default %d)\n",
           prog, TENDER_DEFAULT_MEM_MB, TENDER_MIN_MEM_MB, TENDER_MAX_MEM_MB,
           TENDER_MIN_SECTOR_SIZE, TENDER_MAX_SECTOR_SIZE,
           TENDER_DEFAULT_SECTOR_SIZE);
    if (extra_help != NULL)
        printf("%s", extra_help);
    printf("  --help                      show this text\n"
           "  --version                   show the tender and ABI versions\n"
           "\n"
           "Every device the image declares needs a resource, and every "
           "resource must\n"
           "name a device the image declares. A network device has the MTU "
           "of its TAP\n"
           "interface (%d to %d).\n",
           TENDER_NET_MIN_MTU, TENDER_NET_MAX_MTU);
}
