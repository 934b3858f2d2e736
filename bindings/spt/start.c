/*
 * spt entry point and image notes. Built with -fno-stack-protector (see
 * module.mk): _start runs before the canary is seeded.
 */
#include <stdint.h>

#include "atoll/abi/note.h"
#include "spt.h"

const char bind_target_name[] = "spt";

struct spt_state spt = {.epollfd = -1, .timerfd = -1};

/* The "ABI1" note: this image is for the spt tender, ABI version 2. */
const struct atoll_abi_note atoll_abi_note
    __attribute__((section(ATOLL_ABI_NOTE_SECTION), aligned(4), used)) = {
        .h = {.n_namesz = sizeof(ATOLL_NOTE_NAME),
              .n_descsz = sizeof(struct atoll_abi_info),
              .n_type = ATOLL_NOTE_TYPE_ABI,
              .n_name = ATOLL_NOTE_NAME},
        .i = {.abi_target = ATOLL_ABI_TARGET_SPT,
              .abi_version = ATOLL_SPT_ABI_VERSION},
};

_Noreturn void _start(const struct atoll_spt_boot_info *bi);

/*
 * The tender calls here with %rdi = boot info and the stack at the top of
 * guest memory. The boot info, manifest and command line stay in low guest
 * memory for the whole run, so keeping pointers to them is fine.
 */
_Noreturn void _start(const struct atoll_spt_boot_info *bi)
{
    const struct atoll_ext *ext;
    static const uint32_t mxcsr_default = 0x1f80;

    /* The x87 control word (0x37f) and MXCSR (0x1f80: round to nearest,
     * exceptions masked) at their defaults, whatever the tender's own code
     * left in them: the guest's floating point does not depend on it. */
    __asm__ __volatile__("fninit\n\tldmxcsr %0" : : "m"(mxcsr_default));
    bind_ssp_init();

    spt.epollfd = bi->epollfd;
    spt.timerfd = bi->timerfd;
    bind_mft_init((const struct atoll_mft *)(uintptr_t)bi->mft);
    bind_cmdline_init((const char *)(uintptr_t)bi->cmdline);
    ext = bind_ext_find(bi->cmdline, ATOLL_SPT_CMDLINE_SIZE);
    bind_ext_features = ext != NULL ? ext->features : 0;
    spt_clock_init(ext);
    bind_heap_init(bi->kernel_end, bi->mem_size);

    atoll_rt_start();
}
