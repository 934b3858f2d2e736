/*
 * Loss recovery: the SACK scoreboard (RFC 2018), fast retransmit and
 * NewReno's recovery (RFC 5681, RFC 6582), RFC 6675's SACK-based recovery
 * (IsLost, SetPipe, NextSeg), and the tail loss probe and time-based loss
 * rule in the spirit of RACK (RFC 8985). Windows are tcp_cc.c's.
 */
#include <string.h>

#include "tcp.h"

/* ---- the scoreboard --------------------------------------------------- */

/* Sorted, disjoint, non-empty ranges inside [SND.UNA, SND.MAX]. */
static void sack_check(const struct atoll_tcp *c)
{
    NET_ASSERT(c->nsacked <= TCP_SACK_RANGES);
    for (unsigned i = 0; i < c->nsacked; i++) {
        NET_ASSERT(SEQ_LT(c->sacked[i].start, c->sacked[i].end));
        NET_ASSERT(SEQ_GEQ(c->sacked[i].start, c->snd_una));
        NET_ASSERT(SEQ_LEQ(c->sacked[i].end, c->snd_max));
        NET_ASSERT(i == 0 ||
                   SEQ_LT(c->sacked[i - 1].end, c->sacked[i].start));
    }
}

/* Enter the SACKed range [l, r) into the scoreboard, merging. A full
 * scoreboard forgets its highest range, the least useful one. */
static void sack_insert(struct atoll_tcp *c, uint32_t l, uint32_t r)
{
    unsigned i = 0, j;

    while (i < c->nsacked && SEQ_LT(c->sacked[i].end, l))
        i++;
    /* Ranges from i on that touch [l, r) merge into it. */
    j = i;
    while (j < c->nsacked && SEQ_LEQ(c->sacked[j].start, r)) {
        if (SEQ_LT(c->sacked[j].start, l))
            l = c->sacked[j].start;
        if (SEQ_GT(c->sacked[j].end, r))
            r = c->sacked[j].end;
        j++;
    }
    if (j == i) { /* a new range at i */
        if (c->nsacked == TCP_SACK_RANGES) {
            if (i == TCP_SACK_RANGES)
                return;
            c->nsacked--;
        }
        memmove(&c->sacked[i + 1], &c->sacked[i],
                (c->nsacked - i) * sizeof c->sacked[0]);
        c->nsacked++;
    } else if (j > i + 1) {
        memmove(&c->sacked[i + 1], &c->sacked[j],
                (c->nsacked - j) * sizeof c->sacked[0]);
        c->nsacked -= j - i - 1;
    }
    c->sacked[i].start = l;
    c->sacked[i].end = r;
}

/* Forget what SND.UNA passed. */
void tcp_sack_prune(struct atoll_tcp *c)
{
    unsigned k = 0;

    while (k < c->nsacked && SEQ_LEQ(c->sacked[k].end, c->snd_una))
        k++;
    if (k > 0) {
        memmove(&c->sacked[0], &c->sacked[k],
                (c->nsacked - k) * sizeof c->sacked[0]);
        c->nsacked -= k;
    }
    if (c->nsacked > 0 && SEQ_LT(c->sacked[0].start, c->snd_una))
        c->sacked[0].start = c->snd_una;
    sack_check(c);
}

void tcp_sack_update(struct atoll_tcp *c, const struct tcp_opts *o)
{
    for (unsigned b = 0; b < o->nsack; b++) {
        uint32_t l = o->sack[b][0], r = o->sack[b][1];

        /* Only blocks of data in flight (no D-SACK, nothing invented). */
        if (!SEQ_LT(l, r) || SEQ_LEQ(r, c->snd_una) ||
            SEQ_GT(r, c->snd_max) || SEQ_LT(l, c->snd_una - c->max_snd_wnd))
            continue;
        if (SEQ_LT(l, c->snd_una))
            l = c->snd_una;
        sack_insert(c, l, r);
    }
    sack_check(c);
}

uint32_t tcp_sacked_bytes(const struct atoll_tcp *c)
{
    uint32_t n = 0;

    for (unsigned i = 0; i < c->nsacked; i++)
        n += c->sacked[i].end - c->sacked[i].start;
    return n;
}

