/*
 * Receive pacing on spt (bindings/spt/rxpace.c) against a model of a TAP
 * queue and a level-triggered epoll: every frame is read, each wake-up
 * with frames queued reads one at least, the reads that find the device
 * empty nearly vanish for request/response traffic, and no traffic costs
 * noticeably more system calls (reads and waits) than reading until
 * empty every wake-up. Each traffic runs with the wait timed (a vDSO
 * clock: the pacing learns whether frames were left) and untimed.
 */
#include <stdint.h>
#include <string.h>

#include "../../../bindings/spt/rxpace.h"
#include "../../lib/check.h"

#define CALLER_BATCH 64 /* lib/net/platform.c's RX_BATCH */

struct sim {
    struct rxpace p;
    int timed;       /* the wait is timed: quick is known */
    int unpaced;     /* read until empty, as before pacing */
    long queued;     /* frames in the TAP */
    long frames;     /* frames read */
    long reads;      /* host reads */
    long empty;      /* host reads that found nothing */
    long wakes;      /* waits that reported the device ready */
    long idle_wakes; /* wake-ups that read nothing although frames waited */
    long last_batch; /* frames the last wake-up read */
    long max_batch;  /* the most frames a wake-up read */
    uint32_t rng;    /* for cont: one draw per frame read, so that paced
                        and unpaced runs see the same frames */
};

static uint32_t next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void sim_init(struct sim *s, int timed, int unpaced)
{
    memset(s, 0, sizeof *s);
    s->timed = timed;
    s->unpaced = unpaced;
    s->rng = 14;
}

static long calls(const struct sim *s)
{
    return s->reads + s->wakes;
}

/* One turn of the event loop: `arrive` frames arrive, then
 * (level-triggered) the device is ready if any wait, and the caller reads
 * until AGAIN or its batch is full, as lib/net does. While it handles a
 * frame the next one arrives with probability cont/1000 (ping -i 0: the
 * next request follows the reply at once). */
static void turn(struct sim *s, long arrive, int cont)
{
    long n = 0;
    /* The wait does not sleep when frames were left from the last turn. */
    bool quick = s->timed && s->queued > 0;

    s->queued += arrive;
    if (s->queued == 0)
        return;
    s->wakes++;
    rxpace_ready(&s->p, quick);
    while (n < CALLER_BATCH && (s->unpaced || rxpace_may_read(&s->p))) {
        s->reads++;
        if (s->queued == 0) {
            s->empty++;
            rxpace_result(&s->p, false);
            break;
        }
        s->queued--;
        n++;
        rxpace_result(&s->p, true);
        if ((int)(next(&s->rng) % 1000) < cont)
            s->queued++;
    }
    s->frames += n;
    s->last_batch = n;
    if (n > s->max_batch)
        s->max_batch = n;
    if (n == 0)
        s->idle_wakes++;
}

/* Turns with no arrivals until the queue is empty (at most 10000). */
static void settle(struct sim *s, int cont)
{
    for (int i = 0; i < 10000 && s->queued > 0; i++)
        turn(s, 0, cont);
}

/* `turns` turns of `arrive` frames each (random 0..arrive-1 if arrive is
 * negative, one in four turns up to -arrive), then settled. */
static void traffic(struct sim *s, int turns, long arrive, int cont)
{
    uint32_t x = 41;

    for (int i = 0; i < turns; i++) {
        long a = arrive;

        if (arrive < 0)
            a = next(&x) % 4 == 0 ? (long)(next(&x) % -arrive)
                                  : (long)(next(&x) % 3);
        turn(s, a, cont);
    }
    settle(s, cont);
}

/* Paced traffic: every frame read, never a wake-up without one, and the
 * calls at most `slack` per thousand over reading until empty. */
static const char *against_unpaced(int timed, int turns, long arrive,
                                   int cont, long slack, struct sim *s)
{
    struct sim u;

    sim_init(s, timed, 0);
    traffic(s, turns, arrive, cont);
    sim_init(&u, timed, 1);
    traffic(&u, turns, arrive, cont);
    if (s->queued != 0 || s->idle_wakes != 0 || s->frames != u.frames)
        return t_whyf("%ld frames read (unpaced %ld), %ld left, %ld idle "
                      "wake-ups", s->frames, u.frames, s->queued,
                      s->idle_wakes);
    if (calls(s) * 1000 > calls(&u) * (1000 + slack))
        return t_whyf("%ld reads + %ld waits, unpaced %ld + %ld", s->reads,
                      s->wakes, u.reads, u.wakes);
    return NULL;
}

