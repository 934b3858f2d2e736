/*
 * The index's keyed hash: SipHash-1-3 (one compression round per word,
 * three finalisation rounds), written from the SipHash paper. Keys may
 * come from a network peer, so the hash key is random per store.
 */
#include "kv_internal.h"

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

uint64_t kv_hash(const uint64_t key[2], const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint64_t v0 = key[0] ^ 0x736f6d6570736575ull;
    uint64_t v1 = key[1] ^ 0x646f72616e646f6dull;
    uint64_t v2 = key[0] ^ 0x6c7967656e657261ull;
    uint64_t v3 = key[1] ^ 0x7465646279746573ull;
    uint64_t m, b = (uint64_t)len << 56;
    size_t i;

    for (; len >= 8; p += 8, len -= 8) {
        m = get64(p);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    for (i = 0; i < len; i++)
        b |= (uint64_t)p[i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}
