/*
 * TCP segment arrival (RFC 9293 3.10.7) with the mitigations of RFC 5961
 * (RST, SYN and ACK checks with challenge ACKs), timestamps and PAWS (RFC
 * 7323), NewReno fast retransmit and recovery (RFC 5681, RFC 6582), SYN
 * cookies and a bounded out-of-order queue.
 */
#include <stdlib.h>
#include <string.h>

#include "tcp.h"

#define PAWS_IDLE (24ull * 24 * 3600 * 1000 * MS) /* RFC 7323 5.5 */

struct seg {
    const struct ip4_pkt *ip;
    const uint8_t *th;
    uint32_t seq, ack;
    uint32_t len;    /* data bytes */
    uint32_t seglen; /* data, SYN and FIN */
    uint16_t wnd;
    uint8_t flags;
    const uint8_t *data;
    struct tcp_opts o;
};

bool tcp_parse_options(const uint8_t *o, size_t len, struct tcp_opts *opts)
{
    size_t i = 0;

    opts->mss = 0;
    opts->wscale = -1;
    opts->has_ts = false;
    opts->sack_ok = false;
    opts->tsval = opts->tsecr = 0;
    opts->nsack = 0;
    while (i < len) {
        uint8_t kind = o[i], l;

        if (kind == TCP_OPT_END)
            break;
        if (kind == TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= len || (l = o[i + 1]) < 2 || i + l > len)
            return false;
        switch (kind) {
        case TCP_OPT_MSS:
            if (l != TCP_OPT_MSS_LEN)
                return false;
            opts->mss = get16(o + i + 2);
            break;
        case TCP_OPT_WSCALE: /* RFC 7323 2.3: use 14 for more */
            if (l != TCP_OPT_WSCALE_LEN)
                return false;
            opts->wscale = (int8_t)(o[i + 2] > 14 ? 14 : o[i + 2]);
            break;
        case TCP_OPT_TS:
            if (l != TCP_OPT_TS_LEN)
                return false;
            opts->has_ts = true;
            opts->tsval = get32(o + i + 2);
            opts->tsecr = get32(o + i + 6);
            break;
        case TCP_OPT_SACK_OK:
            if (l != TCP_OPT_SACK_OK_LEN)
                return false;
            opts->sack_ok = true;
            break;
        case TCP_OPT_SACK:
            if ((l - 2) % 8 != 0 || l > 34)
                return false;
            for (size_t b = 0; b < (size_t)(l - 2) / 8; b++) {
                opts->sack[b][0] = get32(o + i + 2 + 8 * b);
                opts->sack[b][1] = get32(o + i + 6 + 8 * b);
            }
            opts->nsack = (unsigned)(l - 2) / 8;
            break;
        default:
            break;
        }
        i += l;
    }
    return true;
}

/* Take the options of a SYN. */
static void syn_options(struct atoll_tcp *c, const struct seg *s)
{
    c->peer_mss = s->o.mss != 0 ? s->o.mss : 536;
    c->ws_ok = s->o.wscale >= 0;
    c->snd_wscale = c->ws_ok ? (uint8_t)s->o.wscale : 0;
    c->rcv_wscale = c->ws_ok ? TCP_RCV_WSCALE : 0;
    c->ts_ok = s->o.has_ts;
    c->sack_ok = s->o.sack_ok;
    c->ts_recent = s->o.tsval;
    c->ts_recent_age = net_now();
    tcp_set_mss(c, c->nif->mtu);
}

static void inherit(struct atoll_tcp *c, const struct atoll_tcp *l)
{
    c->rcvbuf = l->rcvbuf;
    c->sndbuf = l->sndbuf;
    c->nodelay = l->nodelay;
    c->keepalive = l->keepalive;
    c->keep_idle = l->keep_idle;
    c->keep_intvl = l->keep_intvl;
    c->keep_count = l->keep_count;
}

static void enter_time_wait(struct atoll_tcp *c)
{
    c->state = TCP_TIME_WAIT;
    c->t_rtx = c->t_keep = c->t_delack = 0;
    c->t_close = net_now() + 2 * TCP_MSL;
    bq_free(&c->sndq);
}

