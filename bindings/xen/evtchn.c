/*
 * Event channels, 2-level ABI (event_channel.h): a port's pending and
 * mask bits are in the shared info page. No upcall vector is set up, so
 * events are only ever seen by looking: SCHEDOP_poll blocks the vCPU
 * until one of the ports it is given is pending (Xen wakes pollers of a
 * port whether it is masked or not) or its timeout, and the pending bit
 * stays set until we clear it.
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

static uint32_t watch_port[XEN_EVTCHN_WATCH_MAX];
static atoll_handle_t watch_handle[XEN_EVTCHN_WATCH_MAX];
static unsigned nwatch;

static volatile uint64_t *bits(size_t off, uint32_t port)
{
    return (volatile uint64_t *)(uintptr_t)(xen_shinfo_addr() + off) +
           port / 64;
}

int xen_evtchn_alloc_unbound(uint16_t remote, uint32_t *port)
{
    struct xen_evtchn_alloc_unbound a = {.dom = XEN_DOMID_SELF,
                                         .remote_dom = remote};

    if (xen_hypercall2(XEN_HC_EVENT_CHANNEL_OP, XEN_EVTCHNOP_ALLOC_UNBOUND,
                       (uint64_t)(uintptr_t)&a) != 0 ||
        a.port >= 64 * 64) /* beyond the 2-level ABI's bitmaps */
        return -1;
    __atomic_fetch_or(bits(XEN_SHINFO_EVTCHN_MASK, a.port),
                      1ull << (a.port % 64), __ATOMIC_SEQ_CST);
    *port = a.port;
    return 0;
}

int xen_evtchn_close(uint32_t port)
{
    uint32_t p = port;

    return xen_hypercall2(XEN_HC_EVENT_CHANNEL_OP, XEN_EVTCHNOP_CLOSE,
                          (uint64_t)(uintptr_t)&p) == 0
               ? 0
               : -1;
}

void xen_evtchn_notify(uint32_t port)
{
    uint32_t p = port;
    xen_hypercall2(XEN_HC_EVENT_CHANNEL_OP, XEN_EVTCHNOP_SEND,
                   (uint64_t)(uintptr_t)&p);
}

bool xen_evtchn_test_and_clear(uint32_t port)
{
    uint64_t bit = 1ull << (port % 64);
    return (__atomic_fetch_and(bits(XEN_SHINFO_EVTCHN_PENDING, port), ~bit,
                               __ATOMIC_SEQ_CST) &
            bit) != 0;
}

/* SCHEDOP_poll on n ports (none: a timed sleep); SCHEDOP_yield should
 * Xen refuse it, so a caller's loop on the clock still gives the CPU
 * away. */
static void poll(uint32_t *ports, unsigned n, uint64_t deadline)
{
    struct sched_poll p = {.ports = (uint64_t)(uintptr_t)ports,
                           .nr_ports = n,
                           .timeout = deadline};
    if (xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_POLL,
                       (uint64_t)(uintptr_t)&p) < 0)
        xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
}

void xen_evtchn_wait(uint32_t port, uint64_t deadline)
{
    uint32_t p = port;

    if (atoll_clock_monotonic() < deadline)
        poll(&p, 1, deadline);
}

int xen_evtchn_watch(uint32_t port, atoll_handle_t handle)
{
    if (nwatch == XEN_EVTCHN_WATCH_MAX || handle >= 64)
        return -1;
    watch_port[nwatch] = port;
    watch_handle[nwatch] = handle;
    nwatch++;
    return 0;
}

atoll_handle_set_t xen_evtchn_poll(uint64_t deadline)
{
    atoll_handle_set_t ready = 0;

    /* A port already pending makes the poll return at once. */
    if (atoll_clock_monotonic() < deadline)
        poll(watch_port, nwatch, deadline);
    for (unsigned i = 0; i < nwatch; i++)
        if (xen_evtchn_test_and_clear(watch_port[i]))
            ready |= 1ull << watch_handle[i];
    return ready;
}
