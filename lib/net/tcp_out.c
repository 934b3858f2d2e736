/*
 * TCP output: building segments, deciding what to send (windows, Nagle,
 * silly window avoidance, delayed ACKs), round-trip times and the
 * retransmission timer (RFC 6298), congestion window growth (RFC 5681),
 * zero-window probes, keepalives and the connection timer.
 */
#include <string.h>

#include "tcp.h"

#define US_PER_MS 1000u

void tcp_rtt_init(struct atoll_tcp *c)
{
    c->srtt = c->rttvar = 0;
    c->rto = (uint32_t)(TCP_RTO_INIT / 1000);
    c->rtt_timing = false;
    tcp_cc_init(c);
}

void tcp_set_mss(struct atoll_tcp *c, size_t mtu)
{
    size_t m = mtu - IP4_HLEN - TCP_HLEN;

    if (c->peer_mss != 0 && c->peer_mss < m)
        m = c->peer_mss;
    if (c->ts_ok)
        m -= 12;
    if (m < 64)
        m = 64;
    c->mss = (uint16_t)m;
}

/* RFC 6298 2.2-2.4 in microseconds; G, the clock granularity, is the
 * millisecond of the timestamps. */
static void rtt_sample(struct atoll_tcp *c, uint32_t r)
{
    uint32_t var4;

    if (c->srtt == 0 && c->rttvar == 0) {
        c->srtt = r > 0 ? r : 1;
        c->rttvar = r / 2;
    } else {
        uint32_t d = c->srtt > r ? c->srtt - r : r - c->srtt;

        c->rttvar = (3 * c->rttvar + d) / 4;
        c->srtt = (7 * c->srtt + r) / 8;
        if (c->srtt == 0)
            c->srtt = 1;
    }
    var4 = 4 * c->rttvar > US_PER_MS ? 4 * c->rttvar : US_PER_MS;
    c->rto = c->srtt + var4;
    if (c->rto < TCP_RTO_MIN / 1000)
        c->rto = (uint32_t)(TCP_RTO_MIN / 1000);
    if (c->rto > TCP_RTO_MAX / 1000)
        c->rto = (uint32_t)(TCP_RTO_MAX / 1000);
}

/* ---- the receive window ----------------------------------------------- */

uint32_t tcp_rcv_window(struct atoll_tcp *c)
{
    size_t avail = c->rcvbuf > c->rcvq.len ? c->rcvbuf - c->rcvq.len : 0;
    uint32_t max = c->ws_ok ? 65535u << c->rcv_wscale : 65535u;
    uint32_t edge, thresh;

    if (avail > max)
        avail = max;
    edge = c->rcv_nxt + (uint32_t)avail;
    if (SEQ_LT(c->rcv_adv, c->rcv_nxt))
        c->rcv_adv = c->rcv_nxt;
    /* Never move the right edge back (RFC 9293 3.8.6.2.2), and move it
     * forward only by a useful amount (receiver's silly window
     * avoidance). */
    if (SEQ_LEQ(edge, c->rcv_adv))
        return c->rcv_adv - c->rcv_nxt;
    thresh = c->rcvbuf / 2 < c->mss ? (uint32_t)c->rcvbuf / 2 : c->mss;
    if (edge - c->rcv_adv >= thresh || c->rcv_adv == c->rcv_nxt)
        return (uint32_t)avail;
    return c->rcv_adv - c->rcv_nxt;
}

void tcp_window_update(struct atoll_tcp *c)
{
    uint32_t offered, now;

    if (!tcp_synchronized(c->state) || c->fin_rcvd)
        return;
    offered = c->rcv_adv - c->rcv_nxt;
    now = tcp_rcv_window(c);
    /* Worth a segment of its own: two segments more and at least twice
     * what the peer still has (as Linux: with 64 KB arriving at once,
     * every read would otherwise send one), or half the buffer when it
     * had closed to less than a segment. */
    if ((now >= offered + 2u * c->mss && now / 2 >= offered) ||
        (offered < c->mss && now >= c->rcvbuf / 2)) {
        c->ack_now = true;
        tcp_hold(c);
        tcp_output(c);
        tcp_release(c);
    }
}

