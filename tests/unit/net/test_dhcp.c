/*
 * The DHCP client against a scripted server: the four-message exchange,
 * malformed and foreign replies, retransmission with backoff, renewing,
 * rebinding, expiry, NAK, infinite leases, stopping from a handler, and
 * what it logs while it has no lease.
 */
#include "frames.h"

#define SERVER T_IP(1)
#define OFFER T_IP(50)
#define SEC 1000000000ull

static const uint8_t server_mac[6] = {2, 0, 0, 0, 0, 1};

/* What the client sent. */
struct cmsg {
    uint32_t xid, ciaddr, dst, src;
    uint16_t flags;
    uint8_t type;
    uint32_t requested, server;
};

static const char *take(struct t_dev *d, struct cmsg *c)
{
    struct t_frame *f;
    struct t_pkt pk;
    const char *why;

    /* Skip ARP traffic (requests for the server, announcements). */
    while ((f = t_pop(d)) != NULL && get16(f->data + 12) == ETH_TYPE_ARP)
        free(f);
    why = t_parse(f, &pk);
    if (why == NULL && (pk.proto != IP_PROTO_UDP || get16(pk.l4) != 68 ||
                        get16(pk.l4 + 2) != 67 || pk.l4len < 8 + 300))
        why = "not a DHCP message of 300 bytes or more";
    if (why != NULL) {
        free(f);
        return why;
    }
    const uint8_t *m = pk.l4 + 8;
    memset(c, 0, sizeof *c);
    c->xid = get32(m + 4);
    c->flags = get16(m + 10);
    c->ciaddr = get32(m + 12);
    c->dst = pk.dst;
    c->src = pk.src;
    if (m[0] != 1 || m[1] != 1 || m[2] != 6 ||
        memcmp(m + 28, d->dev.mac, 6) != 0 || get32(m + 236) != 0x63825363u)
        why = "bad BOOTP header";
    for (size_t i = 240; why == NULL && i < pk.l4len - 8 && m[i] != 255;) {
        if (m[i] == 0) {
            i++;
            continue;
        }
        uint8_t code = m[i], len = m[i + 1];
        if (code == 53)
            c->type = m[i + 2];
        if (code == 50)
            c->requested = get32(m + i + 2);
        if (code == 54)
            c->server = get32(m + i + 2);
        i += 2u + len;
    }
    free(f);
    if (why == NULL && c->type == 0)
        why = "no message type";
    return why;
}

struct smsg {
    uint8_t type;
    uint32_t xid, yiaddr, server, mask, router, lease, t1, t2;
    const uint8_t *chaddr;
};

static size_t server_msg(uint8_t *m, const struct smsg *s)
{
    uint8_t *o;

    memset(m, 0, 300);
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    put32(m + 4, s->xid);
    put32(m + 16, s->yiaddr);
    memcpy(m + 28, s->chaddr, 6);
    put32(m + 236, 0x63825363u);
    o = m + 240;
    *o++ = 53, *o++ = 1, *o++ = s->type;
    if (s->server)
        *o++ = 54, *o++ = 4, put32(o, s->server), o += 4;
    if (s->mask)
        *o++ = 1, *o++ = 4, put32(o, s->mask), o += 4;
    if (s->router)
        *o++ = 3, *o++ = 4, put32(o, s->router), o += 4;
    if (s->lease)
        *o++ = 51, *o++ = 4, put32(o, s->lease), o += 4;
    if (s->t1)
        *o++ = 58, *o++ = 4, put32(o, s->t1), o += 4;
    if (s->t2)
        *o++ = 59, *o++ = 4, put32(o, s->t2), o += 4;
    *o++ = 255;
    return 300;
}

static void reply(struct t_dev *d, uint32_t dst, const uint8_t *m, size_t len)
{
    static uint8_t f[1600], u[1500];
    size_t ulen = t_udp(u, SERVER, dst, 67, 68, m, len);

    t_eth(f, dst == ATOLL_IP4_BROADCAST ? net_bcast_mac : d->dev.mac,
          server_mac, ETH_TYPE_IP4);
    t_ip4(f + ETH_HLEN, SERVER, dst, IP_PROTO_UDP, ulen, 1, 0);
    memcpy(f + ETH_HLEN + IP4_HLEN, u, ulen);
    t_input(d, f, ETH_HLEN + IP4_HLEN + ulen);
}

