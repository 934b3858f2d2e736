/*
 * atoll_panic and the stack protector's failure handler.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "atoll/rt.h"

_Noreturn void atoll_panic(const char *fmt, ...)
{
    static int panicking;
    char buf[256];
    va_list ap;
    int n;

    /* A panic while panicking (in fflush or the formatting) stops at once. */
    if (panicking++)
        atoll_abort();
    fflush(stdout);
    memcpy(buf, "panic: ", 7);
    va_start(ap, fmt);
    n = vsnprintf(buf + 7, sizeof buf - 8, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    n += 7;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    atoll_console_write(buf, (size_t)n);
    atoll_abort();
}

/* Called by code built with -fstack-protector when a canary was
 * overwritten: the caller's frame is not to be trusted, so do not return. */
_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
    atoll_panic("stack smashing detected");
}
