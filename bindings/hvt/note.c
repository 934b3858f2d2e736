/* The "ABI1" ELF note: this image is for hvt, ABI version 2. */
#include "atoll/abi/hvt.h"

const struct atoll_abi_note atoll_abi_note
    __attribute__((section(ATOLL_ABI_NOTE_SECTION), aligned(4), used)) = {
        .h = {.n_namesz = sizeof(ATOLL_NOTE_NAME),
              .n_descsz = sizeof(struct atoll_abi_info),
              .n_type = ATOLL_NOTE_TYPE_ABI,
              .n_name = ATOLL_NOTE_NAME},
        .i = {.abi_target = ATOLL_ABI_TARGET_HVT,
              .abi_version = ATOLL_HVT_ABI_VERSION},
};