static int configs;
static void on_config(struct atoll_netif *nif, void *arg)
{
    (void)nif;
    (void)arg;
    configs++;
}

/* Run DISCOVER/OFFER/REQUEST/ACK with the given lease; leaves the client
 * bound. The DISCOVER is taken from d unless given. */
static const char *acquire_from(struct t_dev *d, uint32_t lease,
                                const struct cmsg *disc)
{
    struct cmsg c;
    uint8_t m[300];
    struct smsg s = {.type = 2, .yiaddr = OFFER, .server = SERVER,
                     .mask = 0xffffff00u, .router = SERVER, .lease = lease,
                     .chaddr = d->dev.mac};

    if (disc != NULL)
        c = *disc;
    else
        T_CHECK(take(d, &c));
    T_ASSERT(c.type == 1 && c.dst == ATOLL_IP4_BROADCAST && c.src == 0 &&
             c.flags == 0x8000 && c.ciaddr == 0);
    s.xid = c.xid;
    reply(d, ATOLL_IP4_BROADCAST, m, server_msg(m, &s));
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 3 && c.requested == OFFER && c.server == SERVER &&
             c.dst == ATOLL_IP4_BROADCAST && c.xid == s.xid);
    s.type = 5;
    reply(d, ATOLL_IP4_BROADCAST, m, server_msg(m, &s));
    struct atoll_ip4_config cfg;
    atoll_netif_get_ipv4(d->nif, &cfg);
    T_ASSERT(cfg.addr == OFFER && cfg.prefix == 24 && cfg.gateway == SERVER);
    return NULL;
}

static const char *acquire(struct t_dev *d, uint32_t lease)
{
    return acquire_from(d, lease, NULL);
}

static const char *full_exchange(void)
{
    struct t_dev *d = t_dev_new(2, false, false);

    configs = 0;
    atoll_netif_set_config_handler(d->nif, on_config, NULL);
    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0); /* already running */
    T_CHECK(acquire(d, 3600));
    T_ASSERT(configs == 1);
    /* Announced with a gratuitous ARP. */
    struct t_frame *f = t_pop(d);
    T_ASSERT(f != NULL && get16(f->data + 12) == ETH_TYPE_ARP &&
             get32(f->data + ETH_HLEN + 14) == OFFER &&
             get32(f->data + ETH_HLEN + 24) == OFFER);
    free(f);
    T_ASSERT(d->count == 0);
    /* Port 68 is taken by the client. */
    struct atoll_udp *s;
    T_ASSERT(atoll_udp_bind(d->nif, 68, &s) == ATOLL_ERR_ADDRINUSE);
    /* A static address stops the client. */
    struct atoll_ip4_config c = {T_IP(9), 24, 0};
    T_ASSERT(atoll_netif_set_ipv4(d->nif, &c) == 0);
    T_ASSERT(atoll_udp_bind(d->nif, 68, &s) == 0);
    return NULL;
}