/* After the handshake: what both opens share. The caller has set the
 * initial window (before tcp_acked forgets how many SYNs it took). */
static void established(struct atoll_tcp *c)
{
    c->state = TCP_ESTABLISHED;
    if (c->keepalive)
        c->t_keep = net_now() + c->keep_idle;
    if (c->fin_queued) {
        c->state = TCP_FIN_WAIT_1;
        c->fin_seq = c->snd_una + (uint32_t)c->sndq.len;
    }
    NET_DEBUG("tcp: %u <-> %u.%u.%u.%u:%u established", c->lport,
              c->raddr >> 24, c->raddr >> 16 & 0xff, c->raddr >> 8 & 0xff,
              c->raddr & 0xff, c->rport);
}

/* ---- out-of-order segments -------------------------------------------- */

static void ooo_insert(struct atoll_tcp *c, uint32_t seq, const uint8_t *data,
                       uint32_t len, bool fin)
{
    struct tcp_ooo **pp = &c->ooo, *o;

    /* Skip what ends before us; trim what overlaps our front. */
    while (*pp != NULL && SEQ_LEQ((*pp)->seq + (*pp)->len, seq))
        pp = &(*pp)->next;
    if (*pp != NULL && SEQ_LEQ((*pp)->seq, seq)) {
        uint32_t cut = (*pp)->seq + (*pp)->len - seq;

        if (cut >= len) {
            if (fin && cut == len)
                (*pp)->fin = true;
            return; /* nothing new */
        }
        data += cut;
        seq += cut;
        len -= cut;
        pp = &(*pp)->next;
    }
    /* Segments we cover entirely go; the next one trims our end. */
    while (*pp != NULL && SEQ_LEQ((*pp)->seq + (*pp)->len, seq + len)) {
        o = *pp;
        if (o->fin && o->seq + o->len == seq + len)
            fin = true;
        *pp = o->next;
        free(o);
        c->ooo_segs--;
    }
    if (*pp != NULL && SEQ_LT((*pp)->seq, seq + len)) {
        len = (*pp)->seq - seq;
        fin = false;
    }
    if (len == 0 && !fin)
        return;
    if (c->ooo_segs >= TCP_OOO_MAX_SEGS ||
        (o = malloc(sizeof *o + len)) == NULL) {
        c->nif->stats.tcp_ooo_dropped++;
        return;
    }
    o->seq = seq;
    o->len = len;
    o->fin = fin;
    if (len > 0)
        memcpy(o->data, data, len);
    o->next = *pp;
    *pp = o;
    c->ooo_segs++;
    c->last_ooo = seq;
    c->nif->stats.tcp_ooo_queued++;
}

static void got_fin(struct atoll_tcp *c)
{
    c->rcv_nxt++;
    c->fin_rcvd = true;
    tcp_event(c, EV_READABLE);
    tcp_ack_soon(c);
    switch (c->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        c->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        if (SEQ_GT(c->snd_una, c->fin_seq))
            enter_time_wait(c);
        else
            c->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        enter_time_wait(c);
        break;
    default:
        break;
    }
    /* Nothing after the FIN counts. */
    while (c->ooo != NULL) {
        struct tcp_ooo *o = c->ooo;

        c->ooo = o->next;
        free(o);
    }
    c->ooo_segs = 0;
}

/* Move what became in order from the out-of-order queue. */
static void pull_ooo(struct atoll_tcp *c)
{
    while (c->ooo != NULL && SEQ_LEQ(c->ooo->seq, c->rcv_nxt)) {
        struct tcp_ooo *o = c->ooo;
        uint32_t end = o->seq + o->len;
        bool fin;

        c->ooo = o->next;
        c->ooo_segs--;
        if (SEQ_GT(end, c->rcv_nxt)) {
            uint32_t skip = c->rcv_nxt - o->seq;
            size_t n = bq_append(&c->rcvq, o->data + skip, end - c->rcv_nxt);

            c->rcv_nxt += (uint32_t)n;
            tcp_event(c, EV_READABLE);
        }
        fin = o->fin && end == c->rcv_nxt;
        free(o);
        if (fin) {
            got_fin(c);
            return;
        }
    }
}

