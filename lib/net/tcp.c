/*
 * TCP: the connection table, the life of a connection block, initial
 * sequence numbers (RFC 6528), SYN cookies, and the application's API.
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/siphash.h"
#include "tcp.h"

/* Tags keep the keyed hashes of different purposes independent. */
enum { H_TABLE = 1, H_ISN, H_TS, H_PORT, H_COOKIE1, H_COOKIE2 };

static uint64_t hash2(struct atoll_netif *nif, uint8_t tag, uint32_t laddr,
                      uint16_t lport, uint32_t raddr, uint16_t rport,
                      uint32_t extra, uint32_t extra2)
{
    uint8_t b[21];

    b[0] = tag;
    put32(b + 1, laddr);
    put16(b + 5, lport);
    put32(b + 7, raddr);
    put16(b + 11, rport);
    put32(b + 13, extra);
    put32(b + 17, extra2);
    return atoll_siphash(nif->key, b, sizeof b);
}

static uint64_t tuple_hash(struct atoll_netif *nif, uint8_t tag,
                           uint32_t laddr, uint16_t lport, uint32_t raddr,
                           uint16_t rport, uint32_t extra)
{
    return hash2(nif, tag, laddr, lport, raddr, rport, extra, 0);
}

/* ---- the table -------------------------------------------------------- */

static size_t bucket_of(struct atoll_netif *nif, uint32_t laddr,
                        uint16_t lport, uint32_t raddr, uint16_t rport)
{
    return (size_t)tuple_hash(nif, H_TABLE, laddr, lport, raddr, rport, 0) &
           (nif->tcp->nbucket - 1);
}

struct atoll_tcp *tcp_lookup(struct atoll_netif *nif, uint32_t laddr,
                             uint16_t lport, uint32_t raddr, uint16_t rport)
{
    struct atoll_tcp *c;

    c = nif->tcp->bucket[bucket_of(nif, laddr, lport, raddr, rport)];
    for (; c != NULL; c = c->hnext)
        if (c->lport == lport && c->rport == rport && c->laddr == laddr &&
            c->raddr == raddr)
            return c;
    return NULL;
}

struct atoll_tcp *tcp_listener(struct atoll_netif *nif, uint16_t port)
{
    for (struct atoll_tcp *l = nif->tcp->listeners; l != NULL; l = l->hnext)
        if (l->lport == port)
            return l;
    return NULL;
}

static void table_insert(struct atoll_netif *nif, struct atoll_tcp *c)
{
    struct tcp_table *t = nif->tcp;
    size_t b;

    /* Keep chains short: double the buckets past two entries each. */
    if (t->count + 1 > 2 * t->nbucket) {
        size_t n = t->nbucket * 2;
        struct atoll_tcp **nb = calloc(n, sizeof *nb);

        if (nb != NULL) {
            struct atoll_tcp **old = t->bucket;
            size_t oldn = t->nbucket;

            t->bucket = nb;
            t->nbucket = n;
            for (size_t i = 0; i < oldn; i++) {
                struct atoll_tcp *e = old[i];

                while (e != NULL) {
                    struct atoll_tcp *next = e->hnext;

                    b = bucket_of(nif, e->laddr, e->lport, e->raddr,
                                  e->rport);
                    e->hnext = nb[b];
                    nb[b] = e;
                    e = next;
                }
            }
            free(old);
        }
    }
    b = bucket_of(nif, c->laddr, c->lport, c->raddr, c->rport);
    c->hnext = t->bucket[b];
    t->bucket[b] = c;
    c->in_table = true;
    t->count++;
}

static void table_remove(struct atoll_tcp *c)
{
    struct atoll_netif *nif = c->nif;
    struct atoll_tcp **pp;

    if (!c->in_table)
        return;
    pp = &nif->tcp->bucket[bucket_of(nif, c->laddr, c->lport, c->raddr,
                                     c->rport)];
    for (; *pp != NULL; pp = &(*pp)->hnext) {
        if (*pp == c) {
            *pp = c->hnext;
            break;
        }
    }
    c->hnext = NULL;
    c->in_table = false;
    nif->tcp->count--;
}

static void flush_remove(struct atoll_tcp *c)
{
    struct atoll_tcp **pp;

    if (!c->in_flush)
        return;
    for (pp = &c->nif->tcp->flush; *pp != NULL; pp = &(*pp)->fnext) {
        if (*pp == c) {
            *pp = c->fnext;
            break;
        }
    }
    c->fnext = NULL;
    c->in_flush = false;
}

