/*
 * sscanf/vsscanf: integers (%d %i %u %o %x %X %p), characters (%c %s
 * %[...]), %n and %%, with widths, '*' and the hh h l ll j z t modifiers.
 * Floating point (%f %e %g %a, where doubles exist: __SSE2__): the token
 * is taken as glibc takes it (a dangling exponent marker is consumed,
 * "nan" never takes a "(...)"), then converted by strtod, musl's from
 * $(B)/lib/m.a in guests; without it linked, a matching failure.
 * h_scanf.c compares with glibc.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_MAX 128 /* longest number read without an explicit width */

enum size { SZ_HH, SZ_H, SZ_INT, SZ_L, SZ_LL, SZ_J, SZ_Z, SZ_T };

static void store_int(va_list *ap, enum size sz, unsigned long long v)
{
    switch (sz) {
    case SZ_HH: *va_arg(*ap, signed char *) = (signed char)v; break;
    case SZ_H: *va_arg(*ap, short *) = (short)v; break;
    case SZ_INT: *va_arg(*ap, int *) = (int)v; break;
    case SZ_L: *va_arg(*ap, long *) = (long)v; break;
    case SZ_LL: *va_arg(*ap, long long *) = (long long)v; break;
    case SZ_J: *va_arg(*ap, intmax_t *) = (intmax_t)v; break;
    case SZ_Z: *va_arg(*ap, size_t *) = (size_t)v; break;
    case SZ_T: *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)v; break;
    }
}

/* Parse "%[...]" starting after '['; fills set, returns the ']'. */
static const char *scan_set(const char *f, unsigned char set[256])
{
    int neg = 0;

    memset(set, 0, 256);
    if (*f == '^') {
        neg = 1;
        f++;
    }
    if (*f == ']') {
        set[']'] = 1;
        f++;
    }
    for (; *f != '\0' && *f != ']'; f++) {
        if (f[1] == '-' && f[2] != ']' && f[2] != '\0' &&
            (unsigned char)f[2] >= (unsigned char)f[0]) {
            for (int c = (unsigned char)f[0]; c <= (unsigned char)f[2]; c++)
                set[c] = 1;
            f += 2;
        } else {
            set[(unsigned char)*f] = 1;
        }
    }
    if (*f == '\0')
        return NULL;
    if (neg)
        for (int c = 0; c < 256; c++)
            set[c] = !set[c];
    return f;
}

/* An integer of at most width characters at *s; 0 if none. */
static int scan_int(const char **s, int width, int base, int is_signed,
                    unsigned long long *v)
{
    char buf[NUM_MAX + 1], *end;
    size_t n = strnlen(*s, NUM_MAX);

    if (width > 0 && (size_t)width < n)
        n = (size_t)width;
    memcpy(buf, *s, n);
    buf[n] = '\0';
    /* strto* would skip white space again and take a second sign. */
    if (n == 0 || isspace((unsigned char)buf[0]))
        return 0;
    if (is_signed)
        *v = (unsigned long long)strtoll(buf, &end, base);
    else
        *v = strtoull(buf, &end, base);
    if (end == buf)
        return 0;
    /* glibc takes a "0x" with no hex digit after it as the number 0,
     * prefix included. */
    if ((base == 16 || base == 0) && *end != '\0') {
        size_t sign = buf[0] == '-' || buf[0] == '+';
        if (end == buf + sign + 1 && buf[sign] == '0' &&
            (buf[sign + 1] == 'x' || buf[sign + 1] == 'X'))
            end++;
    }
    *s += end - buf;
    return 1;
}

#ifdef __SSE2__
/* Weak: sscanf links without $(B)/lib/m.a and fails %f there. */
extern double strtod(const char *restrict nptr, char **restrict endptr)
    __attribute__((__weak__));

static int ci_prefix(const char *s, const char *word, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != word[i])
            return 0;
    return 1;
}

/* Length of the float token at s (at most max characters, the width if
 * by_width), 0 if none. */
static size_t float_token(const char *s, size_t max, int by_width)
{
    size_t n = 0, digits = 0;
    int hex = 0;

    if (n < max && (s[n] == '+' || s[n] == '-'))
        n++;
    if (max - n >= 3 && ci_prefix(s + n, "inf", 3)) {
        /* glibc: "inf" then an 'i' must go on to "infinity". */
        if (max - n == 3 || tolower((unsigned char)s[n + 3]) != 'i')
            return n + 3;
        return max - n >= 8 && ci_prefix(s + n, "infinity", 8) ? n + 8 : 0;
    }
    if (max - n >= 3 && ci_prefix(s + n, "nan", 3))
        return n + 3;
    if (max - n >= 2 && s[n] == '0' && (s[n + 1] == 'x' || s[n + 1] == 'X')) {
        /* glibc's quirks: a width ending right after "0x" reads "0". */
        if (max - n == 2 && by_width)
            return n + 1;
        hex = 1;
        n += 2;
    }
    while (n < max && (hex ? isxdigit((unsigned char)s[n])
                           : isdigit((unsigned char)s[n]))) {
        n++;
        digits++;
    }
    if (n < max && s[n] == '.') {
        n++;
        while (n < max && (hex ? isxdigit((unsigned char)s[n])
                               : isdigit((unsigned char)s[n]))) {
            n++;
            digits++;
        }
        /* "0x." is a zero (and takes no exponent). */
        if (hex && digits == 0)
            return n;
    }
    if (digits == 0)
        return 0;
    if (n < max && (hex ? (s[n] == 'p' || s[n] == 'P')
                        : (s[n] == 'e' || s[n] == 'E'))) {
        n++;
        if (n < max && (s[n] == '+' || s[n] == '-'))
            n++;
        while (n < max && isdigit((unsigned char)s[n]))
            n++;
    }
    return n;
}

