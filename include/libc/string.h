/* string.h: Atoll libc. */
#ifndef _ATOLL_STRING_H
#define _ATOLL_STRING_H

#include <stddef.h>
#include <strings.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *stpcpy(char *restrict dst, const char *restrict src);
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t strlcat(char *restrict dst, const char *restrict src, size_t size);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strpbrk(const char *s, const char *accept);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strtok(char *restrict s, const char *restrict delim);
char *strtok_r(char *restrict s, const char *restrict delim,
               char **restrict save);

/* These allocate with malloc(); the caller frees. NULL with ENOMEM. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);

/* Message for an errno value; "Unknown error N" for others. The result
 * for an unknown value lives in a static buffer. */
char *strerror(int errnum);
/* The XSI (POSIX) variant: 0; ERANGE if buf is too small (it holds what
 * fits); EINVAL for an unknown number (buf holds "Unknown error N"). */
int strerror_r(int errnum, char *buf, size_t buflen);

/* GNU and BSD extensions. */
void *memmem(const void *haystack, size_t hlen, const void *needle,
             size_t nlen);
char *strsep(char **restrict stringp, const char *restrict delim);
char *strcasestr(const char *haystack, const char *needle); /* ASCII */
char *strchrnul(const char *s, int c);
/* memset to zero that the compiler may not remove. */
void explicit_bzero(void *s, size_t n);

#endif
