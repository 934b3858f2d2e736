/*
 * Sleeping: the whole unikernel waits in atoll_yield until the monotonic
 * clock reaches the deadline. atoll_yield returns early when a net device
 * has a frame, so we wait again until the deadline passed. Code running on
 * lib/rt's event loop should use its timers instead: these calls stop
 * every fiber and handler for the time they sleep.
 */
#include <atoll/platform.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#define NSEC_PER_SEC 1000000000ULL

static void sleep_ns(atoll_time_t ns)
{
    atoll_time_t now = atoll_clock_monotonic();
    atoll_time_t deadline = now + ns;

    if (deadline < now)
        deadline = (atoll_time_t)-1; /* saturate: "forever" */
    while (atoll_clock_monotonic() < deadline)
        atoll_yield(deadline, NULL);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    atoll_time_t ns;

    if (req->tv_sec < 0 || req->tv_nsec < 0 ||
        req->tv_nsec >= (long)NSEC_PER_SEC) {
        errno = EINVAL;
        return -1;
    }
    if ((unsigned long long)req->tv_sec > (atoll_time_t)-1 / NSEC_PER_SEC)
        ns = (atoll_time_t)-1;
    else
        ns = (atoll_time_t)req->tv_sec * NSEC_PER_SEC +
             (atoll_time_t)req->tv_nsec;
    sleep_ns(ns);
    /* Nothing interrupts a sleep: the remainder is always zero. */
    if (rem != NULL) {
        rem->tv_sec = 0;
        rem->tv_nsec = 0;
    }
    return 0;
}

unsigned int sleep(unsigned int seconds)
{
    sleep_ns((atoll_time_t)seconds * NSEC_PER_SEC);
    return 0;
}

int usleep(useconds_t usec)
{
    sleep_ns((atoll_time_t)usec * 1000);
    return 0;
}
