/*
 * sscanf, asprintf, dprintf: explicit cases; h_scanf.c compares sscanf
 * with glibc on generated formats and inputs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

void h_scanf_compare(void);

static void scans(void)
{
    int a = -1, b = -1, n = -1;
    unsigned u = 0;
    char s[16], t[16];
    long long ll = 0;
    void *p = NULL;

    t_case("scanf/cases");
    t_int(sscanf("  42 -7", "%d%d", &a, &b), 2, "two ints");
    t_ok(a == 42 && b == -7, "values");
    t_int(sscanf("key=value;", "%15[^=]=%15[^;]%n", s, t, &n), 2, "sets");
    t_str(s, "key", "key");
    t_str(t, "value", "value");
    t_int(n, 9, "%n");
    t_int(sscanf("0x1f 017 12", "%i %i %i", &a, &b, &n), 3, "%i bases");
    t_ok(a == 31 && b == 15 && n == 12, "i values");
    t_int(sscanf("ff", "%x", &u), 1, "%x");
    t_uint(u, 255, "%x value");
    t_int(sscanf("12345", "%3d%d", &a, &b), 2, "width splits");
    t_ok(a == 123 && b == 45, "width values");
    t_int(sscanf("", "%d", &a), EOF, "empty input: EOF");
    t_int(sscanf("   ", "%d", &a), EOF, "blank input: EOF");
    t_int(sscanf("x", "%d", &a), 0, "no digits: 0");
    t_int(sscanf("1 x", "%d %d", &a, &b), 1, "second fails");
    t_int(sscanf("-9223372036854775808", "%lld", &ll), 1, "%lld min");
    t_ok(ll == (-9223372036854775807LL - 1), "lld value");
    t_int(sscanf("abc", "%2c", s), 1, "%2c");
    t_ok(s[0] == 'a' && s[1] == 'b', "2c value");
    t_int(sscanf("0x10", "%p", &p), 1, "%p");
    t_ok(p == (void *)16, "p value");
    t_int(sscanf("100%", "%d%%", &a), 1, "%%");
    t_int(sscanf("a b", "%*s %s", s), 1, "suppressed");
    t_str(s, "b", "after suppressed");
#ifdef __SSE2__
    {
        double d = 0;
        float f = 0;
        t_int(sscanf("3.25e2 x", "%lf", &d), 1, "%lf");
        t_ok(d == 325.0, "lf value");
        t_int(sscanf("100ergs%", "%f%n", &f, &n), 1, "100ergs");
        t_ok(f == 100.0f && n == 4, "dangling exponent marker consumed "
             "(glibc): n %d", n);
        t_int(sscanf("-0x1.8p1", "%la", &d), 1, "%la");
        t_ok(d == -3.0, "la value");
        t_int(sscanf("infinite", "%lf", &d), 0, "infin... fails (glibc)");
    }
#endif
}

static int vas(char **out, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

static void prints(void)
{
    char *s = NULL;
    unsigned long len;

    t_case("stdio/asprintf dprintf");
    t_int(asprintf(&s, "%d-%s", 42, "x"), 4, "asprintf length");
    t_str(s, "42-x", "asprintf text");
    free(s);
    t_int(asprintf(&s, "%s", ""), 0, "empty");
    t_str(s, "", "empty text");
    free(s);
    t_int(vas(&s, "%05d|%-3s|", 7, "ab"), 10, "vasprintf");
    t_str(s, "00007|ab |", "vasprintf text");
    free(s);
    t_capture_start();
    t_int(dprintf(1, "out %d", 1), 5, "dprintf(1)");
    t_int(dprintf(2, "err"), 3, "dprintf(2)");
    errno = 0;
    t_int(dprintf(3, "no"), -1, "dprintf(3) fails");
    t_int(errno, EBADF, "dprintf(3) errno");
    t_capture_stop();
    t_str(t_captured(&len), "out 1err", "console got both, flushed (no newline)");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    scans();
    prints();
    h_scanf_compare();
    return t_finish();
}
