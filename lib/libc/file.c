/* stdout, stderr and the unformatted output calls. */
#include <atoll/platform.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stdio_impl.h"

static char stdout_buf[BUFSIZ];
static FILE stdout_file = {stdout_buf, sizeof(stdout_buf), 0, _IOLBF, 0};
static FILE stderr_file = {NULL, 0, 0, _IONBF, 0};

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

int fflush(FILE *f)
{
    if (f == NULL) {
        fflush(stdout);
        return fflush(stderr);
    }
    if (f->len > 0) {
        atoll_console_write(f->buf, f->len);
        f->len = 0;
    }
    return 0;
}

/* Append to f's buffer; the console sees it at a newline (line mode), when
 * the buffer fills, or at once for an unbuffered stream. */
static void put_bytes(FILE *f, const char *s, size_t n)
{
    int newline = f->mode == _IOLBF && memchr(s, '\n', n) != NULL;

    if (f->mode == _IONBF) {
        fflush(f);
        atoll_console_write(s, n);
        return;
    }
    while (n > 0) {
        size_t room = f->size - f->len;
        size_t k = n < room ? n : room;
        if (f->len == 0 && n >= f->size) {
            atoll_console_write(s, n); /* too big to be worth buffering */
            return;
        }
        memcpy(f->buf + f->len, s, k);
        f->len += k;
        s += k;
        n -= k;
        if (f->len == f->size)
            fflush(f);
    }
    if (newline)
        fflush(f);
}

size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
              FILE *restrict f)
{
    if (size == 0 || nmemb == 0)
        return 0;
    if (nmemb > SIZE_MAX / size) {
        f->err = 1;
        errno = EOVERFLOW;
        return 0;
    }
    put_bytes(f, ptr, size * nmemb);
    return nmemb;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    put_bytes(f, &ch, 1);
    return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    put_bytes(f, s, strlen(s));
    return 0;
}

int puts(const char *s)
{
    size_t n = strlen(s);

    /* One piece when it fits, so a line is not split on the console. */
    if (stdout->mode != _IONBF && n < stdout->size) {
        put_bytes(stdout, s, n);
        put_bytes(stdout, "\n", 1);
        return 0;
    }
    fflush(stdout);
    atoll_console_write(s, n);
    atoll_console_write("\n", 1);
    return 0;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
        errno = EINVAL;
        return -1;
    }
    fflush(f);
    if (mode != _IONBF && buf != NULL && size > 0) {
        f->buf = buf;
        f->size = size;
    } else if (mode != _IONBF && f->buf == NULL) {
        f->buf = malloc(BUFSIZ);
        if (f->buf == NULL) {
            errno = ENOMEM;
            return -1;
        }
        f->size = BUFSIZ;
    }
    f->mode = mode;
    return 0;
}

void setbuf(FILE *restrict f, char *restrict buf)
{
    setvbuf(f, buf, buf != NULL ? _IOFBF : _IONBF, BUFSIZ);
}

int ferror(FILE *f)
{
    return f->err;
}

void clearerr(FILE *f)
{
    f->err = 0;
}