int tcp_init(struct atoll_netif *nif)
{
    struct tcp_table *t = calloc(1, sizeof *t);

    if (t == NULL)
        return ATOLL_ERR_NOMEM;
    t->nbucket = 64;
    t->bucket = calloc(t->nbucket, sizeof *t->bucket);
    if (t->bucket == NULL) {
        free(t);
        return ATOLL_ERR_NOMEM;
    }
    t->eph_next = (uint16_t)net_random(nif);
    nif->tcp = t;
    return 0;
}

/* ---- connection blocks ------------------------------------------------ */

uint32_t tcp_ts_offset(struct atoll_netif *nif, uint32_t laddr,
                       uint16_t lport, uint32_t raddr, uint16_t rport)
{
    return (uint32_t)tuple_hash(nif, H_TS, laddr, lport, raddr, rport, 0);
}

uint32_t tcp_ts_now(const struct atoll_tcp *c)
{
    return (uint32_t)(net_now() / MS) + c->ts_offset;
}

uint32_t tcp_port_offset(struct atoll_netif *nif, uint32_t laddr,
                         uint32_t raddr, uint16_t rport)
{
    return (uint32_t)tuple_hash(nif, H_PORT, laddr, 0, raddr, rport, 0);
}

/* RFC 6528: a 4-microsecond clock plus a keyed hash of the four-tuple. */
uint32_t tcp_isn(struct atoll_netif *nif, const struct atoll_tcp *c)
{
    return (uint32_t)(net_now() / 4000) +
           (uint32_t)tuple_hash(nif, H_ISN, c->laddr, c->lport, c->raddr,
                                c->rport, 0);
}

void tcp_track(struct atoll_netif *nif, struct atoll_tcp *c)
{
    struct tcp_table *t = nif->tcp;

    c->all_prev = NULL;
    c->all_next = t->all;
    if (t->all != NULL)
        t->all->all_prev = c;
    t->all = c;
}

static void untrack(struct atoll_tcp *c)
{
    if (c->all_prev != NULL)
        c->all_prev->all_next = c->all_next;
    else
        c->nif->tcp->all = c->all_next;
    if (c->all_next != NULL)
        c->all_next->all_prev = c->all_prev;
}

struct atoll_tcp *tcp_new(struct atoll_netif *nif, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport)
{
    struct atoll_tcp *c;

