/* Exit and abort (the TLS base: bindings/x86/tls.c). */
#include "hvt_bind.h"

_Noreturn void hvt_halt(int status, const void *cookie)
{
    struct atoll_hvt_hc_halt h = {
        .cookie = (uint64_t)(uintptr_t)cookie,
        .exit_status = status,
    };
    hvt_net_flush();
    for (;;)
        hvt_hypercall(ATOLL_HVT_HC_HALT, &h);
}

_Noreturn void atoll_exit(int status)
{
    hvt_halt(status & 0xff, 0);
}

_Noreturn void atoll_abort(void)
{
    hvt_halt(ATOLL_EXIT_ABORT, 0);
}
