/*
 * The printf engine: parses conversion specs and formats integers,
 * characters, strings and pointers; floating point is in format_fp.c.
 * Output goes to a struct fmt_out, so one engine serves streams and
 * strings.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "stdio_impl.h"

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T,
              LEN_BIG_L };

void __atoll_fmt_emit(struct fmt_out *o, const char *s, size_t n)
{
    if (o->overflow || n == 0)
        return;
    if (n > (size_t)INT_MAX - o->count) {
        o->overflow = 1;
        return;
    }
    o->put(o, s, n);
    o->count += n;
}

void __atoll_fmt_pad(struct fmt_out *o, char c, size_t n)
{
    char run[32];

    if (o->overflow || n == 0)
        return;
    if (n > (size_t)INT_MAX - o->count) {
        o->overflow = 1; /* say so now rather than after 2 GB of padding */
        return;
    }
    memset(run, c, sizeof(run));
    while (n > 0 && !o->overflow) {
        size_t k = n < sizeof(run) ? n : sizeof(run);
        __atoll_fmt_emit(o, run, k);
        n -= k;
    }
}

/* Spaces that bring a field of len bytes to the spec's width. */
static size_t fill(const struct fmt_spec *sp, size_t len)
{
    return (size_t)sp->width > len ? (size_t)sp->width - len : 0;
}

/*
 * An integer field: [spaces][prefix][zeros][digits][spaces]. prefix is
 * the sign and/or "0x"; zeros come from the precision or the 0 flag.
 */
static void put_int(struct fmt_out *o, const struct fmt_spec *sp,
                    const char *prefix, const char *digits, size_t ndig)
{
    size_t plen = strlen(prefix);
    size_t zeros = 0, len, pad;

    if (sp->prec >= 0 && (size_t)sp->prec > ndig)
        zeros = (size_t)sp->prec - ndig;
    /* '#' with o: the first digit printed must be a 0. */
    if (sp->conv == 'o' && (sp->flags & FMT_ALT) && zeros == 0 &&
        (ndig == 0 || digits[0] != '0'))
        zeros = 1;
    len = plen + zeros + ndig;
    pad = fill(sp, len);
    if ((sp->flags & (FMT_ZERO | FMT_MINUS)) == FMT_ZERO && sp->prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(sp->flags & FMT_MINUS))
        __atoll_fmt_pad(o, ' ', pad);
    __atoll_fmt_emit(o, prefix, plen);
    __atoll_fmt_pad(o, '0', zeros);
    __atoll_fmt_emit(o, digits, ndig);
    if (sp->flags & FMT_MINUS)
        __atoll_fmt_pad(o, ' ', pad);
}

static void fmt_integer(struct fmt_out *o, const struct fmt_spec *sp,
                        uintmax_t mag, int neg)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    const char *digit_chars = sp->conv == 'X' ? upper : lower;
    unsigned base = 10;
    char buf[24]; /* 22 octal digits for 64 bits */
    char *p = buf + sizeof(buf);
    const char *prefix = "";
    int nonzero = mag != 0;

    if (sp->conv == 'o')
        base = 8;
    else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
        base = 16;
    /* Precision 0 prints no digits for the value 0. */
    if (mag != 0 || sp->prec != 0) {
        do {
            *--p = digit_chars[mag % base];
            mag /= base;
        } while (mag != 0);
    }
    if (sp->conv == 'd' || sp->conv == 'i') {
        if (neg)
            prefix = "-";
        else if (sp->flags & FMT_PLUS)
            prefix = "+";
        else if (sp->flags & FMT_SPACE)
            prefix = " ";
    } else if (sp->conv == 'p' ||
               ((sp->flags & FMT_ALT) && base == 16 && nonzero)) {
        prefix = sp->conv == 'X' ? "0X" : "0x";
    }
    put_int(o, sp, prefix, p, (size_t)(buf + sizeof(buf) - p));
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp,
                       const char *s, size_t len)
{
    size_t pad = fill(sp, len);

    if (!(sp->flags & FMT_MINUS))
        __atoll_fmt_pad(o, ' ', pad);
    __atoll_fmt_emit(o, s, len);
    if (sp->flags & FMT_MINUS)
        __atoll_fmt_pad(o, ' ', pad);
}

