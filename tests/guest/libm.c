/*
 * Floating point through the C library in a guest: printf's %g/%e/%f,
 * strtod, atof and sscanf's %lf, and libm (musl's objects in m.a), checked
 * against values glibc gives on the host. One line per check, "libm: all
 * ok" at the end; exit status 1 if anything differed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check_text(const char *name, const char *got, const char *want)
{
    if (strcmp(got, want) == 0) {
        printf("libm: ok %s\n", name);
    } else {
        printf("libm: FAIL %s: got '%s', want '%s'\n", name, got, want);
        failures++;
    }
}

static void check_g17(const char *name, double v, const char *want)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.17g", v);
    check_text(name, buf, want);
}

/* xorshift64: doubles from every part of the range, NaNs skipped. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* %.17g then strtod gives back the same bits for n random doubles. */
static void round_trip(int n)
{
    uint64_t s = 0x9e3779b97f4a7c15ull, bits, back;
    int bad = 0, done = 0;
    char buf[64];
    double v, w;

    while (done < n) {
        bits = next(&s);
        memcpy(&v, &bits, sizeof v);
        if (isnan(v))
            continue;
        snprintf(buf, sizeof buf, "%.17g", v);
        w = strtod(buf, NULL);
        memcpy(&back, &w, sizeof back);
        if (back != bits && bad++ < 3)
            printf("libm: %016llx -> %s -> %016llx\n",
                   (unsigned long long)bits, buf, (unsigned long long)back);
        done++;
    }
    if (bad == 0) {
        printf("libm: ok %d doubles round-trip through %%.17g and strtod\n",
               n);
    } else {
        printf("libm: FAIL round trip: %d of %d doubles differ\n", bad, n);
        failures++;
    }
}

int main(void)
{
    char buf[64];
    double d = 0;

    check_g17("0.1 + 0.2", 0.1 + 0.2, "0.30000000000000004");
    check_g17("sqrt(2)", sqrt(2.0), "1.4142135623730951");
    check_g17("sin(1)", sin(1.0), "0.8414709848078965");
    check_g17("exp(1)", exp(1.0), "2.7182818284590451");
    check_g17("log(10)", log(10.0), "2.3025850929940459");
    check_g17("pow(2, 0.5)", pow(2.0, 0.5), "1.4142135623730951");
    snprintf(buf, sizeof buf, "%g %e %f", 1e-5, 12345.678, 3.14159);
    check_text("%g %e %f", buf, "1e-05 1.234568e+04 3.141590");
    check_g17("strtod", strtod("0.30000000000000004", NULL),
              "0.30000000000000004");
    check_g17("atof", atof("1e-5"), "1.0000000000000001e-05");
    if (sscanf("3.25 x", "%lf", &d) != 1)
        d = -1;
    check_g17("sscanf %lf", d, "3.25");
    round_trip(20000);
    if (failures == 0)
        printf("libm: all ok\n");
    return failures == 0 ? 0 : 1;
}
