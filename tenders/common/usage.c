/*
 * The --help text shared by the tenders.
 */
#include <stdio.h>

#include "tender.h"

void tender_usage(const char *prog, const char *extra_help)
{
    printf("usage: %s [OPTIONS] [--] KERNEL [ARGS...]\n"
           "\n"
           "Run the unikernel image KERNEL. ARGS are passed to it as its "
           "command line.\n"
           "Options stop at the first word that does not start with '-'.\n"
           "\n"
           "Options:\n"
           "  --mem=MB                    guest memory in MiB (default %d, "
           "%d to %d)\n"
           "  --net:NAME=TAP              attach the existing TAP interface "
           "TAP (or an open\n"
           "                              TAP descriptor, @FD) to the "
           "image's network device NAME\n"
           "  --net-mac:NAME=MAC          MAC address of NAME, "
           "xx:xx:xx:xx:xx:xx (default: a\n"
           "                              random locally administered "
           "address)\n"
           "  --block:NAME=FILE           back the image's block device NAME "
           "with FILE (a\n"
           "                              regular file or a block device; its "
           "size is the\n"
           "                              capacity and must be a multiple of "
           "the sector size)\n"
           "  --block-sector-size:NAME=N  sector size of NAME, a power of two "
           "from %d to %d\n"
           "                              (default %d)\n",
           prog, TENDER_DEFAULT_MEM_MB, TENDER_MIN_MEM_MB, TENDER_MAX_MEM_MB,
           TENDER_MIN_SECTOR_SIZE, TENDER_MAX_SECTOR_SIZE,
           TENDER_DEFAULT_SECTOR_SIZE);
    if (extra_help != NULL)
        printf("%s", extra_help);
    printf("  --help                      show this text\n"
           "  --version                   show the tender and ABI versions\n"
           "\n"
           "Every device the image declares must be given a resource, and "
           "every resource\n"
           "must name a device the image declares. Network devices use MTU "
           "%d.\n",
           TENDER_NET_MTU);
}
