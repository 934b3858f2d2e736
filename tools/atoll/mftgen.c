/*
 * atoll-mftgen: write the C source of an image's manifest note.
 *
 *   atoll-mftgen -o OUT.c [CONF]
 *
 * CONF is a unikernel.conf (docs/unikernel-conf.md); its "net NAME" and
 * "block NAME" lines become manifest entries, in order. Without CONF the
 * manifest holds only the reserved entry 0. A build helper for the tree's
 * own test images; applications get their manifest from `atoll configure`
 * or `atoll-cc --manifest=CONF`, which share this code (tools/atoll/conf.c
 * parses, tools/atoll/mft.c writes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "mft.h"

int main(int argc, char **argv)
{
    struct conf c = {0};
    char err[CONF_ERR_SIZE];
    char *src;
    int rc = 0;

    if (argc < 3 || argc > 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: atoll-mftgen -o OUT.c [unikernel.conf]\n");
        return 2;
    }
    if (argc == 4 && conf_parse(&c, argv[3], err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        conf_free(&c);
        return 1;
    }
    src = mft_source(&c);
    if (write_if_changed(argv[2], src, strlen(src)) < 0) {
        fprintf(stderr, "atoll-mftgen: %s: %s\n", argv[2], strerror(errno));
        rc = 1;
    }
    free(src);
    conf_free(&c);
    return rc;
}
