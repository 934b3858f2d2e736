/*
 * TCP congestion control: the only code that sets cwnd, ssthresh and the
 * congestion-avoidance byte count. Slow start and congestion avoidance
 * by byte counting (RFC 5681, RFC 3465 with L = 1 SMSS), the initial
 * window of RFC 6928, NewReno's window during fast recovery (RFC 6582)
 * and RFC 6675's for SACK recovery. When to enter or leave recovery is
 * decided in tcp_sack.c; this file only says what the windows become.
 */
#include "tcp.h"

static uint32_t half_flight(const struct atoll_tcp *c)
{
    uint32_t flight = c->snd_max - c->snd_una;

    return flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
}

void tcp_cc_init(struct atoll_tcp *c)
{
    c->ssthresh = 64u << 20;
}

void tcp_cc_established(struct atoll_tcp *c)
{
    uint32_t m = c->mss;

    /* RFC 6928's window of about ten segments; one segment when the
     * handshake needed retransmissions (RFC 5681 3.1). */
    if (c->retries > 0)
        c->cwnd = m;
    else if (10 * m < (2 * m > 14600 ? 2 * m : 14600))
        c->cwnd = 10 * m;
    else
        c->cwnd = 2 * m > 14600 ? 2 * m : 14600;
    NET_ASSERT(c->cwnd >= c->mss);
}

void tcp_cc_on_ack(struct atoll_tcp *c, uint32_t acked)
{
    /* No growth during recovery: the recovery rules own the window. */
    if (c->in_recovery)
        return;
    if (c->cwnd < c->ssthresh) {
        c->cwnd += acked < c->mss ? acked : c->mss;
    } else {
        c->acked_ca += acked;
        if (c->acked_ca >= c->cwnd) {
            c->acked_ca -= c->cwnd;
            c->cwnd += c->mss;
        }
    }
    if (c->cwnd > 4u * TCP_MAX_BUF)
        c->cwnd = 4u * TCP_MAX_BUF;
}

void tcp_cc_on_fast_retransmit(struct atoll_tcp *c)
{
    c->ssthresh = half_flight(c);
    if (c->sack_ok)
        c->cwnd = c->ssthresh; /* RFC 6675 5: the pipe decides */
    else
        c->cwnd = c->ssthresh + 3u * c->mss; /* RFC 5681 3.2 */
    NET_ASSERT(c->cwnd >= c->mss);
}

void tcp_cc_on_dupack_in_recovery(struct atoll_tcp *c)
{
    c->cwnd += c->mss; /* NewReno's inflation (RFC 5681 3.2, 4) */
}

void tcp_cc_on_partial_ack(struct atoll_tcp *c, uint32_t acked)
{
    /* RFC 6582 3.2 step 3: deflate by what was acknowledged, then add
     * back one segment if at least one was. */
    c->cwnd = c->cwnd > acked ? c->cwnd - acked : c->mss;
    if (acked >= c->mss)
        c->cwnd += c->mss;
}

void tcp_cc_on_recovery_exit(struct atoll_tcp *c)
{
    uint32_t flight = c->snd_max - c->snd_una;

    /* Full ACK: deflate the window (RFC 6582 3.2 step 3, option 1). */
    c->cwnd = (flight > c->mss ? flight : c->mss) + c->mss;
    if (c->cwnd > c->ssthresh)
        c->cwnd = c->ssthresh;
    NET_ASSERT(c->cwnd >= c->mss);
}

void tcp_cc_on_rto(struct atoll_tcp *c)
{
    c->ssthresh = half_flight(c);
    c->cwnd = c->mss;
    c->acked_ca = 0;
    NET_ASSERT(c->ssthresh >= 2u * c->mss);
}

uint32_t tcp_cc_send_window(const struct atoll_tcp *c)
{
    uint32_t cwnd = c->cwnd;

    /* Limited transmit (RFC 3042): a new segment for each of the first
     * two duplicate ACKs. */
    if (!c->in_recovery && c->dupacks > 0)
        cwnd += (c->dupacks < 2 ? c->dupacks : 2) * (uint32_t)c->mss;
    return cwnd;
}
