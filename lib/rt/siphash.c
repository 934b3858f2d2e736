/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012), restricted to messages that
 * are whole 64-bit words: all the runtime ever hashes. Equal to the
 * byte-oriented SipHash of the words' little-endian bytes.
 */
#include "siphash.h"

static uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

struct sip {
    uint64_t v0, v1, v2, v3;
};

static void sipround(struct sip *s)
{
    s->v0 += s->v1;
    s->v1 = rotl(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = rotl(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = rotl(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = rotl(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = rotl(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = rotl(s->v2, 32);
}

/* Two compression rounds per message word. */
static void compress(struct sip *s, uint64_t m)
{
    s->v3 ^= m;
    sipround(s);
    sipround(s);
    s->v0 ^= m;
}

uint64_t rt_siphash(const uint64_t key[2], const uint64_t *w, size_t n)
{
    struct sip s = {
        .v0 = key[0] ^ 0x736f6d6570736575ull,
        .v1 = key[1] ^ 0x646f72616e646f6dull,
        .v2 = key[0] ^ 0x6c7967656e657261ull,
        .v3 = key[1] ^ 0x7465646279746573ull,
    };

    for (size_t i = 0; i < n; i++)
        compress(&s, w[i]);
    /* The last block holds the message length in bytes (mod 256) in its
     * top byte; with whole words it has no other message bytes. */
    compress(&s, (uint64_t)(n * 8) << 56);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; i++)
        sipround(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