const struct tcp_sack_range *tcp_sack_next(const struct atoll_tcp *c,
                                           uint32_t seq)
{
    for (unsigned i = 0; i < c->nsacked; i++)
        if (SEQ_GT(c->sacked[i].end, seq))
            return &c->sacked[i];
    return NULL;
}

/* IsLost: more than two segments' worth SACKed above seq. */
static bool is_lost(const struct atoll_tcp *c, uint32_t seq)
{
    uint32_t n = 0;

    for (unsigned i = 0; i < c->nsacked; i++) {
        if (SEQ_GEQ(c->sacked[i].start, seq))
            n += c->sacked[i].end - c->sacked[i].start;
        else if (SEQ_GT(c->sacked[i].end, seq))
            n += c->sacked[i].end - seq;
    }
    return n > 2u * c->mss || (c->lost_mark && SEQ_LT(seq, c->lost_below));
}

/* SetPipe: bytes in flight, not SACKed, not lost unless resent. */
static uint32_t pipe_bytes(const struct atoll_tcp *c)
{
    uint32_t p = 0, seq = c->snd_una;

    for (;;) {
        const struct tcp_sack_range *r = tcp_sack_next(c, seq);
        uint32_t end = r != NULL ? r->start : c->snd_max;

        if (r != NULL && SEQ_LEQ(r->start, seq)) {
            seq = r->end;
            continue;
        }
        if (SEQ_LT(seq, end)) {
            uint32_t lost_end = seq;

            if (r != NULL && is_lost(c, seq))
                lost_end = end;
            else if (c->in_recovery && seq == c->snd_una)
                lost_end = end - seq < c->mss ? end : seq + c->mss;
            /* Lost bytes are in flight only once resent. */
            p += end - lost_end;
            if (SEQ_LT(seq, c->rtx_next))
                p += (SEQ_LT(c->rtx_next, lost_end) ? c->rtx_next
                                                     : lost_end) - seq;
        }
        if (r == NULL)
            return p;
        seq = r->end;
    }
}

/* ---- recovery --------------------------------------------------------- */

/* Resend the first unacknowledged segment. */
static void resend_first(struct atoll_tcp *c)
{
    uint32_t inflight = c->snd_max - c->snd_una;
    uint32_t len = c->sndq.len < c->mss ? (uint32_t)c->sndq.len : c->mss;
    uint8_t flags = TCP_ACK;

    if (len > inflight)
        len = inflight;
    if (c->fin_queued && c->snd_una + len == c->fin_seq &&
        SEQ_GT(c->snd_max, c->fin_seq))
        flags |= TCP_FIN;
    if (len == 0 && !(flags & TCP_FIN))
        return;
    c->nif->stats.tcp_retransmits++;
    tcp_send_segment(c, c->snd_una, len, flags);
}

void tcp_enter_recovery(struct atoll_tcp *c, atoll_time_t now)
{
    tcp_cc_on_fast_retransmit(c);
    c->recover = c->snd_max;
    c->in_recovery = true;
    c->rtt_timing = false;
    c->nif->stats.tcp_fast_retransmits++;
    resend_first(c);
    c->t_rtx = now + tcp_rto_ns(c);
    if (c->sack_ok) {
        atoll_time_t wait = 2 * (atoll_time_t)c->srtt * 1000;

        c->rtx_time = now;
        c->t_rack = now + (wait > 5 * MS ? wait : 5 * MS) + MS;
        c->rtx_next = c->snd_una + (c->sndq.len < c->mss
                                        ? (uint32_t)c->sndq.len
                                        : c->mss);
        tcp_sack_recovery(c);
    }
}

/* Everything un-SACKed below the highest SACKed range is lost: recover
 * it (RFC 8985's rules, with the send order taken to be the sequence
 * order). */
static void recover_below_sacked(struct atoll_tcp *c, atoll_time_t now)
{
    c->lost_mark = true;
    c->lost_below = c->sacked[c->nsacked - 1].start;
    tcp_enter_recovery(c, now);
}

