/*
 * Receive pacing (rxpace.h): read again after a frame while another
 * frame was there more often than not.
 */
#include "rxpace.h"

/* Before the first wake-up (and for a zeroed state): read until empty,
 * as without pacing, and learn from there. */
static void prime(struct rxpace *p)
{
    if (p->primed)
        return;
    p->primed = true;
    p->hit = RXPACE_ONE;
}

static void observe(struct rxpace *p, bool there)
{
    p->hit -= p->hit / RXPACE_WEIGHT;
    if (there)
        p->hit += RXPACE_ONE / RXPACE_WEIGHT;
}

void rxpace_ready(struct rxpace *p, bool quick)
{
    prime(p);
    /* The last wake-up stopped with frames perhaps left: the wait says. */
    if (p->stopped)
        observe(p, quick);
    p->wakes++;
    p->probing = p->wakes % RXPACE_PROBE == 0;
    p->got = 0;
    p->stopped = false;
}

bool rxpace_may_read(struct rxpace *p)
{
    prime(p);
    if (p->got == 0 || p->probing || p->hit > RXPACE_ONE / 2)
        return true;
    p->stopped = true;
    return false;
}

void rxpace_result(struct rxpace *p, bool frame)
{
    prime(p);
    if (p->got > 0)
        observe(p, frame);
    if (frame)
        p->got++;
}
