/*
 * printf's %f %e %g. A finite double is m * 2^e2 exactly; its decimal
 * expansion is finite, so we compute it exactly (with small bignums) and
 * round that, half to even, the way glibc does in the default rounding
 * mode. No floating-point arithmetic is involved, so the result does not
 * depend on FPU state.
 */
#include <stdint.h>
#include <string.h>

#include "stdio_impl.h"

/* A double's exact expansion has at most 767 significant digits, plus at
 * most 8 zeros from the last 9-digit group. */
#define MAX_DIGITS 800
#define E9 1000000000u

/* value = 0.d[0]d[1]...d[n-1] * 10^dp; no leading or trailing zeros. */
struct decimal {
    char d[MAX_DIGITS];
    int n; /* 0 for the value zero */
    int dp;
};

/* Append a 9-digit group. Leading zeros are dropped; in the fraction
 * (frac set) each one dropped lowers dp. */
static void push_group(struct decimal *x, uint32_t g, int frac)
{
    char buf[9];
    int i;

    for (i = 8; i >= 0; i--) {
        buf[i] = (char)('0' + g % 10);
        g /= 10;
    }
    for (i = 0; i < 9; i++) {
        if (x->n == 0 && buf[i] == '0') {
            x->dp -= frac;
            continue;
        }
        if (x->n < MAX_DIGITS)
            x->d[x->n++] = buf[i];
    }
}

/* The integer in limb[0..nl) (base 2^32, least significant first). */
static void int_digits(struct decimal *x, uint32_t *limb, int nl)
{
    uint32_t groups[40]; /* 2^1024 < 10^(9*35) */
    int ng = 0;

    while (nl > 0 && limb[nl - 1] == 0)
        nl--;
    while (nl > 0) {
        uint64_t rem = 0;
        int i;
        for (i = nl - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | limb[i];
            limb[i] = (uint32_t)(cur / E9);
            rem = cur % E9;
        }
        groups[ng++] = (uint32_t)rem;
        while (nl > 0 && limb[nl - 1] == 0)
            nl--;
    }
    while (ng > 0)
        push_group(x, groups[--ng], 0);
    x->dp = x->n;
}

/* The fraction f / 2^k (f < 2^k, k <= 1074): multiply by 10^9 and take
 * the part above the binary point until nothing is left. */
static void frac_digits(struct decimal *x, uint64_t f, int k)
{
    uint32_t a[34] = {0};
    int nl = (k + 31) / 32, lo = 0, i;
    /* Shift so the binary point sits at the top of limb nl - 1. */
    unsigned __int128 t = (unsigned __int128)f << (32 * nl - k);

    for (i = 0; i < nl && i < 3; i++)
        a[i] = (uint32_t)(t >> (32 * i));
    while (lo < nl && a[lo] == 0)
        lo++;
    while (lo < nl) {
        uint64_t carry = 0;
        for (i = lo; i < nl; i++) {
            uint64_t c = (uint64_t)a[i] * E9 + carry;
            a[i] = (uint32_t)c;
            carry = c >> 32;
        }
        push_group(x, (uint32_t)carry, 1);
        while (lo < nl && a[lo] == 0)
            lo++;
    }
}

static void trim(struct decimal *x)
{
    while (x->n > 0 && x->d[x->n - 1] == '0')
        x->n--;
    if (x->n == 0)
        x->dp = 1;
}

/* The exact expansion of m * 2^e2 (m < 2^53). */
static void expand(struct decimal *x, uint64_t m, int e2)
{
    x->n = 0;
    x->dp = 0;
    if (m == 0) {
        trim(x);
        return;
    }
    if (e2 >= 0) {
        uint32_t limb[34] = {0}; /* m << e2 < 2^1024 */
        int w = e2 / 32, s = e2 % 32;
        unsigned __int128 t = (unsigned __int128)m << s;
        limb[w] = (uint32_t)t;
        limb[w + 1] = (uint32_t)(t >> 32);
        limb[w + 2] = (uint32_t)(t >> 64);
        int_digits(x, limb, w + 3);
    } else {
        int k = -e2;
        uint64_t ip = k < 64 ? m >> k : 0;
        uint64_t f = k < 64 ? m & (((uint64_t)1 << k) - 1) : m;
        uint32_t limb[2] = {(uint32_t)ip, (uint32_t)(ip >> 32)};
        int_digits(x, limb, 2);
        if (f != 0)
            frac_digits(x, f, k);
    }
    trim(x);
}

/* Keep the first c digits, rounding half to even on the exact value. */
static void round_at(struct decimal *x, long c)
{
    int up, i;

    if (c >= x->n)
        return;
    if (c < 0) {
        x->n = 0;
        trim(x);
        return;
    }
    if (x->d[c] != '5')
        up = x->d[c] > '5';
    else /* exactly half only if nothing follows the 5 (no trailing 0s) */
        up = c + 1 < x->n || (c > 0 && ((x->d[c - 1] - '0') & 1));
    x->n = (int)c;
    if (up) {
        for (i = (int)c - 1; i >= 0 && x->d[i] == '9'; i--)
            ;
        if (i < 0) {
            x->d[0] = '1';
            x->n = 1;
            x->dp++;
        } else {
            x->d[i]++;
            x->n = i + 1;
        }
    }
    trim(x);
}

/* Digits at positions [lo, hi), zeros outside d[0..n). */
static void put_digits(struct fmt_out *o, const struct decimal *x, long lo,
                       long hi)
{
    if (lo < 0) {
        long z = (hi < 0 ? hi : 0) - lo;
        __atoll_fmt_pad(o, '0', (size_t)z);
        lo += z;
    }
    if (lo < hi && lo < x->n) {
        long k = (hi < x->n ? hi : x->n) - lo;
        __atoll_fmt_emit(o, x->d + lo, (size_t)k);
        lo += k;
    }
    if (lo < hi)
        __atoll_fmt_pad(o, '0', (size_t)(hi - lo));
}

