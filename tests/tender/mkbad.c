/*
 * mkbad: write a directory of malformed unikernel images.
 *
 *   mkbad -o DIR -t hvt|spt [GOOD_IMAGE]
 *
 * Starting from GOOD_IMAGE (a real build/examples/NAME.TARGET), or from a
 * small image built in memory when none is given, writes one file per case
 * of mutate.c to DIR/TARGET-CASE, a copy of the good image to
 * DIR/TARGET-good, and appends "FILE TARGET STAGE KEYWORD..." lines to
 * DIR/cases.txt. Cases that need manifest devices the good image lacks are
 * made from a built image of the same target and ABI version instead.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atoll/abi/hvt.h"
#include "atoll/abi/spt.h"
#include "imgbuild.h"
#include "mutate.h"

static const char *outdir;

static int write_file(const char *name, const uint8_t *b, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(b, len, 1, f) != 1) ||
        fclose(f) != 0) {
        fprintf(stderr, "mkbad: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (b = malloc((size_t)n + 1)) == NULL ||
        fread(b, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "mkbad: %s: cannot read\n", path);
        free(b);
        if (f != NULL)
            fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static uint8_t *build(uint32_t target, uint32_t version, size_t *len)
{
    static const struct img_spec devs = {
        .ndev = 3,
        .dev = {{"service", ATOLL_MFT_DEV_NET_BASIC},
                {"storage", ATOLL_MFT_DEV_BLOCK_BASIC},
                {"backup", ATOLL_MFT_DEV_BLOCK_BASIC}},
    };
    struct img_spec s = devs;
    s.target = target;
    s.version = version;
    return img_build(&s, len);
}

int main(int argc, char **argv)
{
    const char *tname = NULL, *good_path = NULL;
    int c;

    while ((c = getopt(argc, argv, "o:t:")) != -1) {
        if (c == 'o')
            outdir = optarg;
        else if (c == 't')
            tname = optarg;
        else
            goto usage;
    }
    if (optind < argc)
        good_path = argv[optind++];
    if (outdir == NULL || tname == NULL || optind != argc ||
        (strcmp(tname, "hvt") != 0 && strcmp(tname, "spt") != 0))
        goto usage;
    uint32_t target = strcmp(tname, "hvt") == 0 ? ATOLL_ABI_TARGET_HVT
                                                : ATOLL_ABI_TARGET_SPT;
    uint32_t version = target == ATOLL_ABI_TARGET_HVT ? ATOLL_HVT_ABI_VERSION
                                                      : ATOLL_SPT_ABI_VERSION;

    size_t glen, blen;
    uint8_t *good = good_path ? read_file(good_path, &glen)
                              : build(target, version, &glen);
    uint8_t *built = build(target, version, &blen);
    struct elfinfo gi, bi;
    if (good == NULL || built == NULL)
        return 1;
    if (elfinfo_get(good, glen, &gi) != 0) {
        fprintf(stderr, "mkbad: %s: not a good image with both notes and "
                "two loadable segments\n", good_path ? good_path : "(built)");
        return 1;
    }
    if (elfinfo_get(built, blen, &bi) != 0)
        return 1;

    char list[4096], name[256];
    snprintf(list, sizeof list, "%s/cases.txt", outdir);
    FILE *cases = fopen(list, "a");
    if (cases == NULL) {
        fprintf(stderr, "mkbad: %s: %s\n", list, strerror(errno));
        return 1;
    }
    snprintf(name, sizeof name, "%s-good", tname);
    if (write_file(name, good, glen) != 0)
        return 1;
    for (int i = 0; i < nmutations; i++) {
        const struct mutation *m = &mutations[i];
        bool use_good = (int)gi.mft_entries - 1 >= m->min_devices;
        const uint8_t *src = use_good ? good : built;
        size_t len = use_good ? glen : blen;
        uint8_t *b = malloc(len + 1);
        memcpy(b, src, len);
        if (m->apply(b, &len, use_good ? &gi : &bi) != 0) {
            fprintf(stderr, "mkbad: case %s does not apply; skipped\n",
                    m->name);
            free(b);
            continue;
        }
        snprintf(name, sizeof name, "%s-%s", tname, m->name);
        if (write_file(name, b, len) != 0)
            return 1;
        fprintf(cases, "%s %s %c %s\n", name, tname, m->stage, m->keyword);
        free(b);
    }
    if (fclose(cases) != 0)
        return 1;
    free(good);
    free(built);
    return 0;
usage:
    fprintf(stderr, "usage: mkbad -o DIR -t hvt|spt [GOOD_IMAGE]\n");
    return 2;
}
