/*
 * Host unit tests of the runtime's timers (lib/rt/timer.c): order, ties,
 * re-arming, cancelling, callbacks that arm timers, and a random model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/rt/rt_internal.h"
#include "../../lib/check.h"

#define N 2000

static struct atoll_timer timers[N];
static int fired[N];
static int nfired;

static void record(struct atoll_timer *t, void *arg)
{
    (void)arg;
    fired[nfired++] = (int)(t - timers);
}

static void drain_all(void)
{
    rt_timers_run(UINT64_MAX);
    while (nfired < N) {
        atoll_time_t d;

        if (!rt_timers_next(&d))
            break;
        rt_timers_run(UINT64_MAX);
    }
}

static void reset(void)
{
    for (int i = 0; i < N; i++) {
        atoll_timer_cancel(&timers[i]);
        atoll_timer_init(&timers[i]);
    }
    nfired = 0;
}

static const char *empty(void)
{
    atoll_time_t d = 123;

    reset();
    T_ASSERT(!rt_timers_next(&d) && d == 123);
    rt_timers_run(UINT64_MAX);
    T_ASSERT(nfired == 0);
    return NULL;
}

static const char *fires_in_order(void)
{
    atoll_time_t d;

    reset();
    atoll_timer_arm(&timers[0], 300, record, NULL);
    atoll_timer_arm(&timers[1], 100, record, NULL);
    atoll_timer_arm(&timers[2], 200, record, NULL);
    T_ASSERT(rt_timers_next(&d) && d == 100);
    rt_timers_run(99);
    T_ASSERT(nfired == 0);
    rt_timers_run(200);
    T_ASSERT(nfired == 2 && fired[0] == 1 && fired[1] == 2);
    T_ASSERT(!atoll_timer_armed(&timers[1]) && atoll_timer_armed(&timers[0]));
    T_ASSERT(rt_timers_next(&d) && d == 300);
    rt_timers_run(1000);
    T_ASSERT(nfired == 3 && fired[2] == 0 && !rt_timers_next(&d));
    return NULL;
}

static const char *ties_are_fifo(void)
{
    reset();
    for (int i = 0; i < 50; i++)
        atoll_timer_arm(&timers[i], 5, record, NULL);
    rt_timers_run(5);
    T_ASSERT(nfired == 50);
    for (int i = 0; i < 50; i++)
        T_ASSERT(fired[i] == i);
    return NULL;
}

static const char *rearm_moves(void)
{
    reset();
    atoll_timer_arm(&timers[0], 10, record, NULL);
    atoll_timer_arm(&timers[1], 20, record, NULL);
    atoll_timer_arm(&timers[0], 30, record, NULL);
    rt_timers_run(25);
    T_ASSERT(nfired == 1 && fired[0] == 1);
    rt_timers_run(30);
    T_ASSERT(nfired == 2 && fired[1] == 0);
    return NULL;
}

static const char *cancel_anywhere(void)
{
    reset();
    for (int i = 0; i < 100; i++)
        atoll_timer_arm(&timers[i], (atoll_time_t)(1000 - i), record, NULL);
    rt_timers_run(901); /* fires 99 and pairs up the heap */
    T_ASSERT(nfired == 1 && fired[0] == 99);
    for (int i = 0; i < 99; i += 3)
        atoll_timer_cancel(&timers[i]);
    atoll_timer_cancel(&timers[0]); /* twice is harmless */
    drain_all();
    T_ASSERT(nfired == 1 + 99 - 33);
    for (int k = 1; k < nfired; k++) {
        T_ASSERT(fired[k] % 3 != 0);
        T_ASSERT(fired[k] < fired[k - 1]); /* later index, earlier time */
    }
    return NULL;
}

static struct atoll_timer self;
static int self_count;

static void rearm_self(struct atoll_timer *t, void *arg)
{
    (void)arg;
    self_count++;
    atoll_timer_arm(t, 0, rearm_self, NULL);
}

/* A timer that re-arms itself in the past fires once per round. */
static const char *no_starvation(void)
{
    reset();
    self_count = 0;
    atoll_timer_init(&self);
    atoll_timer_arm(&self, 0, rearm_self, NULL);
    rt_timers_run(10);
    T_ASSERT(self_count == 1);
    rt_timers_run(10);
    T_ASSERT(self_count == 2);
    atoll_timer_cancel(&self);
    T_ASSERT(!atoll_timer_armed(&self));
    return NULL;
}

static void cancel_next(struct atoll_timer *t, void *arg)
{
    (void)arg;
    record(t, NULL);
    atoll_timer_cancel(&timers[(t - timers) + 1]);
}

static const char *callback_cancels_other(void)
{
    reset();
    atoll_timer_arm(&timers[0], 1, cancel_next, NULL);
    atoll_timer_arm(&timers[1], 1, record, NULL);
    atoll_timer_arm(&timers[2], 1, record, NULL);
    rt_timers_run(1);
    T_ASSERT(nfired == 2 && fired[0] == 0 && fired[1] == 2);
    return NULL;
}

/* Random arms, re-arms and cancels against a brute-force model. */
static const char *random_model(void)
{
    static atoll_time_t want[N];
    static bool armed[N];
    unsigned seed = 12345;

    reset();
    memset(armed, 0, sizeof armed);
    for (int round = 0; round < 20000; round++) {
        int i;
        unsigned op;

        seed = seed * 1103515245u + 12345u;
        i = (int)((seed >> 8) % N);
        op = (seed >> 20) % 4;
        if (op < 3) {
            want[i] = (seed >> 4) % 100000;
            atoll_timer_arm(&timers[i], want[i], record, NULL);
            armed[i] = true;
        } else {
            atoll_timer_cancel(&timers[i]);
            armed[i] = false;
        }
        if (round % 1000 == 999) {
            atoll_time_t now = (seed >> 3) % 100000, d, min = UINT64_MAX;
            int before = nfired;

            rt_timers_run(now);
            for (int k = before; k < nfired; k++) {
                int j = fired[k];

                T_ASSERT(armed[j] && want[j] <= now);
                T_ASSERT(k == before || want[fired[k - 1]] <= want[j]);
                armed[j] = false;
            }
            for (int j = 0; j < N; j++) {
                T_ASSERT(armed[j] == atoll_timer_armed(&timers[j]));
                if (armed[j]) {
                    T_ASSERT(want[j] > now);
                    if (want[j] < min)
                        min = want[j];
                }
            }
            T_ASSERT(rt_timers_next(&d) ? d == min : min == UINT64_MAX);
            nfired = 0;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(empty);
    RUN(fires_in_order);
    RUN(ties_are_fifo);
    RUN(rearm_moves);
    RUN(cancel_anywhere);
    RUN(no_starvation);
    RUN(callback_cancels_other);
    RUN(random_model);
    return t_finish();
}
