/* Searching strings: strstr, strpbrk, strspn, strcspn, strtok(_r). */
#include <stdint.h>
#include <string.h>

/* A 256-bit set of byte values. */
struct byteset {
    uint64_t w[4];
};

static void set_of(struct byteset *set, const char *chars)
{
    const unsigned char *p = (const unsigned char *)chars;

    set->w[0] = set->w[1] = set->w[2] = set->w[3] = 0;
    for (; *p != '\0'; p++)
        set->w[*p >> 6] |= (uint64_t)1 << (*p & 63);
}

static int in_set(const struct byteset *set, unsigned char c)
{
    return (set->w[c >> 6] >> (c & 63)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
    struct byteset set;
    size_t n = 0;

    set_of(&set, accept);
    while (s[n] != '\0' && in_set(&set, (unsigned char)s[n]))
        n++;
    return n;
}

size_t strcspn(const char *s, const char *reject)
{
    struct byteset set;
    size_t n = 0;

    set_of(&set, reject);
    while (s[n] != '\0' && !in_set(&set, (unsigned char)s[n]))
        n++;
    return n;
}

char *strpbrk(const char *s, const char *accept)
{
    s += strcspn(s, accept);
    return *s != '\0' ? (char *)(uintptr_t)s : NULL;
}

/* Plain quadratic search: needles here are short (headers, tokens). */
char *strstr(const char *haystack, const char *needle)
{
    size_t nlen = strlen(needle);

    if (nlen == 0)
        return (char *)(uintptr_t)haystack;
    for (; *haystack != '\0'; haystack++) {
        if (*haystack == *needle && strncmp(haystack, needle, nlen) == 0)
            return (char *)(uintptr_t)haystack;
    }
    return NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim,
               char **restrict save)
{
    char *end;

    if (s == NULL)
        s = *save;
    if (s == NULL)
        return NULL;
    s += strspn(s, delim);
    if (*s == '\0') {
        *save = NULL;
        return NULL;
    }
    end = s + strcspn(s, delim);
    if (*end == '\0') {
        *save = NULL;
    } else {
        *end = '\0';
        *save = end + 1;
    }
    return s;
}

char *strtok(char *restrict s, const char *restrict delim)
{
    static char *save;

    return strtok_r(s, delim, &save);
}
