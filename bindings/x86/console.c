/*
 * The console calls every x86-64 target but hvt has in common, over the
 * target's x86_puts (the virtio target's COM1, Xen's PV console).
 */
#include "../common/bindings.h"
#include "x86.h"

void x86_putstr(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    x86_puts(s, n);
}

void atoll_console_write(const char *buf, size_t len)
{
    x86_puts(buf, len);
}
