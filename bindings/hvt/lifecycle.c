/* Exit, abort and the TLS base. */
#include "hvt_bind.h"

#define MSR_FS_BASE 0xc0000100u

_Noreturn void hvt_halt(int status, const void *cookie)
{
    struct atoll_hvt_hc_halt h = {
        .cookie = (uint64_t)(uintptr_t)cookie,
        .exit_status = status,
    };
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

enum atoll_result atoll_set_tls_base(uintptr_t base)
{
    /* wrmsr faults on a non-canonical address. */
    uint64_t top = (uint64_t)base >> 47;
    if (top != 0 && top != 0x1ffff)
        return ATOLL_EINVAL;
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(MSR_FS_BASE), "a"((uint32_t)base),
                           "d"((uint32_t)((uint64_t)base >> 32))
                         : "memory");
    return ATOLL_OK;
}
