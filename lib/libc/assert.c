/* The failure path of assert(). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __atoll_assert_fail(const char *expr, const char *file,
                                   int line, const char *func)
{
    fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", file, line, func,
            expr);
    abort();
}
