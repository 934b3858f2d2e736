/*
 * Waiting until the deadline: SCHEDOP_poll on no event channel with the
 * deadline as its timeout (Xen's system time is our monotonic clock)
 * blocks the vCPU until then. No device gives events yet, so nothing is
 * ever ready. Should Xen refuse the poll, SCHEDOP_yield gives the CPU
 * away between looks at the clock.
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

#define XEN_SCHEDOP_POLL 3

struct sched_poll {
    uint64_t ports; /* guest address of the evtchn_port_t array */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout; /* absolute system time (ns); 0: none */
};

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    while (atoll_clock_monotonic() < deadline) {
        struct sched_poll p = {.timeout = deadline};
        if (xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_POLL,
                           (uint64_t)(uintptr_t)&p) < 0)
            xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
    }
    if (ready != NULL)
        *ready = 0;
}

/* bindings/x86/vectors.S sends every interrupt here;
 * the xen target enables none yet. */
void x86_irq_dispatch(uint64_t vector)
{
    char msg[] = "atoll: unexpected interrupt vector 000\n";
    msg[35] = (char)('0' + vector / 100 % 10);
    msg[36] = (char)('0' + vector / 10 % 10);
    msg[37] = (char)('0' + vector % 10);
    x86_putstr(msg);
    xen_shutdown(XEN_SHUTDOWN_CRASH);
}
