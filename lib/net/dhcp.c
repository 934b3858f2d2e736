/*
 * DHCPv4 client (RFC 2131, options of RFC 2132): discover, offer,
 * request, ack; renewing at T1 with the server that gave the lease,
 * rebinding at T2 with any server, giving the address up when the lease
 * expires; retransmissions with exponential backoff (RFC 2131 4.1).
 *
 * Progress is logged: that DHCP is tried (info), each retransmission
 * (debug), and, with no lease DHCP_WARN after the start or a lost lease,
 * a warning that names --ipv4 as the way to do without a server. The
 * client keeps asking, unless it was started with a limit: with no first
 * lease by then it stops, logs an error and tells its caller (the guest's
 * platform glue ends the unikernel: a server without an address serves
 * nobody, and a supervisor can restart it). A lease lost later is asked
 * for again without limit: the server may come back.
 *
 * Not done: the ARP probe of an offered address before using it (RFC 2131
 * 2.2 says SHOULD; a conflict is still noticed and logged by ARP), and the
 * random start delay (a unikernel boots once and wants its address now).
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_MIN_LEN 300 /* BOOTP's minimum message */
#define SEC 1000000000ull
#define DHCP_WARN (30 * SEC) /* without a lease: warn */

enum {
    OPT_PAD = 0,
    OPT_MASK = 1,
    OPT_ROUTER = 3,
    OPT_REQUESTED = 50,
    OPT_LEASE = 51,
    OPT_OVERLOAD = 52,
    OPT_TYPE = 53,
    OPT_SERVER = 54,
    OPT_PARAMS = 55,
    OPT_MAXSIZE = 57,
    OPT_T1 = 58,
    OPT_T2 = 59,
    OPT_CLIENT_ID = 61,
    OPT_END = 255,
};

enum {
    DHCPDISCOVER = 1,
    DHCPOFFER = 2,
    DHCPREQUEST = 3,
    DHCPDECLINE = 4,
    DHCPACK = 5,
    DHCPNAK = 6,
};

enum dhcp_state {
    D_SELECTING,
    D_REQUESTING,
    D_BOUND,
    D_RENEWING,
    D_REBINDING,
};

struct dhcp {
    struct atoll_netif *nif;
    struct atoll_udp *sock;
    enum dhcp_state state;
    uint32_t xid;
    unsigned tries;
    atoll_time_t started; /* of this exchange, for the secs field */
    uint32_t offered, server;
    atoll_time_t t1, t2, expiry; /* absolute, while a lease is held */
    struct atoll_timer timer;
    struct atoll_timer give_up; /* armed while there is no lease */
    atoll_time_t boot;          /* when the client started */
    atoll_time_t limit;         /* for the first lease; 0: none */
    bool bound_once;
    bool stopped; /* gave up: deaf and silent */
    atoll_netif_fn gave_up;
    void *gave_up_arg;
    /* The application, called when the address changes, may stop DHCP
     * from inside our handlers: then the struct is freed on the way out. */
    int busy;
    bool dead;
};

/* What a server's message said. */
struct dhcp_msg {
    uint8_t type;
    uint32_t yiaddr, server, mask, router;
    uint32_t lease, t1, t2; /* seconds; lease 0 if absent */
    bool has_mask;
};

static const char *state_name[] = {"selecting", "requesting", "bound",
                                   "renewing", "rebinding"};

/* ---- sending ---------------------------------------------------------- */

static uint8_t *opt(uint8_t *o, uint8_t code, const void *v, uint8_t len)
{
    o[0] = code;
    o[1] = len;
    memcpy(o + 2, v, len);
    return o + 2 + len;
}

static uint8_t *opt32(uint8_t *o, uint8_t code, uint32_t v)
{
    uint8_t b[4];

    put32(b, v);
    return opt(o, code, b, 4);
}