static const char *malformed_and_foreign(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct cmsg c;
    uint8_t m[300];
    uint8_t other[6] = {2, 0, 0, 0, 0, 0x77};

    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_CHECK(take(d, &c));
    struct smsg s = {.type = 2, .xid = c.xid, .yiaddr = OFFER,
                     .server = SERVER, .lease = 60, .chaddr = d->dev.mac};
    for (int k = 0; k < 13; k++) {
        size_t len = server_msg(m, &s);
        const char *counter = "dhcp_malformed";

        switch (k) {
        case 0: len = 239; break;                    /* short */
        case 1: m[0] = 1; break;                     /* a request */
        case 2: m[1] = 6; break;                     /* not Ethernet */
        case 3: m[2] = 4; break;                     /* hlen */
        case 4: put32(m + 236, 0x63825364u); break;  /* magic */
        case 5: m[240] = 0; m[241] = 0; m[242] = 0;  /* no type */
                break;
        case 6: m[241] = 200; break;                 /* option overruns */
        case 7: memset(m + 240, 0, 60); break;       /* no end option */
        case 8: m[241] = 2; m[243] = 0; break;       /* type of length 2 */
        case 9: put32(m + 4, c.xid + 1);             /* another exchange */
                counter = "dhcp_ignored"; break;
        case 10: memcpy(m + 28, other, 6);           /* another client */
                 counter = "dhcp_ignored"; break;
        case 11: m[242] = 5; counter = "dhcp_ignored"; break; /* early ACK */
        case 12: put32(m + 16, ATOLL_IP4(127, 0, 0, 1));
                 counter = "dhcp_ignored"; break;    /* silly offer */
        }
        struct atoll_net_stats before = t_stats(d);
        reply(d, ATOLL_IP4_BROADCAST, m, len);
        const char *why = t_only(d, &before, counter, 1, "udp_rx");
        if (why != NULL)
            T_FAILF("case %d: %s", k, why);
        if (d->count != 0)
            T_FAILF("case %d: the client answered", k);
    }
    /* From the wrong port: not DHCP. */
    uint8_t f[400], u[400];
    size_t ulen = t_udp(u, SERVER, ATOLL_IP4_BROADCAST, 1067, 68, m, 300);
    struct atoll_net_stats before = t_stats(d);
    t_input(d, f, t_ip_frame(f, d, SERVER, ATOLL_IP4_BROADCAST,
                             IP_PROTO_UDP, u, ulen));
    T_CHECK(t_only(d, &before, "dhcp_malformed", 1, "udp_rx"));
    struct atoll_ip4_config cfg;
    atoll_netif_get_ipv4(d->nif, &cfg);
    T_ASSERT(cfg.addr == 0);
    return NULL;
}

static const char *retransmit_backoff(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct cmsg c;
    atoll_time_t last = t_now;
    uint32_t xid = 0;

    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_CHECK(take(d, &c));
    xid = c.xid;
    /* 4, 8, 16, 32, 64, 64 s, each +-1 s. */
    static const unsigned want[] = {4, 8, 16, 32, 64, 64};
    for (int i = 0; i < 6; i++) {
        while (d->count == 0)
            t_advance(SEC / 10);
        T_CHECK(take(d, &c));
        atoll_time_t gap = t_now - last;
        if (gap + SEC / 10 < (want[i] - 1) * SEC || gap > (want[i] + 1) * SEC)
            T_FAILF("retransmission %d after %llu ms", i,
                    (unsigned long long)(gap / 1000000));
        T_ASSERT(c.type == 1 && c.xid == xid);
        last = t_now;
    }
    return NULL;
}

static const char *renew_rebind_expire(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct cmsg c;
    uint8_t m[300];

    configs = 0;
    atoll_netif_set_config_handler(d->nif, on_config, NULL);
    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_CHECK(acquire(d, 1000));
    t_drain(d);
    /* T1 = 500 s: a unicast request to the server (after ARP). */
    t_advance(500 * SEC - 1);
    T_ASSERT(d->count == 0);
    t_advance(1);
    T_ASSERT(d->count == 1);
    t_teach_arp(d, SERVER, server_mac);
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 3 && c.dst == SERVER && c.src == OFFER &&
             c.ciaddr == OFFER && c.requested == 0 && c.server == 0 &&
             c.flags == 0);
    /* The server renews: the next renewal is 500 s later. */
    struct smsg s = {.type = 5, .xid = c.xid, .yiaddr = OFFER,
                     .server = SERVER, .mask = 0xffffff00u, .router = SERVER,
                     .lease = 1000, .chaddr = d->dev.mac};
    reply(d, OFFER, m, server_msg(m, &s));
    T_ASSERT(configs == 1); /* unchanged configuration: not reported */
    t_advance(499 * SEC);
    T_ASSERT(d->count == 0);
    t_advance(SEC);
    t_teach_arp(d, SERVER, server_mac); /* its entry expired meanwhile */
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 3 && c.dst == SERVER);
    /* Silence: retransmissions no more often than once a minute, then at
     * T2 (875 s) a broadcast, then the lease ends at 1000 s. */
    int renewals = 0, rebinds = 0;
    atoll_time_t start = t_now;
    while (t_now - start < 500 * SEC) {
        t_advance(SEC);
        t_teach_arp(d, SERVER, server_mac);
        while (d->count > 0) {
            T_CHECK(take(d, &c));
            if (c.type == 1)
                goto expired;
            if (c.dst == SERVER)
                renewals++;
            else
                rebinds++;
        }
    }
    T_FAILF("no new discover after the lease");
