/*
 * Waiting: an absolute CLOCK_MONOTONIC deadline on the timerfd, then
 * epoll_pwait on the set holding the timerfd and every attached net
 * device's fd (event data = handle).
 *
 * The timer stays armed between calls: a call whose deadline is not
 * earlier than the one armed leaves it (one timerfd_settime saved per
 * wake-up; lib/net moves its TCP deadlines later on nearly every packet).
 * When that earlier timer fires before this call's deadline, it is
 * re-armed and the wait goes on, so a call still returns at its deadline
 * or with a device ready, never early.
 */
#include "spt.h"
#include "sys.h"

#define MAX_EVENTS ATOLL_MFT_MAX_ENTRIES

/* A wait shorter than this did not sleep: epoll found a device ready at
 * once (a sleep and wake-up take longer). Only a hint for the receive
 * pacing (rxpace.h); a wrong guess costs a system call, nothing else. */
#define QUICK_NS 2000

/*
 * Frames for a net device the application never acquired would keep the
 * (level-triggered) epoll set readable and turn every wait into a spin.
 * Nobody can receive them: drop them, truncated into a small buffer.
 */
static void drain(atoll_handle_t h)
{
    const struct atoll_mft_entry *e = bind_mft_entry(h);
    uint8_t junk[64];

    if (e == NULL || e->type != ATOLL_MFT_DEV_NET_BASIC || !e->attached)
        return;
    while (sys_read(e->b.hostfd, junk, sizeof junk) > 0)
        ;
}

/* The deadline the timerfd is armed with; armed is false once it fired
 * (a fired timerfd stays readable until it is armed again). */
static atoll_time_t armed_at;
static bool armed;

static void arm(atoll_time_t deadline)
{
    struct sys_itimerspec it = {
        .it_interval = {0, 0},
        .it_value = {(int64_t)(deadline / 1000000000ull),
                     (int64_t)(deadline % 1000000000ull)},
    };

    /* A zero it_value would disarm the timer and epoll could wait forever;
     * 1 ns is long past, so the timer fires at once. */
    if (it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0)
        it.it_value.tv_nsec = 1;
    /* Past deadlines expire at once: the call then only polls. */
    if (sys_timerfd_settime(spt.timerfd, SYS_TFD_TIMER_ABSTIME, &it) != 0)
        atoll_abort();
    armed_at = deadline;
    armed = true;
}

/* The armed timer fired: has this call's deadline passed? If not (an
 * earlier call's deadline was armed), arm this one and wait on. */
static bool timer_fired(atoll_time_t deadline)
{
    armed = false;
    if (armed_at >= deadline || atoll_clock_monotonic() >= deadline)
        return true;
    arm(deadline);
    return false;
}

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    struct sys_epoll_event ev[MAX_EVENTS];
    atoll_handle_set_t mine = bind_mft_net_set(), set = 0;
    bool expired = false, timed = spt_clock_free();
    atoll_time_t start;

    if (!armed || deadline < armed_at)
        arm(deadline);
    start = timed ? atoll_clock_monotonic() : 0;
    while (set == 0 && !expired) {
        long n = sys_epoll_pwait(spt.epollfd, ev, MAX_EVENTS, -1);
        bool fired = false;

        /* The timer is independent of this call: EINTR can restart it. */
        if (n == -SYS_EINTR)
            continue;
        if (n < 0)
            atoll_abort();
        for (long i = 0; i < n; i++) {
            uint64_t h = ev[i].data;

            if (h == ATOLL_SPT_INTERNAL_TIMERFD)
                fired = true;
            else if (h < 64 && (mine & (1ull << h)) != 0)
                set |= 1ull << h;
            else if (h < 64)
                drain(h);
        }
        if (fired)
            expired = timer_fired(deadline);
    }
    spt_net_ready(set, timed && atoll_clock_monotonic() - start < QUICK_NS);
    if (ready != NULL)
        *ready = set;
}
