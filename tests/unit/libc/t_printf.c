/* printf family: conversions, flags, corner cases, snprintf semantics. */
#include <errno.h>
#include <stdarg.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "../../lib/check.h"

/* Defined in h_printf.c (host headers): our snprintf against glibc's. */
void h_printf_compare(void);

static char buf[512];

/* snprintf without the compiler's format checks, for the formats it
 * rightly frowns on (ignored flags, NULL %s, deliberate overflow). */
static int sn(char *b, size_t n, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vsnprintf(b, n, fmt, ap);
    va_end(ap);
    return rc;
}

#define CHECKX(want, ...)                                                  \
    do {                                                                   \
        int rc_ = sn(buf, sizeof(buf), __VA_ARGS__);                       \
        t_str(buf, want, #__VA_ARGS__);                                    \
        t_int(rc_, (long long)strlen(want), "return of " #__VA_ARGS__);    \
    } while (0)

/* One conversion: the exact text and the return value. */
#define CHECK(want, ...)                                                   \
    do {                                                                   \
        int rc_ = snprintf(buf, sizeof(buf), __VA_ARGS__);                 \
        t_str(buf, want, #__VA_ARGS__);                                    \
        t_int(rc_, (long long)strlen(want), "return of " #__VA_ARGS__);    \
    } while (0)

static void integers(void)
{
    t_case("printf/integers");
    CHECK("0", "%d", 0);
    CHECK("42", "%d", 42);
    CHECK("-42", "%i", -42);
    CHECK("2147483647", "%d", INT_MAX);
    CHECK("-2147483648", "%d", INT_MIN);
    CHECK("4294967295", "%u", UINT_MAX);
    CHECK("-9223372036854775808", "%ld", LONG_MIN);
    CHECK("9223372036854775807", "%ld", LONG_MAX);
    CHECK("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK("1777777777777777777777", "%llo", ULLONG_MAX);
    CHECK("ff FF 377", "%x %X %o", 255u, 255u, 255u);
    CHECK("deadbeef", "%x", 0xdeadbeefu);
}

static void lengths(void)
{
    t_case("printf/length-modifiers");
    CHECKX("-1", "%hhd", 255);
    CHECKX("65", "%hhu", 256 + 65);
    CHECKX("ff", "%hhx", 0x1ff);
    CHECKX("-128", "%hhd", 128);
    CHECKX("-1", "%hd", 65535);
    CHECKX("7", "%hu", 65536 + 7);
    CHECKX("-32768", "%hd", 32768);
    CHECK("18446744073709551615", "%zu", SIZE_MAX);
    CHECK("-5", "%zd", (ssize_t)-5);
    CHECK("-9223372036854775808", "%jd", INTMAX_MIN);
    CHECK("18446744073709551615", "%ju", UINTMAX_MAX);
    CHECK("-3", "%td", (ptrdiff_t)-3);
    CHECK("12345678901", "%lld", 12345678901LL);
}

static void flags_width_precision(void)
{
    t_case("printf/flags-width-precision");
    CHECK("   42", "%5d", 42);
    CHECK("42   |", "%-5d|", 42);
    CHECK("00042", "%05d", 42);
    CHECK("-0042", "%05d", -42);
    CHECK("+42", "%+d", 42);
    CHECK(" 42", "% d", 42);
    CHECKX("+42", "%+ d", 42);
    CHECK(" 0042", "% 05d", 42);
    CHECK("+0000", "%+05d", 0);
    CHECK("42", "%1d", 42);
    CHECK("-2147483648", "%5d", INT_MIN);
    CHECK("00042", "%.5d", 42);
    CHECK("-00042", "%.5d", -42);
    CHECK("", "%.0d", 0);
    CHECK("     |", "%5.0d|", 0);
    CHECK("", "%.0x", 0u);
    CHECK("0", "%#.0o", 0u);
    CHECKX("     042", "%08.3d", 42);
    CHECK("-042    |", "%-8.3d|", -42);
    CHECK("+007", "%+.3d", 7);
    CHECKX("42   ", "%-05d", 42);
    CHECK("0xff", "%#x", 255u);
    CHECK("0XFF", "%#X", 255u);
    CHECK("0", "%#x", 0u);
    CHECK("010", "%#o", 8u);
    CHECK("0", "%#o", 0u);
    CHECK("010", "%#.2o", 8u);
    CHECK("010", "%#.3o", 8u);
    CHECK("0x000ff", "%#.5x", 255u);
    CHECK("0x0000ff", "%#08x", 255u);
    CHECK("    0xff", "%#8x", 255u);
    CHECK("0xff    |", "%-#8x|", 255u);
}

static void star(void)
{
    t_case("printf/star");
    CHECK("   42", "%*d", 5, 42);
    CHECK("42   |", "%*d|", -5, 42);
    CHECK("007", "%.*d", 3, 7);
    CHECK("7", "%.*d", -1, 7);
    CHECK("  -007", "%*.*d", 6, 3, -7);
    CHECK("xy", "%.*s", 2, "xyz");
    CHECK("   ab", "%*.*s", 5, 2, "abc");
}

static void chars_strings_pointers(void)
{
    static const char unterminated[3] = {'a', 'b', 'c'};

    t_case("printf/c-s-p-percent");
    CHECK("A", "%c", 'A');
    CHECK("  A", "%3c", 'A');
    CHECK("A  |", "%-3c|", 'A');
    CHECK("hello", "%s", "hello");
    CHECK("", "%s", "");
    CHECK("hel", "%.3s", "hello");
    CHECK("    abc", "%7s", "abc");
    CHECK("abc    |", "%-7s|", "abc");
    CHECK("     ab", "%7.2s", "abc");
    CHECK("abc", "%.3s", unterminated); /* must not read past 3 bytes */
    CHECKX("(null)", "%s", (char *)NULL);
    CHECK("%", "%%");
    CHECK("100% sure", "100%% %s", "sure");
    CHECK("0x1234", "%p", (void *)0x1234);
    CHECK("(nil)", "%p", (void *)NULL);
    CHECK("     0xabc", "%10p", (void *)0xabc);
    CHECK("0xabc     |", "%-10p|", (void *)0xabc);
    CHECK("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
    CHECK("a1b2c", "a%db%dc", 1, 2);
    CHECK("plain text", "plain text");

    /* A NUL from %c counts and is stored. */
    t_int(snprintf(buf, sizeof(buf), "x%cy", 0), 3, "%c of 0 returns 3");
    t_mem(buf, 4, "x\0y", 4, "%c of 0 stores a NUL");
}

static void floats(void)
{
    t_case("printf/floating-point");
    CHECK("3.141590", "%f", 3.14159);
    CHECK("2.67", "%.2f", 2.675); /* 2.67499999... in binary */
    CHECK("0", "%.0f", 0.5);      /* ties go to even */
    CHECK("2", "%.0f", 1.5);
    CHECK("2", "%.0f", 2.5);
    CHECK("0.2", "%.1f", 0.25);
    CHECK("0.3", "%.1f", 0.35); /* 0.34999... */
    CHECK("0.000000", "%f", 0.0);
    CHECK("-0.000000", "%f", -0.0);
    CHECK("100000000000000000000.000000", "%f", 1e20);
    CHECK("10.000000", "%f", 9.9999999);
    CHECK("0.01", "%.2f", 0.006);
    CHECK("0.00", "%.2f", 0.004);
    CHECK("     -1.50|", "%10.2f|", -1.5);
    CHECK("1.50      |", "%-10.2f|", 1.5);
    CHECK("-000001.50", "%010.2f", -1.5);
    CHECK("+2.0", "%+.1f", 2.0);
    CHECK(" 2.0", "% .1f", 2.0);
    CHECK("3.", "%#.0f", 3.0);
    CHECK("0.10000000000000000555", "%.20f", 0.1);
    CHECK("1.234568e+04", "%e", 12345.678);
    CHECK("1.230000E-04", "%E", 0.000123);
    CHECK("0.000e+00", "%.3e", 0.0);
    CHECK("2e+01", "%.0e", 15.0);
    CHECK("2e+01", "%.0e", 25.0);
    CHECK("1.00e+01", "%.2e", 9.999);
    CHECK("4.940656e-324", "%e", DBL_TRUE_MIN);
    CHECK("1.797693e+308", "%e", DBL_MAX);
    CHECK("100000", "%g", 100000.0);
    CHECK("1e+06", "%g", 1000000.0);
    CHECK("0.0001", "%g", 0.0001);
    CHECK("1e-05", "%g", 0.00001);
    CHECK("3.14159", "%g", 3.14159);
    CHECK("1.00000", "%#g", 1.0);
    /* '#' keeps trailing zeros even when rounding carries into a new
     * exponent (glibc prints "1.e+06" here; C11 7.21.6.1 says this). */
    CHECK("1.00000e+06", "%#g", 999999.5);
    CHECK("100.000", "%#g", 99.99999);
    CHECK("1.23e+03", "%.3g", 1234.5);
    CHECK("1E-10", "%G", 1e-10);
    CHECK("10", "%g", 9.9999999);
    CHECK("0.0001", "%g", 0.00009999999);
    CHECK("0", "%g", 0.0);
    CHECK("1.79769e+308", "%g", DBL_MAX);
    CHECK("0.10000000000000001", "%.17g", 0.1);
    CHECK("inf", "%f", __builtin_inf());
    CHECK("-INF", "%F", -__builtin_inf());
    CHECK("  nan", "%5f", __builtin_nan(""));
    CHECK("  inf", "%05f", __builtin_inf());
    CHECK("+inf", "%+e", __builtin_inf());
    CHECK("1.500000", "%Lf", 1.5L);
}

static void snprintf_semantics(void)
{
    char small[8];

    t_case("printf/snprintf-truncation");
    memset(small, 'X', sizeof(small));
    t_int(snprintf(small, 5, "%s", "hello world"), 11, "truncated return");
    t_str(small, "hell", "truncated text");
    t_int(small[5], 'X', "byte after the limit untouched");
    t_int(snprintf(NULL, 0, "%d", 12345), 5, "NULL buffer, size 0");
    memset(small, 'X', sizeof(small));
    t_int(snprintf(small, 0, "abc"), 3, "size 0 return");
    t_int(small[0], 'X', "size 0 writes nothing");
    t_int(snprintf(small, 1, "abc"), 3, "size 1 return");
    t_int(small[0], '\0', "size 1 stores only the NUL");
    t_int(snprintf(small, sizeof(small), "1234567"), 7, "exact fit");
    t_str(small, "1234567", "exact fit text");
    t_int(snprintf(small, sizeof(small), "12345678"), 8, "one over");
    t_str(small, "1234567", "one over text");
    t_int(sprintf(buf, "%d-%s", -1, "x"), 4, "sprintf return");
    t_str(buf, "-1-x", "sprintf text");
}

static void errors(void)
{
    const char *bad_conv = "%y", *trailing = "abc%", *wide = "%ls";

    t_case("printf/errors");
    errno = 0;
    t_int(sn(buf, sizeof(buf), bad_conv, 0), -1, "unknown conversion");
    t_int(errno, EINVAL, "unknown conversion errno");
    errno = 0;
    t_int(sn(buf, sizeof(buf), trailing, 0), -1, "lone % at the end");
    t_int(errno, EINVAL, "lone % errno");
    t_int(sn(buf, sizeof(buf), wide, "x"), -1, "%ls unsupported");
    errno = 0;
    t_int(sn(NULL, 0, "x%*d", INT_MAX, 1), -1, "longer than INT_MAX");
    t_int(errno, EOVERFLOW, "overflow errno");
    errno = 0;
    t_int(sn(NULL, 0, "x%.*d", INT_MAX, 1), -1, "precision overflow");
    t_int(errno, EOVERFLOW, "precision overflow errno");
    errno = 0;
    t_int(sn(NULL, 0, "%*d", INT_MIN, 1), -1, "width INT_MIN");
    t_int(errno, EOVERFLOW, "width INT_MIN errno");
    {
        const char *huge = "%99999999999d";
        errno = 0;
        t_int(sn(NULL, 0, huge, 1), -1, "width past INT_MAX");
        t_int(errno, EOVERFLOW, "width past INT_MAX errno");
    }
    /* Big but legal: the count is exact and the buffer holds the start. */
    t_int(sn(buf, sizeof(buf), "%1000d", 7), 1000, "width 1000");
    t_int(buf[sizeof(buf) - 1], '\0', "width 1000 terminated");
    t_int(buf[0], ' ', "width 1000 pads");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    integers();
    lengths();
    flags_width_precision();
    star();
    chars_strings_pointers();
    floats();
    snprintf_semantics();
    errors();
    h_printf_compare();
    return t_finish();
}