    if (nif->tcp->count >= TCP_MAX_CONNS) {
        nif->stats.tcp_conn_limit++;
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->nif = nif;
    c->laddr = laddr;
    c->lport = lport;
    c->raddr = raddr;
    c->rport = rport;
    c->rcvbuf = c->sndbuf = TCP_DEFAULT_BUF;
    c->ts_offset = tcp_ts_offset(nif, laddr, lport, raddr, rport);
    atoll_timer_init(&c->timer);
    tcp_rtt_init(c);
    table_insert(nif, c);
    tcp_track(nif, c);
    return c;
}

static void free_ooo(struct atoll_tcp *c)
{
    while (c->ooo != NULL) {
        struct tcp_ooo *o = c->ooo;

        c->ooo = o->next;
        free(o);
    }
    c->ooo_segs = 0;
}

static void maybe_free(struct atoll_tcp *c)
{
    if (c->user || c->refs > 0 || c->parent != NULL ||
        c->state != TCP_CLOSED || c->in_table)
        return;
    untrack(c);
    bq_free(&c->rcvq);
    bq_free(&c->sndq);
    free(c);
}

void tcp_hold(struct atoll_tcp *c)
{
    c->refs++;
}

void tcp_release(struct atoll_tcp *c)
{
    c->refs--;
    maybe_free(c);
}

/* Take a connection off its listener's books (it is not accepted yet). */
static void detach_from_parent(struct atoll_tcp *c)
{
    struct atoll_tcp *l = c->parent, **pp;

    if (l == NULL)
        return;
    if (c->state == TCP_SYN_RECEIVED) {
        l->nsynrcvd--;
    } else {
        for (pp = &l->acceptq; *pp != NULL; pp = &(*pp)->anext) {
            if (*pp == c) {
                *pp = c->anext;
                break;
            }
        }
        l->acceptq_tail = NULL;
        for (struct atoll_tcp *e = l->acceptq; e != NULL; e = e->anext)
            l->acceptq_tail = e;
        l->nacceptq--;
    }
    c->anext = NULL;
    c->parent = NULL;
}

void tcp_close_conn(struct atoll_tcp *c, int err)
{
    if (c->state == TCP_CLOSED && !c->in_table)
        return;
    NET_DEBUG("tcp: %u -> %u.%u.%u.%u:%u closed%s%s", c->lport,
              c->raddr >> 24, c->raddr >> 16 & 0xff, c->raddr >> 8 & 0xff,
              c->raddr & 0xff, c->rport, err ? ": " : "",
              err ? atoll_strerror(err) : "");
    detach_from_parent(c);
    table_remove(c);
    flush_remove(c);
    atoll_timer_cancel(&c->timer);
    c->t_rtx = c->t_delack = c->t_keep = c->t_close = c->t_rack = 0;
    c->state = TCP_CLOSED;
    free_ooo(c);
    bq_free(&c->sndq);
    if (err != 0) {
        bq_free(&c->rcvq); /* a reset loses what was not read */
        if (c->err == 0)
            c->err = err;
    }
    if (c->user)
        tcp_event(c, EV_CLOSED);
    maybe_free(c);
}

void tcp_event(struct atoll_tcp *c, unsigned ev)
{
    c->events |= ev;
}

void tcp_notify(struct atoll_tcp *c)
{
    static const enum atoll_tcp_event order[] = {
        ATOLL_TCP_ACCEPTABLE, ATOLL_TCP_CONNECTED, ATOLL_TCP_READABLE,
        ATOLL_TCP_WRITABLE, ATOLL_TCP_CLOSED,
    };
    bool any = c->events != 0;

    if (!any)
        return;
    tcp_hold(c);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        unsigned bit = 1u << order[i];

        if ((c->events & bit) == 0)
            continue;
        c->events &= ~bit;
        if (c->user && c->fn != NULL) {
            struct tcp_table *t = c->nif->tcp;

            t->in_handler++;
            c->fn(c, order[i], c->arg);
            t->in_handler--;
        }
    }
    c->events = 0;
    net_wake_all(&c->waitq);
    tcp_release(c);
}

void tcp_established_child(struct atoll_tcp *c)
{
    struct atoll_tcp *l = c->parent;

    l->nsynrcvd--;
    l->nacceptq++;
    c->anext = NULL;
    if (l->acceptq_tail != NULL)
        l->acceptq_tail->anext = c;
    else
        l->acceptq = c;
    l->acceptq_tail = c;
    tcp_event(l, EV_ACCEPTABLE);
}

void tcp_destroy(struct atoll_netif *nif)
{
    struct tcp_table *t = nif->tcp;

    if (t == NULL)
        return;
    /* Every block goes, the application's handles too. */
    while (t->all != NULL) {
        struct atoll_tcp *c = t->all;

        t->all = c->all_next;
        atoll_timer_cancel(&c->timer);
        free_ooo(c);
        bq_free(&c->rcvq);
        bq_free(&c->sndq);
        free(c);
    }
    free(t->bucket);
    free(t);
    nif->tcp = NULL;
}

void tcp_flush(struct atoll_netif *nif)
{
    struct tcp_table *t = nif->tcp;

    while (t->flush != NULL) {
        struct atoll_tcp *c = t->flush;

        t->flush = c->fnext;
        c->fnext = NULL;
        c->in_flush = false;
        tcp_hold(c);
        tcp_output(c);
        tcp_notify(c);
        tcp_release(c);
    }
}

void tcp_addr_changed(struct atoll_netif *nif, uint32_t old)
{
    struct tcp_table *t = nif->tcp;

    if (old == 0)
        return;
    for (size_t i = 0; i < t->nbucket; i++) {
        struct atoll_tcp *c = t->bucket[i];

        while (c != NULL) {
            struct atoll_tcp *next = c->hnext;

            if (c->laddr == old) {
                tcp_hold(c);
                tcp_close_conn(c, ATOLL_ERR_NETUNREACH);
                tcp_notify(c);
                tcp_release(c);
            }
            c = next;
        }
    }
}

/* ---- SYN cookies ------------------------------------------------------ */