/* ---- building segments ------------------------------------------------ */

static size_t put_ts(uint8_t *o, uint32_t val, uint32_t ecr)
{
    o[0] = TCP_OPT_NOP;
    o[1] = TCP_OPT_NOP;
    o[2] = TCP_OPT_TS;
    o[3] = TCP_OPT_TS_LEN;
    put32(o + 4, val);
    put32(o + 8, ecr);
    return 12;
}

/* SACK blocks for what waits out of order (RFC 2018 4): the block we
 * received last first, then the others, as many as room allows. */
static size_t put_sack(const struct atoll_tcp *c, uint8_t *o, size_t room)
{
    uint32_t r[TCP_OOO_MAX_SEGS][2];
    size_t n = 0, max, first = 0, k = 0;

    if (room < 12)
        return 0;
    max = (room - 4) / 8 < 4 ? (room - 4) / 8 : 4;
    for (const struct tcp_ooo *q = c->ooo; q != NULL; q = q->next) {
        if (q->len == 0)
            continue;
        if (n > 0 && r[n - 1][1] == q->seq) {
            r[n - 1][1] += q->len;
        } else {
            r[n][0] = q->seq;
            r[n][1] = q->seq + q->len;
            n++;
        }
        if (SEQ_LEQ(r[n - 1][0], c->last_ooo) &&
            SEQ_LT(c->last_ooo, r[n - 1][1]))
            first = n - 1;
    }
    if (n == 0)
        return 0;
    o[0] = TCP_OPT_NOP;
    o[1] = TCP_OPT_NOP;
    o[2] = TCP_OPT_SACK;
    put32(o + 4, r[first][0]);
    put32(o + 8, r[first][1]);
    k = 1;
    for (size_t i = 0; i < n && k < max; i++) {
        if (i == first)
            continue;
        put32(o + 4 + 8 * k, r[i][0]);
        put32(o + 8 + 8 * k, r[i][1]);
        k++;
    }
    o[3] = (uint8_t)(2 + 8 * k);
    return 4 + 8 * k;
}

/* With offload the checksum field gets the pseudo-header sum (folded, not
 * complemented) for the device to finish, and a segment of more than
 * gso_size payload bytes (0: none) may exceed the MTU: the device cuts
 * it into pieces of gso_size with this header each. */
static void finish(struct atoll_netif *nif, uint8_t *t, size_t hlen,
                   size_t len, uint32_t laddr, uint32_t raddr,
                   uint16_t gso_size)
{
    uint32_t ps = net_pseudo_sum(laddr, raddr, IP_PROTO_TCP, hlen + len);

    put16(t + TCP_CKSUM, 0);
    if (nif->tx_offload) {
        put16(t + TCP_CKSUM, (uint16_t)~net_cksum(ps));
        nif->txo.partial = true;
        nif->txo.gso_size = gso_size;
        nif->txo.l4_hlen = (uint16_t)hlen;
    } else {
        put16(t + TCP_CKSUM, net_cksum(net_sum(t, hlen + len, ps)));
    }
    if (ip4_output(nif, laddr, raddr, IP_PROTO_TCP, hlen + len, true) == 0)
        nif->stats.tcp_tx++;
    memset(&nif->txo, 0, sizeof nif->txo);
}

static void header(uint8_t *t, uint16_t sport, uint16_t dport, uint32_t seq,
                   uint32_t ack, size_t hlen, uint8_t flags, uint16_t wnd)
{
    put16(t + TCP_SPORT, sport);
    put16(t + TCP_DPORT, dport);
    put32(t + TCP_SEQ, seq);
    put32(t + TCP_ACKNO, ack);
    t[TCP_OFF] = (uint8_t)(hlen / 4 << 4);
    t[TCP_FLAGS] = flags;
    put16(t + TCP_WND, wnd);
    put16(t + TCP_CKSUM, 0);
    put16(t + TCP_URP, 0);
}

