/*
 * rand/random: glibc's additive feedback generator (TYPE_3: x[i] =
 * x[i-3] + x[i-31]), so a seeded program prints what it prints on glibc;
 * h_stdlib2.c compares. Not for secrets: use arc4random.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define DEG 31
#define SEP 3

static uint32_t state[DEG];
static int front = SEP, rear = 0, seeded;

static uint32_t next(void)
{
    uint32_t r;

    state[front] += state[rear];
    r = state[front] >> 1;
    front = front + 1 == DEG ? 0 : front + 1;
    rear = rear + 1 == DEG ? 0 : rear + 1;
    return r;
}

void srandom(unsigned int seed)
{
    int32_t word = (int32_t)(seed == 0 ? 1 : seed);

    state[0] = (uint32_t)word;
    for (int i = 1; i < DEG; i++) {
        /* 16807 * word % (2^31 - 1) without overflow (Schrage). */
        int32_t hi = word / 127773, lo = word % 127773;

        word = 16807 * lo - 2836 * hi;
        if (word < 0)
            word += 2147483647;
        state[i] = (uint32_t)word;
    }
    front = SEP;
    rear = 0;
    seeded = 1;
    for (int i = 0; i < 10 * DEG; i++)
        next();
}

long random(void)
{
    if (!seeded)
        srandom(1);
    return (long)next();
}

void srand(unsigned int seed)
{
    srandom(seed);
}

int rand(void)
{
    return (int)random();
}

/* glibc's rand_r: three steps of an LCG, 11 + 10 + 10 bits. */
int rand_r(unsigned int *seed)
{
    unsigned int n = *seed;
    int r;

    n = n * 1103515245 + 12345;
    r = (int)((n / 65536) % 2048);
    n = n * 1103515245 + 12345;
    r = (r << 10) ^ (int)((n / 65536) % 1024);
    n = n * 1103515245 + 12345;
    r = (r << 10) ^ (int)((n / 65536) % 1024);
    *seed = n;
    return r;
}

void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
    size_t total;

    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, total);
}
