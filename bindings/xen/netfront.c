/*
 * netfront (io/netif.h): the k-th net device of the manifest is vif k,
 * frontend directory device/vif/k. At boot: wait for the backend's
 * InitWait, grant it a transmit and a receive ring page and the receive
 * buffers (a page each: the backend copies a frame into it, rx-copy),
 * give it an event channel, write the keys (no offloads: the backend
 * hands over whole frames with full checksums, one slot each), say
 * Connected and wait for its Connected. The MAC is the frontend's "mac"
 * key, the MTU 1500 (no scatter-gather).
 *
 * Receive buffers stay posted: a frame read is copied out and its page
 * put back at once. Transmit copies each frame into one of NTX slots,
 * half a page each (a frame may not cross a page), granted read-only;
 * a slot is free again once its response came (the backend has let go
 * of the page by then). Grants are made once, and revoked at a normal
 * exit after a xenbus disconnect (xen_netfront_close), which closes the
 * event channel and prints the counters.
 */
#include <stdio.h>
#include <string.h>

#include "../common/bindings.h"
#include "../x86/x86.h"
#include "ring.h"
#include "xen.h"

#define NETRXF_CSUM_BLANK (1u << 1)
#define NETRXF_MORE_DATA (1u << 2)
#define NETRXF_EXTRA_INFO (1u << 3)
#define NETIF_RSP_OKAY 0

#define NET_MTU 1500
#define FRAME_MAX (NET_MTU + ATOLL_NET_HLEN)
#define NET_MAX 8
#define NRX 256      /* receive buffers: the whole ring */
#define NTX 256      /* transmit slots */
#define TX_SLOT 2048 /* two per page */
#define CONNECT_NS (15ull * 1000000000ull)
#define CLOSE_NS (5ull * 1000000000ull)
/* Our grants of a device: the two rings, the rx pages, the tx pages. */
#define NREF (2 + NRX + NTX / 2)

struct netif_tx_req {
    uint32_t gref;
    uint16_t offset, flags, id, size;
};
_Static_assert(sizeof(struct netif_tx_req) == 12, "netif_tx_request");

struct netif_tx_rsp {
    uint16_t id;
    int16_t status;
};

struct netif_rx_req {
    uint16_t id, pad;
    uint32_t gref;
};
_Static_assert(sizeof(struct netif_rx_req) == 8, "netif_rx_request");

struct netif_rx_rsp {
    uint16_t id, offset, flags;
    int16_t status; /* bytes, or an error (< 0) */
};
_Static_assert(sizeof(struct netif_rx_rsp) == 8, "netif_rx_response");

struct xnet {
    atoll_handle_t handle;
    uint16_t backend_id;
    uint32_t port;
    char front[32];
    char back[128];
    struct xen_front_ring tx, rx;
    uint8_t *rxbuf, *txbuf;
    uint32_t ring_ref[2], rx_gref[NRX], tx_gref[NTX / 2];
    bool closed;
    bool rx_posted[NRX], tx_busy[NTX];
    uint16_t tx_free[NTX]; /* stack of free transmit slots */
    unsigned ntx_free;
    /* Counters, printed at close: rx_dropped as virtio's net.c names
     * it (frames in pieces, errors, blank checksums). */
    uint64_t rx_frames, tx_frames, rx_dropped, tx_errors, bad_rsp;
};

static struct xnet nets[NET_MAX];
static unsigned nnets;

static int parse_mac(const char *s, uint8_t mac[ATOLL_NET_ALEN])
{
    for (unsigned i = 0; i < ATOLL_NET_ALEN; i++) {
        unsigned v = 0;
        for (unsigned j = 0; j < 2; j++) {
            char c = *s++;
            unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 16u;
            if (d == 16)
                return -1;
            v = v * 16 + d;
        }
        mac[i] = (uint8_t)v;
        if (*s++ != (i + 1 < ATOLL_NET_ALEN ? ':' : '\0'))
            return -1;
    }
    return 0;
}

