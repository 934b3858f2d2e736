/*
 * Calendar time in UTC. A unikernel has no time zone database: localtime
 * is gmtime and mktime is timegm (tm_isdst is ignored and set to 0). The
 * proleptic Gregorian calendar, days from 1970-01-01 after H. Hinnant's
 * days_from_civil / civil_from_days.
 */
#include <atoll/platform.h>
#include <errno.h>
#include <limits.h>
#include <time.h>

#define SECS_PER_DAY 86400LL

static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    long long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static int leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

struct tm *gmtime_r(const time_t *restrict timer, struct tm *restrict tm)
{
    long long t = *timer, days, secs, era, y;
    unsigned doe, yoe, doy, mp, m, d;
    static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243,
                                   273, 304, 334};

    days = floor_div(t, SECS_PER_DAY);
    secs = t - days * SECS_PER_DAY;
    /* Years must fit tm_year (an int counting from 1900). */
    if (days > (long long)INT_MAX * 366 || days < (long long)INT_MIN * 366) {
        errno = EOVERFLOW;
        return NULL;
    }
    days += 719468;
    era = floor_div(days, 146097);
    doe = (unsigned)(days - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (long long)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y - 1900 > INT_MAX || y - 1900 < INT_MIN) {
        errno = EOVERFLOW;
        return NULL;
    }
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = (int)m - 1;
    tm->tm_mday = (int)d;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    /* 1970-01-01 was a Thursday. */
    tm->tm_wday = (int)((floor_div(t, SECS_PER_DAY) % 7 + 11) % 7);
    tm->tm_yday = before[m - 1] + (int)d - 1 + (m > 2 && leap(y));
    tm->tm_isdst = 0;
    tm->tm_gmtoff = 0;
    tm->tm_zone = "GMT";
    return tm;
}

struct tm *gmtime(const time_t *timer)
{
    static struct tm tm;

    return gmtime_r(timer, &tm);
}

struct tm *localtime_r(const time_t *restrict timer, struct tm *restrict tm)
{
    return gmtime_r(timer, tm);
}

struct tm *localtime(const time_t *timer)
{
    return gmtime(timer);
}

/* Fields out of range are normalised (2021-13-32 is 2022-02-01); the
 * result is written back, as mktime does. */
time_t timegm(struct tm *tm)
{
    long long y = (long long)tm->tm_year + 1900;
    long long mon = tm->tm_mon, days, t;
    time_t r;

    y += floor_div(mon, 12);
    mon -= floor_div(mon, 12) * 12;
    days = days_from_civil(y, (unsigned)mon + 1, 1) + tm->tm_mday - 1;
    t = days * SECS_PER_DAY + (long long)tm->tm_hour * 3600 +
        (long long)tm->tm_min * 60 + tm->tm_sec;
    r = (time_t)t;
    if (gmtime_r(&r, tm) == NULL) {
        errno = EOVERFLOW;
        return (time_t)-1;
    }
    return r;
}

time_t mktime(struct tm *tm)
{
    return timegm(tm);
}

/* CPU time: a unikernel is the only program, so the time since boot. */
clock_t clock(void)
{
    return (clock_t)(atoll_clock_monotonic() / (1000000000 / CLOCKS_PER_SEC));
}

#ifdef __SSE2__
/* Only where double arguments exist: guests built with SSE, and hosts. */
double difftime(time_t t1, time_t t0)
{
    /* Subtract in integers first: exact whenever the difference is. */
    long long d;

    if (!__builtin_sub_overflow(t1, t0, &d))
        return (double)d;
    return (double)t1 - (double)t0;
}
#endif
