/*
 * Entry point of an hvt image. The tender enters in 64-bit mode with
 * paging on, %rdi = boot info and %rsp = mem_size - 8.
 *
 * Built with -fno-stack-protector: the canary is seeded here.
 */
#include "hvt_bind.h"


const char bind_target_name[] = "hvt";

_Noreturn void _start(const struct atoll_hvt_boot_info *bi);

_Noreturn void _start(const struct atoll_hvt_boot_info *bi)
{
    bind_ssp_init();
    hvt_cpu_init();

    const struct atoll_ext *ext =
        bind_ext_find(bi->cmdline, ATOLL_HVT_CMDLINE_SIZE);
    bind_ext_features = ext != NULL ? ext->features : 0;

    hvt_clock_init(bi->cpu_cycle_freq);
    bind_mft_init((const struct atoll_mft *)(uintptr_t)bi->mft);
    bind_cmdline_init((const char *)(uintptr_t)bi->cmdline);
    bind_heap_init(bi->kernel_end, bi->mem_size);
    hvt_net_init(bi);
    atoll_rt_start();
}