/* How many duplicate ACKs mean a loss: three (RFC 5681), fewer when so
 * little is in flight and nothing new can go that three could never come
 * (early retransmit, RFC 5827). */
static unsigned dup_threshold(const struct atoll_tcp *c)
{
    uint32_t flight = c->snd_max - c->snd_una;
    uint32_t segs = (flight + c->mss - 1) / c->mss;
    uint32_t off = c->snd_nxt - c->snd_una;

    if (segs < 4 && (c->sndq.len <= off || c->snd_wnd <= flight))
        return segs > 1 ? segs - 1 : 1;
    return 3;
}

void tcp_sack_recovery(struct atoll_tcp *c)
{
    atoll_time_t now = net_now(), wait = 2 * (atoll_time_t)c->srtt * 1000;

    /* Resent holes still missing well after a round trip: the resends
     * were lost too (a simple form of RFC 8985's RACK, whose timer,
     * t_rack, also covers the case where no ACK comes any more). */
    if (wait < 5 * MS)
        wait = 5 * MS;
    if (SEQ_GT(c->rtx_next, c->snd_una) && now - c->rtx_time > wait)
        c->rtx_next = c->snd_una;
    for (int sent = 0; sent < 1000; sent++) {
        const struct tcp_sack_range *r;
        uint32_t seq, len, off;
        size_t avail;

        if (pipe_bytes(c) + c->mss > c->cwnd)
            break;
        /* NextSeg rule 1: the first lost hole not yet resent. */
        seq = SEQ_GT(c->rtx_next, c->snd_una) ? c->rtx_next : c->snd_una;
        while ((r = tcp_sack_next(c, seq)) != NULL && SEQ_LEQ(r->start, seq))
            seq = r->end;
        off = seq - c->snd_una;
        /* The first hole is lost in recovery whatever the SACKs say: it
         * is what the recovery started for (or a partial ACK showed). */
        if (((r != NULL && is_lost(c, seq)) ||
             (c->in_recovery && seq == c->snd_una)) &&
            off < c->sndq.len) {
            uint32_t end = r != NULL ? r->start : c->snd_max;

            len = end - seq < c->mss ? end - seq : c->mss;
            if (len > c->sndq.len - off)
                len = (uint32_t)(c->sndq.len - off);
            c->nif->stats.tcp_retransmits++;
            tcp_send_segment(c, seq, len, TCP_ACK);
            if (seq == c->snd_una) {
                c->rtx_time = now;
                c->t_rack = now + wait + MS;
            }
            c->rtx_next = seq + len;
            continue;
        }
        /* Rule 2: new data, as far as the peer's window allows. */
        if (c->snd_nxt != c->snd_max)
            break;
        off = c->snd_nxt - c->snd_una;
        avail = c->sndq.len > off ? c->sndq.len - off : 0;
        len = (uint32_t)(avail < c->mss ? avail : c->mss);
        if (off + len > c->snd_wnd)
            len = c->snd_wnd > off ? c->snd_wnd - off : 0;
        if (len == 0)
            break;
        uint8_t flags = TCP_ACK;
        if (c->fin_queued && c->snd_nxt + len == c->fin_seq)
            flags |= TCP_FIN;
        tcp_send_segment(c, c->snd_nxt, len, flags);
        c->snd_nxt += len + ((flags & TCP_FIN) ? 1 : 0);
        c->snd_max = c->snd_nxt;
        if (flags & TCP_FIN)
            break;
    }
    if (c->t_rtx == 0)
        c->t_rtx = now + tcp_rto_ns(c);
}

void tcp_loss_on_new_ack(struct atoll_tcp *c, uint32_t ack, uint32_t acked)
{
    if (!c->in_recovery) {
        c->dupacks = 0;
        tcp_acked(c, acked);
        return;
    }
    if (SEQ_GEQ(ack, c->recover)) {
        /* A full ACK ends the recovery. */
        c->in_recovery = false;
        c->lost_mark = false;
        c->dupacks = 0;
        c->t_rack = 0;
        tcp_acked(c, acked);
        tcp_cc_on_recovery_exit(c);
        return;
    }
    /* A partial ACK: on to the next hole. */
    tcp_acked(c, acked);
    if (c->sack_ok) {
        tcp_sack_recovery(c);
        return;
    }
    resend_first(c); /* RFC 6582 3.2 step 3 */
    tcp_cc_on_partial_ack(c, acked);
}

