/*
 * The event loop: timers, then a yield until the nearest deadline, then
 * the watchers of the devices that became readable.
 */
#include "rt_internal.h"

#define MAX_HANDLES 64

struct watcher {
    atoll_io_fn fn;
    void *arg;
};

static struct watcher watchers[MAX_HANDLES];
static atoll_handle_set_t watched;
static bool stopping;

int atoll_loop_watch(atoll_handle_t handle, atoll_io_fn fn, void *arg)
{
    if (handle >= MAX_HANDLES || fn == NULL)
        return ATOLL_ERR_INVAL;
    watchers[handle].fn = fn;
    watchers[handle].arg = arg;
    watched |= 1ull << handle;
    return 0;
}

void atoll_loop_unwatch(atoll_handle_t handle)
{
    if (handle < MAX_HANDLES)
        watched &= ~(1ull << handle);
}

static void wait_and_dispatch(atoll_time_t deadline)
{
    atoll_handle_set_t ready = 0;
    atoll_time_t next;

    if (rt_timers_next(&next) && next < deadline)
        deadline = next;
    atoll_yield(deadline, &ready);
    ready &= watched;
    while (ready != 0) {
        atoll_handle_t h = (atoll_handle_t)__builtin_ctzll(ready);

        ready &= ready - 1;
        /* An earlier watcher in this round may have unwatched it. */
        if ((watched & (1ull << h)) != 0)
            watchers[h].fn(h, watchers[h].arg);
    }
}

void atoll_loop_once(atoll_time_t deadline)
{
    rt_timers_run(atoll_clock_monotonic());
    wait_and_dispatch(deadline);
}

void atoll_loop_run(void)
{
    stopping = false;
    for (;;) {
        atoll_time_t next;
        bool have_timer;

        rt_timers_run(atoll_clock_monotonic());
        if (stopping)
            break;
        have_timer = rt_timers_next(&next);
        if (!have_timer && watched == 0)
            break;
        wait_and_dispatch(have_timer ? next : UINT64_MAX);
        if (stopping)
            break;
    }
    stopping = false;
}

void atoll_loop_stop(void)
{
    stopping = true;
}