/* Payload bytes per piece of a segment with a header of hlen bytes: the
 * MSS for the options it was computed with (timestamps), less any more. */
static uint16_t gso_size(const struct atoll_tcp *c, size_t hlen)
{
    size_t base = (size_t)c->mss + (c->ts_ok ? 12 : 0) + TCP_HLEN;

    return (uint16_t)(hlen < base ? base - hlen : 1);
}

void tcp_send_segment(struct atoll_tcp *c, uint32_t seq, uint32_t len,
                      uint8_t flags)
{
    struct atoll_netif *nif = c->nif;
    uint8_t *t = net_tx_payload(nif), *o = t + TCP_HLEN;
    uint32_t ack = (flags & TCP_ACK) ? c->rcv_nxt : 0;
    uint32_t wnd = 0;
    uint8_t ws = c->ws_ok ? c->rcv_wscale : 0;
    size_t hlen;

    if (flags & TCP_SYN) {
        bool active = c->state == TCP_SYN_SENT;

        o[0] = TCP_OPT_MSS;
        o[1] = TCP_OPT_MSS_LEN;
        put16(o + 2, (uint16_t)(nif->mtu - IP4_HLEN - TCP_HLEN));
        o += 4;
        if (active || c->ws_ok) {
            o[0] = TCP_OPT_NOP;
            o[1] = TCP_OPT_WSCALE;
            o[2] = TCP_OPT_WSCALE_LEN;
            o[3] = c->rcv_wscale;
            o += 4;
        }
        bool sack = active || c->sack_ok, ts = active || c->ts_ok;
        if (sack && ts) {
            /* SACK permitted where the timestamps' padding would be. */
            o += put_ts(o, tcp_ts_now(c), active ? 0 : c->ts_recent);
            o[-12] = TCP_OPT_SACK_OK;
            o[-11] = TCP_OPT_SACK_OK_LEN;
        } else if (sack) {
            o[0] = TCP_OPT_NOP;
            o[1] = TCP_OPT_NOP;
            o[2] = TCP_OPT_SACK_OK;
            o[3] = TCP_OPT_SACK_OK_LEN;
            o += 4;
        } else if (ts) {
            o += put_ts(o, tcp_ts_now(c), active ? 0 : c->ts_recent);
        }
    } else if (!(flags & TCP_RST)) {
        if (c->ts_ok)
            o += put_ts(o, tcp_ts_now(c), c->ts_recent);
        if (c->sack_ok && c->ooo != NULL && (flags & TCP_ACK)) {
            size_t used = (size_t)(o - t) - TCP_HLEN;
            size_t room = TCP_OPT_MAX - used;
            /* A segment the device cuts: each piece has these options. */
            size_t piece = len < c->mss ? len : c->mss;
            size_t mtu_room = nif->mtu - IP4_HLEN - TCP_HLEN - used - piece;

            o += put_sack(c, o, room < mtu_room ? room : mtu_room);
        }
    }
    hlen = (size_t)(o - t);
    if (len > 0)
        bq_copy(&c->sndq, seq - c->snd_una, t + hlen, len);
    if (!(flags & TCP_RST)) {
        wnd = tcp_rcv_window(c);
        if (flags & TCP_SYN) {
            wnd = wnd > 65535 ? 65535 : wnd; /* never scaled */
        } else {
            /* Rounded down: the edge may seem to move back by less than
             * 2^ws (RFC 7323 2.4); rcv_adv keeps the edge we accept. */
            wnd >>= ws;
            if (wnd > 65535)
                wnd = 65535;
        }
    }
    header(t, c->lport, c->rport, seq, ack, hlen, flags, (uint16_t)wnd);
    finish(nif, t, hlen, len, c->laddr, c->raddr, gso_size(c, hlen));
    if (flags & TCP_ACK) {
        uint32_t edge = c->rcv_nxt + ((flags & TCP_SYN) ? wnd : wnd << ws);

        if (SEQ_GT(edge, c->rcv_adv))
            c->rcv_adv = edge;
        c->last_ack_sent = c->rcv_nxt;
        c->ack_now = false;
        c->unacked_bytes = 0;
        c->t_delack = 0;
    }
}

