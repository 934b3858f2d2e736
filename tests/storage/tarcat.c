/*
 * tarcat: a host helper of tests/storage/run.sh that reads a tar archive
 * through lib/tarkv (the same code unikernels link).
 *
 *   tarcat [-b BS] ARCHIVE            list: TYPE SIZE MODE NAME [-> LINK]
 *   tarcat [-b BS] ARCHIVE NAME       the entry's bytes on stdout
 *   tarcat [-b BS] -x ARCHIVE DIR     write every file and directory
 *                                     under DIR (symlinks as symlinks)
 *
 * Reads go in uneven pieces so every offset path is used. Exit 1 with the
 * mount error on stderr when the archive is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atoll/blockdev.h"
#include "atoll/tarkv.h"

static struct atoll_tarkv *tv;

static int copy_out(const struct atoll_tarkv_entry *e, FILE *out)
{
    static uint8_t buf[70000];
    uint64_t off = 0;
    size_t piece = 1;

    while (off < e->size) {
        size_t got;
        piece = piece * 3 + 7;
        if (piece > sizeof buf)
            piece = 1 + piece % 4099;
        if (atoll_tarkv_read(tv, e, off, buf, piece, &got) != 0 || got == 0)
            return -1;
        if (fwrite(buf, 1, got, out) != got)
            return -1;
        off += got;
    }
    return 0;
}

/* mkdir -p for the folders above path. */
static void parents(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
}

static int extract(const char *dir)
{
    for (size_t i = 0; i < atoll_tarkv_count(tv); i++) {
        const struct atoll_tarkv_entry *e = atoll_tarkv_entry(tv, i);
        char *path = malloc(strlen(dir) + e->name_len + 2);
        int bad = 0;
        sprintf(path, "%s/%s", dir, e->name);
        parents(path);
        if (e->type == ATOLL_TARKV_DIR) {
            if (mkdir(path, 0755) < 0 && errno != EEXIST)
                bad = 1;
        } else if (e->type == ATOLL_TARKV_SYMLINK) {
            bad = symlink(e->link, path) < 0;
        } else if (e->type == ATOLL_TARKV_FILE) {
            FILE *f = fopen(path, "wb");
            bad = f == NULL || copy_out(e, f) < 0;
            if (f != NULL && fclose(f) != 0)
                bad = 1;
        }
        if (bad) {
            fprintf(stderr, "tarcat: %s: %s\n", path, strerror(errno));
            free(path);
            return 1;
        }
        free(path);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct atoll_blockdev d;
    char err[300];
    uint32_t bs = 512;
    int x = 0, c, rc = 0;

    while ((c = getopt(argc, argv, "b:x")) != -1) {
        if (c == 'b')
            bs = (uint32_t)atoi(optarg);
        else if (c == 'x')
            x = 1;
        else
            return 2;
    }
    if (optind >= argc || argc - optind > 2 || (x && argc - optind != 2)) {
        fprintf(stderr, "usage: tarcat [-b BS] [-x] ARCHIVE [NAME|DIR]\n");
        return 2;
    }
    if (atoll_blockdev_file(&d, argv[optind], true, bs, err, sizeof err)) {
        fprintf(stderr, "tarcat: %s\n", err);
        return 1;
    }
    if (atoll_tarkv_mount(&d, &tv, err, sizeof err) != 0) {
        fprintf(stderr, "tarcat: %s: %s\n", argv[optind], err);
        atoll_blockdev_close(&d);
        return 1;
    }
    if (x) {
        rc = extract(argv[optind + 1]);
    } else if (argc - optind == 2) {
        const char *name = argv[optind + 1];
        const struct atoll_tarkv_entry *e =
            atoll_tarkv_lookup(tv, name, strlen(name));
        if (e == NULL) {
            fprintf(stderr, "tarcat: %s: no such entry\n", name);
            rc = 1;
        } else if (copy_out(e, stdout) < 0) {
            fprintf(stderr, "tarcat: %s: read failed\n", name);
            rc = 1;
        }
    } else {
        static const char types[] = "fdlo";
        for (size_t i = 0; i < atoll_tarkv_count(tv); i++) {
            const struct atoll_tarkv_entry *e = atoll_tarkv_entry(tv, i);
            printf("%c %llu %04o %s%s%s\n", types[e->type],
                   (unsigned long long)e->size, e->mode, e->name,
                   e->link ? " -> " : "", e->link ? e->link : "");
        }
    }
    atoll_tarkv_unmount(tv);
    atoll_blockdev_close(&d);
    return rc;
}
