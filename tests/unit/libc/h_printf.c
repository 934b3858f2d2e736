/*
 * Built with the host's headers: Atoll's snprintf against glibc's over
 * every combination of flags, width and precision for each conversion,
 * and over random doubles. glibc is the reference the expected values in
 * t_printf.c were also checked against.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/check.h"

int alc_snprintf(char *buf, size_t size, const char *fmt, ...);
void h_printf_compare(void);

static char ours[1200], theirs[1200];

#define COMPARE(fmt, ...)                                                 \
    do {                                                                  \
        int a_ = alc_snprintf(ours, sizeof(ours), fmt, __VA_ARGS__);    \
        int b_ = snprintf(theirs, sizeof(theirs), fmt, __VA_ARGS__);      \
        t_ok(a_ == b_ && strcmp(ours, theirs) == 0,                       \
             "format \"%s\": got \"%s\" (%d), glibc \"%s\" (%d)", fmt,     \
             ours, a_, theirs, b_);                                       \
    } while (0)

static const char *const widths[] = {"", "1", "6", "25"};
static const char *const precs[] = {"", ".", ".0", ".1", ".4", ".22"};

/* Spec text for flag set f (bits: - + space # 0). */
static void make_spec(char *out, unsigned f, const char *w, const char *p,
                      const char *len, char conv)
{
    char *o = out;

    *o++ = '%';
    if (f & 1) *o++ = '-';
    if (f & 2) *o++ = '+';
    if (f & 4) *o++ = ' ';
    if (f & 8) *o++ = '#';
    if (f & 16) *o++ = '0';
    sprintf(o, "%s%s%s%c|", w, p, len, conv);
}

static void integers(void)
{
    static const long long vals[] = {
        0, 1, -1, 7, 127, 128, 255, 256, 32767, -32768, 65535,
        INT_MAX, INT_MIN, (long long)UINT_MAX, LLONG_MIN, LLONG_MAX,
        0x123456789abcLL, -1234567890123LL};
    static const char convs[] = "diuoxX";
    char fmt[64];
    unsigned f;
    size_t w, p, c, v;

    t_case("printf/glibc-integers");
    for (f = 0; f < 32; f++)
    for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
    for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++)
    for (c = 0; c < sizeof(convs) - 1; c++) {
        char conv = convs[c];
        /* '#' is undefined for d, i, u. */
        if ((f & 8) && (conv == 'd' || conv == 'i' || conv == 'u'))
            continue;
        for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
            long long x = vals[v];
            make_spec(fmt, f, widths[w], precs[p], "ll", conv);
            COMPARE(fmt, x);
            make_spec(fmt, f, widths[w], precs[p], "", conv);
            COMPARE(fmt, (int)x);
            make_spec(fmt, f, widths[w], precs[p], "h", conv);
            COMPARE(fmt, (int)x);
            make_spec(fmt, f, widths[w], precs[p], "hh", conv);
            COMPARE(fmt, (int)x);
        }
    }
}

static void strings_chars(void)
{
    static const char *const strs[] = {"", "a", "hello", "hello, world!"};
    char fmt[64];
    unsigned f;
    size_t w, p, s;

    t_case("printf/glibc-strings");
    for (f = 0; f < 32; f += 16) /* only '-' and '0'-less forms are defined */
    for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
    for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
        for (s = 0; s < sizeof(strs) / sizeof(strs[0]); s++) {
            make_spec(fmt, f ? 1 : 0, widths[w], precs[p], "", 's');
            COMPARE(fmt, strs[s]);
        }
        if (p == 0) {
            make_spec(fmt, f ? 1 : 0, widths[w], "", "", 'c');
            COMPARE(fmt, 'z');
            make_spec(fmt, f ? 1 : 0, widths[w], "", "", 'p');
            COMPARE(fmt, (void *)0x7fff1234abcdUL);
        }
    }
}

static void floats(void)
{
    static const double vals[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.1, 0.2, 0.3, 123.456,
        1e-5, 9.5, 99.95, 0.05, 0.005, 1e15, 1e16, 1e22, 1e23, 123456789.0,
        5e-324, DBL_MAX, DBL_MIN, 0.000123456, 2.675, 1e-300, 3e100,
        999999.5, 9.9999995, 0.00099999, 1.0 / 3.0, 2.0 / 3.0};
    static const char *const fprecs[] = {"", ".0", ".1", ".3", ".6", ".17",
                                         ".30"};
    static const char convs[] = "feEgGF";
    char fmt[64];
    unsigned f;
    size_t w, p, c, v;

    t_case("printf/glibc-floats");
    for (f = 0; f < 32; f++)
    for (w = 0; w < 3; w++)
    for (p = 0; p < sizeof(fprecs) / sizeof(fprecs[0]); p++)
    for (c = 0; c < sizeof(convs) - 1; c++) {
        for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
            /* glibc drops the zeros of %#g when rounding carries into a
             * new exponent (999999.5 -> "1.e+06"); C asks for
             * "1.00000e+06", which t_printf.c checks. */
            if ((f & 8) && (convs[c] | 0x20) == 'g' && vals[v] == 999999.5)
                continue;
            make_spec(fmt, f, widths[w], fprecs[p], "", convs[c]);
            COMPARE(fmt, vals[v]);
        }
        make_spec(fmt, f, widths[w], fprecs[p], "", convs[c]);
        COMPARE(fmt, INFINITY);
        COMPARE(fmt, -INFINITY);
        COMPARE(fmt, NAN);
    }
}

static void random_floats(void)
{
    static const char convs[] = "feg";
    char fmt[32];
    int i;

    t_case("printf/glibc-random-doubles");
    for (i = 0; i < 30000; i++) {
        uint64_t bits = t_rand();
        double d;
        memcpy(&d, &bits, sizeof(d));
        if (isnan(d))
            continue; /* glibc and we agree on "nan"; payloads differ */
        snprintf(fmt, sizeof(fmt), "%%.%d%c", (int)(t_rand() % 41),
                 convs[t_rand() % 3]);
        COMPARE(fmt, d);
        COMPARE("%.17g", d);
    }
}

void h_printf_compare(void)
{
    integers();
    strings_chars();
    floats();
    random_floats();
}
