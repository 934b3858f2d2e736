/*
 * The _FORTIFY_SOURCE entry points that glibc-built objects (Debian's
 * libbearssl.a) call: the copy with a check that it fits the destination
 * object the compiler saw. A failed check stops the unikernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

static _Noreturn void chk_fail(void)
{
    fputs("*** buffer overflow detected ***: terminated\n", stderr);
    abort();
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail();
    return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail();
    return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail();
    return memset(dst, c, n);
}
