/*
 * The console: the PV console ring whose page and event channel the HVM
 * parameters CONSOLE_PFN and CONSOLE_EVTCHN give (xenconsoled reads it:
 * xl console, xl create -c). Without one, Xen's console_io hypercall,
 * which a release build of Xen refuses to unprivileged domains.
 * x86_puts is what bindings/x86 (trap.c, paging.c, and console.c's
 * x86_putstr and atoll_console_write) prints with.
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

/* Yields to wait for room in a full ring before giving up on the
 * console (nobody reads it): output must never hang the guest. */
#define FULL_TRIES 10000

static volatile struct xen_console_ring *ring;
static uint32_t port;
static int stalled;

long xen_hvm_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = XEN_DOMID_SELF, .index = index};
    long rc = xen_hypercall2(XEN_HC_HVM_OP, XEN_HVMOP_GET_PARAM,
                             (uint64_t)(uintptr_t)&p);
    *value = p.value;
    return rc;
}

void xen_console_init(void)
{
    uint64_t pfn, evtchn;

    if (xen_hvm_get_param(XEN_HVM_PARAM_CONSOLE_PFN, &pfn) != 0 ||
        xen_hvm_get_param(XEN_HVM_PARAM_CONSOLE_EVTCHN, &evtchn) != 0 ||
        pfn == 0 || pfn >= (1ull << 20)) /* identity mapped below 4 GiB */
        return;
    ring = (volatile struct xen_console_ring *)(uintptr_t)(pfn << 12);
    port = (uint32_t)evtchn;
}

static void notify(void)
{
    xen_evtchn_notify(port);
}

static void ring_write(const char *s, size_t len)
{
    uint32_t prod = ring->out_prod;
    size_t i = 0;
    int tries = 0;

    while (i < len && !stalled) {
        __asm__ __volatile__("" ::: "memory");
        if (prod - ring->out_cons >= sizeof ring->out) {
            /* Full: publish, wake the reader, give it the CPU. */
            ring->out_prod = prod;
            notify();
            xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
            if (++tries >= FULL_TRIES)
                stalled = 1;
            continue;
        }
        ring->out[prod % sizeof ring->out] = s[i++];
        prod++;
    }
    /* The bytes before the index (x86 keeps stores in order; the asm
     * keeps the compiler from reordering). */
    __asm__ __volatile__("" ::: "memory");
    ring->out_prod = prod;
    notify();
}

void xen_console_flush(void)
{
    for (int i = 0; ring != NULL && !stalled && i < FULL_TRIES; i++) {
        __asm__ __volatile__("" ::: "memory");
        if (ring->out_cons == ring->out_prod)
            return;
        xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_YIELD, 0);
    }
}

static void io_write(const char *s, size_t len)
{
    /* console_io takes it all or fails (-EPERM on a release build). */
    xen_hypercall3(XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, len,
                   (uint64_t)(uintptr_t)s);
}

void xen_console_write(const char *s, size_t len)
{
    if (ring != NULL)
        ring_write(s, len);
    else
        io_write(s, len);
}

void x86_puts(const char *s, size_t len)
{
    xen_console_write(s, len);
}