expired:
    if (t_now - start < 500 * SEC - 2 * SEC || t_now - start > 501 * SEC)
        T_FAILF("lease ended after %llu s",
                (unsigned long long)((t_now - start) / SEC));
    T_ASSERT(renewals >= 1 && renewals <= 7 && rebinds >= 1 && rebinds <= 3);
    struct atoll_ip4_config cfg;
    atoll_netif_get_ipv4(d->nif, &cfg);
    T_ASSERT(cfg.addr == 0 && configs == 2);
    return NULL;
}

static const char *nak_restarts(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct cmsg c;
    uint8_t m[300];

    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_CHECK(take(d, &c));
    struct smsg s = {.type = 2, .xid = c.xid, .yiaddr = OFFER,
                     .server = SERVER, .lease = 60, .chaddr = d->dev.mac};
    reply(d, ATOLL_IP4_BROADCAST, m, server_msg(m, &s));
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 3);
    s.type = 6;
    s.yiaddr = 0;
    reply(d, ATOLL_IP4_BROADCAST, m, server_msg(m, &s));
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 1 && c.xid != s.xid);
    /* A NAK while bound (renewing) drops the address. */
    T_CHECK(acquire_from(d, 100, &c));
    t_drain(d);
    t_advance(50 * SEC);
    t_teach_arp(d, SERVER, server_mac);
    T_CHECK(take(d, &c));
    s.xid = c.xid;
    reply(d, OFFER, m, server_msg(m, &s));
    struct atoll_ip4_config cfg;
    atoll_netif_get_ipv4(d->nif, &cfg);
    T_ASSERT(cfg.addr == 0);
    T_CHECK(take(d, &c));
    T_ASSERT(c.type == 1);
    return NULL;
}

static const char *infinite_lease_no_timer(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    atoll_time_t next;

    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    T_CHECK(acquire(d, 0xffffffffu));
    t_drain(d);
    T_ASSERT(!rt_timers_next(&next));
    return NULL;
}

static struct atoll_netif *stop_nif;
static void stop_from_handler(struct atoll_netif *nif, void *arg)
{
    struct atoll_ip4_config c = {T_IP(77), 24, 0};

    (void)arg;
    if (nif->ip.addr == OFFER)
        atoll_netif_set_ipv4(stop_nif, &c);
}

static const char *stopped_from_handler(void)
{
    struct t_dev *d = t_dev_new(2, false, false);

    stop_nif = d->nif;
    atoll_netif_set_config_handler(d->nif, stop_from_handler, NULL);
    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    const char *why = acquire(d, 100);
    /* acquire saw the static address instead of the lease. */
    T_ASSERT(why != NULL);
    struct atoll_ip4_config cfg;
    atoll_netif_get_ipv4(d->nif, &cfg);
    T_ASSERT(cfg.addr == T_IP(77) && d->nif->dhcp == NULL);
    return NULL;
}

/* Lines of s at level lvl ("info", ...) that contain text. */
static int log_lines(const char *s, const char *lvl, const char *text)
{
    char line[600];
    int n = 0;

    while (*s != '\0') {
        size_t len = strcspn(s, "\n");
        size_t k = len < sizeof line - 1 ? len : sizeof line - 1;

        memcpy(line, s, k);
        line[k] = '\0';
        if (strncmp(line, lvl, strlen(lvl)) == 0 &&
            line[strlen(lvl)] == ':' && strstr(line, text) != NULL)
            n++;
        s += len + (s[len] == '\n');
    }
    return n;
}

