/*
 * mkbad: write a directory of malformed unikernel images.
 *
 *   mkbad -o DIR -t hvt|spt [-p PREFIX] [GOOD_IMAGE]
 *   mkbad -c -t hvt|spt IMAGE
 *
 * Starting from GOOD_IMAGE (a real build/examples/NAME.TARGET), or from a
 * small image built in memory when none is given, writes one file per case
 * of mutate.c to DIR/PREFIXTARGET-CASE, a copy of the good image to
 * DIR/PREFIXTARGET-good, and appends "FILE TARGET STAGE KEYWORD..." lines
 * to DIR/cases.txt. Cases that need manifest devices the good image lacks are
 * made from a built image of the same target and ABI version instead.
 *
 * With -c, only checks that IMAGE passes the tenders' validation (with
 * the default guest memory) and prints "ok" or the reason.
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
#include "tender.h"
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

static int check_only(const char *path, uint32_t target, uint32_t version)
{
    char err[TENDER_ERR_SIZE];
    struct tender_image img;
    uint8_t *b;
    size_t len;

    if (tender_read_file(path, &b, &len, err) != 0 ||
        tender_image_parse(b, len, target, version, ATOLL_HVT_GUEST_MIN_BASE,
                           (uint64_t)TENDER_DEFAULT_MEM_MB << 20, &img,
                           err) != 0) {
        printf("%s: %s\n", path, err);
        return 1;
    }
    printf("ok\n");
    tender_image_free(&img);
    free(b);
    return 0;
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
    const char *tname = NULL, *good_path = NULL, *prefix = "";
    int c, check = 0;

    while ((c = getopt(argc, argv, "co:p:t:")) != -1) {
        if (c == 'c')
            check = 1;
        else if (c == 'o')
            outdir = optarg;
        else if (c == 'p')
            prefix = optarg;
        else if (c == 't')
            tname = optarg;
        else
            goto usage;
    }
    if (optind < argc)
        good_path = argv[optind++];
    if ((outdir == NULL && !check) || (check && good_path == NULL) ||
        tname == NULL || optind != argc ||
        (strcmp(tname, "hvt") != 0 && strcmp(tname, "spt") != 0))
        goto usage;
    uint32_t target = strcmp(tname, "hvt") == 0 ? ATOLL_ABI_TARGET_HVT
                                                : ATOLL_ABI_TARGET_SPT;
    uint32_t version = target == ATOLL_ABI_TARGET_HVT ? ATOLL_HVT_ABI_VERSION
                                                      : ATOLL_SPT_ABI_VERSION;
    if (check)
        return check_only(good_path, target, version);

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
    snprintf(name, sizeof name, "%s%s-good", prefix, tname);
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
        snprintf(name, sizeof name, "%s%s-%s", prefix, tname, m->name);
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
    fprintf(stderr, "usage: mkbad -o DIR -t hvt|spt [-p PREFIX] "
            "[GOOD_IMAGE]\n       mkbad -c -t hvt|spt IMAGE\n");
    return 2;
}
