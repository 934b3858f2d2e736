/*
 * lib/net fuzzing support: checked device, record runner (the fake
 * platform's clock and entropy are tests/lib's fake.c, log and panic
 * fakelog.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/rt/rt_internal.h"
#include "../lib/fake.h"
#include "../unit/net/headers.h"
#include "fuzz_net.h"

const uint8_t f_mac[6] = {2, 0, 0, 0, 0, 2};
const uint8_t f_peer_mac[6] = {2, 0, 0, 0, 0, 7};
uint32_t f_dhcp_xid;
uint16_t f_tcp_sport, f_tcp_dport;
uint32_t f_tcp_next, f_tcp_ack;

static void die(const char *why, const uint8_t *f, size_t len)
{
    fprintf(stderr, "fuzz-net: the stack sent a bad frame: %s (%zu bytes)\n",
            why, len);
    (void)f;
    abort();
}

/* Every frame the stack sends must be well formed. */
static int check_transmit(void *ctx, const void *frame, size_t len)
{
    struct atoll_netif *nif = *(struct atoll_netif **)ctx;
    const uint8_t *f = frame, *p = f + ETH_HLEN;
    size_t hlen, total;

    if (len < ETH_HLEN || len > nif->dev.mtu + ETH_HLEN)
        die("length", f, len);
    if (memcmp(f + 6, f_mac, 6) != 0)
        die("source MAC", f, len);
    if (get16(f + 12) == ETH_TYPE_ARP) {
        if (len < ETH_HLEN + 28)
            die("short ARP", f, len);
        return 0;
    }
    if (get16(f + 12) != ETH_TYPE_IP4)
        die("EtherType", f, len);
    hlen = (size_t)(p[0] & 15) * 4;
    total = get16(p + 2);
    if (p[0] != 0x45 || total + ETH_HLEN != len || total < hlen)
        die("IPv4 lengths", f, len);
    if (net_cksum(net_sum(p, hlen, 0)) != 0)
        die("IPv4 checksum", f, len);
    if (total > nif->mtu)
        die("over the interface MTU", f, len);
    if ((get16(p + 6) & 0x3fff) != 0)
        return 0; /* a fragment */
    uint32_t src = get32(p + 12), dst = get32(p + 16);
    const uint8_t *l4 = p + hlen;
    size_t l4len = total - hlen;
    switch (p[9]) {
    case IP_PROTO_ICMP:
        if (net_cksum(net_sum(l4, l4len, 0)) != 0)
            die("ICMP checksum", f, len);
        break;
    case IP_PROTO_UDP:
        if (l4len >= UDP_HLEN + 8 && get16(l4) == 68)
            f_dhcp_xid = get32(l4 + UDP_HLEN + 4);
        goto l4sum;
    case IP_PROTO_TCP:
        if (l4len >= 20 && (size_t)(l4[12] >> 4) * 4 <= l4len) {
            size_t off = (size_t)(l4[12] >> 4) * 4;
            f_tcp_sport = get16(l4);
            f_tcp_dport = get16(l4 + 2);
            f_tcp_next = get32(l4 + 4) + (uint32_t)(l4len - off) +
                         ((l4[13] & 3) != 0 ? 1 : 0);
            f_tcp_ack = get32(l4 + 8);
        }
    l4sum:
        if (net_cksum(net_sum(l4, l4len,
                              net_pseudo_sum(src, dst, p[9], l4len))) != 0)
            die(p[9] == IP_PROTO_UDP ? "UDP checksum" : "TCP checksum", f,
                len);
        break;
    default:
        die("protocol", f, len);
    }
    return 0;
}

static struct atoll_netif *the_nif;

void f_advance(atoll_time_t ns)
{
    atoll_time_t end = t_now + ns, next;

    while (rt_timers_next(&next) && next <= end) {
        if (next > t_now)
            t_now = next;
        rt_timers_run(t_now);
        atoll_netif_flush(the_nif);
    }
    t_now = end;
}

struct atoll_netif *f_setup(bool bare)
{
    struct atoll_netdev dev = {.mtu = 1500, .transmit = check_transmit,
                               .ctx = &the_nif};
    struct atoll_ip4_config cfg = {F_ADDR, 24, ATOLL_IP4(10, 0, 0, 1)};

    t_now = 1000000000000ull;
    t_seed_entropy(1);
    memcpy(dev.mac, f_mac, 6);
    the_nif = atoll_netif_create(&dev);
    if (the_nif == NULL)
        abort();
    if (!bare) {
        uint8_t a[28] = {0, 1, 8, 0, 6, 4, 0, 1};

        atoll_netif_set_ipv4(the_nif, &cfg);
        /* An ARP request from the peer teaches its MAC. */
        memcpy(a + 8, f_peer_mac, 6);
        put32(a + 14, F_PEER);
        put32(a + 24, F_ADDR);
        arp_input(the_nif, a, sizeof a);
    }
    return the_nif;
}

void f_run(struct atoll_netif *nif, const uint8_t *data, size_t size,
           f_record_fn fn)
{
    atoll_time_t next;

    while (size >= 3) {
        uint8_t flags = data[0];
        size_t len = get16(data + 1);

        data += 3;
        size -= 3;
        if (len > size)
            len = size;
        f_advance((atoll_time_t)(flags >> 4) * 250000000ull);
        fn(nif, flags, data, len);
        atoll_netif_flush(nif);
        data += len;
        size -= len;
    }
    f_advance(5000000000ull);
    atoll_netif_destroy(nif);
    the_nif = NULL;
    if (rt_timers_next(&next)) {
        fprintf(stderr, "fuzz-net: a timer outlived the interface\n");
        abort();
    }
}

void f_fix_l4(uint8_t proto, uint32_t src, uint32_t dst, uint8_t *l4,
              size_t len)
{
    switch (proto) {
    case IP_PROTO_ICMP:
        if (len >= 4) {
            put16(l4 + 2, 0);
            put16(l4 + 2, net_cksum(net_sum(l4, len, 0)));
        }
        break;
    case IP_PROTO_UDP:
        if (len >= 8) {
            put16(l4 + 6, 0);
            put16(l4 + 6, net_cksum(net_sum(l4, len,
                                            net_pseudo_sum(src, dst, proto,
                                                           len))));
        }
        break;
    case IP_PROTO_TCP:
        if (len >= 20) {
            put16(l4 + 16, 0);
            put16(l4 + 16, net_cksum(net_sum(l4, len,
                                             net_pseudo_sum(src, dst, proto,
                                                            len))));
        }
        break;
    }
}

void f_send_ip(struct atoll_netif *nif, uint32_t src, uint32_t dst,
               uint8_t proto, const uint8_t *payload, size_t len)
{
    static uint8_t f[ETH_HLEN + IP4_MAX];
    uint8_t *p = f + ETH_HLEN;

    if (len > IP4_MAX - IP4_HLEN)
        len = IP4_MAX - IP4_HLEN;
    t_eth(f, f_mac, f_peer_mac, ETH_TYPE_IP4);
    t_ip4(p, src, dst, proto, len, 0, 0);
    memcpy(p + IP4_HLEN, payload, len);
    f_input(nif, f, ETH_HLEN + IP4_HLEN + len);
}

void f_input(struct atoll_netif *nif, const uint8_t *frame, size_t len)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);

    if (copy == NULL)
        abort();
    memcpy(copy, frame, len);
    atoll_netif_input(nif, copy, len);
    free(copy);
}
