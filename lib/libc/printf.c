/* The printf family: the engine in format.c aimed at a string or a stream. */
#include <atoll/platform.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "stdio_impl.h"

/* A string sink keeps the first cap - 1 bytes and counts the rest. */
struct str_out {
    struct fmt_out base;
    char *buf;
    size_t cap;
    size_t len;
};

static void str_put(struct fmt_out *o, const char *s, size_t n)
{
    struct str_out *so = (struct str_out *)o;
    size_t room = so->cap > so->len + 1 ? so->cap - so->len - 1 : 0;
    size_t k = n < room ? n : room;

    if (k == 0)
        return; /* buf may be NULL when cap is 0 */
    memcpy(so->buf + so->len, s, k);
    so->len += k;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap)
{
    struct str_out so = {{str_put, 0, 0}, buf, size, 0};
    int rc = __atoll_vformat(&so.base, fmt, ap);

    if (size > 0)
        buf[so.len] = '\0';
    return rc;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return rc;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vsprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

/*
 * A stream sink. For an unbuffered stream the text of one call collects
 * in a small local buffer, so one printf is a few console writes rather
 * than one per piece.
 */
struct file_out {
    struct fmt_out base;
    FILE *f;
    char *buf;
    size_t size;
    size_t len;
};

static void file_flush(struct file_out *fo)
{
    if (fo->len > 0)
        atoll_console_write(fo->buf, fo->len);
    fo->len = 0;
}

static void file_put(struct fmt_out *o, const char *s, size_t n)
{
    struct file_out *fo = (struct file_out *)o;

    if (fo->buf == NULL) {
        fwrite(s, 1, n, fo->f);
        return;
    }
    while (n > 0) {
        size_t k = fo->size - fo->len;
        if (k > n)
            k = n;
        memcpy(fo->buf + fo->len, s, k);
        fo->len += k;
        s += k;
        n -= k;
        if (fo->len == fo->size)
            file_flush(fo);
    }
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    char local[256];
    struct file_out fo = {{file_put, 0, 0}, f, NULL, 0, 0};
    int rc;

    if (f->mode == _IONBF) {
        fo.buf = local;
        fo.size = sizeof(local);
    }
    rc = __atoll_vformat(&fo.base, fmt, ap);
    file_flush(&fo);
    return rc;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfprintf(f, fmt, ap);
    va_end(ap);
    return rc;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return rc;
}

void perror(const char *s)
{
    const char *msg = strerror(errno);

    if (s != NULL && *s != '\0')
        fprintf(stderr, "%s: %s\n", s, msg);
    else
        fprintf(stderr, "%s\n", msg);
}
