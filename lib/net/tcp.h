/*
 * TCP internals (RFC 9293): the connection block and what tcp.c (table,
 * API, SYN cookies), tcp_in.c (segment arrival) and tcp_out.c (output,
 * timers) share.
 */
#ifndef NET_TCP_H
#define NET_TCP_H

#include "net_internal.h"

#define TCP_HLEN 20
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

#define MS 1000000ull /* ns */
#define TCP_RTO_INIT (1000 * MS)   /* RFC 6298 2.1 */
#define TCP_RTO_MIN (200 * MS)     /* below RFC 6298's 1 s, as Linux */
#define TCP_RTO_MAX (60000 * MS)
#define TCP_DELACK (40 * MS)       /* RFC 9293 3.8.6.3: under 500 ms */
#define TCP_MSL (30000 * MS)       /* TIME_WAIT lasts 2 MSL */
#define TCP_FIN_WAIT_2_TIMEOUT (60000 * MS) /* for closed handles */
#define TCP_SYN_RETRIES 6
#define TCP_SYNACK_RETRIES 5
#define TCP_DATA_RETRIES 15
#define TCP_DEFAULT_BUF (256 * 1024)
#define TCP_MIN_BUF 4096
#define TCP_MAX_BUF (16 * 1024 * 1024)
#define TCP_RCV_WSCALE 8           /* 16 MiB windows fit; fixed */
#define TCP_DEFAULT_BACKLOG 1024
#define TCP_MAX_CONNS 65536        /* per interface */
#define TCP_OOO_MAX_SEGS 256       /* out-of-order segments held */
#define TCP_CHALLENGE_PER_SEC 10   /* RFC 5961 challenge ACKs, per conn */
#define TCP_SACK_RANGES 8         /* SACKed ranges a sender remembers */
#define TCP_EPH_LOW 49152
#define TCP_EPH_COUNT 16384

enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* Sequence-space comparisons (RFC 9293 3.4), modulo 2^32. */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

/* A segment held out of order: [seq, seq + len), maybe with the FIN. */
struct tcp_ooo {
    struct tcp_ooo *next;
    uint32_t seq, len;
    bool fin;
    uint8_t data[];
};

/* Pending events for the application (delivered by tcp_notify). */
#define EV_ACCEPTABLE (1u << ATOLL_TCP_ACCEPTABLE)
#define EV_CONNECTED (1u << ATOLL_TCP_CONNECTED)
#define EV_READABLE (1u << ATOLL_TCP_READABLE)
#define EV_WRITABLE (1u << ATOLL_TCP_WRITABLE)
#define EV_CLOSED (1u << ATOLL_TCP_CLOSED)

struct atoll_tcp {
    struct atoll_netif *nif;
    struct atoll_tcp *hnext;  /* hash chain, or the list of listeners */
    struct atoll_tcp *anext;  /* a listener's accept queue */
    struct atoll_tcp *fnext;  /* the flush list */
    struct atoll_tcp *all_next, *all_prev; /* every block of the table */
    enum tcp_state state;
    uint32_t laddr, raddr;
    uint16_t lport, rport;

    /* Ownership: the application holds a handle (user) until it closes
     * it; the stack keeps the block while the protocol needs it. refs
     * pins the memory while stack code runs with a pointer to it; dead
     * marks a block unlinked from everything, freed at the last release. */
    bool user, dead, in_table, in_flush;
    int refs;
    struct atoll_tcp *parent; /* the listener, until accepted */
    atoll_tcp_fn fn;
    void *arg;
    unsigned events;
    struct net_waitq waitq;
    int err;
    int soft_err; /* from ICMP: reported if the connection times out */

    /* Listener. */
    int backlog;
    unsigned nsynrcvd, nacceptq;
    struct atoll_tcp *acceptq, *acceptq_tail;

