/* atoll_set_tls_base on every x86-64 target: the FS base MSR. */
#include <stdint.h>

#include "../common/bindings.h"

#define MSR_FS_BASE 0xc0000100u

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
