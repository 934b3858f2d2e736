/*
 * One console line from a target's bindings: "PREFIX: text\n", cut to
 * fit a line buffer (virtio_say and xen_say are this with their prefix).
 * Built into the virtio and xen archives only, not BIND_COMMON_SRCS: the
 * hvt probe images link without libc's vsnprintf.
 */
#include <stdio.h>

#include "bindings.h"

void bind_vsay(const char *prefix, const char *fmt, va_list ap)
{
    char line[200];
    int n;

    n = snprintf(line, sizeof line, "%s: ", prefix);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    atoll_console_write(line, (size_t)n);
}