/* The text and FIN of an acceptable segment. */
static void receive(struct atoll_tcp *c, const struct seg *s)
{
    uint32_t seq = s->seq, len = s->len, wnd, end;
    const uint8_t *data = s->data;
    bool fin = (s->flags & TCP_FIN) != 0;

    if (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
        c->state != TCP_FIN_WAIT_2) {
        /* The peer's FIN came already: a repeat wants an ACK. */
        if (fin) {
            if (c->state == TCP_TIME_WAIT)
                c->t_close = net_now() + 2 * TCP_MSL;
            tcp_ack_soon(c);
        }
        return;
    }
    /* A closed handle cannot read: new data resets (RFC 9293 3.10.4). */
    if (!c->user && c->parent == NULL && len > 0 &&
        SEQ_GT(seq + len, c->rcv_nxt)) {
        tcp_send_segment(c, c->snd_max, 0, TCP_RST | TCP_ACK);
        c->nif->stats.tcp_rst_tx++;
        tcp_close_conn(c, ATOLL_ERR_CONNRESET);
        return;
    }
    /* Trim to the window: what came before is old, what lies beyond does
     * not fit. */
    if (SEQ_LT(seq, c->rcv_nxt)) {
        uint32_t skip = c->rcv_nxt - seq;

        if (skip >= len) {
            seq += len;
            data = NULL;
            len = 0;
            if (seq != c->rcv_nxt)
                fin = false;
        } else {
            seq += skip;
            data += skip;
            len -= skip;
        }
    }
    wnd = SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    end = c->rcv_nxt + wnd;
    if (SEQ_GT(seq + len, end)) {
        /* Beyond the window: dropped, and the sender told where it is. */
        len = SEQ_GT(end, seq) ? end - seq : 0;
        fin = false;
        c->nif->stats.tcp_out_of_window++;
        tcp_ack_soon(c);
    }
    if (seq != c->rcv_nxt) {
        if (len > 0 || fin)
            ooo_insert(c, seq, data, len, fin);
        tcp_ack_soon(c); /* a duplicate ACK tells the sender of the gap */
        return;
    }
    bool filled = c->ooo != NULL;
    if (len > 0) {
        size_t n = bq_append(&c->rcvq, data, len);

        c->rcv_nxt += (uint32_t)n;
        if (n < len)
            fin = false;
        if (n > 0)
            tcp_event(c, EV_READABLE);
        c->unacked_bytes += (uint32_t)n;
    }
    if (fin)
        got_fin(c);
    else if (filled)
        pull_ooo(c);
    /* ACK at once when a gap closes or every two full segments; else
     * within TCP_DELACK (RFC 5681 4.2). */
    if (filled || c->unacked_bytes >= 2u * c->mss)
        tcp_ack_soon(c);
    else if (len > 0 && c->t_delack == 0)
        c->t_delack = net_now() + TCP_DELACK;
}

/* ---- ACK processing --------------------------------------------------- */

/* Our FIN was acknowledged. Returns false when that closed the
 * connection. */
static bool fin_acked(struct atoll_tcp *c, atoll_time_t now)
{
    switch (c->state) {
    case TCP_FIN_WAIT_1:
        c->state = TCP_FIN_WAIT_2;
        c->t_rtx = 0;
        if (!c->user && c->parent == NULL)
            c->t_close = now + TCP_FIN_WAIT_2_TIMEOUT;
        break;
    case TCP_CLOSING:
        enter_time_wait(c);
        break;
    case TCP_LAST_ACK:
        tcp_close_conn(c, 0);
        return false;
    default:
        break;
    }
    return true;
}

/* An ACK of new data: SND.UNA moves, the send queue drops what it
 * acknowledged, then recovery and the states that wait for our FIN.
 * Returns false when the connection closed. */
