/*
 * $(B)/lib/m.a (musl's libm and strtod objects, see lib/libc/module.mk)
 * on the host, against glibc's strtod, snprintf and libm (reached with
 * dlsym(RTLD_NEXT): the program's own strtod, sin, ... are musl's):
 * printf("%.17g") by Atoll's libc then strtod by musl gives back every
 * double exactly; "%g" and "%.17g" print what glibc prints; musl's strtod
 * reads what glibc's reads; the math functions agree with glibc's within
 * a stated number of ulps (glibc's own errors included: glibc documents
 * up to 4 ulps for cbrt, musl's is correctly rounded more often).
 */
#include <dlfcn.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"

int alc_snprintf(char *buf, size_t size, const char *fmt, ...);
/* Atoll's errno, which musl's objects set through lib/libc/musl_glue.c. */
extern int alc_errno;

#define ROUNDS 300000

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static uint64_t bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof(b));
    return b;
}

static double random_double(void)
{
    double d;

    do
        d = from_bits(t_rand());
    while (!isfinite(d));
    return d;
}

static void round_trip(void)
{
    double (*g_strtod)(const char *, char **) =
        (double (*)(const char *, char **))dlsym(RTLD_NEXT, "strtod");
    int fails = 0;

    t_case("musl-fp/%.17g (Atoll) then strtod (musl) is exact");
    if (!t_ok(g_strtod != NULL && g_strtod != strtod, "glibc's strtod"))
        return;
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        double x = random_double(), y;
        char a[64], b[64], *end;

        alc_snprintf(a, sizeof(a), "%.17g", x);
        snprintf(b, sizeof(b), "%.17g", x);
        y = strtod(a, &end);
        if (!t_ok(bits(y) == bits(x) && *end == '\0' && strcmp(a, b) == 0 &&
                      bits(g_strtod(a, NULL)) == bits(x),
                  "%s (glibc %s) read back as %.17g", a, b, y))
            fails++;
        alc_snprintf(a, sizeof(a), "%g", x);
        snprintf(b, sizeof(b), "%g", x);
        if (!t_ok(strcmp(a, b) == 0 &&
                      bits(strtod(a, NULL)) == bits(g_strtod(b, NULL)),
                  "%%g: ours %s, glibc %s", a, b))
            fails++;
    }
}

/* Decimal strings with many digits, exponents near the limits, hex
 * floats, infinities, NaNs and junk. */
static void make_number(char *s)
{
    static const char *const signs[] = {"", "-", "+", " ", "\t-"};
    static const char *const special[] = {"inf", "INFINITY", "nan", "NaN(12)",
                                          "0x1.8p3", "0x.1P-1074", "1e",
                                          "1e+", ".", "-.e1", "0x", "in"};
    int n = 0;

    n += sprintf(s + n, "%s", signs[t_rand() % 5]);
    if (t_rand() % 10 == 0) {
        sprintf(s + n, "%s", special[t_rand() % 12]);
        return;
    }
    for (int i = (int)(t_rand() % 25); i > 0; i--)
        s[n++] = (char)('0' + t_rand() % 10);
    if (t_rand() % 2) {
        s[n++] = '.';
        for (int i = (int)(t_rand() % 25); i > 0; i--)
            s[n++] = (char)('0' + t_rand() % 10);
    }
    if (t_rand() % 2)
        n += sprintf(s + n, "e%d", (int)(t_rand() % 700) - 350);
    s[n] = '\0';
}

static void strtod_vs_glibc(void)
{
    double (*g_strtod)(const char *, char **) =
        (double (*)(const char *, char **))dlsym(RTLD_NEXT, "strtod");
    int fails = 0, subnormal_errno = 0, hex_zero_sign = 0;

    t_case("musl-fp/strtod vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        char s[128], *ea, *eb;
        double a, b;
        int erra, errb;

        make_number(s);
        alc_errno = 0;
        a = strtod(s, &ea);
        erra = alc_errno;
        errno = 0;
        b = g_strtod(s, &eb);
        errb = errno;
        /* Two differences C allows or musl 1.2.3 has, counted below:
         * whether a nonzero subnormal result sets ERANGE (C11 7.22.1.3:
         * implementation-defined; glibc does, musl does not), and musl's
         * +0 for a negative hex float that underflows to zero. */
        if (a == b && a != 0 && fabs(a) < DBL_MIN && erra == 0 &&
            errb == ERANGE) {
            subnormal_errno++;
            continue;
        }
        if (a == 0 && b == 0 && signbit(b) && !signbit(a) &&
            strchr(s, 'x') != NULL) {
            hex_zero_sign++;
            continue;
        }
        if (!t_ok((bits(a) == bits(b) || (isnan(a) && isnan(b))) &&
                      ea == eb &&
                      /* musl sets EINVAL when nothing was converted, which
                       * POSIX allows; glibc leaves errno. */
                      (erra == errb || (ea == s && erra == EINVAL)),
                  "\"%s\": musl %a end %td errno %d, glibc %a end %td errno "
                  "%d", s, a, ea - s, erra, b, eb - s, errb))
            fails++;
    }
    printf("# strtod: %d subnormal results without ERANGE, %d hex "
           "underflows to +0 instead of -0, of %d inputs\n",
           subnormal_errno, hex_zero_sign, ROUNDS);
}