/* A field of len bytes: spaces, or zeros after the sign with the 0 flag. */
static void pad_before(struct fmt_out *o, const struct fmt_spec *sp,
                       const char *sign, size_t len, int zero_ok)
{
    size_t pad = (size_t)sp->width > len ? (size_t)sp->width - len : 0;

    if (sp->flags & FMT_MINUS)
        pad = 0;
    if (zero_ok && (sp->flags & FMT_ZERO)) {
        __atoll_fmt_emit(o, sign, strlen(sign));
        __atoll_fmt_pad(o, '0', pad);
        return;
    }
    __atoll_fmt_pad(o, ' ', pad);
    __atoll_fmt_emit(o, sign, strlen(sign));
}

static void pad_after(struct fmt_out *o, const struct fmt_spec *sp,
                      size_t len)
{
    if ((sp->flags & FMT_MINUS) && (size_t)sp->width > len)
        __atoll_fmt_pad(o, ' ', (size_t)sp->width - len);
}

/* [-]ddd.ddd with prec fraction digits (x already rounded). */
static void put_fixed(struct fmt_out *o, const struct fmt_spec *sp,
                      const char *sign, const struct decimal *x, long prec)
{
    long ilen = x->dp > 0 ? x->dp : 1;
    int dot = prec > 0 || (sp->flags & FMT_ALT);
    size_t len = strlen(sign) + (size_t)ilen + (size_t)dot + (size_t)prec;

    pad_before(o, sp, sign, len, 1);
    if (x->dp > 0)
        put_digits(o, x, 0, x->dp);
    else
        __atoll_fmt_emit(o, "0", 1);
    if (dot)
        __atoll_fmt_emit(o, ".", 1);
    put_digits(o, x, x->dp, x->dp + prec);
    pad_after(o, sp, len);
}

/* [-]d.ddde[+-]dd with prec fraction digits (x already rounded). */
static void put_exp(struct fmt_out *o, const struct fmt_spec *sp,
                    const char *sign, const struct decimal *x, long prec,
                    char e)
{
    int exp = x->n > 0 ? x->dp - 1 : 0;
    unsigned mag = exp < 0 ? (unsigned)-exp : (unsigned)exp;
    char ebuf[8];
    int elen = 0, i;
    int dot = prec > 0 || (sp->flags & FMT_ALT);
    size_t len;

    do {
        ebuf[sizeof(ebuf) - 1 - elen++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0 || elen < 2);
    ebuf[sizeof(ebuf) - 1 - elen++] = exp < 0 ? '-' : '+';
    ebuf[sizeof(ebuf) - 1 - elen++] = e;
    len = strlen(sign) + 1 + (size_t)dot + (size_t)prec + (size_t)elen;
    pad_before(o, sp, sign, len, 1);
    put_digits(o, x, 0, 1);
    if (dot)
        __atoll_fmt_emit(o, ".", 1);
    put_digits(o, x, 1, 1 + prec);
    i = (int)sizeof(ebuf) - elen;
    __atoll_fmt_emit(o, ebuf + i, (size_t)elen);
    pad_after(o, sp, len);
}

void __atoll_fmt_float(struct fmt_out *o, const struct fmt_spec *sp,
                       uint64_t bits)
{
    struct decimal x;
    uint64_t m;
    int bexp, upper = sp->conv == 'F' || sp->conv == 'E' || sp->conv == 'G';
    char lc = (char)(sp->conv | 0x20);
    const char *sign;
    long prec = sp->prec < 0 ? 6 : sp->prec;

    bexp = (int)(bits >> 52 & 0x7ff);
    m = bits & (((uint64_t)1 << 52) - 1);
    sign = bits >> 63 ? "-" : (sp->flags & FMT_PLUS) ? "+"
         : (sp->flags & FMT_SPACE) ? " " : "";
    if (bexp == 0x7ff) {
        const char *w = m != 0 ? (upper ? "NAN" : "nan")
                               : (upper ? "INF" : "inf");
        size_t len = strlen(sign) + 3;
        pad_before(o, sp, sign, len, 0);
        __atoll_fmt_emit(o, w, 3);
        pad_after(o, sp, len);
        return;
    }
    /* Normal numbers carry the implicit 1; subnormals use exponent 1. */
    if (bexp != 0)
        m |= (uint64_t)1 << 52;
    expand(&x, m, (bexp != 0 ? bexp : 1) - 1075);

    if (lc == 'f') {
        round_at(&x, x.dp + prec);
        put_fixed(o, sp, sign, &x, prec);
    } else if (lc == 'e') {
        round_at(&x, 1 + prec);
        put_exp(o, sp, sign, &x, prec, upper ? 'E' : 'e');
    } else {
        long p = prec == 0 ? 1 : prec;
        long exp;
        round_at(&x, p);
        exp = x.n > 0 ? x.dp - 1 : 0;
        if (exp < p && exp >= -4) {
            long fp = p - 1 - exp;
            if (!(sp->flags & FMT_ALT) && fp > x.n - x.dp)
                fp = x.n - x.dp > 0 ? x.n - x.dp : 0;
            put_fixed(o, sp, sign, &x, fp);
        } else {
            long ep = p - 1;
            if (!(sp->flags & FMT_ALT) && ep > x.n - 1)
                ep = x.n - 1 > 0 ? x.n - 1 : 0;
            put_exp(o, sp, sign, &x, ep, upper ? 'E' : 'e');
        }
    }
}
