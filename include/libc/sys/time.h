/* sys/time.h: Atoll libc. gettimeofday() reads atoll_clock_wall (UTC). */
#ifndef _ATOLL_SYS_TIME_H
#define _ATOLL_SYS_TIME_H

#include <sys/types.h>
#include <time.h>

typedef long suseconds_t;

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
};

/* No time zones: a non-NULL tz is filled with zeros. */
struct timezone {
    int tz_minuteswest;
    int tz_dsttime;
};

/* Always 0. */
int gettimeofday(struct timeval *restrict tv, void *restrict tz);

#define timerisset(t) ((t)->tv_sec || (t)->tv_usec)
#define timerclear(t) ((t)->tv_sec = (t)->tv_usec = 0)
#define timercmp(a, b, op) \
    ((a)->tv_sec == (b)->tv_sec ? (a)->tv_usec op (b)->tv_usec \
                                : (a)->tv_sec op (b)->tv_sec)
#define timeradd(a, b, r) \
    do { \
        (r)->tv_sec = (a)->tv_sec + (b)->tv_sec; \
        (r)->tv_usec = (a)->tv_usec + (b)->tv_usec; \
        if ((r)->tv_usec >= 1000000) { \
            (r)->tv_sec++; \
            (r)->tv_usec -= 1000000; \
        } \
    } while (0)
#define timersub(a, b, r) \
    do { \
        (r)->tv_sec = (a)->tv_sec - (b)->tv_sec; \
        (r)->tv_usec = (a)->tv_usec - (b)->tv_usec; \
        if ((r)->tv_usec < 0) { \
            (r)->tv_sec--; \
            (r)->tv_usec += 1000000; \
        } \
    } while (0)

#endif