/* Move the clock to until, dropping what the client sends. */
static void run_until(struct t_dev *d, atoll_time_t until)
{
    struct t_frame *f;

    while (t_now < until) {
        t_advance(SEC / 10);
        while ((f = t_pop(d)) != NULL)
            free(f);
    }
}

/* At info that DHCP is tried, at debug each retransmission, and after
 * DHCP_WARN (30 s) without a lease one warning naming --ipv4; none
 * when a lease came in time. */
static const char *progress_log(void)
{
    struct t_dev *d = t_dev_new(2, false, false);
    struct atoll_ip4_config fixed = {T_IP(9), 24, 0};
    atoll_time_t start = t_now;
    const char *log;

    t_log_console(1);
    t_capture_start();
    T_ASSERT(atoll_netif_start_dhcp(d->nif) == 0);
    log = t_captured(NULL);
    T_ASSERT(log_lines(log, "info", "dhcp: asking for an IPv4 address") == 1);
    run_until(d, start + 29 * SEC);
    log = t_captured(NULL);
    /* Retransmissions at about 4, 12 and 28 s. */
    T_ASSERT(log_lines(log, "debug", "dhcp: no offer yet") == 3);
    T_ASSERT(log_lines(log, "warn", "dhcp") == 0);
    run_until(d, start + 31 * SEC);
    log = t_captured(NULL);
    T_ASSERT(log_lines(log, "warn", "no lease after 30 s") == 1);
    T_ASSERT(log_lines(log, "warn", "--ipv4=ADDR/PREFIX") == 1);
    run_until(d, start + 200 * SEC);
    T_ASSERT(log_lines(t_captured(NULL), "warn", "dhcp") == 1);
    T_ASSERT(atoll_netif_set_ipv4(d->nif, &fixed) == 0);

    /* A lease in time: no warning, ever. */
    struct t_dev *e = t_dev_new(3, false, false);
    t_capture_start();
    start = t_now;
    T_ASSERT(atoll_netif_start_dhcp(e->nif) == 0);
    T_CHECK(acquire(e, 3600));
    run_until(e, start + 100 * SEC);
    log = t_captured(NULL);
    t_capture_stop();
    t_log_console(0);
    T_ASSERT(log_lines(log, "info", "dhcp: asking") == 1);
    T_ASSERT(log_lines(log, "warn", "dhcp") == 0);
    T_ASSERT(atoll_netif_set_ipv4(e->nif, &fixed) == 0);
    return NULL;
}

static int gave_up_calls;
static void on_gave_up(struct atoll_netif *nif, void *arg)
{
    (void)nif;
    (void)arg;
    gave_up_calls++;
}

/* Advance to until in 0.1 s steps; the client's last message in *last,
 * the number of them returned. */
static int messages_until(struct t_dev *d, atoll_time_t until,
                          struct cmsg *last)
{
    struct cmsg c;
    int n = 0;

    while (t_now < until) {
        t_advance(SEC / 10);
        while (take(d, &c) == NULL) {
            *last = c;
            n++;
        }
    }
    return n;
}

/* --dhcp-timeout: with a limit and no first lease, the warning at 30 s,
 * then at the limit one error naming --ipv4 and --dhcp-timeout, the
 * caller told once, no message sent after and a late offer ignored; a
 * limit under 30 s comes without the warning; a lease in time lifts the
 * limit for good (a lease lost later is asked for without end). */
