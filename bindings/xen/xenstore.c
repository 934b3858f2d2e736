/*
 * A xenstore client, synchronous: one request at a time on the ring page
 * and event channel of the HVM parameters STORE_PFN and STORE_EVTCHN.
 * Each message is a 16-byte header (type, request id, transaction id,
 * payload length) and its payload; the rings are 1 KiB each, with free
 * running indexes. The reply is waited for with SCHEDOP_poll on the
 * store's event channel, up to a deadline. No watches: the xenbus
 * helpers at the end poll a device's state.
 */
#include <stdio.h>

#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"

#define XEN_HVM_PARAM_STORE_PFN 1
#define XEN_HVM_PARAM_STORE_EVTCHN 2
#define XS_READ 2
#define XS_WRITE 11
#define XS_ERROR 16
#define XS_RING 1024u
#define XS_WAIT_NS 5000000000ull

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
    xen_evtchn_notify(port);
}

/* Block until the store's event channel fires or the deadline; clear
 * the event (the polled port stays pending otherwise). */
static void wait_event(uint64_t deadline)
{
    xen_evtchn_wait(port, deadline);
    xen_evtchn_test_and_clear(port);
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

static size_t len_of(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

/* One request of type with payload a (and its NUL), then b (without),
 * the reply into buf as xen_store_read says. */
static long request(uint32_t type, const char *a, const char *b, char *buf,
                    size_t size)
{
    size_t alen = len_of(a) + 1, blen = b != NULL ? len_of(b) : 0;
    uint64_t deadline = atoll_clock_monotonic() + XS_WAIT_NS;
    struct xs_hdr h, r;

    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (ring == NULL || alen + blen > XS_RING) /* XENSTORE_PAYLOAD_MAX */
        return -1;
    h = (struct xs_hdr){type, ++next_id, 0, (uint32_t)(alen + blen)};
    if (put(&h, sizeof h, deadline) != 0 || put(a, alen, deadline) != 0 ||
        put(b, blen, deadline) != 0)
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

long xen_store_read(const char *path, char *buf, size_t size)
{
    return request(XS_READ, path, NULL, buf, size);
}

int xen_store_write(const char *path, const char *value)
{
    char ok[8];
    return request(XS_WRITE, path, value, ok, sizeof ok) < 0 ? -1 : 0;
}

int xen_store_read_u64(const char *path, uint64_t *value)
{
    char buf[24];
    uint64_t v = 0;
    long n = xen_store_read(path, buf, sizeof buf);

    if (n <= 0 || n > 20)
        return -1;
    for (long i = 0; i < n; i++) {
        unsigned d = (unsigned)(buf[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *value = v;
    return 0;
}

/* ---- DIR/KEY: a frontend's or backend's keys ---- */

uint64_t xen_store_key_u64(const char *dir, const char *key, uint64_t def)
{
    char path[160];
    uint64_t v;

    if (snprintf(path, sizeof path, "%s/%s", dir, key) >= (int)sizeof path)
        return def;
    return xen_store_read_u64(path, &v) == 0 ? v : def;
}

int xen_store_key_write(const char *dir, const char *key, const char *value)
{
    char path[160];

    if (snprintf(path, sizeof path, "%s/%s", dir, key) >= (int)sizeof path)
        return -1;
    return xen_store_write(path, value);
}

int xen_bus_backend(const char *front, char *back, size_t size,
                    uint16_t *backend_id)
{
    char path[160];
    long n;

    if (snprintf(path, sizeof path, "%s/backend", front) >= (int)sizeof path)
        return -1;
    n = xen_store_read(path, back, size);
    if (n <= 0 || n >= (long)size - 1)
        return -1;
    *backend_id = (uint16_t)xen_store_key_u64(front, "backend-id", 0);
    return 0;
}

/* ---- xenbus: a device's state in DIR/state ---- */

int xen_bus_state(const char *dir)
{
    char path[128];
    uint64_t v;

    if (snprintf(path, sizeof path, "%s/state", dir) >= (int)sizeof path ||
        xen_store_read_u64(path, &v) != 0 || v > 255)
        return -1;
    return (int)v;
}

int xen_bus_set_state(const char *dir, enum xen_bus_state state)
{
    char path[128], v[4] = {(char)('0' + state % 10), '\0'};

    if (snprintf(path, sizeof path, "%s/state", dir) >= (int)sizeof path)
        return -1;
    return xen_store_write(path, v);
}

int xen_bus_wait_state(const char *dir, enum xen_bus_state want,
                       uint64_t deadline)
{
    /* Polled, from 1 ms doubling to 64 ms between looks. */
    uint64_t pause = 1000000;

    for (;;) {
        int st = xen_bus_state(dir);
        if (st >= (int)want)
            return st;
        uint64_t now = atoll_clock_monotonic();
        if (now >= deadline)
            return -1;
        xen_evtchn_wait(port, now + pause < deadline ? now + pause : deadline);
        xen_evtchn_test_and_clear(port);
        if (pause < 64000000)
            pause *= 2;
    }
}

void xen_bus_close(const char *front, const char *back, uint64_t deadline)
{
    if (xen_bus_set_state(front, XEN_BUS_CLOSING) == 0 &&
        xen_bus_wait_state(back, XEN_BUS_CLOSING, deadline) >= 0 &&
        xen_bus_set_state(front, XEN_BUS_CLOSED) == 0)
        xen_bus_wait_state(back, XEN_BUS_CLOSED, deadline);
}
