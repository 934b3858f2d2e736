/*
 * Leveled logging to the console, and the --log boot parameter.
 */
#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

static const char *const level_names[] = {"error", "warn", "info", "debug"};

static enum atoll_log_level current = ATOLL_LOG_INFO;
static atoll_time_t boot_time;

static int level_of(const char *name)
{
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (strcmp(name, level_names[i]) == 0)
            return (int)i;
    }
    return -1;
}

static const char *check_level(const char *value)
{
    if (level_of(value) < 0)
        return "not one of error, warn, info, debug";
    return NULL;
}

ATOLL_PARAM_STRING_CHECKED(log_param_value, "log", "info", check_level,
                           "LEVEL", "log level: error, warn, info or debug");

void rt_log_init(void)
{
    int l = level_of(log_param_value);

    boot_time = atoll_clock_monotonic();
    if (l >= 0)
        current = (enum atoll_log_level)l;
}

bool atoll_log_enabled(enum atoll_log_level level)
{
    return level <= current;
}

void atoll_log_set_level(enum atoll_log_level level)
{
    if (level > ATOLL_LOG_DEBUG)
        level = ATOLL_LOG_DEBUG;
    current = level;
}

void atoll_vlog(enum atoll_log_level level, const char *fmt, va_list ap)
{
    char buf[512];
    atoll_time_t t;
    size_t n;
    int k;

    if (!atoll_log_enabled(level))
        return;
    t = atoll_clock_monotonic() - boot_time;
    k = snprintf(buf, sizeof buf, "[%5llu.%06llu] %s: ",
                 (unsigned long long)(t / 1000000000u),
                 (unsigned long long)(t % 1000000000u / 1000u),
                 level_names[level]);
    n = k > 0 ? (size_t)k : 0;
    k = vsnprintf(buf + n, sizeof buf - n, fmt, ap);
    if (k > 0)
        n += (size_t)k;
    /* Mark a cut message, and end every line with a newline. A line that
     * fills the buffer to the last byte is whole if that byte is its
     * newline. */
    if (n > sizeof buf - 1 || (n == sizeof buf - 1 && buf[n - 1] != '\n')) {
        n = sizeof buf - 1;
        memcpy(buf + n - 4, "...", 3);
        buf[n - 1] = '\n';
    } else if (n == 0 || buf[n - 1] != '\n') {
        buf[n++] = '\n';
    }
    /* Keep the order of the application's buffered output. */
    fflush(stdout);
    atoll_console_write(buf, n);
}

void atoll_log(enum atoll_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    atoll_vlog(level, fmt, ap);
    va_end(ap);
}
