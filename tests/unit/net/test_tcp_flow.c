/*
 * TCP between two interfaces joined by a simulated wire: the life of a
 * connection, bulk transfers with and without loss, fast retransmit,
 * retransmission timeouts, zero windows, keepalive, Nagle and delayed
 * ACKs, many connections, simultaneous and half closes, resets on close,
 * SYN cookies end to end, TIME-WAIT, handlers that close what they are
 * called for.
 */
#include "frames.h"

#define PORT 7

struct pair {
    struct t_dev *a, *b;
    struct atoll_tcp *l, *c, *s; /* listener on b; a's client; b's side */
};

static const char *connect_pair(struct pair *p, int backlog)
{
    p->a = t_dev_new(2, true, false);
    p->b = t_dev_new(3, true, false);
    T_ASSERT(atoll_tcp_listen(p->b->nif, PORT, backlog, &p->l) == 0);
    T_ASSERT(atoll_tcp_connect(p->a->nif, T_IP(3), PORT, &p->c) == 0);
    t_run(p->a, p->b, 5 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_is_connected(p->c));
    T_ASSERT(atoll_tcp_try_accept(p->l, &p->s) == 0);
    return NULL;
}

static uint8_t pattern(size_t i, unsigned seed)
{
    return (uint8_t)(((uint32_t)i * 2654435761u) >> 13 ^ seed);
}

/* Random loss of IPv4 frames, pct percent each way. */
struct loss {
    uint64_t x;
    unsigned pct;
    struct t_dev *only; /* if set, only frames from it */
};

static bool random_loss(struct t_dev *from, const struct t_frame *f,
                        void *arg)
{
    struct loss *l = arg;

    if (get16(f->data + 12) != ETH_TYPE_IP4)
        return false;
    if (l->only != NULL && from != l->only)
        return false;
    l->x = l->x * 6364136223846793005ull + 1442695040888963407ull;
    return (l->x >> 33) % 100 < l->pct;
}

/* Stream n bytes each way that has a sender (NULL: none) and check them,
 * within limit of simulated time. */
struct stream {
    struct atoll_tcp *snd, *rcv;
    size_t n, sent, got;
    unsigned seed;
};

static const char *pump_streams(struct pair *p, struct stream *st, int k,
                                t_loss_fn loss, void *arg,
                                atoll_time_t limit)
{
    static uint8_t buf[65536];
    atoll_time_t end = t_now + limit;

    for (;;) {
        bool done = true;

        for (int i = 0; i < k; i++) {
            struct stream *s = &st[i];

            while (s->sent < s->n) {
                size_t m = s->n - s->sent < sizeof buf ? s->n - s->sent
                                                       : sizeof buf;
                for (size_t j = 0; j < m; j++)
                    buf[j] = pattern(s->sent + j, s->seed);
                long r = atoll_tcp_send(s->snd, buf, m);
                if (r <= 0)
                    break;
                s->sent += (size_t)r;
            }
            long r;
            while ((r = atoll_tcp_recv(s->rcv, buf, sizeof buf)) > 0) {
                for (long j = 0; j < r; j++)
                    if (buf[j] != pattern(s->got + (size_t)j, s->seed))
                        T_FAILF("stream %d: byte %zu differs", i,
                                s->got + (size_t)j);
                s->got += (size_t)r;
            }
            if (r < 0 && r != ATOLL_ERR_AGAIN && getenv("TEST_LOG")) {
                const char *names[] = {"tcp_paws_dropped", "tcp_out_of_window",
                    "tcp_bad_ack", "tcp_challenge_acks", "tcp_ooo_dropped", "tcp_rx", "tcp_checksum", "tcp_bad_option"};
                for (size_t q = 0; q < 8; q++)
                    printf("# %s a %llu b %llu\n", names[q], (unsigned long long)t_stat(p->a, names[q]), (unsigned long long)t_stat(p->b, names[q]));
            }
            if (r < 0 && r != ATOLL_ERR_AGAIN)
                T_FAILF("stream %d: %s", i, atoll_strerror((int)r));
            if (s->got < s->n)
                done = false;
        }
        if (done)
            return NULL;
        if (t_now >= end || (st[0].rcv != NULL && atoll_tcp_error(st[0].rcv)))
            if (getenv("TEST_LOG")) {
                const char *names[] = {"tcp_paws_dropped", "tcp_out_of_window",
                    "tcp_bad_ack", "tcp_challenge_acks", "tcp_ooo_dropped", "tcp_rx", "tcp_checksum", "tcp_bad_option"};
                for (size_t q = 0; q < 8; q++)
                    printf("# %s a %llu b %llu\n", names[q], (unsigned long long)t_stat(p->a, names[q]), (unsigned long long)t_stat(p->b, names[q]));
            }
        if (t_now >= end)
            T_FAILF("streams incomplete after %llu ms (got %zu of %zu)",
                    (unsigned long long)(limit / MS), st[0].got, st[0].n);
        t_run(p->a, p->b, MS, MS, loss, arg);
    }
}