/* Reads a decimal field; -1 if it does not fit an int. */
static int read_number(const char **fmt)
{
    int v = 0;

    for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
        int d = **fmt - '0';
        if (v > (INT_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    return v;
}

static enum length read_length(const char **fmt)
{
    const char *f = *fmt;
    enum length len = LEN_NONE;

    switch (*f) {
    case 'h':
        len = f[1] == 'h' ? LEN_HH : LEN_H;
        break;
    case 'l':
        len = f[1] == 'l' ? LEN_LL : LEN_L;
        break;
    case 'z': len = LEN_Z; break;
    case 'j': len = LEN_J; break;
    case 't': len = LEN_T; break;
    case 'L': len = LEN_BIG_L; break;
    default: return LEN_NONE;
    }
    *fmt = f + (len == LEN_HH || len == LEN_LL ? 2 : 1);
    return len;
}

static intmax_t arg_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return va_arg(*ap, long); /* ssize_t */
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uintmax_t arg_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Flags, width and precision; -1 with errno set on a bad field. */
static int read_spec(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
    const char *f = *fmt;

    sp->flags = 0;
    for (;; f++) {
        unsigned fl = *f == '-' ? FMT_MINUS : *f == '+' ? FMT_PLUS
                    : *f == ' ' ? FMT_SPACE : *f == '#' ? FMT_ALT
                    : *f == '0' ? FMT_ZERO : 0;
        if (fl == 0)
            break;
        sp->flags |= fl;
    }
    if (*f == '*') {
        int w = va_arg(*ap, int);
        f++;
        if (w == INT_MIN)
            goto overflow;
        if (w < 0) {
            sp->flags |= FMT_MINUS; /* C: a negative width is '-' */
            w = -w;
        }
        sp->width = w;
    } else if ((sp->width = read_number(&f)) < 0) {
        goto overflow;
    }
    sp->prec = -1;
    if (*f == '.') {
        f++;
        if (*f == '*') {
            int p = va_arg(*ap, int);
            f++;
            sp->prec = p < 0 ? -1 : p; /* negative: as if omitted */
        } else if ((sp->prec = read_number(&f)) < 0) {
            goto overflow;
        }
    }
    *fmt = f;
    return 0;
overflow:
    errno = EOVERFLOW;
    return -1;
}

/* One conversion; -1 with errno EINVAL if it is not supported. */
static int convert(struct fmt_out *o, struct fmt_spec *sp, enum length len,
                   va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i': {
        intmax_t v = arg_signed(ap, len);
        fmt_integer(o, sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0);
        return 0;
    }
    case 'o':
    case 'u':
    case 'x':
    case 'X':
        fmt_integer(o, sp, arg_unsigned(ap, len), 0);
        return 0;
    case 'p': {
        void *p = va_arg(*ap, void *);
        if (p == NULL) {
            fmt_string(o, sp, "(nil)", 5);
            return 0;
        }
        sp->flags &= ~(FMT_PLUS | FMT_SPACE);
        fmt_integer(o, sp, (uintptr_t)p, 0);
        return 0;
    }
    case 'c': {
        char c;
        if (len != LEN_NONE)
            break; /* wide characters are not supported */
        c = (char)va_arg(*ap, int);
        fmt_string(o, sp, &c, 1);
        return 0;
    }
    case 's': {
        const char *s;
        if (len != LEN_NONE)
            break;
        s = va_arg(*ap, const char *);
        if (s == NULL)
            s = "(null)";
        /* With a precision the array need not be NUL-terminated. */
        fmt_string(o, sp, s,
                   sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
        return 0;
    }
#ifdef __SSE2__
    /* Code built with -mgeneral-regs-only (no SSE) passes no doubles, and
     * this file built that way has no conversions for them. */
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
        double v = len == LEN_BIG_L ? (double)va_arg(*ap, long double)
                                    : va_arg(*ap, double);
        uint64_t bits;
        memcpy(&bits, &v, sizeof(bits));
        __atoll_fmt_float(o, sp, bits);
        return 0;
    }
#endif
    case '%':
        __atoll_fmt_emit(o, "%", 1);
        return 0;
    default:
        break;
    }
    errno = EINVAL;
    return -1;
}

int __atoll_vformat(struct fmt_out *o, const char *fmt, va_list ap)
{
    va_list args;
    int rc = 0;

    va_copy(args, ap);
    o->count = 0;
    o->overflow = 0;
    while (*fmt != '\0' && rc == 0 && !o->overflow) {
        struct fmt_spec spec;
        enum length len;
        const char *pct = strchr(fmt, '%');
        size_t lit = pct != NULL ? (size_t)(pct - fmt) : strlen(fmt);

        __atoll_fmt_emit(o, fmt, lit);
        fmt += lit;
        if (*fmt == '\0')
            break;
        fmt++;
        rc = read_spec(&fmt, &args, &spec);
        if (rc != 0)
            break;
        len = read_length(&fmt);
        spec.conv = *fmt;
        if (spec.conv == '\0') {
            errno = EINVAL;
            rc = -1;
            break;
        }
        fmt++;
        rc = convert(o, &spec, len, &args);
    }
    va_end(args);
    if (rc == 0 && o->overflow) {
        errno = EOVERFLOW;
        rc = -1;
    }
    return rc == 0 ? (int)o->count : -1;
}
