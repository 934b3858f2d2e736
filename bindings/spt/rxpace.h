/*
 * Receive pacing on spt: after a frame, read the TAP again, or answer
 * AGAIN without the read(2) and let epoll_pwait tell?
 *
 * A read that finds the TAP empty costs a system call that moves nothing:
 * it was one in four calls of a request/response round trip (read, the
 * empty read, write, epoll_pwait). Answering AGAIN without reading is
 * safe because the epoll set is level-triggered: frames still queued make
 * the next atoll_yield return at once with the device ready, so nothing
 * waits longer than one turn of the event loop. It costs a system call
 * when frames were queued (that epoll_pwait, then a read), so it pays
 * only where another frame is seldom there.
 *
 * So each device keeps `hit`, the recent rate at which another frame was
 * there after one was read (an average over about the last
 * 1 / RXPACE_WEIGHT observations, in 1/RXPACE_ONE units), and reads again
 * while that is over one half. Observations: every read after a frame
 * (a frame or empty), and, when the reading stopped early, whether the
 * next wait returned without sleeping (yield.c times it when the clock
 * costs no system call; `quick`). Every RXPACE_PROBE-th wake-up reads
 * until empty whatever the rate, so that it is learnt again without the
 * timing too. The first read of a wake-up always goes to the host.
 *
 * Pure logic, no system calls: tests/unit/spt/test_rxpace.c drives it.
 */
#ifndef ATOLL_SPT_RXPACE_H
#define ATOLL_SPT_RXPACE_H

#include <stdbool.h>
#include <stdint.h>

#define RXPACE_ONE 256u
#define RXPACE_WEIGHT 8u /* each observation moves hit by 1/8 of the way */
#define RXPACE_PROBE 16u

struct rxpace {
    uint32_t hit;   /* rate of "another frame was there", 0..RXPACE_ONE */
    uint32_t got;   /* frames read this wake-up */
    uint32_t wakes; /* wake-ups, for the probe */
    bool probing;   /* this wake-up reads until empty */
    bool stopped;   /* this wake-up answered AGAIN without reading */
    bool primed;    /* set up (the zero state is not) */
};

/* The device was reported readable: a new wake-up begins. quick: the
 * wait returned without sleeping (frames were probably left queued). */
void rxpace_ready(struct rxpace *p, bool quick);

/* May this read go to the host? false: answer AGAIN without a call. */
bool rxpace_may_read(struct rxpace *p);

/* The host read returned a frame (true) or found the device empty. */
void rxpace_result(struct rxpace *p, bool frame);

#endif
