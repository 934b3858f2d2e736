/* Calendar time (UTC only): explicit cases; h_tm.c compares with glibc. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

void h_tm_compare(void);

static void cases(void)
{
    time_t t = 951782400; /* 2000-02-29 00:00:00 */
    struct tm tm, *p;
    char buf[64];

    t_case("tm/cases");
    p = gmtime_r(&t, &tm);
    t_ok(p == &tm, "gmtime_r returns its argument");
    t_ok(tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29,
         "2000-02-29");
    t_int(tm.tm_wday, 2, "a Tuesday");
    t_int(tm.tm_yday, 59, "day 59");
    t_str(tm.tm_zone, "GMT", "zone");
    t_ok(localtime(&t)->tm_mday == 29, "localtime is UTC");
    t_ok(gmtime(&t) == localtime(&t), "one static tm");
    tm.tm_mday += 1;
    t_int(mktime(&tm), 951868800, "mktime normalises Feb 30");
    t_ok(tm.tm_mon == 2 && tm.tm_mday == 1, "to March 1st");
    tm.tm_isdst = 1;
    mktime(&tm);
    t_int(tm.tm_isdst, 0, "isdst comes back 0");
    t = -1;
    gmtime_r(&t, &tm);
    t_ok(tm.tm_year == 69 && tm.tm_hour == 23 && tm.tm_sec == 59,
         "1969-12-31 23:59:59");
    t = (time_t)1 << 62;
    errno = 0;
    t_ok(gmtime_r(&t, &tm) == NULL, "year beyond int");
    t_int(errno, EOVERFLOW, "EOVERFLOW");
    t = 1700000000;
    gmtime_r(&t, &tm);
    t_int(strftime(buf, sizeof(buf), "%F %T %a %j", &tm), 27, "strftime");
    t_str(buf, "2023-11-14 22:13:20 Tue 318", "strftime text");
    t_int(strftime(buf, 5, "%Y-", &tm), 0, "no room for the NUL");
    t_int(strftime(buf, 6, "%Y-", &tm), 5, "just room");
    t_set_clocks(0, 2500000000ULL);
    t_int(clock(), 2500000, "clock: microseconds since boot");
    t_int(CLOCKS_PER_SEC, 1000000, "CLOCKS_PER_SEC");
    t_ok(difftime(1700000000, 1699999999) == 1.0, "difftime 1 s");
    t_ok(difftime(0, 1) == -1.0, "difftime negative");
    t_ok(difftime(9007199254740993LL, 0) == 9007199254740992.0,
         "difftime rounds a difference beyond 2^53 once");
    t_ok(difftime(0x7fffffffffffffffLL, -0x7fffffffffffffffLL - 1) ==
             18446744073709551616.0,
         "difftime across the whole range");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    cases();
    h_tm_compare();
    return t_finish();
}