static double ulps(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0;
    if (a == b)
        return 0;
    if (!isfinite(a) || !isfinite(b))
        return 1e9;
    /* Same sign: the distance between the bit patterns. */
    if (signbit(a) != signbit(b))
        return 1e9;
    return fabs((double)(int64_t)(bits(a) - bits(b)));
}

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);

static void libm_vs_glibc(void)
{
    static const struct {
        const char *name;
        fn1 ours;
        double lo, hi, max_ulps;
    } one[] = {
        {"sin", sin, -1e6, 1e6, 1},      {"cos", cos, -1e6, 1e6, 1},
        {"tan", tan, -1e3, 1e3, 2},      {"exp", exp, -745, 710, 1},
        {"log", log, 0, 1e300, 1},       {"log2", log2, 0, 1e300, 1},
        {"log10", log10, 0, 1e300, 2},   {"sqrt", sqrt, 0, 1e300, 0},
        {"atan", atan, -1e6, 1e6, 1},    {"asin", asin, -1, 1, 1},
        {"acos", acos, -1, 1, 1},        {"sinh", sinh, -700, 700, 2},
        {"cosh", cosh, -700, 700, 2},    {"tanh", tanh, -30, 30, 2},
        {"cbrt", cbrt, -1e300, 1e300, 4}, {"expm1", expm1, -40, 700, 1},
        {"log1p", log1p, -1, 1e300, 1},  {"floor", floor, -1e20, 1e20, 0},
        {"ceil", ceil, -1e20, 1e20, 0},  {"round", round, -1e20, 1e20, 0},
        {"trunc", trunc, -1e20, 1e20, 0}, {"erf", erf, -6, 6, 2},
    };
    static const struct {
        const char *name;
        fn2 ours;
        double lo, hi, max_ulps;
    } two[] = {
        {"pow", pow, 0, 100, 1},  {"atan2", atan2, -1e6, 1e6, 1},
        {"fmod", fmod, -1e6, 1e6, 0}, {"hypot", hypot, -1e300, 1e300, 1},
    };

    for (size_t k = 0; k < sizeof(one) / sizeof(one[0]); k++) {
        fn1 theirs = (fn1)dlsym(RTLD_NEXT, one[k].name);
        double worst = 0, at = 0;

        t_case(one[k].name);
        if (!t_ok(theirs != NULL && theirs != one[k].ours, "glibc's %s",
                  one[k].name))
            continue;
        for (int r = 0; r < ROUNDS / 10; r++) {
            double u = (double)(t_rand() >> 11) / 9007199254740992.0;
            double x = one[k].lo + (one[k].hi - one[k].lo) * u, d;
            if (r % 4 == 0) /* small magnitudes too */
                x = ldexp(x, -(int)(t_rand() % 60));
            d = ulps(one[k].ours(x), theirs(x));
            if (d > worst) {
                worst = d;
                at = x;
            }
        }
        t_ok(worst <= one[k].max_ulps, "%s: %g ulps from glibc at %a",
             one[k].name, worst, at);
        printf("# %s: at most %g ulp from glibc over %d inputs\n",
               one[k].name, worst, ROUNDS / 10);
    }
    for (size_t k = 0; k < sizeof(two) / sizeof(two[0]); k++) {
        fn2 theirs = (fn2)dlsym(RTLD_NEXT, two[k].name);
        double worst = 0;

        t_case(two[k].name);
        if (!t_ok(theirs != NULL && theirs != two[k].ours, "glibc's %s",
                  two[k].name))
            continue;
        for (int r = 0; r < ROUNDS / 10; r++) {
            double u = (double)(t_rand() >> 11) / 9007199254740992.0;
            double v = (double)(t_rand() >> 11) / 9007199254740992.0;
            double x = two[k].lo + (two[k].hi - two[k].lo) * u;
            double y = two[k].lo + (two[k].hi - two[k].lo) * v;
            double d = ulps(two[k].ours(x, y), theirs(x, y));
            if (d > worst)
                worst = d;
        }
        t_ok(worst <= two[k].max_ulps, "%s: %g ulps from glibc", two[k].name,
             worst);
        printf("# %s: at most %g ulp from glibc over %d inputs\n",
               two[k].name, worst, ROUNDS / 10);
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    round_trip();
    strtod_vs_glibc();
    libm_vs_glibc();
    return t_finish();
}
