/* The BSD and GNU string extensions portable code reaches for. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

void *memmem(const void *haystack, size_t hlen, const void *needle,
             size_t nlen)
{
    const unsigned char *h = haystack, *n = needle;

    if (nlen == 0)
        return (void *)(unsigned long)h;
    while (hlen >= nlen) {
        const unsigned char *p = memchr(h, n[0], hlen - nlen + 1);

        if (p == NULL)
            return NULL;
        if (memcmp(p, n, nlen) == 0)
            return (void *)(unsigned long)p;
        hlen -= (size_t)(p - h) + 1;
        h = p + 1;
    }
    return NULL;
}

char *strsep(char **stringp, const char *delim)
{
    char *s = *stringp, *end;

    if (s == NULL)
        return NULL;
    end = s + strcspn(s, delim);
    if (*end == '\0') {
        *stringp = NULL;
    } else {
        *end = '\0';
        *stringp = end + 1;
    }
    return s;
}

char *strcasestr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for (; *haystack != '\0' || n == 0; haystack++) {
        if (strncasecmp(haystack, needle, n) == 0)
            return (char *)(unsigned long)haystack;
        if (*haystack == '\0')
            break;
    }
    return NULL;
}

char *strchrnul(const char *s, int c)
{
    while (*s != '\0' && *s != (char)c)
        s++;
    return (char *)(unsigned long)s;
}

/* XSI strerror_r (what POSIX specifies): 0, or ERANGE when buf is too
 * small (buf then holds as much as fits), EINVAL for an unknown number
 * (buf holds as much of "Unknown error N" as fits), as glibc's XSI
 * variant does. */
int strerror_r(int errnum, char *buf, size_t buflen)
{
    int saved = errno;
    const char *msg = strerror(errnum);
    size_t len = strlen(msg);
    int ret = strncmp(msg, "Unknown error", 13) == 0 ? EINVAL : 0;

    errno = saved;
    if (buflen == 0)
        return ret != 0 ? ret : ERANGE;
    if (len >= buflen) {
        memcpy(buf, msg, buflen - 1);
        buf[buflen - 1] = '\0';
        return ret != 0 ? ret : ERANGE; /* glibc: EINVAL first */
    }
    memcpy(buf, msg, len + 1);
    return ret;
}

/* The compiler may not drop these stores: the asm claims to read them. */
void explicit_bzero(void *s, size_t n)
{
    memset(s, 0, n);
    __asm__ __volatile__("" : : "r"(s) : "memory");
}

int ffs(int i)
{
    return __builtin_ffs(i);
}

int ffsl(long i)
{
    return __builtin_ffsl(i);
}

int ffsll(long long i)
{
    return __builtin_ffsll(i);
}
