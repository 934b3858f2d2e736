/*
 * Reading the image file into memory, so that it is validated and loaded
 * from one snapshot that cannot change underneath the checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tender.h"

int tender_read_file(const char *path, uint8_t **buf, size_t *len, char *err)
{
    struct stat st;
    uint8_t *b;
    size_t size, got = 0;
    int fd;

    *buf = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return tender_err(err, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tender_err(err, "not a regular file");
    }
    if ((uint64_t)st.st_size > TENDER_MAX_IMAGE_SIZE) {
        close(fd);
        return tender_err(err, "image is %lld bytes, more than the %u-byte "
                          "limit", (long long)st.st_size,
                          TENDER_MAX_IMAGE_SIZE);
    }
    size = (size_t)st.st_size;
    b = malloc(size > 0 ? size : 1);
    if (b == NULL) {
        close(fd);
        return tender_err(err, "out of memory reading the image");
    }
    while (got < size) {
        ssize_t n = read(fd, b + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            close(fd);
            free(b);
            return tender_err(err, "cannot read: %s",
                              e ? strerror(e) : "file shrank while reading");
        }
        got += (size_t)n;
    }
    close(fd);
    *buf = b;
    *len = size;
    return 0;
}
