/*
 * Waiting until the deadline or a device's event: SCHEDOP_poll on the
 * event channels the frontends watch (evtchn.c), with the deadline as
 * its timeout (Xen's system time is our monotonic clock), blocks the
 * vCPU until then. A net handle is ready when its port was pending or
 * its frontend says frames wait (xen_net_ready, netfront's, where
 * linked).
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

extern atoll_handle_set_t xen_net_ready(void) __attribute__((weak));

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    atoll_handle_set_t r = 0;

    for (;;) {
        if (xen_net_ready != NULL)
            r = xen_net_ready() & bind_mft_net_set();
        if (r != 0 || atoll_clock_monotonic() >= deadline)
            break;
        r = xen_evtchn_poll(deadline) & bind_mft_net_set();
        if (r != 0)
            break;
    }
    if (ready != NULL)
        *ready = r;
}

/* bindings/x86/vectors.S sends every interrupt here; the xen target
 * enables none (events are polled, evtchn.c). */
void x86_irq_dispatch(uint64_t vector)
{
    char msg[] = "atoll: unexpected interrupt vector 000\n";
    msg[35] = (char)('0' + vector / 100 % 10);
    msg[36] = (char)('0' + vector / 10 % 10);
    msg[37] = (char)('0' + vector % 10);
    x86_putstr(msg);
    xen_shutdown(XEN_SHUTDOWN_CRASH);
}
