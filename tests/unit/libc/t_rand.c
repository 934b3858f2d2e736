/*
 * stdlib.h generators and helpers: rand family (h_rand.c compares with
 * glibc), arc4random (ChaCha20 against RFC 8439), qsort_r, reallocarray.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/libc/chacha20.h"
#include "../../lib/check.h"
#include "../../lib/fake.h"

void h_rand_compare(void);

static void chacha(void)
{
    /* RFC 8439 2.3.2 */
    uint32_t key[8], nonce[3] = {0x09000000, 0x4a000000, 0x00000000};
    static const uint8_t want[64] = {
        0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd,
        0x1f, 0xa3, 0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0,
        0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2,
        0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05,
        0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e,
        0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
    uint8_t kb[32], out[64];

    t_case("arc4random/chacha20 block (RFC 8439 2.3.2)");
    for (int i = 0; i < 32; i++)
        kb[i] = (uint8_t)i;
    memcpy(key, kb, 32);
    __atoll_chacha20_block(key, 1, nonce, out);
    t_mem(out, 64, want, 64, "keystream block");
}

static void arc4(void)
{
    uint8_t a[100], b[100];
    uint32_t counts[10] = {0};
    int zero_bytes = 0;

    t_case("arc4random");
    t_set_entropy(0x5a);
    arc4random_buf(a, sizeof(a));
    t_int(t_entropy_calls(), 1, "seeded once from atoll_entropy");
    arc4random_buf(b, sizeof(b));
    t_ok(memcmp(a, b, sizeof(a)) != 0, "two draws differ");
    for (int i = 0; i < 100; i++)
        zero_bytes += a[i] == 0;
    t_ok(zero_bytes < 10, "not mostly zero (%d)", zero_bytes);
    arc4random_buf(a, 0);
    arc4random_buf(a, 1);
    arc4random_buf(a, 33);
    t_int(t_entropy_calls(), 1, "still seeded once");
    for (int i = 0; i < 100000; i++) {
        uint32_t r = arc4random_uniform(10);
        if (!t_ok(r < 10, "uniform(10) gave %u", r))
            break;
        counts[r]++;
    }
    for (int i = 0; i < 10; i++)
        t_ok(counts[i] > 9500 && counts[i] < 10500,
             "uniform(10): %d came %u times in 100000", i, counts[i]);
    t_uint(arc4random_uniform(0), 0, "uniform(0)");
    t_uint(arc4random_uniform(1), 0, "uniform(1)");
    for (int i = 0; i < 1000; i++)
        if (!t_ok(arc4random_uniform(0x80000001u) < 0x80000001u, "big bound"))
            break;
    {
        uint32_t x = arc4random(), y = arc4random();
        t_ok(x != y, "arc4random: two values differ");
    }
}

static int by_key(const void *a, const void *b, void *arg)
{
    const int *x = a, *y = b;
    int *calls = arg;

    (*calls)++;
    return (*x > *y) - (*x < *y);
}

static void helpers(void)
{
    int v[200], calls = 0;
    void *p;

    t_case("qsort_r and reallocarray");
    for (int i = 0; i < 200; i++)
        v[i] = (int)(t_rand() % 50) - 25;
    qsort_r(v, 200, sizeof(int), by_key, &calls);
    for (int i = 1; i < 200; i++)
        if (!t_ok(v[i - 1] <= v[i], "sorted at %d", i))
            break;
    t_ok(calls > 0, "arg reaches the comparison");
    qsort_r(v, 0, sizeof(int), by_key, NULL);
    errno = 0;
    t_ok(reallocarray(NULL, SIZE_MAX / 2, 3) == NULL, "overflow refused");
    t_int(errno, ENOMEM, "overflow errno");
    p = reallocarray(NULL, 10, 10);
    t_ok(p != NULL, "10 x 10");
    p = reallocarray(p, 20, 10);
    t_ok(p != NULL, "grown");
    free(p);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    h_rand_compare();
    chacha();
    arc4();
    helpers();
    return t_finish();
}