static bool new_ack(struct atoll_tcp *c, uint32_t ack, atoll_time_t now)
{
    uint32_t acked = ack - c->snd_una;
    size_t data = acked < c->sndq.len ? acked : c->sndq.len;

    bq_drop(&c->sndq, data);
    c->snd_una = ack;
    if (SEQ_LT(c->snd_nxt, c->snd_una))
        c->snd_nxt = c->snd_una;
    tcp_sack_prune(c);
    c->tlp_done = false;
    tcp_loss_on_new_ack(c, ack, acked);
    if (c->want_write && c->sndq.len + c->sndbuf / 4 <= c->sndbuf) {
        c->want_write = false;
        tcp_event(c, EV_WRITABLE);
    }
    if (c->fin_queued && SEQ_GT(c->snd_una, c->fin_seq))
        return fin_acked(c, now);
    return true;
}

/* A duplicate ACK (RFC 5681 2), or one that SACKs new data (RFC 6675 2),
 * whatever its window says; sacked: the bytes SACKed before it came. */
static bool is_dup_ack(const struct atoll_tcp *c, const struct seg *s,
                       uint32_t wnd, uint32_t sacked)
{
    if (s->ack != c->snd_una || c->snd_una == c->snd_max)
        return false;
    if (s->len == 0 && !(s->flags & (TCP_SYN | TCP_FIN)) &&
        wnd == c->snd_wnd)
        return true;
    return c->sack_ok && tcp_sacked_bytes(c) > sacked;
}

/* The send window, from the newest segment (RFC 9293 3.10.7.4). */
static void update_send_window(struct atoll_tcp *c, const struct seg *s,
                               uint32_t wnd)
{
    if (!SEQ_LT(c->snd_wl1, s->seq) &&
        !(c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack)))
        return;
    c->snd_wnd = wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    if (wnd > c->max_snd_wnd)
        c->max_snd_wnd = wnd;
    if (wnd > 0 && c->probing) {
        c->probing = false;
        if (c->snd_una == c->snd_max)
            c->t_rtx = 0;
    }
}

static void ack_segment(struct atoll_tcp *c, const struct seg *s)
{
    uint32_t wnd = (uint32_t)s->wnd << c->snd_wscale;
    atoll_time_t now = net_now();
    uint32_t sacked = c->nsacked > 0 ? tcp_sacked_bytes(c) : 0;
    bool dup = false, probed = c->tlp_done;

    if (c->sack_ok)
        tcp_sack_update(c, &s->o);
    if (SEQ_GT(s->ack, c->snd_una)) {
        if (!new_ack(c, s->ack, now))
            return;
    } else if (is_dup_ack(c, s, wnd, sacked)) {
        dup = true;
        c->dupacks++;
    }
    tcp_loss_on_ack(c, s->ack, dup, probed, now);
    /* A peer that answers our zero-window probes is alive. */
    if (c->probing && wnd == 0)
        c->retries = 0;
    update_send_window(c, s, wnd);
    tcp_check(c);
}

/* ---- states ----------------------------------------------------------- */