void tcp_send_raw(struct atoll_netif *nif, uint32_t laddr, uint16_t lport,
                  uint32_t raddr, uint16_t rport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t wnd, const uint8_t *opts,
                  size_t optlen)
{
    uint8_t *t = net_tx_payload(nif);

    if (optlen > 0)
        memcpy(t + TCP_HLEN, opts, optlen);
    header(t, lport, rport, seq, ack, TCP_HLEN + optlen, flags, wnd);
    finish(nif, t, TCP_HLEN + optlen, 0, laddr, raddr, 0);
    if (flags & TCP_RST)
        nif->stats.tcp_rst_tx++;
}

void tcp_reset_reply(struct atoll_netif *nif, const struct ip4_pkt *ip,
                     const uint8_t *th, uint32_t seglen)
{
    uint16_t lport = get16(th + TCP_DPORT), rport = get16(th + TCP_SPORT);

    if (th[TCP_FLAGS] & TCP_RST)
        return;
    if (th[TCP_FLAGS] & TCP_ACK)
        tcp_send_raw(nif, ip->dst, lport, ip->src, rport,
                     get32(th + TCP_ACKNO), 0, TCP_RST, 0, NULL, 0);
    else
        tcp_send_raw(nif, ip->dst, lport, ip->src, rport, 0,
                     get32(th + TCP_SEQ) + seglen, TCP_RST | TCP_ACK, 0,
                     NULL, 0);
}

void tcp_want_output(struct atoll_tcp *c)
{
    struct tcp_table *t = c->nif->tcp;

    if (!c->in_flush) {
        c->in_flush = true;
        c->fnext = t->flush;
        t->flush = c;
    }
}

void tcp_ack_soon(struct atoll_tcp *c)
{
    struct tcp_table *t = c->nif->tcp;

    c->ack_now = true;
    if (!c->in_flush) {
        c->in_flush = true;
        c->fnext = t->flush;
        t->flush = c;
    }
}

void tcp_challenge_ack(struct atoll_tcp *c)
{
    atoll_time_t now = net_now();

    if (now - c->challenge_start >= 1000 * MS) {
        c->challenge_start = now;
        c->challenge_count = 0;
    }
    if (c->challenge_count >= TCP_CHALLENGE_PER_SEC)
        return;
    c->challenge_count++;
    c->nif->stats.tcp_challenge_acks++;
    tcp_send_segment(c, c->snd_max, 0, TCP_ACK);
}

/* ---- ACKs of our data ------------------------------------------------- */

static bool can_send_data(enum tcp_state s);

void tcp_acked(struct atoll_tcp *c, uint32_t acked)
{
    atoll_time_t now = net_now();

    /* An RTT sample from the one timed segment, unless it was resent
     * (Karn). Timestamps would give one per ACK, but in milliseconds:
     * too coarse where round trips take microseconds. */
    if (c->rtt_timing && SEQ_GT(c->snd_una, c->rtt_seq)) {
        rtt_sample(c, (uint32_t)((now - c->rtt_start) / 1000));
        c->rtt_timing = false;
    }
    c->retries = 0;
    c->probing = false;
    tcp_cc_on_ack(c, acked);
    c->tlp_pending = false;
    if (c->snd_una == c->snd_max)
        c->t_rtx = 0;
    else
        tcp_arm_rtx(c, now);
}

/*
 * A tail loss probe (RFC 8985 7) comes two round trips after the last
 * transmission, long before the retransmission timeout when round trips
 * are short: losing the last segments of a flight then costs a probe and
 * a SACK-driven recovery instead of a timeout. One probe per flight; only
 * with SACK, outside recovery.
 */
