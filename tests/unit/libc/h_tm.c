/*
 * Built with the host's headers (TZ=UTC for the host side): gmtime_r,
 * timegm and strftime against glibc on generated times and broken-down
 * dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/check.h"

void h_tm_compare(void);

struct tm *alc_gmtime_r(const time_t *t, struct tm *tm);
time_t alc_timegm(struct tm *tm);
time_t alc_mktime(struct tm *tm);
size_t alc_strftime(char *s, size_t max, const char *fmt,
                    const struct tm *tm);

#define ROUNDS 100000

static time_t make_time(void)
{
    switch (t_rand() % 4) {
    case 0: /* around now, either side of 1970 and 2038 */
        return (time_t)(t_rand() % 8000000000ULL) - 2000000000;
    case 1: /* any year from -10^6 to 10^6 */
        return (time_t)(t_rand() % 63000000000000ULL) - 31500000000000LL;
    case 2: /* near a year's, a day's or a leap day's edge */
        return (time_t)((long long)(t_rand() % 400) * 31556952LL -
                        6000000000LL + (long long)(t_rand() % 5) - 2);
    default: /* anything, including years that do not fit */
        return (time_t)t_rand();
    }
}

static int same_tm(const struct tm *a, const struct tm *b)
{
    return a->tm_sec == b->tm_sec && a->tm_min == b->tm_min &&
           a->tm_hour == b->tm_hour && a->tm_mday == b->tm_mday &&
           a->tm_mon == b->tm_mon && a->tm_year == b->tm_year &&
           a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday &&
           a->tm_isdst == b->tm_isdst && a->tm_gmtoff == b->tm_gmtoff;
}

static void compare_gmtime(void)
{
    int fails = 0;

    t_case("tm/gmtime_r vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        time_t t = make_time();
        struct tm a, b;
        struct tm *ga = alc_gmtime_r(&t, &a), *gb = gmtime_r(&t, &b);
        if (!t_ok((ga == NULL) == (gb == NULL) &&
                      (ga == NULL || same_tm(&a, &b)),
                  "t=%lld: ours %s %d-%d-%d wday %d yday %d, glibc %s "
                  "%d-%d-%d wday %d yday %d", (long long)t,
                  ga ? "ok" : "NULL", a.tm_year, a.tm_mon, a.tm_mday,
                  a.tm_wday, a.tm_yday, gb ? "ok" : "NULL", b.tm_year,
                  b.tm_mon, b.tm_mday, b.tm_wday, b.tm_yday))
            fails++;
    }
}

static int field(void)
{
    static const int edges[] = {0, 1, -1, 11, 12, 13, 23, 24, 28, 29, 30,
                                31, 59, 60, 61, -60, 365, 366, 1000,
                                -1000, 100000, -100000};
    if (t_rand() % 2)
        return edges[t_rand() % (sizeof(edges) / sizeof(edges[0]))];
    return (int)(t_rand() % 200) - 100;
}

static void compare_timegm(void)
{
    int fails = 0;

    t_case("tm/timegm (normalising) vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        struct tm a, b;
        time_t ta, tb;
        memset(&a, 0, sizeof(a));
        a.tm_year = (int)(t_rand() % 600) - 200 + (t_rand() % 9 == 0
                                                        ? field() * 1000
                                                        : 0);
        a.tm_mon = field();
        a.tm_mday = field();
        a.tm_hour = field();
        a.tm_min = field();
        a.tm_sec = field();
        a.tm_wday = 9;
        a.tm_yday = 999;
        b = a;
        ta = alc_timegm(&a);
        tb = timegm(&b);
        if (!t_ok(ta == tb && same_tm(&a, &b),
                  "ours %lld, glibc %lld (year %d)", (long long)ta,
                  (long long)tb, b.tm_year))
            fails++;
    }
}

static void compare_strftime(void)
{
    /* Every conversion the two share, alone and in the composite forms. */
    static const char *const fmts[] = {
        "%a|%A|%b|%B|%h", "%c", "%C|%y|%Y|%g|%G", "%d|%e|%j|%m",
        "%D|%F|%x|%X|%T|%R|%r", "%H|%I|%k|%l|%M|%S|%p|%P",
        "%u|%w|%U|%W|%V", "%n%t%%", "%z|%Z", "%s", "%Ec|%EY|%Od|%OH",
        "plain text", "%Q|%q", "", "%Y-%m-%dT%H:%M:%SZ",
    };
    int fails = 0;

    t_case("tm/strftime vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        time_t t = make_time() % 400000000000LL;
        struct tm tm;
        char a[256], b[256];
        const char *f = fmts[t_rand() % (sizeof(fmts) / sizeof(fmts[0]))];
        size_t max = t_rand() % 8 == 0 ? (size_t)(t_rand() % 30) : 256;
        size_t na, nb;

        if (gmtime_r(&t, &tm) == NULL)
            continue;
        memset(a, 0, sizeof(a));
        memset(b, 0, sizeof(b));
        na = alc_strftime(a, max, f, &tm);
        nb = strftime(b, max, f, &tm);
        if (!t_ok(na == nb && (nb == 0 || strcmp(a, b) == 0),
                  "\"%s\" at %lld max %zu: ours %zu \"%s\", glibc %zu "
                  "\"%s\"", f, (long long)t, max, na, a, nb, b))
            fails++;
    }
}

void h_tm_compare(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    compare_gmtime();
    compare_timegm();
    compare_strftime();
}