static void send_msg(struct dhcp *d, uint8_t type)
{
    struct atoll_netif *nif = d->nif;
    uint8_t *m = net_tx_payload(nif) + UDP_HLEN, *o;
    uint8_t b[ATOLL_NET_ALEN + 1];
    bool unicast = d->state == D_RENEWING;
    atoll_time_t secs = (net_now() - d->started) / SEC;
    static const uint8_t params[] = {OPT_MASK, OPT_ROUTER, OPT_LEASE,
                                     OPT_SERVER, OPT_T1, OPT_T2};

    memset(m, 0, DHCP_MIN_LEN);
    m[BOOTP_OP] = BOOTP_REQUEST;
    m[BOOTP_HTYPE] = BOOTP_HTYPE_ETHER;
    m[BOOTP_HLEN] = ATOLL_NET_ALEN;
    put32(m + BOOTP_XID, d->xid);
    put16(m + BOOTP_SECS, (uint16_t)(secs > 0xffff ? 0xffff : secs));
    /* Without an address we cannot receive unicasts to the offered one
     * before it is configured: ask for broadcast replies. */
    if (nif->ip.addr == 0)
        put16(m + BOOTP_FLAGS, BOOTP_FLAG_BROADCAST);
    if (d->state == D_RENEWING || d->state == D_REBINDING)
        put32(m + BOOTP_CIADDR, nif->ip.addr);
    memcpy(m + BOOTP_CHADDR, nif->dev.mac, ATOLL_NET_ALEN);
    put32(m + BOOTP_FIXED, DHCP_MAGIC);
    o = m + BOOTP_OPTIONS;
    o = opt(o, OPT_TYPE, &type, 1);
    b[0] = BOOTP_HTYPE_ETHER;
    memcpy(b + 1, nif->dev.mac, ATOLL_NET_ALEN);
    o = opt(o, OPT_CLIENT_ID, b, sizeof b);
    put16(b, 1500);
    o = opt(o, OPT_MAXSIZE, b, 2);
    if (type == DHCPREQUEST && d->state == D_REQUESTING) {
        o = opt32(o, OPT_REQUESTED, d->offered);
        o = opt32(o, OPT_SERVER, d->server);
    }
    o = opt(o, OPT_PARAMS, params, sizeof params);
    *o++ = OPT_END;
    size_t len = (size_t)(o - m) < DHCP_MIN_LEN ? DHCP_MIN_LEN
                                                 : (size_t)(o - m);
    udp_output(nif, unicast ? nif->ip.addr : 0, DHCP_CLIENT_PORT,
               unicast ? d->server : ATOLL_IP4_BROADCAST, DHCP_SERVER_PORT,
               len);
}

/* RFC 2131 4.1: 4, 8, 16, 32, 64 seconds, each randomised by +-1 s. */
static atoll_time_t backoff(struct dhcp *d)
{
    unsigned shift = d->tries < 4 ? d->tries : 4;
    atoll_time_t base = (4ull << shift) * SEC;

    return base - SEC + net_random(d->nif) % (2 * SEC);
}

static void dhcp_timer(struct atoll_timer *t, void *arg);

static void arm(struct dhcp *d, atoll_time_t when)
{
    atoll_timer_arm(&d->timer, when, dhcp_timer, d);
}

static void enter(struct dhcp *d);
static void leave(struct dhcp *d);

/* True while the first lease is awaited under a limit. */
static bool limited(const struct dhcp *d)
{
    return d->limit != 0 && !d->bound_once;
}

/* Stop asking: no more messages; the caller is told. */
static void stop(struct dhcp *d)
{
    d->stopped = true;
    atoll_timer_cancel(&d->timer);
    atoll_log(ATOLL_LOG_ERROR, "net: dhcp: no lease in %llu s, giving up; "
              "without a DHCP server, give the address with "
              "--ipv4=ADDR/PREFIX (and --ipv4-gateway=ADDR), or wait "
              "longer with --dhcp-timeout=SECONDS (0: forever)",
              (unsigned long long)(d->limit / SEC));
    if (d->gave_up != NULL) {
        enter(d);
        d->gave_up(d->nif, d->gave_up_arg);
        leave(d);
    }
}

static void give_up_timer(struct atoll_timer *t, void *arg)
{
    struct dhcp *d = arg;
    atoll_time_t now = net_now();

    (void)t;
    if (limited(d) && now >= d->boot + d->limit) {
        stop(d);
        return;
    }
    atoll_log(ATOLL_LOG_WARN, "net: dhcp: no lease after %llu s, still "
              "asking; without a DHCP server, give the address with "
              "--ipv4=ADDR/PREFIX (and --ipv4-gateway=ADDR)",
              (unsigned long long)(DHCP_WARN / SEC));
    if (limited(d))
        atoll_timer_arm(&d->give_up, d->boot + d->limit, give_up_timer, d);
}

