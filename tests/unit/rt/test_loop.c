/*
 * Host unit tests of the event loop (lib/rt/loop.c) with the timers it runs
 * (lib/rt/timer.c), over the fake platform's clock (tests/lib/fake.h) and a
 * scripted atoll_yield: each yield records the deadline it was given, moves
 * the clock to it (or not, when a device is scripted to be ready first) and
 * reports the scripted ready set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/rt/rt_internal.h"
#include "../../lib/check.h"
#include "../../lib/fake.h"

static atoll_handle_set_t script[16]; /* ready set of yield number i */
static atoll_time_t deadlines[16];
static int nyield;

/* The fake platform's atoll_yield, scripted. */
static void yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    if (nyield >= 16)
        abort(); /* a loop that should have ended */
    deadlines[nyield] = deadline;
    if (script[nyield] == 0 && deadline != UINT64_MAX && deadline > t_now)
        t_now = deadline;
    if (ready != NULL)
        *ready = script[nyield];
    nyield++;
}

/* Calls, in order: 'a'..'z' for watchers, 'A'..'Z' for timers. */
static char calls[64];
static int ncalls;

static void reset(void)
{
    t_now = 1000;
    memset(script, 0, sizeof script);
    memset(deadlines, 0, sizeof deadlines);
    nyield = 0;
    memset(calls, 0, sizeof calls);
    ncalls = 0;
    for (atoll_handle_t h = 0; h < 64; h++)
        atoll_loop_unwatch(h);
}

static void note(char c)
{
    if (ncalls < (int)sizeof calls - 1)
        calls[ncalls++] = c;
}

static void w_a(atoll_handle_t h, void *arg)
{
    (void)h, (void)arg;
    note('a');
}

static void w_b(atoll_handle_t h, void *arg)
{
    (void)h, (void)arg;
    note('b');
}

/* Unwatches the handle in arg, and itself. */
static void w_unwatch(atoll_handle_t h, void *arg)
{
    note('u');
    atoll_loop_unwatch((atoll_handle_t)(uintptr_t)arg);
    atoll_loop_unwatch(h);
}

/* Replaces its own watcher by w_b. */
static void w_replace(atoll_handle_t h, void *arg)
{
    (void)arg;
    note('r');
    atoll_loop_watch(h, w_b, NULL);
}

static const char *watch_arguments(void)
{
    reset();
    T_ASSERT(atoll_loop_watch(64, w_a, NULL) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_loop_watch(3, NULL, NULL) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_loop_watch(63, w_a, NULL) == 0);
    atoll_loop_unwatch(63);
    atoll_loop_unwatch(1000); /* harmless */
    /* Nothing watched, no timer: returns at once without waiting. */
    atoll_loop_run();
    T_ASSERT(nyield == 0);
    return NULL;
}

/* A watcher that unwatches a handle ready in the same round: that handle's
 * watcher is not called, and the loop ends once nothing is watched. */
static const char *unwatch_in_round(void)
{
    reset();
    atoll_loop_watch(2, w_unwatch, (void *)(uintptr_t)5);
    atoll_loop_watch(5, w_a, NULL);
    script[0] = 1u << 2 | 1u << 5;
    atoll_loop_run();
    T_ASSERT(strcmp(calls, "u") == 0 && nyield == 1);
    T_ASSERT(deadlines[0] == UINT64_MAX);
    return NULL;
}

/* A watcher that replaces itself: the new one runs from the next round. */
static const char *replace_in_round(void)
{
    reset();
    atoll_loop_watch(7, w_replace, NULL);
    script[0] = 1u << 7;
    script[1] = 1u << 7 | 1u << 9; /* 9 is not watched: ignored */
    atoll_loop_once(UINT64_MAX);
    atoll_loop_once(UINT64_MAX);
    T_ASSERT(strcmp(calls, "rb") == 0 && nyield == 2);
    atoll_loop_unwatch(7);
    return NULL;
}

static struct atoll_timer t1, t2, t3;

static void t_note(struct atoll_timer *t, void *arg)
{
    (void)t;
    note((char)(uintptr_t)arg);
}

static void t_cancel_other(struct atoll_timer *t, void *arg)
{
    (void)t;
    note('C');
    atoll_timer_cancel(arg);
}

static void t_stop(struct atoll_timer *t, void *arg)
{
    (void)t, (void)arg;
    note('S');
    atoll_loop_stop();
}

/* Timers fire in deadline order, the loop sleeps until the nearest one,
 * and a callback that cancels another due timer stops it firing. */
static const char *timers_and_cancel(void)
{
    reset();
    atoll_timer_init(&t1);
    atoll_timer_init(&t2);
    atoll_timer_init(&t3);
    atoll_timer_arm(&t1, 1500, t_note, (void *)(uintptr_t)'A');
    atoll_timer_arm(&t2, 3000, t_cancel_other, &t3);
    atoll_timer_arm(&t3, 3000, t_note, (void *)(uintptr_t)'Z');
    atoll_loop_run();
    T_ASSERT(strcmp(calls, "AC") == 0);
    T_ASSERT(nyield == 2 && deadlines[0] == 1500 && deadlines[1] == 3000);
    T_ASSERT(!atoll_timer_armed(&t3));
    return NULL;
}

/* atoll_loop_stop from a timer ends the run even with a watcher left;
 * atoll_loop_once never waits past the deadline it was given. */
static const char *stop_and_once(void)
{
    reset();
    atoll_loop_watch(4, w_a, NULL);
    atoll_timer_init(&t1);
    atoll_timer_arm(&t1, 2000, t_stop, NULL);
    atoll_loop_run();
    T_ASSERT(strcmp(calls, "S") == 0 && nyield == 1 && t_now == 2000);
    atoll_timer_arm(&t1, 9000, t_note, (void *)(uintptr_t)'T');
    atoll_loop_once(2500);
    T_ASSERT(nyield == 2 && deadlines[1] == 2500 && strcmp(calls, "S") == 0);
    atoll_timer_cancel(&t1);
    atoll_loop_unwatch(4);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    t_set_yield(yield);
    RUN(watch_arguments);
    RUN(unwatch_in_round);
    RUN(replace_in_round);
    RUN(timers_and_cancel);
    RUN(stop_and_once);
    return t_finish();
}
