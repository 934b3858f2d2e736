/* The console: the PUTS hypercall. */
#include "hvt_bind.h"

void hvt_puts(const char *s, uint64_t len)
{
    struct atoll_hvt_hc_puts p = {.data = (uint64_t)(uintptr_t)s, .len = len};
    hvt_hypercall(ATOLL_HVT_HC_PUTS, &p);
}

void atoll_console_write(const char *buf, size_t len)
{
    hvt_puts(buf, len);
}
