/*
 * The lib/net unit-test harness: see harness.h.
 */
#include <stdarg.h>
#include <stddef.h>

#include "harness.h"

char t_why[512];
int t_line;
int t_failed;
atoll_time_t t_now;

static struct t_dev *devs[T_MAX_DEVS];
static int ndevs;
static uint64_t entropy_state = 0x1234567;

/* ---- fake platform ---------------------------------------------------- */

atoll_time_t atoll_clock_monotonic(void)
{
    return t_now;
}

/* Deterministic "entropy": runs are reproducible. */
void atoll_entropy(void *buf, size_t len)
{
    uint8_t *b = buf;

    for (size_t i = 0; i < len; i++) {
        entropy_state = entropy_state * 6364136223846793005ull +
                        1442695040888963407ull;
        b[i] = (uint8_t)(entropy_state >> 56);
    }
}

_Noreturn void atoll_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("# panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    abort();
}

bool atoll_log_enabled(enum atoll_log_level level)
{
    (void)level;
    return getenv("NET_TEST_LOG") != NULL;
}

void atoll_vlog(enum atoll_log_level level, const char *fmt, va_list ap)
{
    if (!atoll_log_enabled(level))
        return;
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
}

void atoll_log(enum atoll_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    atoll_vlog(level, fmt, ap);
    va_end(ap);
}

static struct t_dev *wire_a, *wire_b;
static t_loss_fn wire_loss;
static void *wire_arg;

void t_wire(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg)
{
    wire_a = a;
    wire_b = b;
    wire_loss = loss;
    wire_arg = arg;
}

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    atoll_time_t next;
    size_t moved = 0;

    if (ready != NULL)
        *ready = 0;
    if (wire_a != NULL) {
        atoll_netif_flush(wire_a->nif);
        atoll_netif_flush(wire_b->nif);
        moved = t_pump(wire_a, wire_b, wire_loss, wire_arg);
    }
    if (moved > 0 || deadline <= t_now)
        return;
    if (rt_timers_next(&next) && next < deadline)
        deadline = next;
    if (deadline == UINT64_MAX) {
        printf("# atoll_yield: nothing will ever happen\n");
        fflush(stdout);
        abort();
    }
    if (deadline > t_now)
        t_now = deadline;
}

void t_timers(void)
{
    atoll_time_t next;

    /* Timers armed by timers for "now" run in the same call. */
    for (int i = 0; i < 1000 && rt_timers_next(&next) && next <= t_now; i++)
        rt_timers_run(t_now);
}

void t_advance(atoll_time_t ns)
{
    atoll_time_t end = t_now + ns;

    while (t_now < end) {
        atoll_time_t next, step = end - t_now;

        if (step > 10000000)
            step = 10000000;
        if (rt_timers_next(&next) && next > t_now && next - t_now < step)
            step = next - t_now;
        t_now += step;
        t_timers();
        for (int i = 0; i < ndevs; i++)
            atoll_netif_flush(devs[i]->nif);
    }
    t_timers();
}

/* ---- devices ---------------------------------------------------------- */

const uint8_t t_peer_mac[6] = {2, 0, 0, 0, 0, 0xfe};

void t_mac(uint8_t mac[6], unsigned nn)
{
    static const uint8_t base[6] = {2, 0, 0, 0, 0, 0};

    memcpy(mac, base, 6);
    mac[5] = (uint8_t)nn;
}

static int capture(void *ctx, const void *frame, size_t len)
{
    struct t_dev *d = ctx;
    struct t_frame *f;

    if (d->fail)
        return -1;
    if (len < ETH_HLEN || len > d->dev.mtu + ETH_HLEN) {
        printf("# transmit of %zu bytes with mtu %zu\n", len, d->dev.mtu);
        abort(); /* the stack must never do this */
    }
    f = malloc(sizeof *f + len);
    if (f == NULL)
        abort();
    f->next = NULL;
    f->len = len;
    memcpy(f->data, frame, len);
    if (d->tail != NULL)
        d->tail->next = f;
    else
        d->head = f;
    d->tail = f;
    d->count++;
    return 0;
}

struct t_dev *t_dev_new(unsigned nn, bool configure, bool gw)
{
    struct t_dev *d = calloc(1, sizeof *d);

