/*
 * arc4random: ChaCha20 as a fast-key-erasure generator (the OpenBSD way,
 * kept small): each block's first 32 bytes replace the key, the other 32
 * are handed out, so earlier output cannot be recomputed from the state.
 * The first key comes from atoll_entropy (RDRAND where the CPU has it).
 */
#include <atoll/platform.h>
#include <stdlib.h>
#include <string.h>

#include "chacha20.h"

#define ROTL(x, n) ((x) << (n) | (x) >> (32 - (n)))
#define QR(a, b, c, d) \
    do { \
        a += b; d ^= a; d = ROTL(d, 16); \
        c += d; b ^= c; b = ROTL(b, 12); \
        a += b; d ^= a; d = ROTL(d, 8); \
        c += d; b ^= c; b = ROTL(b, 7); \
    } while (0)

void __atoll_chacha20_block(const uint32_t key[8], uint32_t counter,
                            const uint32_t nonce[3], uint8_t out[64])
{
    uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    uint32_t x[16];
    int i;

    memcpy(in + 4, key, 32);
    in[12] = counter;
    memcpy(in + 13, nonce, 12);
    memcpy(x, in, sizeof(x));
    for (i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

static struct {
    uint32_t key[8];
    uint32_t counter;
    uint8_t buf[32];
    unsigned avail; /* unused bytes at the end of buf */
    int seeded;
} rs;

static void refill(void)
{
    static const uint32_t nonce[3];
    uint8_t block[64];

    if (!rs.seeded) {
        atoll_entropy(rs.key, sizeof(rs.key));
        rs.seeded = 1;
    }
    __atoll_chacha20_block(rs.key, rs.counter++, nonce, block);
    memcpy(rs.key, block, 32);
    memcpy(rs.buf, block + 32, 32);
    explicit_bzero(block, sizeof(block));
    rs.avail = 32;
}

void arc4random_buf(void *buf, size_t n)
{
    uint8_t *p = buf;

    while (n > 0) {
        size_t k;

        if (rs.avail == 0)
            refill();
        k = n < rs.avail ? n : rs.avail;
        /* Hand out from the end and wipe what was handed out. */
        memcpy(p, rs.buf + sizeof(rs.buf) - rs.avail, k);
        memset(rs.buf + sizeof(rs.buf) - rs.avail, 0, k);
        rs.avail -= (unsigned)k;
        p += k;
        n -= k;
    }
}

uint32_t arc4random(void)
{
    uint32_t v;

    arc4random_buf(&v, sizeof(v));
    return v;
}

/* Uniform below upper: reject the values below 2^32 % upper. */
uint32_t arc4random_uniform(uint32_t upper)
{
    uint32_t min, r;

    if (upper < 2)
        return 0;
    min = -upper % upper;
    do
        r = arc4random();
    while (r < min);
    return r % upper;
}
