/*
 * SipHash-2-4 (Aumasson and Bernstein), a keyed hash: the stack uses it
 * for ephemeral ports, initial sequence numbers (RFC 6528), SYN cookies
 * and the connection table, so that none of them can be predicted or
 * flooded by someone who does not know the interface's secret.
 */
#include "net_internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                           \
    do {                                                                   \
        v0 += v1;                                                          \
        v1 = ROTL(v1, 13);                                                 \
        v1 ^= v0;                                                          \
        v0 = ROTL(v0, 32);                                                 \
        v2 += v3;                                                          \
        v3 = ROTL(v3, 16);                                                 \
        v3 ^= v2;                                                          \
        v0 += v3;                                                          \
        v3 = ROTL(v3, 21);                                                 \
        v3 ^= v0;                                                          \
        v2 += v1;                                                          \
        v1 = ROTL(v1, 17);                                                 \
        v1 ^= v2;                                                          \
        v2 = ROTL(v2, 32);                                                 \
    } while (0)

static uint64_t le64(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

uint64_t net_siphash(const uint64_t key[2], const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t v0 = 0x736f6d6570736575ull ^ key[0];
    uint64_t v1 = 0x646f72616e646f6dull ^ key[1];
    uint64_t v2 = 0x6c7967656e657261ull ^ key[0];
    uint64_t v3 = 0x7465646279746573ull ^ key[1];
    uint64_t m;
    size_t left = len;

    for (; left >= 8; p += 8, left -= 8) {
        m = le64(p, 8);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    m = le64(p, left) | (uint64_t)(len & 0xff) << 56;
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}
