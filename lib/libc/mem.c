/*
 * memcpy, memmove, memset, memcmp, memchr, memrchr.
 *
 * Forward copies and fills of REP_MIN bytes or more use the x86-64 string
 * instructions (rep movsq / rep stosq): real CPUs run them fast, and where
 * KVM emulates every instruction (the project's machines) one rep
 * instruction costs a fraction of a loop. Shorter ones, and backward
 * copies, move 8 bytes at a time when both pointers share their alignment.
 * The compiler must not turn these loops back into calls
 * to memcpy/memset (that would recurse): module.mk builds this file with
 * -ffreestanding and, for gcc, -fno-tree-loop-distribute-patterns.
 */
#include <stdint.h>
#include <string.h>

/* A word type allowed to alias any object, so word access is not UB. */
typedef uint64_t __attribute__((__may_alias__)) word_t;
#define WSIZE sizeof(word_t)
#define WMASK (WSIZE - 1)

#define REP_MIN 64

/* The ABI guarantees the direction flag is clear on function entry. */
static void rep_movsq(unsigned char **d, const unsigned char **s, size_t n)
{
    __asm__ volatile("rep movsq"
                     : "+D"(*d), "+S"(*s), "+c"(n)
                     :
                     : "memory");
}

static void rep_stosq(unsigned char **d, word_t w, size_t n)
{
    __asm__ volatile("rep stosq" : "+D"(*d), "+c"(n) : "a"(w) : "memory");
}

static void copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= REP_MIN) {
        rep_movsq(&d, &s, n / WSIZE);
        n &= WMASK;
    } else if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
        while (n > 0 && ((uintptr_t)d & WMASK) != 0) {
            *d++ = *s++;
            n--;
        }
        for (; n >= WSIZE; n -= WSIZE, d += WSIZE, s += WSIZE)
            *(word_t *)(void *)d = *(const word_t *)(const void *)s;
    }
    while (n-- > 0)
        *d++ = *s++;
}

static void copy_bwd(unsigned char *d, const unsigned char *s, size_t n)
{
    d += n;
    s += n;
    if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
        while (n > 0 && ((uintptr_t)d & WMASK) != 0) {
            *--d = *--s;
            n--;
        }
        for (; n >= WSIZE; n -= WSIZE) {
            d -= WSIZE;
            s -= WSIZE;
            *(word_t *)(void *)d = *(const word_t *)(const void *)s;
        }
    }
    while (n-- > 0)
        *--d = *--s;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    copy_fwd(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    /* Compare as integers: the pointers may point into different objects. */
    if ((uintptr_t)dst <= (uintptr_t)src)
        copy_fwd(dst, src, n);
    else
        copy_bwd(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char b = (unsigned char)c;

    while (n > 0 && ((uintptr_t)d & WMASK) != 0) {
        *d++ = b;
        n--;
    }
    if (n >= WSIZE) {
        word_t w = b * (word_t)0x0101010101010101ULL;

        if (n >= REP_MIN) {
            rep_stosq(&d, w, n / WSIZE);
            n &= WMASK;
        }
        for (; n >= WSIZE; n -= WSIZE, d += WSIZE)
            *(word_t *)(void *)d = w;
    }
    while (n-- > 0)
        *d++ = b;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for (; n > 0; n--, p++, q++) {
        if (*p != *q)
            return *p - *q;
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    unsigned char b = (unsigned char)c;

    for (; n > 0; n--, p++) {
        if (*p == b)
            return (void *)(uintptr_t)p;
    }
    return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    unsigned char b = (unsigned char)c;

    while (n-- > 0) {
        if (p[n] == b)
            return (void *)(uintptr_t)(p + n);
    }
    return NULL;
}