/* Start counting the time without a lease: the warning, or the limit if
 * that comes first. */
static void lease_wanted(struct dhcp *d)
{
    atoll_time_t when = net_now() + DHCP_WARN;

    atoll_log(ATOLL_LOG_INFO, "net: dhcp: asking for an IPv4 address");
    if (limited(d) && d->boot + d->limit < when)
        when = d->boot + d->limit;
    atoll_timer_arm(&d->give_up, when, give_up_timer, d);
}

static void discover(struct dhcp *d)
{
    d->state = D_SELECTING;
    d->xid = (uint32_t)net_random(d->nif);
    d->tries = 0;
    d->started = net_now();
    send_msg(d, DHCPDISCOVER);
    arm(d, net_now() + backoff(d));
}

/* Renewing and rebinding retransmit after half the time left to T2 or the
 * expiry, but not more often than once a minute (RFC 2131 4.4.5). */
static atoll_time_t half_way(atoll_time_t now, atoll_time_t until)
{
    atoll_time_t wait = until > now ? (until - now) / 2 : 0;

    if (wait < 60 * SEC)
        wait = 60 * SEC;
    return now + wait < until ? now + wait : until;
}

static void enter(struct dhcp *d)
{
    d->busy++;
}

static void leave(struct dhcp *d)
{
    if (--d->busy == 0 && d->dead)
        free(d);
}

/* Lose the lease (the application is told). */
static void unbind(struct dhcp *d)
{
    struct atoll_ip4_config none = {0, 0, 0};

    if (d->nif->ip.addr != 0) {
        lease_wanted(d);
        netif_configure(d->nif, &none);
    }
}

static void dhcp_timer(struct atoll_timer *t, void *arg)
{
    struct dhcp *d = arg;
    atoll_time_t now = net_now();

    (void)t;
    enter(d);
    switch (d->state) {
    case D_SELECTING:
        d->tries++;
        NET_DEBUG("dhcp: no offer yet, discover again (try %u)",
                  d->tries + 1);
        send_msg(d, DHCPDISCOVER);
        arm(d, now + backoff(d));
        break;
    case D_REQUESTING:
        if (++d->tries >= 4) {
            NET_DEBUG("dhcp: no answer to the request, discover again");
            discover(d);
            break;
        }
        NET_DEBUG("dhcp: no answer to the request yet, again (try %u)",
                  d->tries + 1);
        send_msg(d, DHCPREQUEST);
        arm(d, now + backoff(d));
        break;
    case D_BOUND:
    case D_RENEWING:
        if (now >= d->t2) {
            d->state = D_REBINDING;
            NET_DEBUG("dhcp: rebinding");
            send_msg(d, DHCPREQUEST);
            arm(d, half_way(now, d->expiry));
            break;
        }
        if (d->state == D_BOUND) {
            d->state = D_RENEWING;
            d->xid = (uint32_t)net_random(d->nif);
            d->started = now;
            NET_DEBUG("dhcp: renewing");
        }
        send_msg(d, DHCPREQUEST);
        arm(d, half_way(now, d->t2));
        break;
    case D_REBINDING:
        if (now >= d->expiry) {
            atoll_log(ATOLL_LOG_WARN, "net: dhcp: lease expired");
            unbind(d);
            if (!d->dead)
                discover(d);
            break;
        }
        send_msg(d, DHCPREQUEST);
        arm(d, half_way(now, d->expiry));
        break;
    }
    leave(d);
}

/* ---- receiving -------------------------------------------------------- */