void tcp_arm_rtx(struct atoll_tcp *c, atoll_time_t now)
{
    atoll_time_t pto = 2 * (atoll_time_t)c->srtt * 1000;

    c->tlp_pending = false;
    if (c->sack_ok && !c->in_recovery && !c->tlp_done && c->srtt != 0 &&
        can_send_data(c->state)) {
        if (pto < 10 * MS)
            pto = 10 * MS;
        /* One segment out: the peer may be delaying its ACK. */
        if (c->snd_max - c->snd_una <= c->mss)
            pto += TCP_RTO_MIN;
        if (pto < tcp_rto_ns(c)) {
            c->t_rtx = now + pto;
            c->tlp_pending = true;
            return;
        }
    }
    c->t_rtx = now + tcp_rto_ns(c);
}

/* ---- output ----------------------------------------------------------- */

static bool can_send_data(enum tcp_state s)
{
    return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT ||
           s == TCP_FIN_WAIT_1 || s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/* The SYN (SYN_SENT) or SYN-ACK (SYN_RECEIVED), unless it is out. */
static void syn_output(struct atoll_tcp *c, atoll_time_t now)
{
    uint8_t flags = c->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;

    if (c->snd_nxt != c->iss)
        return;
    if (c->retries == 0 && !c->rtt_timing) {
        c->rtt_timing = true;
        c->rtt_seq = c->iss;
        c->rtt_start = now;
    }
    tcp_send_segment(c, c->iss, 0, flags);
    c->snd_nxt = c->iss + 1;
    if (SEQ_GT(c->snd_nxt, c->snd_max))
        c->snd_max = c->snd_nxt;
    if (c->t_rtx == 0)
        c->t_rtx = now + tcp_rto_ns(c);
}

/* Whether len bytes (of avail queued beyond SND.NXT), maybe with the
 * FIN, make a segment worth sending now: a full one, the end of the data
 * when Nagle allows, half the largest window offered, a resend, or a
 * lone FIN. */
static bool worth_sending(const struct atoll_tcp *c, uint32_t len,
                          size_t avail, uint32_t flight, bool fin)
{
    if (len == 0)
        return fin && avail == 0;
    if (len >= c->mss)
        return true;
    if (len == avail && (c->nodelay || flight == 0 || fin)) /* Nagle */
        return true;
    if (c->max_snd_wnd > 0 && len >= c->max_snd_wnd / 2)
        return true;
    return SEQ_LT(c->snd_nxt, c->snd_max); /* resending what was sent */
}

/* Nothing worth a segment: a pending ACK goes alone, and data waiting
 * for a window that is closed, or too small to be worth a segment, gets
 * the timer to probe it, or to override the silly window avoidance
 * (RFC 9293 3.8.6.2.1). */
static void nothing_to_send(struct atoll_tcp *c, size_t avail,
                            uint32_t flight, atoll_time_t now)
{
    /* A bare ACK carries SND.MAX: after a timeout SND.NXT may lie below
     * what the peer has, and it would drop the segment. */
    if (c->ack_now)
        tcp_send_segment(c, c->snd_max, 0, TCP_ACK);
    if (avail > 0 && flight == 0 && c->t_rtx == 0) {
        c->probing = true;
        c->t_rtx = now + tcp_rto_ns(c);
    }
}

/* Send [SND.NXT, SND.NXT + len), maybe with the FIN. Returns whether the
 * retransmission timer is to be armed once the burst is out. */
static bool send_next(struct atoll_tcp *c, uint32_t len, bool fin,
                      atoll_time_t now)
{
    uint32_t off = c->snd_nxt - c->snd_una;
    uint8_t flags = TCP_ACK;
    bool arm = false;

    if (fin)
        flags |= TCP_FIN;
    if (len > 0 && off + len == c->sndq.len)
        flags |= TCP_PSH;
    if (!c->rtt_timing && len > 0 && c->snd_nxt == c->snd_max) {
        c->rtt_timing = true;
        c->rtt_seq = c->snd_nxt;
        c->rtt_start = now;
    }
    if (SEQ_LT(c->snd_nxt, c->snd_max))
        c->nif->stats.tcp_retransmits++;
    tcp_send_segment(c, c->snd_nxt, len, flags);
    c->snd_nxt += len + (fin ? 1 : 0);
    if (SEQ_GT(c->snd_nxt, c->snd_max))
        c->snd_max = c->snd_nxt;
    if (c->t_rtx == 0 || c->probing) {
        c->probing = false;
        arm = true;
    }
    return arm;
}

/* The most payload one segment may carry: the MSS, or on a device that
 * segments (TSO) as many MSS-sized pieces as fit in an IPv4 datagram. */
static uint32_t seg_max(const struct atoll_tcp *c)
{
    if (!c->nif->tx_offload)
        return c->mss;
    return TCP_GSO_MAX - TCP_GSO_MAX % c->mss;
}

void tcp_output(struct atoll_tcp *c)
{
    atoll_time_t now = net_now();
    bool arm = false;

    if (c->state == TCP_CLOSED || c->state == TCP_LISTEN)
        return;
    if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED) {
        syn_output(c, now);
        tcp_timer_update(c);
        return;
    }
    for (;;) {
        bool send_data = can_send_data(c->state);
        uint32_t off = c->snd_nxt - c->snd_una;
        size_t avail = send_data && c->sndq.len > off ? c->sndq.len - off : 0;
        uint32_t flight = c->snd_nxt - c->snd_una;
        uint32_t cwnd = tcp_cc_send_window(c);
        uint32_t wnd = c->snd_wnd < cwnd ? c->snd_wnd : cwnd;
        uint32_t usable = wnd > flight ? wnd - flight : 0;
        uint32_t max = seg_max(c);
        uint32_t len = (uint32_t)(avail < max ? avail : max);
        bool fin;

        if (len > usable)
            len = usable;
        /* Whole MSS-sized pieces only: a short tail goes by the rules for
         * a short segment on the next round. */
        if (len > c->mss)
            len -= len % c->mss;
        fin = send_data && c->fin_queued && c->snd_nxt + len == c->fin_seq;
        if (!worth_sending(c, len, avail, flight, fin)) {
            nothing_to_send(c, avail, flight, now);
            break;
        }
        if (send_next(c, len, fin, now))
            arm = true;
        if (fin)
            break;
    }
    /* Armed once the burst is out: the probe timeout depends on how much
     * is in flight. */
    if (arm)
        tcp_arm_rtx(c, now);
    tcp_timer_update(c);
}

