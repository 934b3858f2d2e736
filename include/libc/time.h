/* time.h: Atoll libc. Clocks come from the platform ABI. */
#ifndef _ATOLL_TIME_H
#define _ATOLL_TIME_H

#include <stddef.h>

typedef __atoll_time_t time_t;
typedef int clockid_t;

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

#endif