    /* Sending. */
    uint32_t iss, snd_una, snd_nxt, snd_max, fin_seq;
    uint32_t snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
    uint8_t snd_wscale, rcv_wscale;
    bool ws_ok, ts_ok, sack_ok;
    bool fin_queued; /* the application shut down sending */
    bool nodelay, want_write;
    uint16_t mss;      /* payload bytes per segment, options excluded */
    uint16_t peer_mss; /* what the peer announced */
    struct bq sndq;    /* bytes from snd_una (after the SYN) on */
    size_t sndbuf;

    /* Receiving. */
    uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge offered */
    struct bq rcvq;
    size_t rcvbuf;
    struct tcp_ooo *ooo;
    size_t ooo_segs;
    bool fin_rcvd;
    uint32_t unacked_bytes; /* received since our last ACK */
    bool ack_now;

    /* RFC 7323 timestamps. */
    uint32_t ts_recent, ts_offset;
    atoll_time_t ts_recent_age;
    uint32_t last_ack_sent;

    /* Congestion control (RFC 5681, NewReno RFC 6582). */
    uint32_t cwnd, ssthresh, recover, acked_ca;
    unsigned dupacks;
    bool in_recovery;

    /* SACK (RFC 2018): what the peer reported holding above snd_una,
     * sorted, merged; rtx_next: in recovery, holes below it were resent
     * (RFC 6675's HighRxt). last_ooo: the start of the block we received
     * last, reported first. */
    struct tcp_sack_range {
        uint32_t start, end;
    } sacked[TCP_SACK_RANGES];
    unsigned nsacked;
    bool lost_mark;      /* everything un-SACKed below lost_below is lost */
    uint32_t lost_below;
    uint32_t rtx_next;
    uint32_t last_ooo;

    /* RTT and retransmission (RFC 6298), in microseconds. */
    uint32_t srtt, rttvar, rto;
    bool rtt_timing;
    bool tlp_pending, tlp_done; /* tail loss probe (RFC 8985 7) */
    atoll_time_t rtx_time;      /* when the first hole was last resent */
    uint32_t rtt_seq;
    atoll_time_t rtt_start;
    unsigned retries;
    bool probing; /* zero-window probes in progress */

    /* Keepalive. */
    bool keepalive;
    atoll_time_t keep_idle, keep_intvl;
    unsigned keep_count, keep_sent;
    atoll_time_t last_rx;

    /* RFC 5961 challenge ACK limit. */
    atoll_time_t challenge_start;
    unsigned challenge_count;

    /* One timer; each deadline is 0 when off. */
    struct atoll_timer timer;
    atoll_time_t timer_at; /* its deadline while armed */
    atoll_time_t t_rtx, t_delack, t_keep, t_close, t_rack;
};

struct tcp_table {
    struct atoll_tcp **bucket;
    size_t nbucket, count;
    struct atoll_tcp *listeners;
    struct atoll_tcp *flush;
    struct atoll_tcp *all; /* blocks not yet freed, to free with the table */
    int in_handler;        /* application handlers running */
    uint16_t eph_next;
};

/* ---- tcp.c ------------------------------------------------------------ */

/* The connection with this four-tuple, or NULL. */
struct atoll_tcp *tcp_lookup(struct atoll_netif *nif, uint32_t laddr,
                             uint16_t lport, uint32_t raddr, uint16_t rport);
struct atoll_tcp *tcp_listener(struct atoll_netif *nif, uint16_t port);
/* Count a new block (connection or listener) among the table's. */
void tcp_track(struct atoll_netif *nif, struct atoll_tcp *c);
/* A new connection block, entered in the table. */
struct atoll_tcp *tcp_new(struct atoll_netif *nif, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport);
/* Where the search for an ephemeral port starts (RFC 6056). */
uint32_t tcp_port_offset(struct atoll_netif *nif, uint32_t laddr,
                         uint32_t raddr, uint16_t rport);
/* Initial sequence number for a four-tuple (RFC 6528). */
uint32_t tcp_isn(struct atoll_netif *nif, const struct atoll_tcp *c);
/* The timestamp clock of a connection, in ms. */
uint32_t tcp_ts_now(const struct atoll_tcp *c);
uint32_t tcp_ts_offset(struct atoll_netif *nif, uint32_t laddr,
                       uint16_t lport, uint32_t raddr, uint16_t rport);

