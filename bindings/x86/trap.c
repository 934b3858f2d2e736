/*
 * Fatal CPU exceptions on the virtio and xen targets: the one line of
 * fault.c on the console, then the abort exit (x86_halt).
 */
#include <stdint.h>

#include "x86.h"

struct trap_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

void x86_trap(const struct trap_frame *f, uint64_t cr2);

static int in_trap;

void x86_trap(const struct trap_frame *f, uint64_t cr2)
{
    char msg[X86_FAULT_LINE_MAX];
    struct atoll_trap_info fault = {
        .vector = f->vector,
        .error_code = f->error_code,
        .rip = f->rip,
        .rsp = f->rsp,
        .rflags = f->rflags,
        .cr2 = cr2,
    };

    /* A fault while reporting a fault: stop without more work. */
    if (in_trap++)
        x86_halt(X86_EXIT_ABORT);
    x86_puts(msg, x86_fault_line(msg, &fault));
    x86_halt(X86_EXIT_ABORT);
}