/* Parse the options of a server message into msg; false if malformed. */
static bool parse_options(const uint8_t *o, size_t len, struct dhcp_msg *msg)
{
    size_t i = 0;

    while (i < len) {
        uint8_t code = o[i], l;

        if (code == OPT_PAD) {
            i++;
            continue;
        }
        if (code == OPT_END)
            return true;
        if (i + 2 > len || i + 2 + (l = o[i + 1]) > len)
            return false;
        const uint8_t *v = o + i + 2;
        switch (code) {
        case OPT_TYPE:
            if (l != 1)
                return false;
            msg->type = v[0];
            break;
        case OPT_MASK:
            if (l != 4)
                return false;
            msg->mask = get32(v);
            msg->has_mask = true;
            break;
        case OPT_ROUTER: /* a list: the first is preferred */
            if (l < 4 || l % 4 != 0)
                return false;
            msg->router = get32(v);
            break;
        case OPT_SERVER:
            if (l != 4)
                return false;
            msg->server = get32(v);
            break;
        case OPT_LEASE:
        case OPT_T1:
        case OPT_T2:
            if (l != 4)
                return false;
            if (code == OPT_LEASE)
                msg->lease = get32(v);
            else if (code == OPT_T1)
                msg->t1 = get32(v);
            else
                msg->t2 = get32(v);
            break;
        default:
            break; /* OPT_OVERLOAD included: only options field is read */
        }
        i += 2 + (size_t)l;
    }
    return false; /* no end option */
}

/* The prefix length of a contiguous mask, or -1. */
static int prefix_of(uint32_t mask)
{
    int n = 0;

    while (n < 32 && (mask & (0x80000000u >> n)) != 0)
        n++;
    if (n < 32 && (mask << n) != 0)
        return -1;
    return n;
}

static void bind_lease(struct dhcp *d, const struct dhcp_msg *msg)
{
    struct atoll_netif *nif = d->nif;
    struct atoll_ip4_config cfg;
    atoll_time_t now = net_now();
    uint32_t lease = msg->lease, t1 = msg->t1, t2 = msg->t2;
    int prefix;

    /* Sane times: a tiny lease would make us spin; T1 < T2 < lease. */
    if (lease < 10)
        lease = 10;
    if (t2 == 0 || t2 >= lease)
        t2 = (uint32_t)((uint64_t)lease * 7 / 8);
    if (t1 == 0 || t1 >= t2)
        t1 = lease / 2;
    if (msg->has_mask && (prefix = prefix_of(msg->mask)) >= 0 && prefix > 0) {
        cfg.prefix = (unsigned)prefix;
    } else {
        uint32_t top = msg->yiaddr >> 24; /* the class's own mask */
        cfg.prefix = top < 128 ? 8 : top < 192 ? 16 : 24;
    }
    cfg.addr = msg->yiaddr;
    cfg.gateway = msg->router;
    uint32_t m = cfg.prefix == 0 ? 0 : 0xffffffffu << (32 - cfg.prefix);
    if (cfg.gateway != 0 &&
        (((cfg.gateway ^ cfg.addr) & m) != 0 || cfg.gateway == cfg.addr)) {
        atoll_log(ATOLL_LOG_WARN, "net: dhcp: router not on the subnet, "
                  "ignored");
        cfg.gateway = 0;
    }
    d->state = D_BOUND;
    atoll_timer_cancel(&d->give_up);
    d->bound_once = true;
    d->server = msg->server != 0 ? msg->server : d->server;
    d->tries = 0;
    if (msg->lease == 0xffffffffu) { /* infinite */
        d->t1 = d->t2 = d->expiry = UINT64_MAX;
        atoll_timer_cancel(&d->timer);
    } else {
        d->t1 = now + (atoll_time_t)t1 * SEC;
        d->t2 = now + (atoll_time_t)t2 * SEC;
        d->expiry = now + (atoll_time_t)lease * SEC;
        arm(d, d->t1);
    }
    NET_DEBUG("dhcp: bound, lease %u s", (unsigned)lease);
    if (nif->ip.addr != cfg.addr || nif->ip.prefix != cfg.prefix ||
        nif->ip.gateway != cfg.gateway)
        netif_configure(nif, &cfg);
}

static void handle(struct dhcp *d, const struct atoll_udp_dgram *dg);

static void dhcp_input(struct atoll_udp *s, const struct atoll_udp_dgram *dg,
                       void *arg)
{
    struct dhcp *d = arg;

    (void)s;
    if (d->stopped) {
        d->nif->stats.dhcp_ignored++;
        return;
    }
    enter(d);
    handle(d, dg);
    leave(d);
}

