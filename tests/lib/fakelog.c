/*
 * lib/rt's logging and panic for host test programs built without
 * lib/rt/log.c and panic.c (the network tests and fuzzers): a log line is
 * formatted always (so the sanitizers check its arguments) and printed,
 * as "# ...", when TEST_LOG is set; a panic prints "# panic: ..." and
 * aborts (a fuzzer's finding, a unit test's crash). After t_log_console(1)
 * every level is enabled and each line also goes to atoll_console_write as
 * "LEVEL: ...", as lib/rt/log.c writes it, for a console capture to see.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "atoll/platform.h"
#include "atoll/rt.h"
#include "fake.h"

static int to_console;

void t_log_console(int on)
{
    to_console = on;
}

bool atoll_log_enabled(enum atoll_log_level level)
{
    (void)level;
    return to_console || getenv("TEST_LOG") != NULL;
}

void atoll_vlog(enum atoll_log_level level, const char *fmt, va_list ap)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    char line[512], out[540];
    int n;

    vsnprintf(line, sizeof line, fmt, ap);
    if (getenv("TEST_LOG") != NULL)
        printf("# %s\n", line);
    if (to_console && (unsigned)level < 4) {
        n = snprintf(out, sizeof out, "%s: %s\n", names[level], line);
        atoll_console_write(out, n > 0 ? (size_t)n : 0);
    }
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
