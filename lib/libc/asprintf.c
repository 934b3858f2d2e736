/* asprintf, vasprintf (GNU) and dprintf (POSIX). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int vasprintf(char **strp, const char *restrict fmt, va_list ap)
{
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    *strp = NULL;
    if (n < 0)
        return -1;
    *strp = malloc((size_t)n + 1);
    if (*strp == NULL) {
        errno = ENOMEM;
        return -1;
    }
    vsnprintf(*strp, (size_t)n + 1, fmt, ap);
    return n;
}

int asprintf(char **strp, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(strp, fmt, ap);
    va_end(ap);
    return n;
}

/* Descriptors 1 and 2 are the console (flushed, like write(2)); the
 * others fail with EBADF. */
int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
    FILE *f;
    int n;

    if (fd == STDOUT_FILENO)
        f = stdout;
    else if (fd == STDERR_FILENO)
        f = stderr;
    else {
        errno = EBADF;
        return -1;
    }
    n = vfprintf(f, fmt, ap);
    fflush(f);
    return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}
