/*
 * Stack protector canary seeding. Built with -fno-stack-protector (see
 * module.mk): it runs before the canary has its final value.
 */
#include <stdint.h>

#include "bindings.h"

/* Read by every function built with -fstack-protector and
 * -mstack-protector-guard=global; the failure handler lives in lib/rt. */
uintptr_t __stack_chk_guard;

void bind_ssp_init(void)
{
    uint64_t v;

    atoll_entropy(&v, sizeof v);
    /* A zero low byte stops string functions from copying past the canary
     * and from leaking it (as glibc does). */
    __stack_chk_guard = (uintptr_t)(v & ~(uint64_t)0xff);
}
