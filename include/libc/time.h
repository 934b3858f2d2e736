/* time.h: Atoll libc. Clocks come from the platform ABI. */
#ifndef _ATOLL_TIME_H
#define _ATOLL_TIME_H

#include <stddef.h>

typedef __atoll_time_t time_t;
typedef int clockid_t;
typedef long clock_t;

#define CLOCKS_PER_SEC 1000000L

/* glibc's layout (tm_gmtoff, tm_zone included). */
struct tm {
    int tm_sec;
    int tm_min;
    int tm_hour;
    int tm_mday;
    int tm_mon;
    int tm_year;
    int tm_wday;
    int tm_yday;
    int tm_isdst;
    long tm_gmtoff;
    const char *tm_zone;
};

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

#define CLOCK_REALTIME 0  /* atoll_clock_wall(): since the Unix epoch */
#define CLOCK_MONOTONIC 1 /* atoll_clock_monotonic(): since boot */

/* Seconds since the Unix epoch; also stored in *t when t is not NULL. */
time_t time(time_t *t);
/* 0 on success; -1 with EINVAL for another clock. */
int clock_gettime(clockid_t clk, struct timespec *ts);
/* Stops the whole unikernel (see unistd.h sleep); -1 with EINVAL for a
 * negative time or tv_nsec out of range; *rem (if not NULL) gets zero. */
int nanosleep(const struct timespec *req, struct timespec *rem);

/*
 * Calendar time is UTC: a unikernel has no time zone database. localtime
 * is gmtime, mktime is timegm (tm_isdst is ignored and comes back 0),
 * tm_zone is "GMT". NULL (gmtime) or -1 (timegm) with EOVERFLOW when the
 * year does not fit tm_year. gmtime and localtime share one static tm.
 */
struct tm *gmtime(const time_t *timer);
struct tm *gmtime_r(const time_t *restrict timer, struct tm *restrict tm);
struct tm *localtime(const time_t *timer);
struct tm *localtime_r(const time_t *restrict timer, struct tm *restrict tm);
time_t timegm(struct tm *tm);
time_t mktime(struct tm *tm);
/* Only for guests built with SSE (and hosted builds). */
double difftime(time_t t1, time_t t0);
/* Microseconds (CLOCKS_PER_SEC) since boot: the unikernel is the only
 * program, so its CPU time is taken to be its run time. */
clock_t clock(void);
/* Every C11 conversion in the C locale (E and O modifiers ignored), and
 * %s, %k, %l, %P from glibc. 0 if the result with its NUL does not fit. */
size_t strftime(char *restrict s, size_t max, const char *restrict fmt,
                const struct tm *restrict tm);

#endif