static void handle(struct dhcp *d, const struct atoll_udp_dgram *dg)
{
    struct atoll_netif *nif = d->nif;
    const uint8_t *m = dg->data;
    struct dhcp_msg msg;

    if (dg->sport != DHCP_SERVER_PORT || dg->len < BOOTP_OPTIONS ||
        m[BOOTP_OP] != BOOTP_REPLY || m[BOOTP_HTYPE] != BOOTP_HTYPE_ETHER ||
        m[BOOTP_HLEN] != ATOLL_NET_ALEN ||
        get32(m + BOOTP_FIXED) != DHCP_MAGIC) {
        nif->stats.dhcp_malformed++;
        return;
    }
    memset(&msg, 0, sizeof msg);
    if (!parse_options(m + BOOTP_OPTIONS, dg->len - BOOTP_OPTIONS,
                       &msg) ||
        msg.type == 0) {
        nif->stats.dhcp_malformed++;
        return;
    }
    if (get32(m + BOOTP_XID) != d->xid ||
        memcmp(m + BOOTP_CHADDR, nif->dev.mac, ATOLL_NET_ALEN) != 0) {
        nif->stats.dhcp_ignored++;
        return;
    }
    msg.yiaddr = get32(m + BOOTP_YIADDR);

    switch (msg.type) {
    case DHCPOFFER: {
        uint32_t a = msg.yiaddr, top = a >> 24;
        if (d->state != D_SELECTING || msg.server == 0 || top == 0 ||
            top == 127 || (a >> 28) >= 14) {
            nif->stats.dhcp_ignored++;
            return;
        }
        d->offered = a;
        d->server = msg.server;
        d->state = D_REQUESTING;
        d->tries = 0;
        send_msg(d, DHCPREQUEST);
        arm(d, net_now() + backoff(d));
        return;
    }
    case DHCPACK:
        if (d->state == D_SELECTING || d->state == D_BOUND ||
            (d->state == D_REQUESTING && msg.yiaddr != d->offered) ||
            ((d->state == D_RENEWING || d->state == D_REBINDING) &&
             msg.yiaddr != nif->ip.addr) ||
            msg.lease == 0) {
            nif->stats.dhcp_ignored++;
            return;
        }
        {
            uint32_t a = msg.yiaddr, top = a >> 24;
            if (top == 0 || top == 127 || (a >> 28) >= 14) {
                nif->stats.dhcp_malformed++;
                return;
            }
        }
        bind_lease(d, &msg);
        return;
    case DHCPNAK:
        if (d->state == D_SELECTING || d->state == D_BOUND ||
            (msg.server != 0 && d->state != D_REBINDING &&
             msg.server != d->server)) {
            nif->stats.dhcp_ignored++;
            return;
        }
        atoll_log(ATOLL_LOG_WARN, "net: dhcp: server refused (%s)",
                  state_name[d->state]);
        unbind(d);
        if (!d->dead)
            discover(d);
        return;
    default:
        nif->stats.dhcp_ignored++;
        return;
    }
}

int atoll_netif_start_dhcp(struct atoll_netif *nif)
{
    return atoll_netif_start_dhcp_limited(nif, 0, NULL, NULL);
}

int atoll_netif_start_dhcp_limited(struct atoll_netif *nif,
                                   atoll_time_t limit, atoll_netif_fn gave_up,
                                   void *arg)
{
    struct dhcp *d;
    int r;

    if (nif->dhcp != NULL)
        return 0;
    d = calloc(1, sizeof *d);
    if (d == NULL)
        return ATOLL_ERR_NOMEM;
    r = atoll_udp_bind(nif, DHCP_CLIENT_PORT, &d->sock);
    if (r != 0) {
        free(d);
        return r;
    }
    d->nif = nif;
    d->boot = net_now();
    d->limit = limit;
    d->gave_up = gave_up;
    d->gave_up_arg = arg;
    atoll_timer_init(&d->timer);
    atoll_timer_init(&d->give_up);
    atoll_udp_set_handler(d->sock, dhcp_input, d);
    nif->dhcp = d;
    lease_wanted(d);
    discover(d);
    return 0;
}

void dhcp_destroy(struct atoll_netif *nif)
{
    struct dhcp *d = nif->dhcp;

    if (d == NULL)
        return;
    atoll_timer_cancel(&d->timer);
    atoll_timer_cancel(&d->give_up);
    atoll_udp_close(d->sock);
    nif->dhcp = NULL;
    if (d->busy > 0)
        d->dead = true;
    else
        free(d);
}