/*
 * When a listener's backlog is full, its SYN-ACKs carry a cookie instead
 * of creating state (in the spirit of D. J. Bernstein's SYN cookies, with
 * our own layout). The ISN we send is
 *
 *   H1(tuple) + peer_isn + (count << 24) +
 *       ((H2(tuple, count, peer_isn) + m) mod 2^24)
 *
 * count: a 64-second clock (8 bits kept); m: an index into mss_table.
 * An ACK of cookie + 1 less than three counts old rebuilds the
 * connection. Window scaling travels in our timestamp (see tcp_in.c).
 */
static const uint16_t mss_table[] = {536, 1200, 1360, 1440, 1452, 1460,
                                     4036, 8960};
#define COOKIE_PERIOD (64000 * MS)
#define COOKIE_MAX_AGE 2

uint32_t tcp_cookie_make(struct atoll_netif *nif, uint32_t laddr,
                         uint16_t lport, uint32_t raddr, uint16_t rport,
                         uint32_t peer_isn, uint16_t *mss)
{
    uint32_t count = (uint32_t)(net_now() / COOKIE_PERIOD);
    uint32_t m = 0;

    for (uint32_t i = 0; i < sizeof mss_table / sizeof mss_table[0]; i++)
        if (mss_table[i] <= *mss)
            m = i;
    *mss = mss_table[m];
    return (uint32_t)tuple_hash(nif, H_COOKIE1, laddr, lport, raddr, rport,
                                0) +
           peer_isn + (count << 24) +
           (((uint32_t)hash2(nif, H_COOKIE2, laddr, lport, raddr, rport,
                             count, peer_isn) +
             m) &
            0xffffff);
}

uint16_t tcp_cookie_check(struct atoll_netif *nif, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport,
                          uint32_t peer_isn, uint32_t cookie)
{
    uint32_t now = (uint32_t)(net_now() / COOKIE_PERIOD);
    uint32_t v = cookie - peer_isn -
                 (uint32_t)tuple_hash(nif, H_COOKIE1, laddr, lport, raddr,
                                      rport, 0);
    uint32_t age = (now - (v >> 24)) & 0xff, count = now - age, m;

    if (age > COOKIE_MAX_AGE)
        return 0;
    m = (v - (uint32_t)hash2(nif, H_COOKIE2, laddr, lport, raddr, rport,
                             count, peer_isn)) &
        0xffffff;
    if (m >= sizeof mss_table / sizeof mss_table[0])
        return 0;
    return mss_table[m];
}

/* ---- ICMP errors about our segments ----------------------------------- */

/*
 * q is the quoted IPv4 header (checked by ICMP: at least its header and 8
 * bytes of ours). Following RFC 5927, an error counts only if the quoted
 * sequence number is one we have in flight: a blind attacker cannot guess
 * it. "Fragmentation needed" lowers the MSS (path MTU discovery, RFC
 * 1191; next-hop MTUs below 552 are ignored, as Linux does); port and
 * protocol unreachable end a connection attempt; the others are soft
 * errors, reported if the attempt later times out.
 */
void tcp_icmp_error(struct atoll_netif *nif, uint8_t type, uint8_t code,
                    const uint8_t *q, size_t len, uint32_t mtu)
{
    size_t qh = ip4_hlen(q);
    const uint8_t *th = q + qh;
    struct atoll_tcp *c;
    uint32_t seq;

    (void)len;
    c = tcp_lookup(nif, get32(q + IP4_SRC), get16(th + TCP_SPORT),
                   get32(q + IP4_DST), get16(th + TCP_DPORT));
    seq = get32(th + TCP_SEQ);
    if (c == NULL || SEQ_LT(seq, c->snd_una) || SEQ_GEQ(seq, c->snd_max)) {
        nif->stats.icmp_other++;
        return;
    }
    tcp_hold(c);
    if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG) {
        if (mtu >= 552 && mtu < nif->mtu && mtu - 40 < c->mss + 12u) {
            tcp_set_mss(c, mtu);
            c->snd_nxt = c->snd_una; /* resend in smaller pieces */
            tcp_output(c);
        }
    } else if (type == ICMP_UNREACH && c->state == TCP_SYN_SENT &&
               (code == ICMP_UNREACH_PORT || code == ICMP_UNREACH_PROTO)) {
        tcp_close_conn(c, ATOLL_ERR_CONNREFUSED);
    } else if (type == ICMP_UNREACH) {
        c->soft_err = ATOLL_ERR_HOSTUNREACH;
    }
    tcp_notify(c);
    tcp_release(c);
}
