/*
 * lib/rt's logging and panic for host test programs built without
 * lib/rt/log.c and panic.c (the network tests and fuzzers): a log line is
 * formatted always (so the sanitizers check its arguments) and printed,
 * as "# ...", when TEST_LOG is set; a panic prints "# panic: ..." and
 * aborts (a fuzzer's finding, a unit test's crash).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "atoll/rt.h"

bool atoll_log_enabled(enum atoll_log_level level)
{
    (void)level;
    return getenv("TEST_LOG") != NULL;
}

void atoll_vlog(enum atoll_log_level level, const char *fmt, va_list ap)
{
    char line[512];

    vsnprintf(line, sizeof line, fmt, ap);
    if (atoll_log_enabled(level))
        printf("# %s\n", line);
}

void atoll_log(enum atoll_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    atoll_vlog(level, fmt, ap);
    va_end(ap);
}

_Noreturn void atoll_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("# panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    abort();
}
