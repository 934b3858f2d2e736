/*
 * lib/tarkv: a read-only key-value view of a tar archive on a block device.
 *
 * Prepare content with plain `tar cf site.tar -C site .` and attach it
 * with --block:NAME=site.tar. Mounting reads every header once and builds
 * an index in memory; after that a lookup is a hash probe and reads go
 * straight to the device. Understood: POSIX ustar (with the prefix
 * field), GNU tar's long names and links ('L', 'K') and base-256 numbers,
 * pax extended headers ('x', 'g': path, linkpath, size, mtime), so names
 * of any length and sizes past 8 GiB work. A damaged or cut-short archive
 * is refused at mount, with the reason.
 *
 * Names are the archive's with any leading "./" and "/" removed and no
 * trailing "/" (a directory "./docs/" is "docs"); the archive's root "."
 * is not an entry. When a name appears twice, the later one wins, as it
 * would when extracting (keeping the first one's place in the order).
 *
 * Functions return 0 (or a count) or a negative code of atoll/err.h:
 * ATOLL_ERR_NOENT (no such entry), INVAL (offset past the end, ...), IO
 * (the device failed), CORRUPT (not a tar archive, a damaged or a
 * truncated one), NOMEM, NOTSUP (a tar feature not supported: sparse).
 */
#ifndef ATOLL_TARKV_H
#define ATOLL_TARKV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/blockdev.h"
#include "atoll/err.h"

enum atoll_tarkv_type {
    ATOLL_TARKV_FILE,    /* regular file (or hard link to one) */
    ATOLL_TARKV_DIR,
    ATOLL_TARKV_SYMLINK, /* link holds the target; no data */
    ATOLL_TARKV_OTHER,   /* device, fifo: no data */
};

struct atoll_tarkv_entry {
    const char *name; /* NUL terminated; name_len bytes */
    size_t name_len;
    const char *link; /* symlink target, or NULL */
    uint64_t size;    /* bytes of data */
    uint64_t offset;  /* where the data starts on the device */
    uint64_t mtime;   /* seconds since the epoch */
    uint32_t mode;    /* permission bits */
    enum atoll_tarkv_type type;
};

struct atoll_tarkv;

const char *atoll_strerror(int err);

/*
 * Index the archive on dev. On failure, when why is not NULL, a one-line
 * reason (with the byte offset of the problem) goes into why.
 */
int atoll_tarkv_mount(struct atoll_blockdev *dev, struct atoll_tarkv **out,
                      char *why, size_t whylen);
void atoll_tarkv_unmount(struct atoll_tarkv *t);

/* The entry called name (len bytes; a trailing '/' is ignored), or NULL. */
const struct atoll_tarkv_entry *atoll_tarkv_lookup(const struct atoll_tarkv *t,
                                                   const char *name,
                                                   size_t len);

/*
 * Copy up to len bytes of e's data from offset off into buf; *got is how many
 * (fewer only at the end of the data). ATOLL_ERR_INVAL if off is past the end.
 */
int atoll_tarkv_read(struct atoll_tarkv *t, const struct atoll_tarkv_entry *e,
                     uint64_t off, void *buf, size_t len, size_t *got);

/* Entries in archive order (each name once). i < atoll_tarkv_count(t). */
size_t atoll_tarkv_count(const struct atoll_tarkv *t);
const struct atoll_tarkv_entry *atoll_tarkv_entry(const struct atoll_tarkv *t,
                                                  size_t i);

#endif