static int scan_float(const char **s, int width, enum size sz, void *out)
{
    char buf[NUM_MAX + 1];
    size_t n = strnlen(*s, NUM_MAX);
    int by_width = width > 0 && (size_t)width <= n;
    double d;

    if (by_width)
        n = (size_t)width;
    n = float_token(*s, n, by_width);
    if (n == 0 || strtod == NULL)
        return 0;
    memcpy(buf, *s, n);
    buf[n] = '\0';
    d = strtod(buf, NULL);
    *s += n;
    if (out == NULL)
        return 1;
    if (sz == SZ_L)
        *(double *)out = d;
    else if (sz == SZ_LL)
        *(long double *)out = d;
    else
        *(float *)out = (float)d;
    return 1;
}
#endif

int vsscanf(const char *restrict str, const char *restrict fmt, va_list ap0)
{
    const char *s = str, *f = fmt;
    int assigned = 0;
    va_list ap;

    va_copy(ap, ap0);
    for (; *f != '\0'; f++) {
        int suppress = 0, width = 0, base = 10, is_signed = 1;
        enum size sz = SZ_INT;
        unsigned long long v;

        if (isspace((unsigned char)*f)) {
            while (isspace((unsigned char)*s))
                s++;
            continue;
        }
        if (*f != '%' || f[1] == '%') {
            if (*f == '%') {
                f++;
                while (isspace((unsigned char)*s))
                    s++;
            }
            if (*s == '\0')
                goto input_failure;
            if (*s != *f)
                goto done;
            s++;
            continue;
        }
        f++;
        if (*f == '*') {
            suppress = 1;
            f++;
        }
        while (isdigit((unsigned char)*f))
            width = width * 10 + (*f++ - '0');
        if (*f == 'h') {
            sz = f[1] == 'h' ? SZ_HH : SZ_H;
            f += f[1] == 'h' ? 2 : 1;
        } else if (*f == 'l') {
            sz = f[1] == 'l' ? SZ_LL : SZ_L;
            f += f[1] == 'l' ? 2 : 1;
        } else if (*f == 'j' || *f == 'z' || *f == 't' || *f == 'L' ||
                   *f == 'q') {
            sz = *f == 'j' ? SZ_J : *f == 'z' ? SZ_Z : *f == 't' ? SZ_T
                                                                  : SZ_LL;
            f++;
        }
        if (*f == 'n') {
            if (!suppress)
                store_int(&ap, sz, (unsigned long long)(s - str));
            continue;
        }
        if (*f != 'c' && *f != '[') {
            while (isspace((unsigned char)*s))
                s++;
        }
        if (*s == '\0')
            goto input_failure;
        switch (*f) {
        case 'c': {
            /* As in glibc, fewer characters than the width still count. */
            int n = (int)strnlen(s, width > 0 ? (size_t)width : 1);
            char *out = suppress ? NULL : va_arg(ap, char *);
            if (out != NULL)
                memcpy(out, s, (size_t)n);
            s += n;
            break;
        }
        case 's':
        case '[': {
            unsigned char set[256];
            char *out = NULL;
            int n = 0;
            if (*f == '[') {
                f = scan_set(f + 1, set);
                if (f == NULL)
                    goto done;
            } else {
                for (int c = 0; c < 256; c++)
                    set[c] = c != 0 && !isspace(c);
            }
            if (!suppress)
                out = va_arg(ap, char *);
            while (*s != '\0' && set[(unsigned char)*s] &&
                   (width == 0 || n < width)) {
                if (out != NULL)
                    out[n] = *s;
                n++;
                s++;
            }
            if (n == 0)
                goto done;
            if (out != NULL)
                out[n] = '\0';
            break;
        }
        case 'p':
            sz = SZ_L;
            base = 16;
            is_signed = 0;
            goto integer;
        case 'x':
        case 'X':
            base = 16;
            is_signed = 0;
            goto integer;
        case 'o':
            base = 8;
            is_signed = 0;
            goto integer;
        case 'u':
            is_signed = 0;
            goto integer;
        case 'i':
            base = 0;
            goto integer;
        case 'd':
        integer:
            if (!scan_int(&s, width, base, is_signed, &v))
                goto done;
            if (!suppress) {
                if (*f == 'p')
                    *va_arg(ap, void **) = (void *)(uintptr_t)v;
                else
                    store_int(&ap, sz, v);
            }
            break;
#ifdef __SSE2__
        case 'a': case 'A': case 'e': case 'E':
        case 'f': case 'F': case 'g': case 'G':
            if (!scan_float(&s, width, sz,
                            suppress ? NULL : va_arg(ap, void *)))
                goto done;
            break;
#endif
        default: /* unknown conversions */
            goto done;
        }
        if (!suppress)
            assigned++;
    }
done:
    va_end(ap);
    return assigned;
input_failure:
    va_end(ap);
    return assigned == 0 ? EOF : assigned;
}

int sscanf(const char *restrict str, const char *restrict fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsscanf(str, fmt, ap);
    va_end(ap);
    return r;
}
