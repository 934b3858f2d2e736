/* time, clock_gettime over the platform clocks (nanoseconds). */
#include <atoll/platform.h>
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000ULL

time_t time(time_t *t)
{
    time_t now = (time_t)(atoll_clock_wall() / NSEC_PER_SEC);

    if (t != NULL)
        *t = now;
    return now;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    atoll_time_t ns;

    if (clk == CLOCK_REALTIME) {
        ns = atoll_clock_wall();
    } else if (clk == CLOCK_MONOTONIC) {
        ns = atoll_clock_monotonic();
    } else {
        errno = EINVAL;
        return -1;
    }
    ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
    ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
    return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    atoll_time_t ns = atoll_clock_wall();

    if (tv != NULL) {
        tv->tv_sec = (time_t)(ns / NSEC_PER_SEC);
        tv->tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / 1000);
    }
    if (tz != NULL) {
        struct timezone *z = tz;
        z->tz_minuteswest = 0;
        z->tz_dsttime = 0;
    }
    return 0;
}
