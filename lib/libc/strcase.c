/* strcasecmp, strncasecmp: ASCII case folding ("C" locale). */
#include <ctype.h>
#include <strings.h>

int strncasecmp(const char *a, const char *b, __atoll_size_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for (; n > 0; n--, p++, q++) {
        int c = tolower(*p), d = tolower(*q);
        if (c != d || c == '\0')
            return c - d;
    }
    return 0;
}

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (__atoll_size_t)-1);
}
