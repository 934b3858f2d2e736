/*
 * Built with the host's headers: Atoll's strto* family against glibc's on
 * generated strings (white space, signs, prefixes, digits of every base,
 * values at and around each type's limits) for bases 0, 2..36; and qsort
 * against glibc's qsort on random arrays.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"

void h_stdlib_compare(void);

long alc_strtol(const char *s, char **end, int base);
unsigned long alc_strtoul(const char *s, char **end, int base);
long long alc_strtoll(const char *s, char **end, int base);
unsigned long long alc_strtoull(const char *s, char **end, int base);
intmax_t alc_strtoimax(const char *s, char **end, int base);
uintmax_t alc_strtoumax(const char *s, char **end, int base);
int alc_atoi(const char *s);
void alc_qsort(void *base, size_t n, size_t size,
               int (*cmp)(const void *, const void *));
/* libc's errno object (the renamed `errno`). */
extern int alc_errno;

static const char digits36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* v in base b, most significant digit first, upper case if upper. */
static void to_base(char *out, unsigned long long v, int b, int upper)
{
    char tmp[70];
    int n = 0;

    do {
        char d = digits36[v % (unsigned)b];
        tmp[n++] = upper && d >= 'a' ? (char)(d - 'a' + 'A') : d;
        v /= (unsigned)b;
    } while (v != 0);
    while (n > 0)
        *out++ = tmp[--n];
    *out = '\0';
}

static char *append(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n + 1);
    return p + n;
}

/* A string that strto* might see: a random mix of the pieces that matter,
 * often with a value near a limit of one of the types. */
static void make_number(char *out, int base)
{
    static const char *const spaces[] = {"", "", " ", "\t", "  \n\v\f\r",
                                         "\x85"};
    static const char *const signs[] = {"", "", "+", "-", "--", "+-"};
    static const char *const prefixes[] = {"", "", "", "0", "0x", "0X",
                                           "00", "0b", "0x0x"};
    static const char *const tails[] = {"", "", " ", "x", "g", "z", "!",
                                        "\xff", "9", "Z"};
    static const unsigned long long near[] = {
        0, 1, INT_MAX, (unsigned)INT_MAX + 1, UINT_MAX,
        (unsigned long long)UINT_MAX + 1, LLONG_MAX,
        (unsigned long long)LLONG_MAX + 1, ULLONG_MAX - 1, ULLONG_MAX};
    char *p = out;
    int b = base == 0 ? (int[]){8, 10, 16}[t_rand() % 3] : base;

    p = append(p, spaces[t_rand() % 6]);
    p = append(p, signs[t_rand() % 6]);
    p = append(p, prefixes[t_rand() % 9]);
    switch (t_rand() % 4) {
    case 0: { /* random digits of the base, or a little beyond it */
        int n = (int)(t_rand() % 30), i;
        for (i = 0; i < n; i++) {
            int d = (int)(t_rand() % (unsigned)(b < 36 ? b + 1 : b));
            char c = digits36[d];
            *p++ = t_rand() % 2 && c >= 'a' ? (char)(c - 'a' + 'A') : c;
        }
        *p = '\0';
        break;
    }
    case 1: /* just past a limit: the limit's digits with one more */
        to_base(p, near[t_rand() % 10], b, (int)(t_rand() % 2));
        p += strlen(p);
        *p++ = digits36[t_rand() % (unsigned)b];
        *p = '\0';
        break;
    default: { /* at or around a limit */
        unsigned long long v = near[t_rand() % 10] + (t_rand() % 5) - 2;
        to_base(p, v, b, (int)(t_rand() % 2));
        p += strlen(p);
        break;
    }
    }
    append(p, tails[t_rand() % 10]);
}

/* Compare one function of ours with glibc's on s: value, end, errno. */
#define COMPARE(T, FMT, ours, theirs, s, base)                             \
    do {                                                                   \
        char *e1 = NULL, *e2 = NULL;                                       \
        T v1, v2;                                                          \
        int n1, n2;                                                        \
        alc_errno = 0;                                                     \
        v1 = ours(s, &e1, base);                                           \
        n1 = alc_errno;                                                    \
        errno = 0;                                                         \
        v2 = theirs(s, &e2, base);                                         \
        n2 = errno;                                                        \
        if (!t_ok(v1 == v2 && e1 == e2 && n1 == n2,                        \
                  #theirs "(\"%s\", %d): " FMT " end +%ld errno %d; "       \
                  "glibc " FMT " end +%ld errno %d",                       \
                  s, base, v1, (long)(e1 - s), n1, v2, (long)(e2 - s),     \
                  n2))                                                     \
            return;                                                        \
    } while (0)

static void strto(void)
{
    char s[200];
    int base, i;

    t_case("stdlib/glibc-strto");
    for (base = 0; base <= 36; base++) {
        if (base == 1)
            continue;
        for (i = 0; i < (base == 0 || base == 2 || base == 8 ||
                                 base == 10 || base == 16 || base == 36
                             ? 6000
                             : 1500);
             i++) {
            make_number(s, base);
            COMPARE(long, "%ld", alc_strtol, strtol, s, base);
            COMPARE(unsigned long, "%lu", alc_strtoul, strtoul, s, base);
            COMPARE(long long, "%lld", alc_strtoll, strtoll, s, base);
            COMPARE(unsigned long long, "%llu", alc_strtoull, strtoull, s,
                    base);
            COMPARE(intmax_t, "%jd", alc_strtoimax, strtoimax, s, base);
            COMPARE(uintmax_t, "%ju", alc_strtoumax, strtoumax, s, base);
            if (base == 10) {
                /* atoi of an int-sized value (others are undefined). */
                long v = strtol(s, NULL, 10);
                if (v >= INT_MIN && v <= INT_MAX &&
                    !t_ok(alc_atoi(s) == atoi(s), "atoi(\"%s\"): %d, "
                          "glibc %d", s, alc_atoi(s), atoi(s)))
                    return;
            }
        }
    }
}

static size_t elem_size;

static int cmp_bytes(const void *a, const void *b)
{
    return memcmp(a, b, elem_size);
}

static void qsort_glibc(void)
{
    static const size_t sizes[] = {1, 3, 4, 8, 13, 32};
    static const size_t counts[] = {100, 127, 128, 129, 1000, 4099, 30000};
    size_t si, ci, i;

    t_case("stdlib/glibc-qsort");
    for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
    for (ci = 0; ci < sizeof(counts) / sizeof(counts[0]); ci++) {
        size_t size = sizes[si], n = counts[ci], bytes = size * n;
        unsigned char *a = malloc(bytes), *b = malloc(bytes);
        /* Keys from a range smaller than n, so many are equal. */
        unsigned range = (unsigned)(n / 3 + 1);
        for (i = 0; i < bytes; i++)
            a[i] = (unsigned char)(t_rand() % range);
        memcpy(b, a, bytes);
        elem_size = size;
        alc_qsort(a, n, size, cmp_bytes);
        qsort(b, n, size, cmp_bytes);
        t_ok(memcmp(a, b, bytes) == 0, "%zu elements of %zu bytes: "
             "differs from glibc", n, size);
        free(a);
        free(b);
    }
}

void h_stdlib_compare(void)
{
    strto();
    qsort_glibc();
}
