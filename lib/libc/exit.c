/* exit, atexit, _Exit, abort. */
#include <atoll/platform.h>
#include <stdio.h>
#include <stdlib.h>

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;

int atexit(void (*func)(void))
{
    if (nhandlers == ATEXIT_MAX)
        return -1;
    handlers[nhandlers++] = func;
    return 0;
}

_Noreturn void exit(int status)
{
    /* A handler may register another one; it runs too, next. */
    while (nhandlers > 0)
        handlers[--nhandlers]();
    fflush(NULL);
    atoll_exit(status);
}

_Noreturn void _Exit(int status)
{
    atoll_exit(status);
}

_Noreturn void abort(void)
{
    static int aborting;

    /* Keep what the program printed last, unless flushing is what failed. */
    if (!aborting) {
        aborting = 1;
        fflush(stdout);
    }
    atoll_abort();
}