static unsigned events_seen;
static void record(struct atoll_tcp *t, enum atoll_tcp_event ev, void *arg)
{
    (void)t;
    (void)arg;
    events_seen |= 1u << ev;
}

static const char *lifecycle(void)
{
    struct pair p;
    char buf[16];

    T_CHECK(connect_pair(&p, 0));
    atoll_ip4_t la, ra;
    uint16_t lp, rp;
    atoll_tcp_endpoints(p.s, &la, &lp, &ra, &rp);
    T_ASSERT(la == T_IP(3) && lp == PORT && ra == T_IP(2) && rp >= 49152);
    atoll_tcp_endpoints(p.c, &la, &lp, &ra, &rp);
    T_ASSERT(la == T_IP(2) && rp == PORT && ra == T_IP(3));
    events_seen = 0;
    atoll_tcp_set_handler(p.s, record, NULL);
    T_ASSERT(atoll_tcp_send(p.c, "ping", 4) == 4);
    t_run(p.a, p.b, 50 * MS, MS, NULL, NULL);
    T_ASSERT(events_seen == 1u << ATOLL_TCP_READABLE);
    const void *data;
    T_ASSERT(atoll_tcp_peek(p.s, &data) == 4 && memcmp(data, "ping", 4) == 0);
    atoll_tcp_consume(p.s, 4);
    T_ASSERT(atoll_tcp_recv(p.s, buf, sizeof buf) == ATOLL_ERR_AGAIN);
    /* The client closes: FIN-WAIT-2 / CLOSE-WAIT, then end of stream. */
    T_ASSERT(atoll_tcp_shutdown(p.c) == 0);
    T_ASSERT(atoll_tcp_send(p.c, "x", 1) == ATOLL_ERR_PIPE);
    t_run(p.a, p.b, 50 * MS, MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "FIN-WAIT-2") == 0);
    T_ASSERT(strcmp(atoll_tcp_state(p.s), "CLOSE-WAIT") == 0);
    T_ASSERT(atoll_tcp_recv(p.s, buf, sizeof buf) == 0);
    /* The server still sends (half close), then closes. */
    T_ASSERT(atoll_tcp_send(p.s, "pong", 4) == 4);
    T_ASSERT(atoll_tcp_shutdown(p.s) == 0);
    T_ASSERT(strcmp(atoll_tcp_state(p.s), "LAST-ACK") == 0);
    events_seen = 0;
    t_run(p.a, p.b, 50 * MS, MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.s), "CLOSED") == 0);
    T_ASSERT((events_seen & (1u << ATOLL_TCP_CLOSED)) != 0);
    T_ASSERT(atoll_tcp_error(p.s) == 0);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "TIME-WAIT") == 0);
    T_ASSERT(atoll_tcp_recv(p.c, buf, sizeof buf) == 4 &&
             memcmp(buf, "pong", 4) == 0);
    T_ASSERT(atoll_tcp_recv(p.c, buf, sizeof buf) == 0);
    /* TIME-WAIT lasts two MSL. */
    t_run(p.a, p.b, 2 * TCP_MSL - 100 * MS, 100 * MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "TIME-WAIT") == 0);
    t_run(p.a, p.b, 200 * MS, 100 * MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "CLOSED") == 0);
    atoll_tcp_close(p.c);
    atoll_tcp_close(p.s);
    T_ASSERT(p.a->nif->tcp->count == 0 && p.b->nif->tcp->count == 0);
    atoll_tcp_close(p.l);
    return NULL;
}

