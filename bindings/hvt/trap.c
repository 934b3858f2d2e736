/*
 * Fatal CPU exceptions. The facts go to the tender in a struct
 * atoll_trap_info halt cookie when it offers ATOLL_EXT_F_TRAP_REPORT
 * (atoll-hvt prints them and dies of the matching signal, e.g. SIGSEGV
 * for a page fault); otherwise (solo5-hvt) they are
 * printed on the console first (bindings/x86/fault.c's line, as on the
 * virtio and xen targets) and the guest halts with status 255.
 */
#include <stdint.h>

#include "../x86/x86.h"
#include "hvt_bind.h"

struct trap_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

void hvt_trap(const struct trap_frame *f, uint64_t cr2);

static struct atoll_trap_info info;
static int in_trap;

static void report(void)
{
    char msg[X86_FAULT_LINE_MAX];
    hvt_puts(msg, x86_fault_line(msg, &info));
}

void hvt_trap(const struct trap_frame *f, uint64_t cr2)
{
    /* A fault while reporting a fault: stop without more work. */
    if (in_trap++)
        hvt_halt(ATOLL_EXIT_ABORT, 0);
    info.magic = ATOLL_TRAP_MAGIC;
    info.vector = f->vector;
    info.error_code = f->error_code;
    info.rip = f->rip;
    info.rsp = f->rsp;
    info.rflags = f->rflags;
    info.cr2 = cr2;
    if (bind_ext_features & ATOLL_EXT_F_TRAP_REPORT)
        hvt_halt(ATOLL_EXIT_ABORT, &info);
    report();
    hvt_halt(ATOLL_EXIT_ABORT, 0);
}
