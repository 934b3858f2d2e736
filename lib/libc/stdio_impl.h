/* Internal to lib/libc: the FILE object and the formatter's output sink. */
#ifndef ATOLL_LIBC_STDIO_IMPL_H
#define ATOLL_LIBC_STDIO_IMPL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A console stream: text collects in buf until it is flushed. */
struct __atoll_file {
    char *buf;
    size_t size; /* bytes buf holds; 0 when unbuffered */
    size_t len;  /* bytes waiting in buf */
    int mode;    /* _IOFBF, _IOLBF or _IONBF */
    int err;     /* sticky error flag (ferror) */
};

/*
 * Where formatted text goes. put() receives every piece in order; count
 * is the length produced so far and never exceeds INT_MAX (a longer
 * result sets overflow and stops the output).
 */
struct fmt_out {
    void (*put)(struct fmt_out *o, const char *s, size_t n);
    size_t count;
    int overflow;
};

/* Write n bytes of s to o, unless that would take count past INT_MAX. */
void __atoll_fmt_emit(struct fmt_out *o, const char *s, size_t n);
/* Write n copies of c. */
void __atoll_fmt_pad(struct fmt_out *o, char c, size_t n);

/* The conversion spec the formatter parsed. */
struct fmt_spec {
    unsigned flags; /* FMT_* */
    int width;      /* 0 when none */
    int prec;       /* -1 when none */
    char conv;      /* the conversion letter */
};
#define FMT_MINUS 1u
#define FMT_PLUS 2u
#define FMT_SPACE 4u
#define FMT_ALT 8u
#define FMT_ZERO 16u

/* Formats fmt with ap into o. Returns the length or -1 with errno set
 * (EOVERFLOW: longer than INT_MAX; EINVAL: bad conversion). */
int __atoll_vformat(struct fmt_out *o, const char *fmt, va_list ap);

/* %f %F %e %E %g %G of the IEEE 754 double whose bits are given (integer
 * code only: guests are built without floating-point registers). */
void __atoll_fmt_float(struct fmt_out *o, const struct fmt_spec *sp,
                       uint64_t bits);

#endif
