/*
 * SHA-1 as FIPS 180-4 section 6.1.2 computes it: 512-bit blocks, a
 * message schedule of 80 words kept as a rolling window of 16, four
 * rounds of 20 steps with their own function and constant (section
 * 4.1.1, 4.2.1), the length in bits after a 1 bit and zeros (5.1.1).
 */
#include "atoll/sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, unsigned n)
{
    return x << n | x >> (32 - n);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

    for (int t = 0; t < 16; t++)
        w[t] = be32(p + 4 * t);
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t >= 16) /* W(t) = ROTL1(W(t-3) ^ W(t-8) ^ W(t-14) ^ W(t-16)) */
            w[t & 15] = rol(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^
                            w[(t - 14) & 15] ^ w[t & 15], 1);
        if (t < 20) {
            f = (b & c) | (~b & d); /* Ch */
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d; /* Parity */
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d); /* Maj */
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t tmp = rol(a, 5) + f + e + k + w[t & 15];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void atoll_sha1_init(struct atoll_sha1 *c)
{
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    c->h[4] = 0xc3d2e1f0;
    c->bytes = 0;
    c->n = 0;
}

void atoll_sha1_update(struct atoll_sha1 *c, const void *data, size_t len)
{
    const uint8_t *p = data;

    c->bytes += len;
    if (c->n > 0) {
        size_t k = 64 - c->n < len ? 64 - c->n : len;
        memcpy(c->buf + c->n, p, k);
        c->n += k;
        p += k;
        len -= k;
        if (c->n < 64)
            return;
        block(c->h, c->buf);
        c->n = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        block(c->h, p);
    if (len > 0)
        memcpy(c->buf, p, len);
    c->n = len;
}

void atoll_sha1_final(struct atoll_sha1 *c, uint8_t out[ATOLL_SHA1_LEN])
{
    uint64_t bits = c->bytes * 8;

    /* A 1 bit, zeros up to 56 bytes of the last block, the length. */
    c->buf[c->n++] = 0x80;
    if (c->n > 56) {
        memset(c->buf + c->n, 0, 64 - c->n);
        block(c->h, c->buf);
        c->n = 0;
    }
    memset(c->buf + c->n, 0, 56 - c->n);
    for (int i = 0; i < 8; i++)
        c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    block(c->h, c->buf);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

void atoll_sha1(const void *data, size_t len, uint8_t out[ATOLL_SHA1_LEN])
{
    struct atoll_sha1 c;

    atoll_sha1_init(&c);
    atoll_sha1_update(&c, data, len);
    atoll_sha1_final(&c, out);
}
