/*
 * The frame builders and parsers of frames.h.
 */
#include <stddef.h>

#include "frames.h"

const uint8_t t_peer_mac[6] = {2, 0, 0, 0, 0, 0xfe};

void t_net_init(int argc, char **argv)
{
    t_init(argc, argv);
    t_hooks(t_net_reset, t_net_cleanup);
}

/* ---- frames ----------------------------------------------------------- */

size_t t_ip_frame(uint8_t *f, const struct t_dev *d, uint32_t src,
                  uint32_t dst, uint8_t proto, const void *payload,
                  size_t len)
{
    t_eth(f, d->dev.mac, t_peer_mac, ETH_TYPE_IP4);
    t_ip4(f + ETH_HLEN, src, dst, proto, len, 0x4242, 0);
    memcpy(f + ETH_HLEN + IP4_HLEN, payload, len);
    return ETH_HLEN + IP4_HLEN + len;
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