static const char *bulk(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    struct stream st = {p.c, p.s, 4 << 20, 0, 0, 1};
    T_CHECK(pump_streams(&p, &st, 1, NULL, NULL, 2000 * MS));
    /* Window scaling carried windows past 64 KiB; nothing was lost. */
    T_ASSERT(p.c->max_snd_wnd > 65535 && p.c->ws_ok && p.c->ts_ok);
    T_ASSERT(t_stat(p.a, "tcp_retransmits") == 0);
    return NULL;
}

static const char *duplex_with_loss(void)
{
    struct pair p;
    struct loss loss = {42, 5, NULL};

    T_CHECK(connect_pair(&p, 0));
    struct stream st[2] = {{p.c, p.s, 1 << 20, 0, 0, 2},
                           {p.s, p.c, 1 << 20, 0, 0, 3}};
    atoll_time_t t0 = t_now;
    T_CHECK(pump_streams(&p, st, 2, random_loss, &loss, 600000 * MS));
    if (getenv("TEST_LOG"))
        printf("# %llu ms; a: rto %llu fast %llu rtx %llu; b: rto %llu fast "
               "%llu rtx %llu\n", (unsigned long long)((t_now - t0) / MS),
               (unsigned long long)t_stat(p.a, "tcp_rto"),
               (unsigned long long)t_stat(p.a, "tcp_fast_retransmits"),
               (unsigned long long)t_stat(p.a, "tcp_retransmits"),
               (unsigned long long)t_stat(p.b, "tcp_rto"),
               (unsigned long long)t_stat(p.b, "tcp_fast_retransmits"),
               (unsigned long long)t_stat(p.b, "tcp_retransmits"));
    T_ASSERT(t_stat(p.a, "tcp_retransmits") > 0 &&
             t_stat(p.b, "tcp_retransmits") > 0);
    T_ASSERT(t_stat(p.a, "tcp_fast_retransmits") > 0);
    /* Closing over the lossy wire still works. */
    atoll_tcp_close(p.c);
    atoll_tcp_close(p.s);
    t_run(p.a, p.b, 200000 * MS, 10 * MS, random_loss, &loss);
    T_ASSERT(p.a->nif->tcp->count == 0 && p.b->nif->tcp->count == 0);
    return NULL;
}

/* Drop the n-th frame from `from` that carries TCP data. */
struct nth {
    struct t_dev *from;
    int n, seen;
};

static bool drop_nth(struct t_dev *from, const struct t_frame *f, void *arg)
{
    struct nth *d = arg;
    struct t_pkt pk;

    if (from != d->from || t_parse(f, &pk) != NULL ||
        pk.proto != IP_PROTO_TCP ||
        pk.l4len <= (size_t)(pk.l4[12] >> 4) * 4)
        return false;
    return ++d->seen == d->n;
}

static const char *one_loss_fast_retransmit(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    struct nth drop = {p.a, 10, 0};
    struct stream st = {p.c, p.s, 300000, 0, 0, 4};
    T_CHECK(pump_streams(&p, &st, 1, drop_nth, &drop, 1000 * MS));
    T_ASSERT(t_stat(p.a, "tcp_fast_retransmits") == 1);
    T_ASSERT(t_stat(p.a, "tcp_rto") == 0);
    if (t_stat(p.a, "tcp_retransmits") != 1)
        T_FAILF("%llu retransmissions, %llu probes",
                (unsigned long long)t_stat(p.a, "tcp_retransmits"),
                (unsigned long long)t_stat(p.a, "tcp_loss_probes"));
    T_ASSERT(!p.c->in_recovery && p.c->ssthresh < (64u << 20));
    return NULL;
}