static void syn_sent(struct atoll_tcp *c, const struct seg *s)
{
    if ((s->flags & TCP_ACK) &&
        (SEQ_LEQ(s->ack, c->iss) || SEQ_GT(s->ack, c->snd_max))) {
        if (!(s->flags & TCP_RST))
            tcp_reset_reply(c->nif, s->ip, s->th, s->seglen);
        return;
    }
    if (s->flags & TCP_RST) {
        if (s->flags & TCP_ACK)
            tcp_close_conn(c, ATOLL_ERR_CONNREFUSED);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    c->irs = s->seq;
    c->rcv_nxt = c->rcv_adv = s->seq + 1;
    syn_options(c, s);
    c->snd_wnd = c->max_snd_wnd = s->wnd; /* a SYN's window is unscaled */
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    if (s->flags & TCP_ACK) {
        c->snd_una = s->ack;
        tcp_cc_established(c);
        tcp_acked(c, 0);
        established(c);
        tcp_event(c, EV_CONNECTED);
        tcp_ack_soon(c);
    } else {
        /* Simultaneous open: answer with a SYN-ACK. */
        c->state = TCP_SYN_RECEIVED;
        c->snd_nxt = c->iss;
        c->retries = 0;
        c->t_rtx = 0;
        tcp_output(c);
    }
}

/* PAWS (RFC 7323 5.3): an old timestamp marks an old duplicate. True
 * when the segment is dropped for it. */
static bool paws_drop(struct atoll_tcp *c, const struct seg *s,
                      atoll_time_t now)
{
    if (!c->ts_ok || (s->flags & TCP_RST))
        return false;
    if (s->o.has_ts && !(SEQ_LT(s->o.tsval, c->ts_recent) &&
                         now - c->ts_recent_age < PAWS_IDLE))
        return false;
    c->nif->stats.tcp_paws_dropped++;
    if (s->o.has_ts)
        tcp_ack_soon(c);
    return true;
}

/* Acceptability (RFC 9293 3.10.7.4, first): the segment overlaps the
 * receive window; a zero window still takes ACKs and RSTs at RCV.NXT. */
static bool in_window(uint32_t nxt, uint32_t wnd, uint32_t x)
{
    return SEQ_LEQ(nxt, x) && SEQ_LT(x, nxt + wnd);
}

static bool acceptable(const struct atoll_tcp *c, const struct seg *s)
{
    uint32_t nxt = c->rcv_nxt;
    uint32_t wnd = SEQ_GT(c->rcv_adv, nxt) ? c->rcv_adv - nxt : 0;

    if (wnd == 0)
        return s->seq == nxt;
    if (s->seglen == 0)
        return in_window(nxt, wnd, s->seq);
    return in_window(nxt, wnd, s->seq) ||
           in_window(nxt, wnd, s->seq + s->seglen - 1);
}

/* Outside the window: an ACK tells the peer where it is (not for a RST). */
static void not_acceptable(struct atoll_tcp *c, const struct seg *s,
                           atoll_time_t now)
{
    c->nif->stats.tcp_out_of_window++;
    if (s->flags & TCP_RST)
        return;
    if (c->state == TCP_TIME_WAIT && (s->flags & TCP_FIN))
        c->t_close = now + 2 * TCP_MSL;
    tcp_ack_soon(c);
}

/* The peer is alive: keepalive starts over. */
static void heard_from_peer(struct atoll_tcp *c, atoll_time_t now)
{
    c->last_rx = now;
    c->keep_sent = 0;
    if (c->keepalive && tcp_synchronized(c->state) &&
        c->state != TCP_TIME_WAIT)
        c->t_keep = now + c->keep_idle;
}

/* RST: only at exactly RCV.NXT; elsewhere in the window it earns a
 * challenge ACK (RFC 5961 3.2). */
static void rst_input(struct atoll_tcp *c, const struct seg *s)
{
    if (s->seq != c->rcv_nxt) {
        tcp_challenge_ack(c);
        return;
    }
    switch (c->state) {
    case TCP_SYN_RECEIVED:
        tcp_close_conn(c, c->parent != NULL ? 0 : ATOLL_ERR_CONNREFUSED);
        break;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        tcp_close_conn(c, ATOLL_ERR_CONNRESET);
        break;
    default:
        tcp_close_conn(c, 0);
        break;
    }
}

/* The ACK that completes a passive (or simultaneous) open; false when
 * it acknowledges something we never sent. */
static bool handshake_ack(struct atoll_tcp *c, const struct seg *s)
{
    if (SEQ_LEQ(s->ack, c->snd_una) || SEQ_GT(s->ack, c->snd_max)) {
        tcp_reset_reply(c->nif, s->ip, s->th, s->seglen);
        return false;
    }
    c->snd_una = s->ack;
    c->snd_wnd = (uint32_t)s->wnd << c->snd_wscale;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    tcp_cc_established(c);
    tcp_acked(c, 0);
    established(c);
    if (c->parent != NULL)
        tcp_established_child(c);
    else
        tcp_event(c, EV_CONNECTED);
    return true;
}

/* The ACK field of an acceptable segment; false when processing stops
 * (a bad ACK, or the connection closed). */
static bool ack_input(struct atoll_tcp *c, const struct seg *s)
{
    if (c->state == TCP_SYN_RECEIVED)
        return handshake_ack(c, s);
    /* RFC 5961 5.2: acceptable ACKs lie in
     * [SND.UNA - MAX.SND.WND, SND.NXT]. */
    if (SEQ_GT(s->ack, c->snd_max) ||
        SEQ_LT(s->ack, c->snd_una - c->max_snd_wnd)) {
        c->nif->stats.tcp_bad_ack++;
        tcp_ack_soon(c);
        return false;
    }
    ack_segment(c, s);
    return c->state != TCP_CLOSED;
}

/* RFC 7323 4.3: remember the timestamp to echo. */
static void remember_ts(struct atoll_tcp *c, const struct seg *s,
                        atoll_time_t now)
{
    if (c->ts_ok && s->o.has_ts && SEQ_GEQ(s->o.tsval, c->ts_recent) &&
        SEQ_LEQ(s->seq, c->last_ack_sent)) {
        c->ts_recent = s->o.tsval;
        c->ts_recent_age = now;
    }
}

/* A segment for a connection past LISTEN (RFC 9293 3.10.7.3-4). */
static void process(struct atoll_tcp *c, const struct seg *s)
{
    atoll_time_t now = net_now();

    if (c->state == TCP_SYN_SENT) {
        syn_sent(c, s);
        return;
    }
    if (paws_drop(c, s, now))
        return;
    /* Our SYN-ACK was lost: the peer repeats its SYN. */
    if (c->state == TCP_SYN_RECEIVED && (s->flags & TCP_SYN) &&
        !(s->flags & TCP_ACK) && s->seq == c->irs) {
        c->snd_nxt = c->iss;
        tcp_output(c);
        return;
    }
    if (!acceptable(c, s)) {
        not_acceptable(c, s, now);
        return;
    }
    heard_from_peer(c, now);
    if (s->flags & TCP_RST) {
        rst_input(c, s);
        return;
    }
    /* A SYN in a synchronized state: challenge ACK (RFC 5961 4.2). */
    if (s->flags & TCP_SYN) {
        tcp_challenge_ack(c);
        return;
    }
    if (!(s->flags & TCP_ACK) || !ack_input(c, s))
        return;
    remember_ts(c, s, now);
    if (s->len > 0 || (s->flags & TCP_FIN))
        receive(c, s);
}

static void conn_input(struct atoll_tcp *c, const struct seg *s)
{
    struct atoll_tcp *parent = c->parent;

    tcp_hold(c);
    if (parent != NULL)
        tcp_hold(parent);
    process(c, s);
    tcp_check(c);
    /* Sending (ACKs, data the ACK made room for) waits for the end of the
     * batch of frames: one ACK can answer several segments. */
    if (c->state != TCP_CLOSED)
        tcp_want_output(c);
    tcp_notify(c);
    if (parent != NULL) {
        tcp_notify(parent);
        tcp_release(parent);
    }
    tcp_release(c);
}

/* ---- listeners -------------------------------------------------------- */

/* A SYN-ACK carrying a cookie, for a listener whose backlog is full. */
static void send_cookie(struct atoll_netif *nif, const struct atoll_tcp *l,
                        const struct seg *s)
{
    const struct ip4_pkt *ip = s->ip;
    uint16_t lport = l->lport, rport = get16(s->th + TCP_SPORT);
    uint16_t mss = s->o.mss != 0 ? s->o.mss : 536;
    uint32_t isn;
    uint8_t o[24], *p = o;

    if (mss > nif->mtu - IP4_HLEN - TCP_HLEN)
        mss = (uint16_t)(nif->mtu - IP4_HLEN - TCP_HLEN);
    isn = tcp_cookie_make(nif, ip->dst, lport, ip->src, rport, s->seq, &mss);
    p[0] = TCP_OPT_MSS;
    p[1] = TCP_OPT_MSS_LEN;
    put16(p + 2, (uint16_t)(nif->mtu - IP4_HLEN - TCP_HLEN));
    p += 4;
    /* The window scale (15: none) and SACK permission travel in the low
     * five bits of our timestamp; without timestamps the connection goes
     * without both. */
    if (s->o.has_ts) {
        uint32_t ws = s->o.wscale >= 0 ? (uint32_t)s->o.wscale : 15;
        uint32_t sack = s->o.sack_ok ? 16 : 0;
        uint32_t ts = (uint32_t)(net_now() / MS) +
                      tcp_ts_offset(nif, ip->dst, lport, ip->src, rport);

        if (s->o.wscale >= 0) {
            p[0] = TCP_OPT_NOP;
            p[1] = TCP_OPT_WSCALE;
            p[2] = TCP_OPT_WSCALE_LEN;
            p[3] = TCP_RCV_WSCALE;
            p += 4;
        }
        p[0] = sack ? TCP_OPT_SACK_OK : TCP_OPT_NOP;
        p[1] = sack ? TCP_OPT_SACK_OK_LEN : TCP_OPT_NOP;
        p[2] = TCP_OPT_TS;
        p[3] = TCP_OPT_TS_LEN;
        put32(p + 4, (ts & ~31u) | sack | ws);
        put32(p + 8, s->o.tsval);
        p += 12;
    }
    tcp_send_raw(nif, ip->dst, lport, ip->src, rport, isn, s->seq + 1,
                 TCP_SYN | TCP_ACK,
                 (uint16_t)(l->rcvbuf < 65535 ? l->rcvbuf : 65535), o,
                 (size_t)(p - o));
    nif->stats.tcp_syn_cookies_tx++;
}

/* The ACK of a cookie: the connection, rebuilt from it. */
static struct atoll_tcp *cookie_conn(struct atoll_netif *nif,
                                     struct atoll_tcp *l, const struct seg *s,
                                     uint16_t mss)
{
    const struct ip4_pkt *ip = s->ip;
    struct atoll_tcp *c = tcp_new(nif, ip->dst, l->lport, ip->src,
                                  get16(s->th + TCP_SPORT));

    if (c == NULL)
        return NULL;
    inherit(c, l);
    c->iss = s->ack - 1;
    c->snd_una = c->snd_nxt = c->snd_max = c->recover = s->ack;
    c->irs = s->seq - 1;
    c->rcv_nxt = s->seq;
    c->rcv_adv = c->rcv_nxt + (c->rcvbuf < 65535 ? (uint32_t)c->rcvbuf
                                                 : 65535);
    c->peer_mss = mss;
    if (s->o.has_ts) {
        uint32_t ws = s->o.tsecr & 15;

        c->ts_ok = true;
        c->ts_recent = s->o.tsval;
        c->ts_recent_age = net_now();
        c->ts_offset += 32; /* stay above the rounded cookie timestamp */
        c->sack_ok = (s->o.tsecr & 16) != 0;
        if (ws != 15) {
            c->ws_ok = true;
            c->snd_wscale = (uint8_t)(ws > 14 ? 14 : ws);
            c->rcv_wscale = TCP_RCV_WSCALE;
        }
    }
    tcp_set_mss(c, nif->mtu);
    c->snd_wnd = c->max_snd_wnd = (uint32_t)s->wnd << c->snd_wscale;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    c->parent = l;
    l->nsynrcvd++; /* tcp_established_child moves it to the queue */
    tcp_cc_established(c);
    established(c);
    tcp_established_child(c);
    nif->stats.tcp_syn_cookies_ok++;
    return c;
}

static void listen_input(struct atoll_netif *nif, struct atoll_tcp *l,
                         const struct seg *s)
{
    const struct ip4_pkt *ip = s->ip;
    struct atoll_tcp *c;

    if (s->flags & TCP_RST)
        return;
    if (s->flags & TCP_ACK) {
        if (!(s->flags & TCP_SYN)) {
            uint16_t mss = tcp_cookie_check(nif, ip->dst, l->lport, ip->src,
                                            get16(s->th + TCP_SPORT),
                                            s->seq - 1, s->ack - 1);

            if (mss != 0) {
                if (l->nacceptq >= (unsigned)l->backlog) {
                    nif->stats.tcp_backlog_drops++;
                    return; /* the peer will send again */
                }
                tcp_hold(l);
                c = cookie_conn(nif, l, s, mss);
                if (c != NULL)
                    conn_input(c, s);
                else
                    tcp_notify(l);
                tcp_release(l);
                return;
            }
            /* While the queue is full, a stray ACK may be a later
             * segment of a cookie connection we had to drop: stay quiet
             * and let its sender retry from the start of its data. */
            if (l->nacceptq >= (unsigned)l->backlog) {
                nif->stats.tcp_backlog_drops++;
                return;
            }
            nif->stats.tcp_syn_cookies_bad++;
        }
        tcp_reset_reply(nif, ip, s->th, s->seglen);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    if (l->nsynrcvd + l->nacceptq >= (unsigned)l->backlog) {
        send_cookie(nif, l, s);
        return;
    }
    c = tcp_new(nif, ip->dst, l->lport, ip->src, get16(s->th + TCP_SPORT));
    if (c == NULL)
        return;
    inherit(c, l);
    c->state = TCP_SYN_RECEIVED;
    c->parent = l;
    l->nsynrcvd++;
    c->irs = s->seq;
    c->rcv_nxt = c->rcv_adv = s->seq + 1;
    c->iss = tcp_isn(nif, c);
    c->snd_una = c->snd_nxt = c->snd_max = c->recover = c->iss;
    c->snd_wnd = c->max_snd_wnd = s->wnd;
    c->snd_wl1 = s->seq;
    syn_options(c, s);
    tcp_hold(c);
    tcp_output(c); /* the SYN-ACK */
    tcp_release(c);
}

/* ---- entry ------------------------------------------------------------ */

void tcp_input(struct atoll_netif *nif, const struct ip4_pkt *ip)
{
    const uint8_t *th = ip->data;
    struct atoll_tcp *c, *l;
    struct seg s;
    size_t off;

    if (ip->len < TCP_HLEN) {
        nif->stats.tcp_short++;
        return;
    }
    off = tcp_hlen(th);
    if (off < TCP_HLEN || off > ip->len) {
        nif->stats.tcp_bad_offset++;
        return;
    }
    if (!ip->csum_ok &&
        net_cksum(net_sum(th, ip->len, net_pseudo_sum(ip->src, ip->dst,
                                                      IP_PROTO_TCP,
                                                      ip->len))) != 0) {
        nif->stats.tcp_checksum++;
        return;
    }
    if (!tcp_parse_options(th + TCP_HLEN, off - TCP_HLEN, &s.o)) {
        nif->stats.tcp_bad_option++;
        return;
    }
    s.flags = th[TCP_FLAGS] & TCP_FLAGS_MASK;
    /* Not unicast, port 0, SYN with RST or FIN: nothing sane sends it. */
    if (ip->bcast || get16(th + TCP_SPORT) == 0 ||
        get16(th + TCP_DPORT) == 0 ||
        ((s.flags & TCP_SYN) && (s.flags & (TCP_RST | TCP_FIN)))) {
        nif->stats.tcp_bad_flags++;
        return;
    }
    s.ip = ip;
    s.th = th;
    s.seq = get32(th + TCP_SEQ);
    s.ack = get32(th + TCP_ACKNO);
    s.wnd = get16(th + TCP_WND);
    s.data = th + off;
    s.len = (uint32_t)(ip->len - off);
    s.seglen = s.len + ((s.flags & TCP_SYN) ? 1 : 0) +
               ((s.flags & TCP_FIN) ? 1 : 0);
    nif->stats.tcp_rx++;

    c = tcp_lookup(nif, ip->dst, get16(th + TCP_DPORT), ip->src,
                   get16(th + TCP_SPORT));
    /* A new SYN for a connection in TIME-WAIT starts a new one when it is
     * clearly newer (RFC 6191, RFC 9293 3.6.1). */
    if (c != NULL && c->state == TCP_TIME_WAIT &&
        (s.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
        ((c->ts_ok && s.o.has_ts) ? SEQ_GT(s.o.tsval, c->ts_recent)
                                   : SEQ_GT(s.seq, c->rcv_nxt))) {
        tcp_hold(c);
        tcp_close_conn(c, 0);
        tcp_notify(c);
        tcp_release(c);
        c = NULL;
    }
    if (c != NULL) {
        conn_input(c, &s);
        return;
    }
    l = tcp_listener(nif, get16(th + TCP_DPORT));
    if (l != NULL && nif->ip.addr != 0 && ip->dst == nif->ip.addr) {
        listen_input(nif, l, &s);
        return;
    }
    nif->stats.tcp_no_port++;
    tcp_reset_reply(nif, ip, th, s.seglen);
}
