/*
 * A xenstore client, synchronous: one request at a time on the ring page
 * and event channel of the HVM parameters STORE_PFN and STORE_EVTCHN.
 * Each message is a 16-byte header (type, request id, transaction id,
 * payload length) and its payload; the rings are 1 KiB each, with free
 * running indexes. The reply is waited for with SCHEDOP_poll on the
 * store's event channel, up to a deadline.
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

#define XEN_HVM_PARAM_STORE_PFN 1
#define XEN_HVM_PARAM_STORE_EVTCHN 2
#define XS_READ 2
#define XS_ERROR 16
#define XS_RING 1024u
#define XS_WAIT_NS 5000000000ull
#define XEN_SCHEDOP_POLL 3
#define SHINFO_EVTCHN_PENDING 2048

struct xs_ring {
    char req[XS_RING];
    char rsp[XS_RING];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
};

struct xs_hdr {
    uint32_t type, req_id, tx_id, len;
};

static volatile struct xs_ring *ring;
static uint32_t port, next_id;

int xen_store_init(void)
{
    uint64_t pfn, evtchn;

    if (xen_hvm_get_param(XEN_HVM_PARAM_STORE_PFN, &pfn) != 0 ||
        xen_hvm_get_param(XEN_HVM_PARAM_STORE_EVTCHN, &evtchn) != 0 ||
        pfn == 0 || pfn >= (1ull << 20)) /* identity mapped below 4 GiB */
        return -1;
    ring = (volatile struct xs_ring *)(uintptr_t)(pfn << 12);
    port = (uint32_t)evtchn;
    return 0;
}

static void notify(void)
{
    uint32_t p = port;
    xen_hypercall2(XEN_HC_EVENT_CHANNEL_OP, XEN_EVTCHNOP_SEND,
                   (uint64_t)(uintptr_t)&p);
}

/* Block until the store's event channel fires or the deadline; clear
 * the event (the polled port stays pending otherwise). */
static void wait_event(uint64_t deadline)
{
    struct {
        uint64_t ports;
        uint32_t nr_ports, pad;
        uint64_t timeout;
    } p = {(uint64_t)(uintptr_t)&port, 1, 0, deadline};
    xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_POLL, (uint64_t)(uintptr_t)&p);
    volatile uint64_t *pending =
        (volatile uint64_t *)(uintptr_t)(xen_shinfo_addr() +
                                         SHINFO_EVTCHN_PENDING);
    __atomic_fetch_and(&pending[port / 64], ~(1ull << (port % 64)),
                       __ATOMIC_SEQ_CST);
}

/* Copy len bytes into the request ring, waiting for room. */
static int put(const void *data, size_t len, uint64_t deadline)
{
    const char *s = data;
    for (size_t i = 0; i < len;) {
        __asm__ __volatile__("" ::: "memory");
        uint32_t prod = ring->req_prod;
        if (prod - ring->req_cons >= XS_RING) {
            notify();
            if (atoll_clock_monotonic() >= deadline)
                return -1;
            wait_event(deadline);
            continue;
        }
        ring->req[prod % XS_RING] = s[i++];
        __asm__ __volatile__("" ::: "memory");
        ring->req_prod = prod + 1;
    }
    return 0;
}

/* Take len bytes from the reply ring (into buf unless NULL). */
static int get(void *buf, size_t len, uint64_t deadline)
{
    char *d = buf;
    for (size_t i = 0; i < len;) {
        __asm__ __volatile__("" ::: "memory");
        uint32_t cons = ring->rsp_cons;
        if (ring->rsp_prod == cons) {
            if (atoll_clock_monotonic() >= deadline)
                return -1;
            wait_event(deadline);
            continue;
        }
        char c = ring->rsp[cons % XS_RING];
        if (d != NULL)
            d[i] = c;
        i++;
        __asm__ __volatile__("" ::: "memory");
        ring->rsp_cons = cons + 1;
        notify();
    }
    return 0;
}

long xen_store_read(const char *path, char *buf, size_t size)
{
    size_t plen = 0;
    uint64_t deadline = atoll_clock_monotonic() + XS_WAIT_NS;
    struct xs_hdr h, r;

    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (ring == NULL)
        return -1;
    while (path[plen] != '\0')
        plen++;
    h = (struct xs_hdr){XS_READ, ++next_id, 0, (uint32_t)plen + 1};
    if (put(&h, sizeof h, deadline) != 0 || put(path, plen + 1, deadline) != 0)
        return -1;
    notify();
    if (get(&r, sizeof r, deadline) != 0 || r.req_id != h.req_id)
        return -1;
    size_t keep = r.len < size - 1 ? r.len : size - 1;
    if (get(buf, keep, deadline) != 0 || get(NULL, r.len - keep, deadline) != 0)
        return -1;
    buf[keep] = '\0';
    /* An error's payload is its name ("ENOENT"): handed back, as -1. */
    return r.type == XS_ERROR ? -1 : (long)keep;
}