static bool drop_from(struct t_dev *from, const struct t_frame *f, void *arg)
{
    (void)f;
    return from == arg;
}

/* Times at which `a` sent TCP data. */
static atoll_time_t sends[64];
static int nsends;
static bool log_data(struct t_dev *from, const struct t_frame *f, void *arg)
{
    struct t_pkt pk;
    struct pair *p = arg;

    if (from == p->a && t_parse(f, &pk) == NULL &&
        pk.proto == IP_PROTO_TCP &&
        pk.l4len > (size_t)(pk.l4[12] >> 4) * 4 && nsends < 64)
        sends[nsends++] = t_now;
    /* b's TCP is gone (ARP still answers). */
    return from == p->b && get16(f->data + 12) == ETH_TYPE_IP4;
}

static const char *retransmission_timeout(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    events_seen = 0;
    atoll_tcp_set_handler(p.c, record, NULL);
    T_ASSERT(atoll_tcp_send(p.c, "hello?", 6) == 6);
    nsends = 0;
    t_run(p.a, p.b, 30 * 60000 * MS, 10 * MS, log_data, &p);
    T_ASSERT(atoll_tcp_error(p.c) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT((events_seen & (1u << ATOLL_TCP_CLOSED)) != 0);
    if (getenv("TEST_LOG"))
        for (int i = 0; i < nsends; i++)
            printf("# send %d at %llu ms\n", i,
                   (unsigned long long)((sends[i] - sends[0]) / MS));
    T_ASSERT(nsends == TCP_DATA_RETRIES + 1);
    /* The gaps double from the RTO (200 ms on this fast wire) up to the
     * 60 s cap. */
    atoll_time_t want = TCP_RTO_MIN;
    for (int i = 1; i < nsends; i++) {
        atoll_time_t gap = sends[i] - sends[i - 1];
        if (gap + 20 * MS < want || gap > want + 20 * MS)
            T_FAILF("retransmission %d after %llu ms, want %llu", i,
                    (unsigned long long)(gap / MS),
                    (unsigned long long)(want / MS));
        want = want * 2 > TCP_RTO_MAX ? TCP_RTO_MAX : want * 2;
    }
    T_ASSERT(t_stat(p.a, "tcp_rto") == TCP_DATA_RETRIES);
    atoll_tcp_close(p.c);
    return NULL;
}

static const char *zero_window(void)
{
    struct pair p;

    p.a = t_dev_new(2, true, false);
    p.b = t_dev_new(3, true, false);
    T_ASSERT(atoll_tcp_listen(p.b->nif, PORT, 0, &p.l) == 0);
    T_ASSERT(atoll_tcp_set_buffers(p.l, 8192, 8192) == 0);
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &p.c) == 0);
    t_run(p.a, p.b, 5 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_try_accept(p.l, &p.s) == 0);
    T_ASSERT(p.s->rcvbuf == 8192);
    static uint8_t data[100000];
    size_t sent = 0;
    /* Nobody reads for a minute: the sender probes and waits. */
    for (int i = 0; i < 600; i++) {
        long r = atoll_tcp_send(p.c, data + sent, sizeof data - sent);
        if (r > 0)
            sent += (size_t)r;
        t_run(p.a, p.b, 100 * MS, 10 * MS, NULL, NULL);
    }
    if (getenv("TEST_LOG"))
        printf("# snd_wnd %u rcvq %zu adv %u sent %zu una %u max %u\n",
               p.c->snd_wnd, p.s->rcvq.len, p.s->rcv_adv - p.s->rcv_nxt,
               sent, p.c->snd_una - p.c->iss, p.c->snd_max - p.c->iss);
    T_ASSERT(p.c->snd_wnd == 0 && atoll_tcp_is_connected(p.c));
    T_ASSERT(t_stat(p.a, "tcp_zero_window_probes") >= 5);
    T_ASSERT(p.s->rcvq.len <= 8192 + 256);
    /* Reading restarts the flow. */
    struct stream st = {NULL, p.s, 0, 0, 0, 0};
    size_t got = 0;
    uint8_t buf[4096];
    for (int i = 0; i < 2000 && got < sizeof data; i++) {
        long r;
        while ((r = atoll_tcp_recv(p.s, buf, sizeof buf)) > 0)
            got += (size_t)r;
        r = atoll_tcp_send(p.c, data + sent, sizeof data - sent);
        if (r > 0)
            sent += (size_t)r;
        t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    }
    (void)st;
    T_ASSERT(got == sizeof data);
    return NULL;
}