    if (d == NULL || ndevs == T_MAX_DEVS)
        abort();
    t_mac(d->dev.mac, nn);
    d->dev.mtu = 1500;
    d->dev.transmit = capture;
    d->dev.ctx = d;
    d->nif = atoll_netif_create(&d->dev);
    if (d->nif == NULL)
        abort();
    if (configure) {
        struct atoll_ip4_config c = {T_IP(nn), 24, gw ? T_IP(1) : 0};

        if (atoll_netif_set_ipv4(d->nif, &c) != 0)
            abort();
        t_drain(d); /* the gratuitous ARP */
    }
    devs[ndevs++] = d;
    return d;
}

struct t_frame *t_pop(struct t_dev *d)
{
    struct t_frame *f = d->head;

    if (f == NULL)
        return NULL;
    d->head = f->next;
    if (d->head == NULL)
        d->tail = NULL;
    d->count--;
    f->next = NULL;
    return f;
}

void t_drain(struct t_dev *d)
{
    struct t_frame *f;

    while ((f = t_pop(d)) != NULL)
        free(f);
}

size_t t_pump(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg)
{
    size_t n = 0;

    for (int round = 0; round < 100000 && (a->count || b->count); round++) {
        for (int dir = 0; dir < 2; dir++) {
            struct t_dev *from = dir ? b : a, *to = dir ? a : b;
            size_t k = from->count;

            for (size_t i = 0; i < k; i++) {
                struct t_frame *f = t_pop(from);

                if (loss == NULL || !loss(from, f, arg)) {
                    atoll_netif_input(to->nif, f->data, f->len);
                    n++;
                }
                free(f);
            }
            atoll_netif_flush(to->nif);
        }
    }
    return n;
}

void t_run(struct t_dev *a, struct t_dev *b, atoll_time_t ns,
           atoll_time_t step, t_loss_fn loss, void *arg)
{
    atoll_time_t end = t_now + ns;

    t_pump(a, b, loss, arg);
    while (t_now < end) {
        atoll_time_t next, s = end - t_now < step ? end - t_now : step;

        /* Jump straight to the next timer when it comes first. */
        if (rt_timers_next(&next) && next > t_now && next - t_now < s)
            s = next - t_now;
        t_now += s;
        t_timers();
        atoll_netif_flush(a->nif);
        atoll_netif_flush(b->nif);
        t_pump(a, b, loss, arg);
    }
}

void t_input(struct t_dev *d, const void *frame, size_t len)
{
    atoll_netif_input(d->nif, frame, len);
    atoll_netif_flush(d->nif);
}

void t_reset(void)
{
    t_now = 1000000000000ull;
    t_why[0] = '\0';
}

void t_cleanup(void)
{
    for (int i = 0; i < ndevs; i++) {
        atoll_netif_destroy(devs[i]->nif);
        t_drain(devs[i]);
        free(devs[i]);
    }
    ndevs = 0;
    wire_a = wire_b = NULL;
    /* Nothing may stay armed once every interface is gone (but timers
     * due now, like lib/fiber's wakeup poke, may run). */
    atoll_time_t next;
    t_timers();
    if (rt_timers_next(&next)) {
        printf("# a timer outlived its interface\n");
        fflush(stdout);
        abort();
    }
}

/* ---- frames ----------------------------------------------------------- */

size_t t_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
             uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
    return ETH_HLEN;
}

void t_ip4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto,
           size_t payload_len, uint16_t id, uint16_t frag)
{
    p[0] = 0x45;
    p[1] = 0;
    put16(p + 2, (uint16_t)(IP4_HLEN + payload_len));
    put16(p + 4, id);
    put16(p + 6, frag);
    p[8] = 64;
    p[9] = proto;
    put16(p + 10, 0);
    put32(p + 12, src);
    put32(p + 16, dst);
    put16(p + 10, net_cksum(net_sum(p, IP4_HLEN, 0)));
}

size_t t_ip_frame(uint8_t *f, const struct t_dev *d, uint32_t src,
                  uint32_t dst, uint8_t proto, const void *payload,
                  size_t len)
{
    t_eth(f, d->dev.mac, t_peer_mac, ETH_TYPE_IP4);
    t_ip4(f + ETH_HLEN, src, dst, proto, len, 0x4242, 0);
    memcpy(f + ETH_HLEN + IP4_HLEN, payload, len);
    return ETH_HLEN + IP4_HLEN + len;
}

size_t t_udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sport,
             uint16_t dport, const void *data, size_t len)
{
    size_t ulen = UDP_HLEN + len;
    uint16_t c;

    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)ulen);
    put16(u + 6, 0);
    memcpy(u + UDP_HLEN, data, len);
    c = net_cksum(net_sum(u, ulen, net_pseudo_sum(src, dst, IP_PROTO_UDP,
                                                  ulen)));
    put16(u + 6, c == 0 ? 0xffff : c);
    return ulen;
}

