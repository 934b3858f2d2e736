/*
 * Waiting: an absolute CLOCK_MONOTONIC deadline on the timerfd, then
 * epoll_pwait on the set holding the timerfd and every net device's fd.
 */
#include "spt.h"
#include "sys.h"

#define MAX_EVENTS ATOLL_MFT_MAX_ENTRIES

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    struct sys_epoll_event ev[MAX_EVENTS];
    struct sys_itimerspec it = {
        .it_interval = {0, 0},
        .it_value = {(int64_t)(deadline / 1000000000ull),
                     (int64_t)(deadline % 1000000000ull)},
    };
    atoll_handle_set_t set = 0;
    long n;

    /* A zero it_value would disarm the timer and epoll could wait forever;
     * 1 ns is long past, so the timer fires at once. */
    if (it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0)
        it.it_value.tv_nsec = 1;
    /* Past deadlines expire at once: the call then only polls. */
    if (sys_timerfd_settime(spt.timerfd, SYS_TFD_TIMER_ABSTIME, &it) != 0)
        atoll_abort();
    /* The timer is independent of this call, so EINTR can restart it. */
    do
        n = sys_epoll_pwait(spt.epollfd, ev, MAX_EVENTS, -1);
    while (n == -SYS_EINTR);
    if (n < 0)
        atoll_abort();
    for (long i = 0; i < n; i++)
        if (ev[i].data < 64)
            set |= 1ull << ev[i].data;
    if (ready != NULL)
        *ready = set & bind_mft_net_set();
}