static const char *keepalive(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    atoll_tcp_set_keepalive(p.c, true, 10000 * MS, 1000 * MS, 3);
    /* A live peer answers: a minute later still connected. */
    t_run(p.a, p.b, 60000 * MS, 100 * MS, NULL, NULL);
    T_ASSERT(atoll_tcp_is_connected(p.c));
    T_ASSERT(t_stat(p.b, "tcp_rx") >= 5);
    /* A dead one: idle, then three probes a second apart. */
    atoll_time_t start = t_now;
    while (atoll_tcp_error(p.c) == 0 && t_now - start < 60000 * MS)
        t_run(p.a, p.b, 100 * MS, 100 * MS, drop_from, p.b);
    T_ASSERT(atoll_tcp_error(p.c) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT(t_now - start <= 14000 * MS && t_now - start >= 12000 * MS);
    T_ASSERT(t_stat(p.a, "tcp_keepalive_drops") == 1);
    atoll_tcp_close(p.c);
    return NULL;
}

static int data_frames(struct t_dev *d)
{
    int n = 0;

    for (struct t_frame *f = d->head; f != NULL; f = f->next) {
        struct t_pkt pk;
        if (t_parse(f, &pk) == NULL && pk.proto == IP_PROTO_TCP &&
            pk.l4len > (size_t)(pk.l4[12] >> 4) * 4)
            n++;
    }
    return n;
}

static const char *nagle_and_delayed_ack(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    /* Nagle: a second small write waits for the first one's ACK. */
    T_ASSERT(atoll_tcp_send(p.c, "a", 1) == 1);
    T_ASSERT(atoll_tcp_send(p.c, "b", 1) == 1);
    T_ASSERT(data_frames(p.a) == 1);
    t_pump(p.a, p.b, NULL, NULL);
    /* The receiver delays its ACK... */
    T_ASSERT(p.b->count == 0 && p.a->count == 0);
    t_run(p.a, p.b, TCP_DELACK - MS, MS, NULL, NULL);
    T_ASSERT(p.s->rcvq.len == 1);
    /* ...until the delayed-ACK timer; then "b" leaves. */
    t_run(p.a, p.b, 2 * MS, MS, NULL, NULL);
    T_ASSERT(p.s->rcvq.len == 2);
    /* With nodelay both go at once. */
    atoll_tcp_set_nodelay(p.c, true);
    t_run(p.a, p.b, 100 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_send(p.c, "c", 1) == 1);
    T_ASSERT(atoll_tcp_send(p.c, "d", 1) == 1);
    T_ASSERT(data_frames(p.a) == 2);
    /* Two full segments are ACKed at once. */
    t_run(p.a, p.b, 100 * MS, MS, NULL, NULL);
    static uint8_t big[2 * 1448];
    T_ASSERT(atoll_tcp_send(p.c, big, sizeof big) == sizeof big);
    T_ASSERT(data_frames(p.a) == 2);
    t_pump(p.a, p.b, NULL, NULL);
    T_ASSERT(p.c->snd_una == p.c->snd_max);
    return NULL;
}

/* The callback API: echo everything, close at end of stream. */
static void echo_handler(struct atoll_tcp *t, enum atoll_tcp_event ev,
                         void *arg)
{
    const void *d;
    long n;

    (void)arg;
    if (ev == ATOLL_TCP_CLOSED) {
        atoll_tcp_close(t);
        return;
    }
    while ((n = atoll_tcp_peek(t, &d)) > 0) {
        long w = atoll_tcp_send(t, d, (size_t)n);
        if (w <= 0)
            return;
        atoll_tcp_consume(t, (size_t)w);
    }
    if (n == 0)
        atoll_tcp_close(t);
}

static void accept_handler(struct atoll_tcp *l, enum atoll_tcp_event ev,
                           void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0)
        atoll_tcp_set_handler(c, echo_handler, NULL);
}

