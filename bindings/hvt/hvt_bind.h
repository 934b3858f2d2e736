/*
 * Private interface of the hvt bindings: hypercalls, CPU set up, clocks.
 */
#ifndef ATOLL_BINDINGS_HVT_H
#define ATOLL_BINDINGS_HVT_H

#include <stdint.h>

#include "../common/bindings.h"
#include "atoll/abi/ext.h"
#include "atoll/abi/hvt.h"

/*
 * Issue hypercall nr with the argument structure at arg. Guest memory is
 * identity-mapped and below 4 GiB, so the address fits the 32-bit port
 * write. The "memory" clobber orders the argument's stores before the exit
 * and its results' loads after it.
 */
static inline void hvt_hypercall(unsigned nr, volatile void *arg)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((uint32_t)(uintptr_t)arg),
                           "d"((uint16_t)(ATOLL_HVT_PIO_BASE + nr))
                         : "memory");
}

/* Features of the Atoll extension the tender offers (0 on solo5-hvt). */

/* cpu.c: load our GDT (with a TSS for the trap stacks) and IDT; x87 and
 * SSE state to their defaults (control word 0x37f, MXCSR 0x1f80). */
void hvt_cpu_init(void);

/* clock.c: start the clocks from the TSC frequency the tender measured. */
void hvt_clock_init(uint64_t tsc_hz);
/* net.c: use the tender's net ring when it offers one. */
void hvt_net_init(const struct atoll_hvt_boot_info *bi);
/* net.c: wait (boundedly) until the tender took every queued write. */
void hvt_net_flush(void);

/* lifecycle.c: halt with status and an optional cookie. */
_Noreturn void hvt_halt(int status, const void *cookie);

/* console.c */
void hvt_puts(const char *s, uint64_t len);

#endif
