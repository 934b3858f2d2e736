/*
 * UDP (RFC 768): sockets bound to a port, checksums always sent and
 * checked when present, ICMP port unreachable for unicast datagrams to
 * closed ports.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#define EPH_LOW 49152 /* RFC 6335 dynamic ports: 49152-65535 */
#define EPH_COUNT 16384

static struct atoll_udp *lookup(struct atoll_netif *nif, uint16_t port)
{
    for (struct atoll_udp *s = nif->udp; s != NULL; s = s->next)
        if (s->port == port)
            return s;
    return NULL;
}

int atoll_udp_bind(struct atoll_netif *nif, uint16_t port,
                   struct atoll_udp **sockp)
{
    struct atoll_udp *s;

    if (nif == NULL || sockp == NULL)
        return ATOLL_ERR_INVAL;
    if (port == 0) {
        /* Start at a random place so ports are hard to guess (RFC 6056). */
        for (int i = 0; i < EPH_COUNT; i++) {
            uint16_t p = (uint16_t)(EPH_LOW + (nif->udp_eph++ % EPH_COUNT));

            if (lookup(nif, p) == NULL) {
                port = p;
                break;
            }
        }
        if (port == 0)
            return ATOLL_ERR_ADDRINUSE;
        nif->udp_eph += (uint16_t)(net_random(nif) % 64);
    } else if (lookup(nif, port) != NULL) {
        return ATOLL_ERR_ADDRINUSE;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return ATOLL_ERR_NOMEM;
    s->nif = nif;
    s->port = port;
    s->max_dgrams = UDP_QUEUE_DGRAMS;
    s->max_bytes = UDP_QUEUE_BYTES;
    s->next = nif->udp;
    nif->udp = s;
    *sockp = s;
    return 0;
}

uint16_t atoll_udp_port(const struct atoll_udp *s)
{
    return s->port;
}

void atoll_udp_set_handler(struct atoll_udp *s, atoll_udp_fn fn, void *arg)
{
    s->fn = fn;
    s->arg = arg;
}

void atoll_udp_set_queue(struct atoll_udp *s, size_t max_dgrams,
                         size_t max_bytes)
{
    s->max_dgrams = max_dgrams;
    s->max_bytes = max_bytes;
}

static void drop_queue(struct atoll_udp *s)
{
    while (s->qhead != NULL) {
        struct udp_dgram *d = s->qhead;

        s->qhead = d->next;
        free(d);
    }
    s->qtail = NULL;
    s->qdgrams = s->qbytes = 0;
}

void atoll_udp_close(struct atoll_udp *s)
{
    struct atoll_udp **pp;

    if (s == NULL)
        return;
    for (pp = &s->nif->udp; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    drop_queue(s);
    free(s);
}

int udp_output(struct atoll_netif *nif, uint32_t src, uint16_t sport,
               uint32_t dst, uint16_t dport, size_t len)
{
    uint8_t *u = net_tx_payload(nif);
    size_t ulen = UDP_HLEN + len;
    uint16_t c;
    int r;

    if (src == 0)
        src = nif->ip.addr;
    put16(u + UDP_SPORT, sport);
    put16(u + UDP_DPORT, dport);
    put16(u + UDP_LEN, (uint16_t)ulen);
    put16(u + UDP_CKSUM, 0);
    c = net_cksum(net_sum(u, ulen, net_pseudo_sum(src, dst, IP_PROTO_UDP,
                                                  ulen)));
    put16(u + UDP_CKSUM, c == 0 ? 0xffff : c); /* 0 would mean "no checksum" */
    r = ip4_output(nif, src, dst, IP_PROTO_UDP, ulen, false);
    if (r == 0)
        nif->stats.udp_tx++;
    return r;
}

int atoll_udp_sendto(struct atoll_udp *s, atoll_ip4_t dst, uint16_t port,
                     const void *data, size_t len)
{
    struct atoll_netif *nif = s->nif;

    if (port == 0 || dst == 0 || (len > 0 && data == NULL))
        return ATOLL_ERR_INVAL;
    if (len > IP4_MAX - IP4_HLEN - UDP_HLEN)
        return ATOLL_ERR_MSGSIZE;
    memcpy(net_tx_payload(nif) + UDP_HLEN, data, len);
    return udp_output(nif, 0, s->port, dst, port, len);
}

long atoll_udp_recv(struct atoll_udp *s, void *buf, size_t size,
                    atoll_ip4_t *src, uint16_t *port)
{
    struct udp_dgram *d = s->qhead;
    long len;

    if (d == NULL)
        return ATOLL_ERR_AGAIN;
    s->qhead = d->next;
    if (s->qhead == NULL)
        s->qtail = NULL;
    s->qdgrams--;
    s->qbytes -= d->len;
    memcpy(buf, d->data, d->len < size ? d->len : size);
    if (src != NULL)
        *src = d->src;
    if (port != NULL)
        *port = d->sport;
    len = (long)d->len;
    free(d);
    return len;
}

void udp_input(struct atoll_netif *nif, const struct ip4_pkt *ip)
{
    const uint8_t *u = ip->data;
    size_t ulen;
    struct atoll_udp *s;
    struct atoll_udp_dgram dg;

    if (ip->len < UDP_HLEN) {
        nif->stats.udp_short++;
        return;
    }
    ulen = get16(u + UDP_LEN);
    if (ulen < UDP_HLEN || ulen > ip->len) {
        nif->stats.udp_bad_len++;
        return;
    }
    if (get16(u + UDP_CKSUM) != 0 && !ip->csum_ok &&
        net_cksum(net_sum(u, ulen, net_pseudo_sum(ip->src, ip->dst,
                                                  IP_PROTO_UDP, ulen))) != 0) {
        nif->stats.udp_checksum++;
        return;
    }
    s = lookup(nif, get16(u + UDP_DPORT));
    if (s == NULL) {
        nif->stats.udp_no_port++;
        if (!ip->bcast)
            icmp_error(nif, ip, ICMP_UNREACH, ICMP_UNREACH_PORT);
        return;
    }
    nif->stats.udp_rx++;
    dg.src = ip->src;
    dg.dst = ip->dst;
    dg.sport = get16(u);
    dg.dport = s->port;
    dg.data = u + UDP_HLEN;
    dg.len = ulen - UDP_HLEN;
    if (s->fn != NULL) {
        s->fn(s, &dg, s->arg);
        return;
    }
    if (s->qdgrams >= s->max_dgrams || s->qbytes + dg.len > s->max_bytes) {
        nif->stats.udp_queue_full++;
        return;
    }
    struct udp_dgram *d = malloc(sizeof *d + dg.len);
    if (d == NULL) {
        nif->stats.udp_queue_full++;
        return;
    }
    d->next = NULL;
    d->src = dg.src;
    d->sport = dg.sport;
    d->len = dg.len;
    memcpy(d->data, dg.data, dg.len);
    if (s->qtail != NULL)
        s->qtail->next = d;
    else
        s->qhead = d;
    s->qtail = d;
    s->qdgrams++;
    s->qbytes += d->len;
    net_wake_all(&s->waitq);
}