static const char *many_connections(void)
{
    enum { N = 2000 };
    static struct atoll_tcp *cs[N];
    static size_t got[N];
    struct t_dev *a = t_dev_new(2, true, false), *b = t_dev_new(3, true, false);
    struct atoll_tcp *l;

    T_ASSERT(atoll_tcp_listen(b->nif, PORT, 4096, &l) == 0);
    atoll_tcp_set_handler(l, accept_handler, NULL);
    for (int i = 0; i < N; i++) {
        T_ASSERT(atoll_tcp_connect(a->nif, T_IP(3), PORT, &cs[i]) == 0);
        got[i] = 0;
    }
    /* Most SYNs wait for ARP and some of them do not fit its queue:
     * those are sent again a second later. */
    t_run(a, b, 3500 * MS, MS, NULL, NULL);
    if (b->nif->tcp->count != N || a->nif->tcp->count != N)
        T_FAILF("%zu and %zu connections, cookies %llu (%u %u)", a->nif->tcp->count,
                b->nif->tcp->count,
                (unsigned long long)t_stat(b, "tcp_syn_cookies_tx"), l->nsynrcvd, l->nacceptq);
    for (int i = 0; i < N; i++) {
        uint8_t m[100];
        for (int j = 0; j < 100; j++)
            m[j] = pattern((size_t)j, (unsigned)i);
        T_ASSERT(atoll_tcp_send(cs[i], m, sizeof m) == sizeof m);
        T_ASSERT(atoll_tcp_shutdown(cs[i]) == 0);
    }
    for (int round = 0; round < 100; round++) {
        t_run(a, b, 10 * MS, MS, NULL, NULL);
        for (int i = 0; i < N; i++) {
            uint8_t m[200];
            long r;
            while ((r = atoll_tcp_recv(cs[i], m, sizeof m)) > 0) {
                for (long j = 0; j < r; j++)
                    T_ASSERT(m[j] == pattern(got[i] + (size_t)j,
                                             (unsigned)i));
                got[i] += (size_t)r;
            }
        }
    }
    for (int i = 0; i < N; i++) {
        if (got[i] != 100)
            T_FAILF("connection %d echoed %zu bytes", i, got[i]);
        atoll_tcp_close(cs[i]);
    }
    T_ASSERT(b->nif->tcp->count == 0); /* closed by the server's side */
    t_run(a, b, 2 * TCP_MSL + 1000 * MS, 1000 * MS, NULL, NULL);
    T_ASSERT(a->nif->tcp->count == 0);
    atoll_tcp_close(l);
    return NULL;
}

static const char *simultaneous_close(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    T_ASSERT(atoll_tcp_shutdown(p.c) == 0);
    T_ASSERT(atoll_tcp_shutdown(p.s) == 0);
    /* The FINs cross on the wire. */
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "TIME-WAIT") == 0);
    T_ASSERT(strcmp(atoll_tcp_state(p.s), "TIME-WAIT") == 0);
    atoll_tcp_close(p.c);
    atoll_tcp_close(p.s);
    t_run(p.a, p.b, 2 * TCP_MSL + 10 * MS, 1000 * MS, NULL, NULL);
    T_ASSERT(p.a->nif->tcp->count == 0 && p.b->nif->tcp->count == 0);
    return NULL;
}