void t_arp(uint8_t *a, uint16_t op, const uint8_t *sha, uint32_t spa,
           const uint8_t *tha, uint32_t tpa)
{
    put16(a, 1);
    put16(a + 2, ETH_TYPE_IP4);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    put32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    put32(a + 24, tpa);
}

void t_teach_arp(struct t_dev *d, uint32_t ip, const uint8_t *mac)
{
    static const uint8_t zero[6];
    uint8_t f[60] = {0};

    t_eth(f, net_bcast_mac, mac, ETH_TYPE_ARP);
    t_arp(f + ETH_HLEN, 1, mac, ip, zero, d->nif->ip.addr);
    struct t_frame *last = d->tail;

    /* Take our reply off the queue, leaving the frames that were waiting
     * for the answer (and anything queued before). */
    t_input(d, f, sizeof f);
    struct t_frame **pp = last != NULL ? &last->next : &d->head;
    while (*pp != NULL) {
        struct t_frame *fr = *pp;

        if (get16(fr->data + 12) == ETH_TYPE_ARP) {
            *pp = fr->next;
            d->count--;
            free(fr);
        } else {
            pp = &fr->next;
        }
    }
    d->tail = NULL;
    for (struct t_frame *fr = d->head; fr != NULL; fr = fr->next)
        d->tail = fr;
}

const char *t_parse(const struct t_frame *fr, struct t_pkt *pk)
{
    const uint8_t *p;
    size_t total;

    memset(pk, 0, sizeof *pk);
    if (fr == NULL) {
        snprintf(t_why, sizeof t_why, "no frame was sent");
        return t_why;
    }
    pk->eth = fr->data;
    pk->type = get16(fr->data + 12);
    if (pk->type != ETH_TYPE_IP4)
        return NULL;
    p = pk->ip = fr->data + ETH_HLEN;
    pk->hlen = (size_t)(p[0] & 15) * 4;
    total = get16(p + 2);
    if (p[0] >> 4 != 4 || pk->hlen < IP4_HLEN ||
        total + ETH_HLEN > fr->len || total < pk->hlen) {
        snprintf(t_why, sizeof t_why, "sent a bad IPv4 header");
        return t_why;
    }
    if (net_cksum(net_sum(p, pk->hlen, 0)) != 0) {
        snprintf(t_why, sizeof t_why, "sent a bad IPv4 header checksum");
        return t_why;
    }
    pk->src = get32(p + 12);
    pk->dst = get32(p + 16);
    pk->proto = p[9];
    pk->id = get16(p + 4);
    pk->frag = get16(p + 6);
    pk->l4 = p + pk->hlen;
    pk->l4len = total - pk->hlen;
    if ((pk->frag & 0x3fff) != 0)
        return NULL; /* a fragment: the transport checksum spans several */
    if (pk->proto == IP_PROTO_UDP || pk->proto == IP_PROTO_TCP) {
        if (net_cksum(net_sum(pk->l4, pk->l4len,
                              net_pseudo_sum(pk->src, pk->dst, pk->proto,
                                             pk->l4len))) != 0) {
            snprintf(t_why, sizeof t_why, "sent a bad %s checksum",
                     pk->proto == IP_PROTO_UDP ? "UDP" : "TCP");
            return t_why;
        }
    }
    if (pk->proto == IP_PROTO_ICMP &&
        net_cksum(net_sum(pk->l4, pk->l4len, 0)) != 0) {
        snprintf(t_why, sizeof t_why, "sent a bad ICMP checksum");
        return t_why;
    }
    return NULL;
}

/* ---- TCP segments ---------------------------------------------------- */

size_t t_tcp_frame(uint8_t *f, const struct t_dev *d, const struct t_tcp *s)
{
    uint8_t *t = f + ETH_HLEN + IP4_HLEN;
    size_t hlen = TCP_HLEN + ((s->optlen + 3) & ~(size_t)3);
    uint32_t dst = d->nif->ip.addr;

    memset(t, 0, hlen);
    put16(t, s->sport);
    put16(t + 2, s->dport);
    put32(t + 4, s->seq);
    put32(t + 8, s->ack);
    t[12] = (uint8_t)(hlen / 4 << 4);
    t[13] = s->flags;
    put16(t + 14, s->wnd);
    if (s->optlen > 0)
        memcpy(t + TCP_HLEN, s->opts, s->optlen);
    if (s->len > 0)
        memcpy(t + hlen, s->data, s->len);
    put16(t + 16, net_cksum(net_sum(t, hlen + s->len,
                                    net_pseudo_sum(T_PEER_IP, dst,
                                                   IP_PROTO_TCP,
                                                   hlen + s->len))));
    t_eth(f, d->dev.mac, t_peer_mac, ETH_TYPE_IP4);
    t_ip4(f + ETH_HLEN, T_PEER_IP, dst, IP_PROTO_TCP, hlen + s->len, 1, 0);
    return ETH_HLEN + IP4_HLEN + hlen + s->len;
}