static const char *zero_state_reads(void)
{
    struct rxpace p;

    memset(&p, 0, sizeof p);
    T_ASSERT(rxpace_may_read(&p)); /* before any wake-up: read */
    rxpace_result(&p, true);
    T_ASSERT(rxpace_may_read(&p)); /* ... until empty */
    rxpace_result(&p, false);
    rxpace_ready(&p, false);
    T_ASSERT(rxpace_may_read(&p)); /* every wake-up reads once at least */
    return NULL;
}

/* One frame per wake-up, as a request/response over one connection: an
 * empty read about once per RXPACE_PROBE wake-ups (was one per wake-up)
 * after a short learning. */
static const char *request_response_mode(int timed)
{
    struct sim s;
    const char *why = against_unpaced(timed, 16000, 1, 0, 0, &s);

    if (why != NULL)
        return why;
    if (s.empty > 16000 / RXPACE_PROBE + 10)
        return t_whyf("%ld empty reads in %ld wake-ups", s.empty, s.wakes);
    return NULL;
}

/* ping -i 0: the next request is there after the reply 7 times in 10;
 * reading again pays, so pacing must keep doing it. */
static const char *ping_flood_mode(int timed)
{
    struct sim s;

    return against_unpaced(timed, 4000, 1, 700, 20, &s);
}

/* Bursts of 10: as cheap as reading until empty. */
static const char *bursts_mode(int timed)
{
    struct sim s;

    return against_unpaced(timed, 2000, 10, 0, 20, &s);
}

/* Random bursts and single frames. */
static const char *random_arrivals_mode(int timed)
{
    struct sim s;

    return against_unpaced(timed, 20000, -100, 200, 20, &s);
}

/* From request/response to bursts of 40: within two probes each wake-up
 * reads its whole burst again. */
static const char *learns_bursts_mode(int timed)
{
    struct sim s;
    int i;

    sim_init(&s, timed, 0);
    for (i = 0; i < 1000; i++)
        turn(&s, 1, 0);
    for (i = 0; i < 2 * (int)RXPACE_PROBE; i++)
        turn(&s, 40, 0);
    settle(&s, 0);
    turn(&s, 40, 0);
    if (s.last_batch != 40)
        return t_whyf("a burst of 40 read %ld at a time after %d bursts",
                      s.last_batch, i);
    return NULL;
}

/* A backlog longer than the caller's batch, after request/response:
 * wake-ups soon read as many as the caller takes, and it drains. */
static const char *drains_backlog_mode(int timed)
{
    struct sim s;

    sim_init(&s, timed, 0);
    for (int i = 0; i < 1000; i++)
        turn(&s, 1, 0);
    for (int i = 0; i < 3 * (int)RXPACE_PROBE; i++)
        turn(&s, 2 * CALLER_BATCH, 0);
    for (int i = 0; i < 200 && s.queued > 0; i++)
        turn(&s, 0, 0);
    if (s.queued > 0 || s.max_batch != CALLER_BATCH)
        return t_whyf("%ld frames left queued, %ld read at most", s.queued,
                      s.max_batch);
    return NULL;
}

/* With the wait timed, a backlog after request/response is noticed from
 * the waits that did not sleep, before the next probe would. */
static const char *timing_learns_backlog(void)
{
    struct sim s;
    long most = 0;

    sim_init(&s, 1, 0);
    for (int i = 0; i < 1000 || s.p.wakes % RXPACE_PROBE != 1; i++)
        turn(&s, 1, 0);
    for (int i = 0; i < (int)RXPACE_PROBE - 4; i++) {
        turn(&s, i == 0 ? 200 : 0, 0);
        if (s.last_batch > most)
            most = s.last_batch;
    }
    if (most < 8)
        return t_whyf("%ld frames at most per wake-up, %ld left", most,
                      s.queued);
    return NULL;
}

#define BOTH(name)                                                         \
    static const char *name##_timed(void) { return name##_mode(1); }       \
    static const char *name##_untimed(void) { return name##_mode(0); }
BOTH(request_response)
BOTH(ping_flood)
BOTH(bursts)
BOTH(random_arrivals)
BOTH(learns_bursts)
BOTH(drains_backlog)

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(zero_state_reads);
    RUN(request_response_timed);
    RUN(request_response_untimed);
    RUN(ping_flood_timed);
    RUN(ping_flood_untimed);
    RUN(bursts_timed);
    RUN(bursts_untimed);
    RUN(random_arrivals_timed);
    RUN(random_arrivals_untimed);
    RUN(learns_bursts_timed);
    RUN(learns_bursts_untimed);
    RUN(drains_backlog_timed);
    RUN(drains_backlog_untimed);
    RUN(timing_learns_backlog);
    return t_finish();
}