static const char *close_with_unread_data_resets(void)
{
    struct pair p;

    T_CHECK(connect_pair(&p, 0));
    T_ASSERT(atoll_tcp_send(p.c, "unread", 6) == 6);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    atoll_tcp_close(p.s);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_error(p.c) == ATOLL_ERR_CONNRESET);
    atoll_tcp_close(p.c);
    /* Data arriving after a close resets as well. */
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &p.c) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_try_accept(p.l, &p.s) == 0);
    atoll_tcp_close(p.s); /* FIN sent, handle gone */
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_send(p.c, "late", 4) == 4);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_error(p.c) == ATOLL_ERR_CONNRESET);
    atoll_tcp_close(p.c);
    return NULL;
}

static const char *listener_close_resets_pending(void)
{
    struct pair p;
    struct atoll_tcp *c2;

    T_CHECK(connect_pair(&p, 0));
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &c2) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_is_connected(c2) && p.l->nacceptq == 1);
    atoll_tcp_close(p.l);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_error(c2) == ATOLL_ERR_CONNRESET);
    /* The accepted connection lives on. */
    T_ASSERT(atoll_tcp_is_connected(p.c) && atoll_tcp_is_connected(p.s));
    atoll_tcp_close(c2);
    return NULL;
}

static void close_on_read(struct atoll_tcp *t, enum atoll_tcp_event ev,
                          void *arg)
{
    (void)arg;
    if (ev == ATOLL_TCP_READABLE) {
        char b[64];
        atoll_tcp_recv(t, b, sizeof b);
        atoll_tcp_close(t);
    }
}

static void abort_on_read(struct atoll_tcp *t, enum atoll_tcp_event ev,
                          void *arg)
{
    (void)arg;
    if (ev == ATOLL_TCP_READABLE)
        atoll_tcp_abort(t);
}

static void close_listener_on_accept(struct atoll_tcp *l,
                                     enum atoll_tcp_event ev, void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    if (atoll_tcp_try_accept(l, &c) == 0)
        *(struct atoll_tcp **)arg = c;
    atoll_tcp_close(l);
}

static const char *handlers_that_close(void)
{
    struct pair p;
    struct atoll_tcp *c2, *s2 = NULL;

    T_CHECK(connect_pair(&p, 0));
    atoll_tcp_set_handler(p.s, close_on_read, NULL);
    T_ASSERT(atoll_tcp_send(p.c, "bye", 3) == 3);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "CLOSE-WAIT") == 0);
    atoll_tcp_close(p.c);
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &c2) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_try_accept(p.l, &p.s) == 0);
    atoll_tcp_set_handler(p.s, abort_on_read, NULL);
    T_ASSERT(atoll_tcp_send(c2, "x", 1) == 1);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_error(c2) == ATOLL_ERR_CONNRESET);
    atoll_tcp_close(c2);
    /* A listener closed from its own handler. */
    atoll_tcp_set_handler(p.l, close_listener_on_accept, &s2);
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &c2) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(s2 != NULL && atoll_tcp_is_connected(s2));
    atoll_tcp_close(s2);
    atoll_tcp_close(c2);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    return NULL;
}

static const char *cookies_end_to_end(void)
{
    struct pair p;
    struct atoll_tcp *c2, *c3, *s2, *s3;

    /* Backlog 1: one connection may wait to be accepted; while it does,
     * new SYNs are answered with cookies. */
    T_CHECK(connect_pair(&p, 1));
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &c2) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(p.l->nacceptq == 1);
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), PORT, &c3) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(t_stat(p.b, "tcp_syn_cookies_tx") == 1);
    T_ASSERT(atoll_tcp_is_connected(c2) && atoll_tcp_is_connected(c3));
    /* c3's ACK found the queue full and was dropped: no state for it. */
    T_ASSERT(t_stat(p.b, "tcp_backlog_drops") == 1);
    T_ASSERT(p.b->nif->tcp->count == 2);
    T_ASSERT(atoll_tcp_try_accept(p.l, &s2) == 0);
    /* Its first data segment carries the cookie again. */
    struct stream st = {c3, NULL, 200000, 0, 0, 5};
    T_ASSERT(atoll_tcp_send(c3, "late", 4) == 4);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(t_stat(p.b, "tcp_syn_cookies_ok") == 1);
    T_ASSERT(atoll_tcp_try_accept(p.l, &s3) == 0);
    char buf[8];
    T_ASSERT(atoll_tcp_recv(s3, buf, sizeof buf) == 4);
    /* Window scaling and timestamps survived the cookie. */
    T_ASSERT(s3->ws_ok && s3->ts_ok && s3->snd_wscale == TCP_RCV_WSCALE);
    st.rcv = s3;
    T_CHECK(pump_streams(&p, &st, 1, NULL, NULL, 5000 * MS));
    T_ASSERT(s3->max_snd_wnd > 65535 || c3->max_snd_wnd > 65535);
    atoll_tcp_close(c2);
    atoll_tcp_close(c3);
    atoll_tcp_close(s2);
    atoll_tcp_close(s3);
    return NULL;
}