void t_tcp_send(struct t_dev *d, const struct t_tcp *s)
{
    static uint8_t f[ETH_HLEN + IP4_MAX];

    t_input(d, f, t_tcp_frame(f, d, s));
}

const char *t_tcp_take(struct t_dev *d, struct t_seg *g)
{
    struct t_frame *f;
    struct t_pkt pk;
    struct tcp_opts o;
    const char *why;

    /* ARP traffic is not what the tests look at. */
    while ((f = t_pop(d)) != NULL && get16(f->data + 12) == ETH_TYPE_ARP)
        free(f);
    why = t_parse(f, &pk);
    if (why == NULL && (pk.proto != IP_PROTO_TCP || pk.l4len < TCP_HLEN))
        why = "not a TCP segment";
    if (why != NULL) {
        free(f);
        return why;
    }
    memset(g, 0, sizeof *g);
    size_t off = (size_t)(pk.l4[12] >> 4) * 4;
    g->src = pk.src;
    g->dst = pk.dst;
    g->sport = get16(pk.l4);
    g->dport = get16(pk.l4 + 2);
    g->seq = get32(pk.l4 + 4);
    g->ack = get32(pk.l4 + 8);
    g->flags = pk.l4[13];
    g->wnd = get16(pk.l4 + 14);
    if (off < TCP_HLEN || off > pk.l4len ||
        !tcp_parse_options(pk.l4 + TCP_HLEN, off - TCP_HLEN, &o)) {
        free(f);
        snprintf(t_why, sizeof t_why, "sent bad TCP options or offset");
        return t_why;
    }
    g->mss = o.mss ? o.mss : -1;
    g->wscale = o.wscale;
    g->has_ts = o.has_ts;
    g->sack_ok = o.sack_ok;
    g->tsval = o.tsval;
    g->tsecr = o.tsecr;
    g->nsack = o.nsack;
    memcpy(g->sack, o.sack, sizeof g->sack);
    g->len = pk.l4len - off;
    memcpy(g->data, pk.l4 + off, g->len < sizeof g->data ? g->len
                                                          : sizeof g->data);
    free(f);
    return NULL;
}

/* ---- counters --------------------------------------------------------- */

static uint64_t get(const struct atoll_net_stats *s, size_t i)
{
    return net_stat_get(s, i);
}

struct atoll_net_stats t_stats(const struct t_dev *d)
{
    return *atoll_netif_stats(d->nif);
}

uint64_t t_stat(const struct t_dev *d, const char *field)
{
    for (size_t i = 0; i < net_stat_count; i++)
        if (strcmp(net_stat_names[i].name, field) == 0)
            return get(atoll_netif_stats(d->nif), i);
    printf("# no counter %s\n", field);
    abort();
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

const char *t_only(const struct t_dev *d, const struct atoll_net_stats *before,
                   const char *field, uint64_t by, const char *allowed)
{
    const struct atoll_net_stats *now = atoll_netif_stats(d->nif);
    bool found = false;

    for (size_t i = 0; i < net_stat_count; i++) {
        const char *name = net_stat_names[i].name;
        uint64_t a = get(before, i), b = get(now, i);

        if (strcmp(name, field) == 0) {
            found = true;
            if (b - a != by) {
                snprintf(t_why, sizeof t_why, "%s grew by %llu, want %llu"
                         " (called from line %d)",
                         field, (unsigned long long)(b - a),
                         (unsigned long long)by, t_line);
                return t_why;
            }
        } else if (a != b && strcmp(name, "rx_frames") != 0 &&
                   !listed(allowed, name)) {
            snprintf(t_why, sizeof t_why, "%s changed too (by %lld) "
                     "while counting %s", name,
                     (long long)(b - a), field);
            return t_why;
        }
    }
    if (!found) {
        snprintf(t_why, sizeof t_why, "no counter %s", field);
        return t_why;
    }
    return NULL;
}
