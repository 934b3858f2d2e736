/*
 * strtol family. One parser reads the magnitude into an unsigned long long
 * and notes the sign and any overflow; each function then clamps to its own
 * range and sets ERANGE, as C11 7.22.1.4 says.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

struct parsed {
    unsigned long long mag; /* magnitude, ULLONG_MAX if it overflowed */
    int neg;
    int overflow;
};

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (islower(c))
        return c - 'a' + 10;
    if (isupper(c))
        return c - 'A' + 10;
    return 99;
}

/* Returns 0, or -1 with errno EINVAL for a bad base. */
static int parse(const char *nptr, char **endptr, int base, struct parsed *r)
{
    const unsigned char *s = (const unsigned char *)nptr;
    const unsigned char *digits;

    r->mag = 0;
    r->neg = 0;
    r->overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (endptr != NULL)
            *endptr = (char *)(uintptr_t)nptr;
        return -1;
    }
    while (isspace(*s))
        s++;
    if (*s == '+' || *s == '-')
        r->neg = *s++ == '-';
    /* "0x" counts as a prefix only if a hex digit follows it. */
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 0x20) == 'x' &&
        digit_value(s[2]) < 16) {
        s += 2;
        base = 16;
    } else if (base == 0) {
        base = s[0] == '0' ? 8 : 10;
    }
    digits = s;
    for (; digit_value(*s) < base; s++) {
        unsigned d = (unsigned)digit_value(*s);
        if (r->mag > (ULLONG_MAX - d) / (unsigned)base)
            r->overflow = 1;
        else
            r->mag = r->mag * (unsigned)base + d;
    }
    if (endptr != NULL)
        *endptr = (char *)(uintptr_t)(s == digits ? (const unsigned char *)nptr : s);
    if (r->overflow)
        r->mag = ULLONG_MAX;
    return 0;
}

static long long to_signed(const struct parsed *r, long long min,
                           long long max)
{
    if (r->neg) {
        /* -(min + 1) + 1 is |min| without overflowing. */
        unsigned long long lim = (unsigned long long)-(min + 1) + 1;
        if (r->overflow || r->mag > lim) {
            errno = ERANGE;
            return min;
        }
        return r->mag == lim ? min : -(long long)r->mag;
    }
    if (r->overflow || r->mag > (unsigned long long)max) {
        errno = ERANGE;
        return max;
    }
    return (long long)r->mag;
}

static unsigned long long to_unsigned(const struct parsed *r,
                                      unsigned long long max)
{
    if (r->overflow || r->mag > max) {
        errno = ERANGE;
        return max;
    }
    /* C: a negative value is negated in the unsigned type. */
    return r->neg ? (0 - r->mag) & max : r->mag;
}

long long strtoll(const char *restrict nptr, char **restrict endptr, int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return to_signed(&r, LLONG_MIN, LLONG_MAX);
}

long strtol(const char *restrict nptr, char **restrict endptr, int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return (long)to_signed(&r, LONG_MIN, LONG_MAX);
}

intmax_t strtoimax(const char *restrict nptr, char **restrict endptr, int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return (intmax_t)to_signed(&r, INTMAX_MIN, INTMAX_MAX);
}

unsigned long long strtoull(const char *restrict nptr, char **restrict endptr,
                            int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return to_unsigned(&r, ULLONG_MAX);
}

unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
                      int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return (unsigned long)to_unsigned(&r, ULONG_MAX);
}

uintmax_t strtoumax(const char *restrict nptr, char **restrict endptr,
                    int base)
{
    struct parsed r;

    if (parse(nptr, endptr, base, &r) != 0)
        return 0;
    return (uintmax_t)to_unsigned(&r, UINTMAX_MAX);
}

/* ato*: no error reporting; out-of-range values clamp as strtol does. */
int atoi(const char *nptr)
{
    long v = strtol(nptr, NULL, 10);

    return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

long atol(const char *nptr)
{
    return strtol(nptr, NULL, 10);
}

long long atoll(const char *nptr)
{
    return strtoll(nptr, NULL, 10);
}
