/*
 * The header builders of headers.h.
 */
#include "headers.h"

#include <string.h>

#include "../../../lib/net/net_internal.h"

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