/* Drop a's last ACK (of b's FIN) once. */
static bool drop_final_ack(struct t_dev *from, const struct t_frame *f,
                           void *arg)
{
    int *dropped = arg;
    struct t_pkt pk;

    if (*dropped || t_parse(f, &pk) != NULL || pk.proto != IP_PROTO_TCP ||
        pk.src != T_IP(2))
        return false;
    (void)from;
    if (pk.l4[13] == TCP_ACK && pk.l4len == 32 /* with timestamps */) {
        /* Only once b's FIN has come (a in TIME-WAIT). */
        extern struct atoll_tcp *tw_conn;
        if (tw_conn != NULL && strcmp(atoll_tcp_state(tw_conn),
                                      "TIME-WAIT") == 0) {
            *dropped = 1;
            return true;
        }
    }
    return false;
}
struct atoll_tcp *tw_conn;

static const char *time_wait_reacks_fin(void)
{
    struct pair p;
    int dropped = 0;

    T_CHECK(connect_pair(&p, 0));
    tw_conn = p.c;
    T_ASSERT(atoll_tcp_shutdown(p.c) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_shutdown(p.s) == 0);
    t_run(p.a, p.b, 5000 * MS, 10 * MS, drop_final_ack, &dropped);
    tw_conn = NULL;
    T_ASSERT(dropped == 1);
    /* b resent its FIN, a acknowledged it again from TIME-WAIT. */
    T_ASSERT(strcmp(atoll_tcp_state(p.s), "CLOSED") == 0);
    T_ASSERT(strcmp(atoll_tcp_state(p.c), "TIME-WAIT") == 0);
    T_ASSERT(t_stat(p.b, "tcp_retransmits") >= 1);
    atoll_tcp_close(p.c);
    atoll_tcp_close(p.s);
    return NULL;
}

static const char *destroy_with_handles(void)
{
    struct pair p;
    struct atoll_tcp *c2;

    /* Open, half-open, closed-by-error and listening handles, queued
     * data both ways: destroying the interfaces (t_net_cleanup) frees all. */
    T_CHECK(connect_pair(&p, 0));
    T_ASSERT(atoll_tcp_send(p.c, "queued", 6) == 6);
    T_ASSERT(atoll_tcp_connect(p.a->nif, T_IP(3), 9, &c2) == 0);
    t_run(p.a, p.b, 10 * MS, MS, NULL, NULL);
    T_ASSERT(atoll_tcp_error(c2) == ATOLL_ERR_CONNREFUSED);
    T_ASSERT(atoll_tcp_send(p.s, "back", 4) == 4);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(lifecycle);
    RUN(bulk);
    RUN(duplex_with_loss);
    RUN(one_loss_fast_retransmit);
    RUN(retransmission_timeout);
    RUN(zero_window);
    RUN(keepalive);
    RUN(nagle_and_delayed_ack);
    RUN(many_connections);
    RUN(simultaneous_close);
    RUN(close_with_unread_data_resets);
    RUN(listener_close_resets_pending);
    RUN(handlers_that_close);
    RUN(cookies_end_to_end);
    RUN(time_wait_reacks_fin);
    RUN(destroy_with_handles);
    return t_finish();
}