static const char *limit_gives_up(void)
{
    struct t_dev *d = t_dev_new(4, false, false);
    struct atoll_ip4_config fixed = {T_IP(9), 24, 0};
    atoll_time_t start = t_now;
    struct cmsg last = {0};
    uint8_t m[300];
    const char *log;

    gave_up_calls = 0;
    t_log_console(1);
    t_capture_start();
    T_ASSERT(atoll_netif_start_dhcp_limited(d->nif, 45 * SEC, on_gave_up,
                                            NULL) == 0);
    T_ASSERT(messages_until(d, start + 44 * SEC, &last) >= 4);
    log = t_captured(NULL);
    T_ASSERT(log_lines(log, "warn", "no lease after 30 s") == 1);
    T_ASSERT(log_lines(log, "error", "dhcp") == 0 && gave_up_calls == 0);
    T_ASSERT(messages_until(d, start + 46 * SEC, &last) >= 0);
    log = t_captured(NULL);
    T_ASSERT(log_lines(log, "error", "no lease in 45 s, giving up") == 1);
    T_ASSERT(log_lines(log, "error", "--ipv4=ADDR/PREFIX") == 1);
    T_ASSERT(log_lines(log, "error", "--dhcp-timeout=SECONDS") == 1);
    T_ASSERT(gave_up_calls == 1);
    T_ASSERT(messages_until(d, start + 300 * SEC, &last) == 0);
    uint64_t ignored = d->nif->stats.dhcp_ignored;
    struct smsg o = {.type = 2, .xid = last.xid, .yiaddr = OFFER,
                     .server = SERVER, .mask = 0xffffff00u, .lease = 3600,
                     .chaddr = d->dev.mac};
    reply(d, ATOLL_IP4_BROADCAST, m, server_msg(m, &o));
    T_ASSERT(d->nif->stats.dhcp_ignored == ignored + 1);
    T_ASSERT(messages_until(d, t_now + SEC, &last) == 0);
    T_ASSERT(log_lines(t_captured(NULL), "error", "dhcp") == 1);
    T_ASSERT(gave_up_calls == 1);
    T_ASSERT(atoll_netif_set_ipv4(d->nif, &fixed) == 0);

    /* A limit under the warning's 30 s: the error alone. */
    struct t_dev *e = t_dev_new(5, false, false);
    t_capture_start();
    start = t_now;
    T_ASSERT(atoll_netif_start_dhcp_limited(e->nif, 10 * SEC, on_gave_up,
                                            NULL) == 0);
    messages_until(e, start + 9 * SEC, &last);
    T_ASSERT(gave_up_calls == 1);
    messages_until(e, start + 11 * SEC, &last);
    log = t_captured(NULL);
    T_ASSERT(log_lines(log, "error", "no lease in 10 s, giving up") == 1);
    T_ASSERT(gave_up_calls == 2);
    T_ASSERT(messages_until(e, start + 40 * SEC, &last) == 0);
    T_ASSERT(log_lines(t_captured(NULL), "warn", "dhcp") == 0);
    T_ASSERT(gave_up_calls == 2);
    T_ASSERT(atoll_netif_set_ipv4(e->nif, &fixed) == 0);

    /* A lease in time, then lost at expiry: asked for again, no limit. */
    struct t_dev *f = t_dev_new(6, false, false);
    t_capture_start();
    start = t_now;
    T_ASSERT(atoll_netif_start_dhcp_limited(f->nif, 20 * SEC, on_gave_up,
                                            NULL) == 0);
    T_CHECK(acquire(f, 60));
    T_ASSERT(messages_until(f, start + 400 * SEC, &last) > 0);
    log = t_captured(NULL);
    t_capture_stop();
    t_log_console(0);
    T_ASSERT(log_lines(log, "warn", "lease expired") == 1);
    T_ASSERT(log_lines(log, "error", "dhcp") == 0 && gave_up_calls == 2);
    T_ASSERT(last.type == 1); /* still discovering */
    T_ASSERT(atoll_netif_set_ipv4(f->nif, &fixed) == 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(progress_log); /* first: no other client runs yet */
    RUN(limit_gives_up);
    RUN(full_exchange);
    RUN(malformed_and_foreign);
    RUN(retransmit_backoff);
    RUN(renew_rebind_expire);
    RUN(nak_restarts);
    RUN(infinite_lease_no_timer);
    RUN(stopped_from_handler);
    return t_finish();
}
