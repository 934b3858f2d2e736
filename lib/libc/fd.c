/*
 * The POSIX descriptor calls that foreign code (BearSSL's /dev/urandom
 * seeder) links against. There is no file system: open() fails with ENOENT.
 * Descriptor 0 reads as end-of-file, 1 and 2 write to the console (through
 * stdout/stderr, so output stays in order), others are EBADF.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

int open(const char *path, int flags, ...)
{
    (void)path;
    (void)flags;
    errno = ENOENT;
    return -1;
}

ssize_t read(int fd, void *buf, size_t count)
{
    (void)buf;
    (void)count;
    if (fd == STDIN_FILENO)
        return 0;
    errno = EBADF;
    return -1;
}

ssize_t write(int fd, const void *buf, size_t count)
{
    FILE *f;

    if (fd == STDOUT_FILENO)
        f = stdout;
    else if (fd == STDERR_FILENO)
        f = stderr;
    else {
        errno = EBADF;
        return -1;
    }
    if (count > SSIZE_MAX)
        count = SSIZE_MAX;
    /* write(2) is unbuffered: what it wrote is on the console on return. */
    fwrite(buf, 1, count, f);
    fflush(f);
    return (ssize_t)count;
}

/* Nothing can be opened, so nothing can be closed. */
int close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}
