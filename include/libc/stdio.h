/*
 * stdio.h: Atoll libc. Output only: stdout and stderr write to the console
 * (atoll_console_write); stdout is line buffered, stderr unbuffered. There
 * is no stdin and no files.
 */
#ifndef _ATOLL_STDIO_H
#define _ATOLL_STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct __atoll_file FILE;

extern FILE *stdout;
extern FILE *stderr;

#define EOF (-1)
#define BUFSIZ 1024
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

#define __ATOLL_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

int printf(const char *restrict fmt, ...) __ATOLL_PRINTF(1, 2);
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __ATOLL_PRINTF(2, 3);
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    __ATOLL_PRINTF(2, 3);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __ATOLL_PRINTF(3, 4);
int vprintf(const char *restrict fmt, va_list ap) __ATOLL_PRINTF(1, 0);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    __ATOLL_PRINTF(2, 0);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    __ATOLL_PRINTF(2, 0);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) __ATOLL_PRINTF(3, 0);

/* A malloc'd string in *strp (NULL and -1 on failure); the caller frees. */
int asprintf(char **restrict strp, const char *restrict fmt, ...)
    __ATOLL_PRINTF(2, 3);
int vasprintf(char **restrict strp, const char *restrict fmt, va_list ap)
    __ATOLL_PRINTF(2, 0);
/* fd 1 and 2 only (the console); -1 with EBADF for others. */
int dprintf(int fd, const char *restrict fmt, ...) __ATOLL_PRINTF(2, 3);
int vdprintf(int fd, const char *restrict fmt, va_list ap)
    __ATOLL_PRINTF(2, 0);

/* Integers, %c %s %[...] %n with widths, '*' and size modifiers; %f %e
 * %g %a only in guests built with SSE, converted by musl's strtod from
 * $(B)/lib/m.a (a matching failure when it is not linked); %Lf reads a
 * double's precision. */
int sscanf(const char *restrict str, const char *restrict fmt, ...)
    __attribute__((__format__(__scanf__, 2, 3)));
int vsscanf(const char *restrict str, const char *restrict fmt, va_list ap)
    __attribute__((__format__(__scanf__, 2, 0)));

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
              FILE *restrict f);
int fflush(FILE *f); /* NULL: every stream */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
void setbuf(FILE *restrict f, char *restrict buf);
int ferror(FILE *f);
void clearerr(FILE *f);
void perror(const char *s);

#endif
