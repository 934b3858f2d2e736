/* An http_fs on lib/tarkv: regular files and directories; symbolic links
 * and devices are not served (a link could point out of the tree), nor
 * .tls/, which holds the HTTPS keys. */
#include <string.h>

#include "www.h"

static int tar_lookup(void *ctx, const char *name, size_t len,
                      struct http_file *f)
{
    const struct atoll_tarkv_entry *e = atoll_tarkv_lookup(ctx, name, len);

    if (len >= 4 && memcmp(name, ".tls", 4) == 0 &&
        (len == 4 || name[4] == '/'))
        return ATOLL_ERR_NOENT;
    if (e == NULL ||
        (e->type != ATOLL_TARKV_FILE && e->type != ATOLL_TARKV_DIR))
        return ATOLL_ERR_NOENT;
    f->is_dir = e->type == ATOLL_TARKV_DIR;
    f->size = f->is_dir ? 0 : e->size;
    f->mtime = e->mtime;
    f->handle = e;
    return 0;
}

static int tar_read(void *ctx, const struct http_file *f, uint64_t off,
                    void *buf, size_t len)
{
    size_t got = 0;
    int r = atoll_tarkv_read(ctx, f->handle, off, buf, len, &got);

    if (r == 0 && got != len)
        r = ATOLL_ERR_IO;
    return r;
}

void www_tar_fs(struct http_fs *fs, struct atoll_tarkv *t)
{
    fs->lookup = tar_lookup;
    fs->read = tar_read;
    fs->ctx = t;
}