/* ---- the connection timer --------------------------------------------- */


static void retransmit_timeout(struct atoll_tcp *c, atoll_time_t now)
{
    unsigned max = c->state == TCP_SYN_SENT       ? TCP_SYN_RETRIES
                   : c->state == TCP_SYN_RECEIVED ? TCP_SYNACK_RETRIES
                                                  : TCP_DATA_RETRIES;

    if (c->tlp_pending) {
        tcp_tail_loss_probe(c, now);
        return;
    }
    if (++c->retries > max) {
        tcp_close_conn(c, c->soft_err != 0 ? c->soft_err
                                           : ATOLL_ERR_TIMEDOUT);
        return;
    }
    c->rto = c->rto * 2 < TCP_RTO_MAX / 1000 ? c->rto * 2
                                             : (uint32_t)(TCP_RTO_MAX / 1000);
    c->t_rtx = now + tcp_rto_ns(c);
    if (c->probing && c->snd_wnd > 0 && tcp_synchronized(c->state)) {
        uint32_t off = c->snd_nxt - c->snd_una;
        size_t avail = c->sndq.len > off ? c->sndq.len - off : 0;
        uint32_t len = c->snd_wnd < c->mss ? c->snd_wnd : c->mss;

        c->retries--; /* the peer is answering */
        if (len > avail)
            len = (uint32_t)avail;
        c->probing = false;
        if (len > 0) {
            tcp_send_segment(c, c->snd_nxt, len, TCP_ACK | TCP_PSH);
            c->snd_nxt += len;
            if (SEQ_GT(c->snd_nxt, c->snd_max))
                c->snd_max = c->snd_nxt;
        }
        return;
    }
    if (tcp_synchronized(c->state) && c->snd_wnd == 0 && c->sndq.len > 0) {
        /* Zero-window probe: one byte past what the peer accepted. */
        c->nif->stats.tcp_zero_window_probes++;
        c->probing = true;
        if (c->snd_nxt == c->snd_una)
            c->snd_nxt++;
        if (SEQ_GT(c->snd_nxt, c->snd_max))
            c->snd_max = c->snd_nxt;
        tcp_send_segment(c, c->snd_una, 1, TCP_ACK);
        return;
    }
    c->nif->stats.tcp_rto++;
    NET_DEBUG("tcp: %u: timeout %u: una %u nxt %u max %u wnd %u cwnd %u "
              "queued %zu rto %u ms srtt %u us%s%s sacked %u", c->lport,
              c->retries, c->snd_una - c->iss, c->snd_nxt - c->iss,
              c->snd_max - c->iss, c->snd_wnd, c->cwnd, c->sndq.len,
              c->rto / 1000, c->srtt, c->in_recovery ? " recovering" : "",
              c->tlp_done ? " probed" : "", c->nsacked);
    if (tcp_synchronized(c->state)) {
        tcp_cc_on_rto(c);
        c->snd_nxt = c->snd_una;
    } else {
        c->snd_nxt = c->iss;
    }
    c->in_recovery = false;
    c->lost_mark = false;
    c->t_rack = 0;
    c->dupacks = 0;
    c->nsacked = 0; /* the receiver may have reneged (RFC 2018 8) */
    c->recover = c->snd_max;
    c->rtt_timing = false;
    tcp_output(c);
}