/* End the connection: state CLOSED, out of the table, timers off, queues
 * freed, err recorded and EV_CLOSED queued when the application holds it.
 * The block itself is freed once no handle or reference remains. */
void tcp_close_conn(struct atoll_tcp *c, int err);
void tcp_hold(struct atoll_tcp *c);
void tcp_release(struct atoll_tcp *c);
/* Queue events and deliver them (handler, waiting fibers). */
void tcp_event(struct atoll_tcp *c, unsigned ev);
void tcp_notify(struct atoll_tcp *c);
/* A connection of a listener finished its handshake. */
void tcp_established_child(struct atoll_tcp *c);

/* SYN cookies. */
uint32_t tcp_cookie_make(struct atoll_netif *nif, uint32_t laddr,
                         uint16_t lport, uint32_t raddr, uint16_t rport,
                         uint32_t peer_isn, uint16_t *mss);
/* The MSS the cookie encodes, or 0 if it is not one of ours. */
uint16_t tcp_cookie_check(struct atoll_netif *nif, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport,
                          uint32_t peer_isn, uint32_t cookie);

/* ---- tcp_out.c -------------------------------------------------------- */

/* Send what the windows, Nagle and pending ACKs allow. */
void tcp_output(struct atoll_tcp *c);
/* Send one segment [seq, seq + len) of the send queue with flags. */
void tcp_send_segment(struct atoll_tcp *c, uint32_t seq, uint32_t len,
                      uint8_t flags);
/* A segment without a connection: RST or SYN-ACK (cookie). */
void tcp_send_raw(struct atoll_netif *nif, uint32_t laddr, uint16_t lport,
                  uint32_t raddr, uint16_t rport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t wnd, const uint8_t *opts,
                  size_t optlen);
/* Reset in answer to a segment (RFC 9293 3.10.7.1). */
void tcp_reset_reply(struct atoll_netif *nif, const struct ip4_pkt *ip,
                     const uint8_t *th, uint32_t seglen);
/* An ACK now (or with the next flush). */
void tcp_ack_soon(struct atoll_tcp *c);
/* Output at the next flush (the end of the batch of frames). */
void tcp_want_output(struct atoll_tcp *c);
/* A challenge ACK (RFC 5961), rate limited. */
void tcp_challenge_ack(struct atoll_tcp *c);
/* New cumulative ACK: RTT sample, congestion window, timers. */
void tcp_acked(struct atoll_tcp *c, uint32_t acked);
/* Arm the retransmission timer, or a tail loss probe before it. */
void tcp_arm_rtx(struct atoll_tcp *c, atoll_time_t now);
/* Recompute the connection timer from its deadlines. */
void tcp_timer_update(struct atoll_tcp *c);
void tcp_rtt_init(struct atoll_tcp *c);
/* The window we offer now (bytes) and its field value. */
uint32_t tcp_rcv_window(struct atoll_tcp *c);
/* The application consumed received data: maybe a window update. */
void tcp_window_update(struct atoll_tcp *c);
/* Effective send MSS once options are known. */
void tcp_set_mss(struct atoll_tcp *c, size_t mtu);
static inline atoll_time_t tcp_rto_ns(const struct atoll_tcp *c)
{
    return (atoll_time_t)c->rto * 1000u;
}

/* ---- tcp_cc.c: congestion control, the only writer of cwnd/ssthresh -- */

