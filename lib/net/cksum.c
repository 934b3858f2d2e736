/*
 * The Internet checksum (RFC 1071). The sum is computed on native-endian
 * 32-bit loads and swapped once at the end: one's complement addition does
 * not care about byte order except for that final swap (RFC 1071 2.(B)).
 */
#include <string.h>

#include "net_internal.h"

uint32_t net_sum(const void *data, size_t len, uint32_t sum)
{
    const uint8_t *p = data;
    uint64_t acc = 0;
    uint32_t v;

    while (len >= 16) {
        uint32_t w[4];

        memcpy(w, p, sizeof w);
        acc += (uint64_t)w[0] + w[1] + w[2] + w[3];
        p += 16;
        len -= 16;
    }
    while (len >= 4) {
        uint32_t w;

        memcpy(&w, p, 4);
        acc += w;
        p += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t h;

        memcpy(&h, p, 2);
        acc += h;
        p += 2;
        len -= 2;
    }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (len != 0)
        acc += p[0]; /* the high byte of a big-endian word, swapped below */
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    v = (uint32_t)(((acc >> 8) | (acc << 8)) & 0xffff);
#else
    if (len != 0)
        acc += (uint32_t)p[0] << 8;
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    v = (uint32_t)acc;
#endif
    sum = (sum & 0xffff) + (sum >> 16); /* keep room for many pieces */
    return sum + v;
}

uint16_t net_cksum(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto,
                        size_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
           proto + (uint32_t)len;
}