static void keepalive(struct atoll_tcp *c, atoll_time_t now)
{
    if (c->keep_sent >= c->keep_count) {
        c->nif->stats.tcp_keepalive_drops++;
        tcp_close_conn(c, ATOLL_ERR_TIMEDOUT);
        return;
    }
    c->keep_sent++;
    /* An old sequence number makes the peer answer with an ACK. */
    tcp_send_segment(c, c->snd_una - 1, 0, TCP_ACK);
    c->t_keep = now + c->keep_intvl;
}

static void tcp_timer(struct atoll_timer *t, void *arg)
{
    struct atoll_tcp *c = arg;
    struct atoll_netif *nif = c->nif;
    atoll_time_t now = net_now();

    (void)t;
    tcp_hold(c);
    if (c->t_close != 0 && now >= c->t_close) {
        tcp_close_conn(c, 0);
    } else {
        if (c->t_delack != 0 && now >= c->t_delack) {
            c->t_delack = 0;
            c->ack_now = true;
        }
        if (c->t_rack != 0 && now >= c->t_rack) {
            c->t_rack = 0;
            tcp_rack_timeout(c, now);
        }
        if (c->t_rtx != 0 && now >= c->t_rtx) {
            c->t_rtx = 0;
            retransmit_timeout(c, now);
        }
        if (c->state != TCP_CLOSED && c->t_keep != 0 && now >= c->t_keep)
            keepalive(c, now);
        if (c->state != TCP_CLOSED) {
            tcp_output(c);
            tcp_timer_update(c);
        }
        tcp_check(c);
    }
    tcp_notify(c);
    if (c->parent != NULL)
        tcp_notify(c->parent);
    tcp_release(c);
    /* What handlers sent meanwhile. */
    tcp_flush(nif);
}

void tcp_timer_update(struct atoll_tcp *c)
{
    atoll_time_t next = 0;
    const atoll_time_t d[] = {c->t_rtx, c->t_delack, c->t_keep, c->t_close,
                              c->t_rack};

    if (c->state == TCP_CLOSED)
        return;
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (d[i] != 0 && (next == 0 || d[i] < next))
            next = d[i];
    if (next == 0) {
        atoll_timer_cancel(&c->timer);
    } else if (!atoll_timer_armed(&c->timer) || c->timer_at != next) {
        c->timer_at = next;
        atoll_timer_arm(&c->timer, next, tcp_timer, c);
    }
}