/* Put receive buffer i (back) on the ring; xen_ring_push publishes it. */
static void rx_post(struct xnet *n, uint16_t i)
{
    struct netif_rx_req *q = xen_ring_next_req(&n->rx);
    *q = (struct netif_rx_req){.id = i, .gref = n->rx_gref[i]};
    n->rx_posted[i] = true;
}

/* Pages, grants, the event channel and the keys that give them. */
static const char *setup(struct xnet *n)
{
    uint8_t *rings = x86_page_alloc(2);
    char v[16];

    n->rxbuf = x86_page_alloc(NRX);
    n->txbuf = x86_page_alloc(NTX / 2);
    if (rings == NULL || n->rxbuf == NULL || n->txbuf == NULL)
        return "out of memory";
    xen_ring_init(&n->tx, rings, sizeof(struct netif_tx_req));
    xen_ring_init(&n->rx, rings + 4096, sizeof(struct netif_rx_req));
    if (n->tx.size < NTX || n->rx.size < NRX)
        return "rings smaller than expected";
    if (xen_grant_access(n->backend_id, rings, false, &n->ring_ref[0]) != 0 ||
        xen_grant_access(n->backend_id, rings + 4096, false,
                         &n->ring_ref[1]) != 0)
        return "no grant for the rings";
    for (unsigned i = 0; i < NRX; i++)
        if (xen_grant_access(n->backend_id, n->rxbuf + i * 4096u, false,
                             &n->rx_gref[i]) != 0)
            return "no grant for the receive buffers";
    for (unsigned i = 0; i < NTX / 2; i++)
        if (xen_grant_access(n->backend_id, n->txbuf + i * 4096u, true,
                             &n->tx_gref[i]) != 0)
            return "no grant for the transmit buffers";
    for (unsigned i = 0; i < NTX; i++)
        n->tx_free[i] = (uint16_t)(NTX - 1 - i);
    n->ntx_free = NTX;
    for (uint16_t i = 0; i < NRX; i++)
        rx_post(n, i);
    xen_ring_push(&n->rx); /* not connected yet: nobody to notify */
    if (xen_evtchn_alloc_unbound(n->backend_id, &n->port) != 0)
        return "no event channel";

    static const char *const zero[] = {"feature-sg", "feature-gso-tcpv4",
                                       "feature-gso-tcpv6",
                                       "feature-ipv6-csum-offload"};
    snprintf(v, sizeof v, "%u", (unsigned)n->ring_ref[0]);
    if (xen_store_key_write(n->front, "tx-ring-ref", v) != 0)
        return "cannot write tx-ring-ref";
    snprintf(v, sizeof v, "%u", (unsigned)n->ring_ref[1]);
    if (xen_store_key_write(n->front, "rx-ring-ref", v) != 0)
        return "cannot write rx-ring-ref";
    snprintf(v, sizeof v, "%u", (unsigned)n->port);
    if (xen_store_key_write(n->front, "event-channel", v) != 0)
        return "cannot write event-channel";
    /* Copy into our pages; events for received frames; checksums done
     * by whoever sends (a frame from dom0's own stack would otherwise
     * come with a blank one). */
    if (xen_store_key_write(n->front, "request-rx-copy", "1") != 0 ||
        xen_store_key_write(n->front, "feature-rx-notify", "1") != 0 ||
        xen_store_key_write(n->front, "feature-no-csum-offload", "1") != 0)
        return "cannot write the features";
    for (unsigned i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (xen_store_key_write(n->front, zero[i], "0") != 0)
            return "cannot write the features";
    return NULL;
}

const char *xen_netfront_init(struct atoll_mft_entry *e, atoll_handle_t h,
                              unsigned index)
{
    uint64_t t0 = atoll_clock_monotonic(), deadline = t0 + CONNECT_NS;
    static char msg[64];
    char mac[24];
    int st;
    const char *why;

    if (nnets == NET_MAX)
        return "too many net devices";
    struct xnet *n = &nets[nnets];
    *n = (struct xnet){.handle = h};
    snprintf(n->front, sizeof n->front, "device/vif/%u", index);
    if (xen_bus_backend(n->front, n->back, sizeof n->back, &n->backend_id) !=
        0) {
        snprintf(msg, sizeof msg, "no vif %u (%s)", index, n->front);
        return msg;
    }
    snprintf(msg, sizeof msg, "%s/mac", n->front);
    if (xen_store_read(msg, mac, sizeof mac) != 17 ||
        parse_mac(mac, e->u.net_basic.mac) != 0)
        return "no MAC address in the frontend's 'mac'";
    st = xen_bus_wait_state(n->back, XEN_BUS_INIT_WAIT, deadline);
    if (st != XEN_BUS_INIT_WAIT && st != XEN_BUS_CONNECTED)
        return "the backend did not reach InitWait";
    why = setup(n);
    if (why != NULL)
        return why;
    if (xen_bus_set_state(n->front, XEN_BUS_CONNECTED) != 0)
        return "cannot write our state";
    st = xen_bus_wait_state(n->back, XEN_BUS_CONNECTED, deadline);
    if (st != XEN_BUS_CONNECTED)
        return "the backend did not connect (dom0's hotplug script?)";
    if (xen_evtchn_watch(n->port, h) != 0)
        return "too many event channels to watch";
    xen_evtchn_notify(n->port); /* the receive buffers are there */
    e->u.net_basic.mtu = NET_MTU;
    e->attached = true;
    nnets++;
    const uint8_t *m = e->u.net_basic.mac;
    xen_say("net %s: vif %u (%s, backend domain %u, connected in %llu ms), "
            "mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u",
            e->name, index, n->front, (unsigned)n->backend_id,
            (unsigned long long)((atoll_clock_monotonic() - t0) / 1000000),
            m[0], m[1], m[2], m[3], m[4], m[5], NET_MTU);
    return NULL;
}

/* Revoke the grants not yet revoked (done[i] for the i-th of NREF);
 * how many were. */
static unsigned revoke(struct xnet *n, bool done[NREF])
{
    unsigned k = 0;

    for (unsigned i = 0; i < NREF; i++) {
        uint32_t ref = i < 2         ? n->ring_ref[i]
                       : i < 2 + NRX ? n->rx_gref[i - 2]
                                     : n->tx_gref[i - 2 - NRX];
        if (!done[i] && xen_grant_end(ref) == 0)
            done[i] = true, k++;
    }
    return k;
}

/* At a normal exit: disconnect each device and take the pages back. The
 * backend copies into the rx pages (never maps them), maps a tx page only
 * while sending from it and the rings while connected: so all but the
 * rings' grants end at once, those after the backend closed. */
void xen_netfront_close(void)
{
    for (unsigned i = 0; i < nnets; i++) {
        struct xnet *n = &nets[i];
        const struct atoll_mft_entry *e = bind_mft_entry(n->handle);
        static bool done[NREF];
        unsigned now, later;

        if (e == NULL)
            continue;
        memset(done, 0, sizeof done);
        n->closed = true;
        now = revoke(n, done);
        xen_bus_close(n->front, n->back, atoll_clock_monotonic() + CLOSE_NS);
        later = revoke(n, done);
        xen_say("net %s: closed, grants revoked: %u at once, %u after the "
                "backend closed, %u still mapped; event channel %s",
                e->name, now, later, NREF - now - later,
                xen_evtchn_close(n->port) == 0 ? "closed" : "NOT closed");
        /* name=value as lib/net's "net: stats:" lines. */
        xen_say("net %s: stats: rx_frames=%llu tx_frames=%llu "
                "rx_dropped=%llu tx_errors=%llu bad_responses=%llu",
                e->name, (unsigned long long)n->rx_frames,
                (unsigned long long)n->tx_frames,
                (unsigned long long)n->rx_dropped,
                (unsigned long long)n->tx_errors,
                (unsigned long long)n->bad_rsp);
    }
}

static struct xnet *net_of(atoll_handle_t h)
{
    if (bind_mft_get(h, ATOLL_MFT_DEV_NET_BASIC) == NULL)
        return NULL;
    for (unsigned i = 0; i < nnets; i++)
        if (nets[i].handle == h && !nets[i].closed)
            return &nets[i];
    return NULL;
}

/* yield.c: the acquired net handles with a received frame waiting (and
 * each ring asks for an event at its next one). */
atoll_handle_set_t xen_net_ready(void)
{
    atoll_handle_set_t set = 0;

    for (unsigned i = 0; i < nnets; i++)
        if (xen_ring_final_check(&nets[i].rx))
            set |= 1ull << nets[i].handle;
    return set;
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    struct xnet *n = net_of(handle);
    bool ok = false;

    if (n == NULL || buf == NULL || len == NULL || size < FRAME_MAX)
        return ATOLL_EINVAL;
    while (!ok) {
        if (!xen_ring_final_check(&n->rx))
            return ATOLL_AGAIN;
        struct netif_rx_rsp r;
        memcpy(&r, xen_ring_slot(&n->rx, n->rx.rsp_cons), sizeof r);
        n->rx.rsp_cons++;
        if (r.id >= NRX || !n->rx_posted[r.id]) {
            n->bad_rsp++; /* nothing of ours to give back */
            continue;
        }
        n->rx_posted[r.id] = false;
        /* One slot per frame (no scatter-gather, no GSO asked for): a
         * frame in pieces, an error or a blank checksum is dropped. */
        ok = r.status >= ATOLL_NET_HLEN && r.status <= FRAME_MAX &&
             r.offset + r.status <= 4096 &&
             (r.flags & (NETRXF_MORE_DATA | NETRXF_EXTRA_INFO |
                         NETRXF_CSUM_BLANK)) == 0;
        if (ok) {
            *len = (size_t)r.status;
            memcpy(buf, n->rxbuf + r.id * 4096u + r.offset, *len);
            n->rx_frames++;
        } else {
            n->rx_dropped++;
        }
        rx_post(n, r.id);
        if (xen_ring_push(&n->rx))
            xen_evtchn_notify(n->port);
    }
    return ATOLL_OK;
}

/* Take finished transmissions back. */
static void tx_reap(struct xnet *n)
{
    while (xen_ring_has_rsp(&n->tx)) {
        struct netif_tx_rsp r;
        memcpy(&r, xen_ring_slot(&n->tx, n->tx.rsp_cons), sizeof r);
        n->tx.rsp_cons++;
        if (r.id >= NTX || !n->tx_busy[r.id]) {
            n->bad_rsp++;
            continue;
        }
        if (r.status != NETIF_RSP_OKAY)
            n->tx_errors++;
        n->tx_busy[r.id] = false;
        n->tx_free[n->ntx_free++] = r.id;
    }
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    struct xnet *n = net_of(handle);

    if (n == NULL || frame == NULL || len < ATOLL_NET_HLEN || len > FRAME_MAX)
        return ATOLL_EINVAL;
    tx_reap(n);
    /* A full ring drains as the backend sends: wait for its event at
     * most 1 s. */
    atoll_time_t until = atoll_clock_monotonic() + 1000000000ull;
    while (n->ntx_free == 0) {
        atoll_time_t now = atoll_clock_monotonic();
        if (now >= until)
            return ATOLL_EUNSPEC;
        /* Cleared first (an rx event's bit would end each wait at once;
         * xen_net_ready looks at the rx ring itself, so none is lost). */
        xen_evtchn_test_and_clear(n->port);
        n->tx.s->rsp_event = n->tx.rsp_cons + 1;
        xen_ring_mb();
        if (!xen_ring_has_rsp(&n->tx))
            xen_evtchn_wait(n->port, now + 1000000);
        tx_reap(n);
    }
    uint16_t slot = n->tx_free[--n->ntx_free];
    uint16_t off = (uint16_t)(slot % 2 * TX_SLOT);
    memcpy(n->txbuf + slot / 2 * 4096u + off, frame, len);
    struct netif_tx_req *q = xen_ring_next_req(&n->tx);
    *q = (struct netif_tx_req){.gref = n->tx_gref[slot / 2],
                               .offset = off,
                               .id = slot,
                               .size = (uint16_t)len};
    n->tx_busy[slot] = true;
    n->tx_frames++;
    if (xen_ring_push(&n->tx))
        xen_evtchn_notify(n->port);
    return ATOLL_OK;
}