void tcp_cc_init(struct atoll_tcp *c);
/* The handshake is done (before tcp_acked resets the retry count). */
void tcp_cc_established(struct atoll_tcp *c);
/* acked new bytes outside recovery: slow start or avoidance. */
void tcp_cc_on_ack(struct atoll_tcp *c, uint32_t acked);
void tcp_cc_on_fast_retransmit(struct atoll_tcp *c);
void tcp_cc_on_dupack_in_recovery(struct atoll_tcp *c);
void tcp_cc_on_partial_ack(struct atoll_tcp *c, uint32_t acked);
void tcp_cc_on_recovery_exit(struct atoll_tcp *c);
void tcp_cc_on_rto(struct atoll_tcp *c);
/* What the congestion window lets tcp_output have in flight. */
uint32_t tcp_cc_send_window(const struct atoll_tcp *c);

/* ---- tcp_sack.c: the SACK scoreboard and loss recovery ---------------- */

struct tcp_opts;
/* Enter the SACK blocks of a segment; forget what SND.UNA passed. */
void tcp_sack_update(struct atoll_tcp *c, const struct tcp_opts *o);
void tcp_sack_prune(struct atoll_tcp *c);
uint32_t tcp_sacked_bytes(const struct atoll_tcp *c);
/* The first SACKed range ending above seq (NULL if none). */
const struct tcp_sack_range *tcp_sack_next(const struct atoll_tcp *c,
                                           uint32_t seq);
/* Enter fast recovery (resending the first segment). */
void tcp_enter_recovery(struct atoll_tcp *c, atoll_time_t now);
/* SACK-based loss recovery (RFC 6675): send what the pipe allows. */
void tcp_sack_recovery(struct atoll_tcp *c);
/* An ACK moved SND.UNA to ack by acked bytes: recovery goes on or ends. */
void tcp_loss_on_new_ack(struct atoll_tcp *c, uint32_t ack, uint32_t acked);
/* After each acceptable ACK: whether it starts a recovery; dup: it was a
 * duplicate; probed: a tail loss probe was out before it. */
void tcp_loss_on_ack(struct atoll_tcp *c, uint32_t ack, bool dup, bool probed,
                     atoll_time_t now);
/* The retransmission timer fired for a tail loss probe (RFC 8985 7). */
void tcp_tail_loss_probe(struct atoll_tcp *c, atoll_time_t now);
/* The reordering window (t_rack) passed. */
void tcp_rack_timeout(struct atoll_tcp *c, atoll_time_t now);

/* ---- tcp_in.c --------------------------------------------------------- */

/* Parsed options of a segment. */
struct tcp_opts {
    uint16_t mss;
    int8_t wscale; /* -1 when absent */
    bool has_ts, sack_ok;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2]; /* SACK blocks: [left, right) */
};

bool tcp_parse_options(const uint8_t *o, size_t len, struct tcp_opts *opts);

static inline bool tcp_synchronized(enum tcp_state s)
{
    return s >= TCP_ESTABLISHED;
}

/* Invariants of a connection's sequence space and queues (NET_ASSERT). */
static inline void tcp_check(const struct atoll_tcp *c)
{
    if (c->state == TCP_CLOSED || c->state == TCP_LISTEN)
        return;
    NET_ASSERT(SEQ_LEQ(c->snd_una, c->snd_nxt));
    NET_ASSERT(SEQ_LEQ(c->snd_nxt, c->snd_max));
    /* In flight: queued data, and maybe the SYN and the FIN. */
    NET_ASSERT(c->snd_max - c->snd_una <= c->sndq.len + 2);
    NET_ASSERT(c->nsacked <= TCP_SACK_RANGES);
    NET_ASSERT(c->ooo_segs <= TCP_OOO_MAX_SEGS);
    NET_ASSERT(!tcp_synchronized(c->state) || c->cwnd > 0);
#ifdef NET_CHECKS
    /* The out-of-order queue: sorted, disjoint, above RCV.NXT, counted. */
    size_t n = 0;
    for (const struct tcp_ooo *o = c->ooo; o != NULL; o = o->next, n++) {
        NET_ASSERT(SEQ_GT(o->seq, c->rcv_nxt));
        NET_ASSERT(o->next == NULL ||
                   SEQ_LEQ(o->seq + o->len, o->next->seq));
    }
    NET_ASSERT(n == c->ooo_segs);
#endif
}

#endif