void tcp_loss_on_ack(struct atoll_tcp *c, uint32_t ack, bool dup, bool probed,
                     atoll_time_t now)
{
    if (c->in_recovery) {
        if (!dup)
            return;
        if (c->sack_ok)
            tcp_sack_recovery(c);
        else
            tcp_cc_on_dupack_in_recovery(c);
        return;
    }
    if (c->sack_ok && c->nsacked > 0 && probed && SEQ_GEQ(ack, c->recover)) {
        /* The tail loss probe came through but what was sent before it
         * did not: lost (RFC 8985 7.4). */
        recover_below_sacked(c, now);
        return;
    }
    if (c->snd_una != c->snd_max &&
        (SEQ_GT(ack, c->recover) || (c->sack_ok && ack == c->recover)) &&
        ((dup && c->dupacks >= dup_threshold(c)) ||
         (c->sack_ok && tcp_sacked_bytes(c) > 2u * c->mss))) {
        /* Enough duplicate ACKs, or (RFC 6675 IsLost) more than two
         * segments' worth SACKed above SND.UNA. NewReno waits for an ACK
         * beyond the last recovery point (RFC 6582 4.1: duplicates of
         * what an RTO resent); SACK tells new losses from those. */
        tcp_enter_recovery(c, now);
        return;
    }
    if (c->sack_ok && c->nsacked > 0 && c->t_rack == 0) {
        /* Too little SACKed to call it a loss yet: if the hole is still
         * there after a reordering window, it is one (tcp_rack_timeout). */
        atoll_time_t wait = 2 * (atoll_time_t)c->srtt * 1000;

        c->t_rack = now + (wait > 2 * MS ? wait : 2 * MS);
    }
}

/* ---- tail loss probe and time-based loss ------------------------------ */

void tcp_tail_loss_probe(struct atoll_tcp *c, atoll_time_t now)
{
    uint32_t off = c->snd_nxt - c->snd_una;
    size_t avail = c->sndq.len > off ? c->sndq.len - off : 0;
    uint8_t flags = TCP_ACK;
    uint32_t start, end, len;

    c->tlp_pending = false;
    c->tlp_done = true;
    c->nif->stats.tcp_loss_probes++;
    c->t_rtx = now + tcp_rto_ns(c);
    /* New data if the window takes it, else the last segment again. */
    if (avail > 0 && c->snd_nxt == c->snd_max && off < c->snd_wnd) {
        len = (uint32_t)(avail < c->mss ? avail : c->mss);
        if (len > c->snd_wnd - off)
            len = c->snd_wnd - off;
        if (c->fin_queued && c->snd_nxt + len == c->fin_seq)
            flags |= TCP_FIN;
        tcp_send_segment(c, c->snd_nxt, len, flags);
        c->snd_nxt += len + ((flags & TCP_FIN) ? 1 : 0);
        c->snd_max = c->snd_nxt;
        return;
    }
    end = c->snd_max;
    if (c->fin_queued && SEQ_GT(end, c->fin_seq)) {
        flags |= TCP_FIN;
        end = c->fin_seq;
    }
    start = end - c->snd_una > c->mss ? end - c->mss : c->snd_una;
    len = end - start;
    if (len > c->sndq.len - (start - c->snd_una))
        return;
    c->nif->stats.tcp_retransmits++;
    tcp_send_segment(c, start, len, flags);
}

void tcp_rack_timeout(struct atoll_tcp *c, atoll_time_t now)
{
    if (c->in_recovery && c->sack_ok) {
        tcp_sack_recovery(c);
    } else if (c->sack_ok && c->nsacked > 0 && c->snd_una != c->snd_max &&
               SEQ_GEQ(c->snd_una, c->recover)) {
        /* A hole older than the reordering window under SACKed data:
         * what was sent before that data is lost (the time-based rule
         * of RFC 8985's RACK). */
        recover_below_sacked(c, now);
    }
}
