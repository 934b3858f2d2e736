/*
 * The guest's command line and the Atoll extension block.
 */
#include <string.h>

#include "internal.h"
#include "tender.h"

int tender_cmdline(char *dst, size_t size, int argc, char **argv, char *err)
{
    size_t n = 0;

    if (size == 0)
        return tender_err(err, "no room for a command line");
    dst[0] = '\0';
    for (int i = 0; i < argc; i++) {
        size_t w = strlen(argv[i]);
        size_t need = w + (i > 0 ? 1 : 0);
        /* Keep one byte for the terminating NUL. */
        if (need > size - 1 - n) {
            size_t total = n;
            for (int k = i; k < argc; k++)
                total += strlen(argv[k]) + (k > 0 ? 1 : 0);
            return tender_err(err, "guest command line is %zu bytes, longer "
                              "than the %zu the guest can receive", total,
                              size - 1);
        }
        if (i > 0)
            dst[n++] = ' ';
        memcpy(dst + n, argv[i], w);
        n += w;
    }
    dst[n] = '\0';
    return 0;
}

void tender_ext_init(struct atoll_ext *ext, uint32_t features)
{
    memset(ext, 0, sizeof *ext);
    ext->magic = ATOLL_EXT_MAGIC;
    ext->version = ATOLL_EXT_VERSION;
    ext->features = features;
}
