/*
 * What the objects $(B)/lib/m.a takes from Debian's musl-dev (libm and
 * strtod; see lib/libc/module.mk) need from a libc besides each other:
 * musl's internal errno accessor (musl's own reads its thread block at
 * %fs:0, which is not Atoll's layout) and __uflow, which strtod's string
 * reader never reaches (it reads a string through a FILE whose end is
 * (void *)-1) but references. __stack_chk_fail comes from lib/rt.
 */
#include <errno.h>


/* Not renamed for the host tests: musl's objects call these names. */
int *musl_errno_location(void) __asm__("___errno_location");
int musl_uflow(void *f) __asm__("__uflow");

int *musl_errno_location(void)
{
    return &errno;
}

int musl_uflow(void *f)
{
    (void)f;
    return -1; /* EOF */
}
