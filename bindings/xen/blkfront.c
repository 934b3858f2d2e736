/*
 * blkfront (io/blkif.h): the k-th block device of the manifest is disk
 * xvd(a+k), whose frontend directory is device/vbd/VDEV (VDEV = 202 << 8
 * | k << 4 for the first 16, 1 << 28 | k << 8 after: Xen's vbd
 * numbering). At boot: wait for the backend's InitWait, grant it one
 * ring page and BLK_SEGS data pages, give it an event channel, write
 * ring-ref, event-channel and protocol, say Initialised, wait for
 * Connected, read sectors, sector-size, info and the flush features,
 * say Connected. Then one request at a time (the platform ABI is
 * synchronous): data goes through the granted pages (copied), so the
 * backend never sees other memory of ours; sector numbers are 512-byte
 * units whatever the sector size.
 */
#include <stdio.h>
#include <string.h>

#include "../common/bindings.h"
#include "../x86/x86.h"
#include "ring.h"
#include "xen.h"

#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_OKAY 0
#define BLKIF_MAX_SEGMENTS 11
#define VDISK_READONLY 4

#define BLK_SEGS BLKIF_MAX_SEGMENTS
#define BLK_CHUNK (BLK_SEGS * 4096u)
#define BLK_MAX 26 /* xvda..xvdz, as atoll run writes them */
#define CONNECT_NS (15ull * 1000000000ull)
#define CLOSE_NS (5ull * 1000000000ull)
/* How long a request may take before the device is given up on. */
#define REQUEST_NS (30ull * 1000000000ull)

struct blkif_seg {
    uint32_t gref;
    uint8_t first_sect, last_sect; /* 512-byte units within the page */
    uint16_t pad;
};

struct blkif_req {
    uint8_t operation;
    uint8_t nr_segments;
    uint16_t handle;
    uint32_t pad;
    uint64_t id;
    uint64_t sector;
    struct blkif_seg seg[BLKIF_MAX_SEGMENTS];
};
_Static_assert(sizeof(struct blkif_req) == 112, "blkif_request");

struct blkif_rsp {
    uint64_t id;
    uint8_t operation;
    uint8_t pad;
    int16_t status;
    uint32_t pad2;
};
_Static_assert(sizeof(struct blkif_rsp) == 16, "blkif_response");

struct xblk {
    atoll_handle_t handle;
    uint32_t vdev;
    uint16_t backend_id;
    uint32_t port;
    char front[32];
    char back[128];
    struct xen_front_ring ring;
    uint8_t *data; /* BLK_SEGS pages, granted read-write */
    uint32_t gref[BLK_SEGS];
    uint32_t ring_ref;
    uint64_t capacity; /* bytes */
    uint32_t block_size;
    uint64_t next_id;
    bool flush, barrier, ro, dead;
};

static struct xblk blks[BLK_MAX];
static unsigned nblks;

static uint32_t vdev_of(unsigned k)
{
    return k < 16 ? (202u << 8) | (k << 4) : (1u << 28) | (k << 8);
}

/* The ring, data pages, grants and event channel; the keys that give
 * them to the backend. */
static const char *setup(struct xblk *b)
{
    uint8_t *pages = x86_page_alloc(1 + BLK_SEGS);
    char v[16];

    if (pages == NULL)
        return "out of memory";
    xen_ring_init(&b->ring, pages, sizeof(struct blkif_req));
    b->data = pages + 4096;
    if (xen_grant_access(b->backend_id, pages, false, &b->ring_ref) != 0)
        return "no grant for the ring";
    for (unsigned i = 0; i < BLK_SEGS; i++)
        if (xen_grant_access(b->backend_id, b->data + i * 4096u, false,
                             &b->gref[i]) != 0)
            return "no grant for the data pages";
    if (xen_evtchn_alloc_unbound(b->backend_id, &b->port) != 0)
        return "no event channel";
    snprintf(v, sizeof v, "%u", (unsigned)b->ring_ref);
    if (xen_store_key_write(b->front, "ring-ref", v) != 0)
        return "cannot write ring-ref";
    snprintf(v, sizeof v, "%u", (unsigned)b->port);
    if (xen_store_key_write(b->front, "event-channel", v) != 0 ||
        xen_store_key_write(b->front, "protocol", "x86_64-abi") != 0)
        return "cannot write event-channel or protocol";
    return NULL;
}

/* The backend's size and features, once Connected. */
static const char *describe(struct xblk *b)
{
    uint64_t sectors = xen_store_key_u64(b->back, "sectors", 0);
    uint64_t ss = xen_store_key_u64(b->back, "sector-size", 512);

    if (ss < 512 || ss > 4096 || (ss & (ss - 1)) != 0)
        return "a sector size that is not a power of two in 512..4096";
    if (sectors > UINT64_MAX / 512)
        return "a capacity past 2^64 bytes";
    b->block_size = (uint32_t)ss;
    b->capacity = sectors * 512 / ss * ss;
    b->ro = (xen_store_key_u64(b->back, "info", 0) & VDISK_READONLY) != 0;
    b->flush = xen_store_key_u64(b->back, "feature-flush-cache", 0) != 0;
    b->barrier = xen_store_key_u64(b->back, "feature-barrier", 0) != 0;
    return NULL;
}

const char *xen_blkfront_init(struct atoll_mft_entry *e, atoll_handle_t h,
                              unsigned index)
{
    uint64_t t0 = atoll_clock_monotonic(), deadline = t0 + CONNECT_NS;
    int st;
    const char *why;

    if (nblks == BLK_MAX)
        return "too many block devices";
    struct xblk *b = &blks[nblks];
    *b = (struct xblk){.handle = h, .vdev = vdev_of(index)};
    snprintf(b->front, sizeof b->front, "device/vbd/%u", (unsigned)b->vdev);
    if (xen_bus_backend(b->front, b->back, sizeof b->back, &b->backend_id) !=
        0) {
        static char msg[64];
        snprintf(msg, sizeof msg, "no disk xvd%c (%s)", 'a' + index % 26,
                 b->front);
        return msg;
    }
    st = xen_bus_wait_state(b->back, XEN_BUS_INIT_WAIT, deadline);
    if (st != XEN_BUS_INIT_WAIT && st != XEN_BUS_CONNECTED)
        return "the backend did not reach InitWait";
    why = setup(b);
    if (why != NULL)
        return why;
    if (xen_bus_set_state(b->front, XEN_BUS_INITIALISED) != 0)
        return "cannot write our state";
    st = xen_bus_wait_state(b->back, XEN_BUS_CONNECTED, deadline);
    if (st != XEN_BUS_CONNECTED)
        return "the backend did not connect";
    why = describe(b);
    if (why != NULL)
        return why;
    if (xen_bus_set_state(b->front, XEN_BUS_CONNECTED) != 0)
        return "cannot write our state";
    e->u.block_basic.capacity = b->capacity;
    e->u.block_basic.block_size = (uint16_t)b->block_size;
    e->attached = true;
    nblks++;
    xen_say("block %s: xvd%c (%s, backend domain %u, connected in %llu "
            "ms), %llu bytes in blocks of %u, %s%s",
            e->name, 'a' + index % 26, b->front, (unsigned)b->backend_id,
            (unsigned long long)((atoll_clock_monotonic() - t0) / 1000000),
            (unsigned long long)b->capacity, (unsigned)b->block_size,
            b->flush     ? "flush"
            : b->barrier ? "barrier"
                         : "no flush (the backend offers neither "
                           "feature-flush-cache nor feature-barrier)",
            b->ro ? ", read-only" : "");
    return NULL;
}

/* Revoke the grants not yet revoked (done[i] for ref i: the ring, then
 * the data pages); how many were. */
static unsigned revoke(struct xblk *b, bool done[1 + BLK_SEGS])
{
    unsigned n = 0;

    for (unsigned i = 0; i < 1 + BLK_SEGS; i++)
        if (!done[i] &&
            xen_grant_end(i == 0 ? b->ring_ref : b->gref[i - 1]) == 0)
            done[i] = true, n++;
    return n;
}

/* Disconnect one device (xenbus: we say Closing, the backend answers
 * Closing; we say Closed, the backend unmaps the ring and says Closed)
 * and take our pages back. The backend maps a data page only during a
 * request and the ring while connected, so the data pages' grants end at
 * once and the ring's only after the backend closed. */
static void close_one(struct xblk *b, const char *name)
{
    uint64_t deadline = atoll_clock_monotonic() + CLOSE_NS;
    bool done[1 + BLK_SEGS] = {false};
    unsigned now, later;

    now = revoke(b, done);
    xen_bus_close(b->front, b->back, deadline);
    later = revoke(b, done);
    b->dead = true;
    xen_say("block %s: closed, grants revoked: %u at once, %u after the "
            "backend closed, %u still mapped; event channel %s",
            name, now, later, 1 + BLK_SEGS - now - later,
            xen_evtchn_close(b->port) == 0 ? "closed" : "NOT closed");
}

void xen_blkfront_close(void)
{
    for (unsigned i = 0; i < nblks; i++) {
        const struct atoll_mft_entry *e = bind_mft_entry(blks[i].handle);
        /* A device given up on may still have a request in flight. */
        if (!blks[i].dead && e != NULL)
            close_one(&blks[i], e->name);
    }
}

static struct xblk *blk_of(atoll_handle_t h)
{
    if (bind_mft_get(h, ATOLL_MFT_DEV_BLOCK_BASIC) == NULL)
        return NULL;
    for (unsigned i = 0; i < nblks; i++)
        if (blks[i].handle == h)
            return &blks[i];
    return NULL;
}

/* Run one request of len bytes (in the data pages) to completion. */
static enum atoll_result request(struct xblk *b, uint8_t op, uint64_t offset,
                                 uint32_t len)
{
    struct blkif_req *q;
    struct blkif_rsp r;
    unsigned nseg = (len + 4095) / 4096;

    if (b->dead)
        return ATOLL_EUNSPEC;
    q = xen_ring_next_req(&b->ring);
    *q = (struct blkif_req){.operation = op,
                            .nr_segments = (uint8_t)nseg,
                            .handle = (uint16_t)b->vdev,
                            .id = ++b->next_id,
                            .sector = offset / 512};
    for (unsigned i = 0; i < nseg; i++) {
        uint32_t here = len - i * 4096 < 4096 ? len - i * 4096 : 4096;
        q->seg[i] = (struct blkif_seg){.gref = b->gref[i],
                                       .first_sect = 0,
                                       .last_sect = (uint8_t)(here / 512 - 1)};
    }
    if (xen_ring_push(&b->ring))
        xen_evtchn_notify(b->port);

    uint64_t until = atoll_clock_monotonic() + REQUEST_NS;
    for (;;) {
        /* Cleared before the last look, so a response after it still
         * leaves the port pending and the poll returns at once. */
        xen_evtchn_test_and_clear(b->port);
        if (xen_ring_final_check(&b->ring))
            break;
        if (atoll_clock_monotonic() >= until) {
            b->dead = true; /* the request may still be in flight */
            xen_say("%s: a request did not complete; device given up",
                    b->front);
            return ATOLL_EUNSPEC;
        }
        xen_evtchn_wait(b->port, until);
    }
    memcpy(&r, xen_ring_slot(&b->ring, b->ring.rsp_cons), sizeof r);
    b->ring.rsp_cons++;
    if (r.id != b->next_id) {
        b->dead = true; /* a backend that answers what was not asked */
        xen_say("%s: a response to another request; device given up",
                b->front);
        return ATOLL_EUNSPEC;
    }
    switch (r.status) {
    case BLKIF_RSP_OKAY: return ATOLL_OK;
    case BLKIF_RSP_EOPNOTSUPP: return ATOLL_ENOTSUP;
    default: return ATOLL_EUNSPEC;
    }
}

/* Is [offset, offset + len) a whole number of blocks inside b? */
static bool range_ok(const struct xblk *b, uint64_t offset, size_t len)
{
    uint64_t bs = b->block_size;

    return len != 0 && offset % bs == 0 && len % bs == 0 &&
           offset < b->capacity && len <= b->capacity - offset;
}

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    struct xblk *b = blk_of(handle);

    if (b == NULL || buf == NULL || !range_ok(b, offset, len))
        return ATOLL_EINVAL;
    for (size_t done = 0; done < len;) {
        uint32_t n = len - done > BLK_CHUNK ? BLK_CHUNK : (uint32_t)(len - done);
        enum atoll_result r = request(b, BLKIF_OP_READ, offset + done, n);
        if (r != ATOLL_OK)
            return r;
        memcpy((char *)buf + done, b->data, n);
        done += n;
    }
    return ATOLL_OK;
}

enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    struct xblk *b = blk_of(handle);

    if (b == NULL || buf == NULL || !range_ok(b, offset, len))
        return ATOLL_EINVAL;
    if (b->ro)
        return ATOLL_EUNSPEC;
    for (size_t done = 0; done < len;) {
        uint32_t n = len - done > BLK_CHUNK ? BLK_CHUNK : (uint32_t)(len - done);
        memcpy(b->data, (const char *)buf + done, n);
        enum atoll_result r = request(b, BLKIF_OP_WRITE, offset + done, n);
        if (r != ATOLL_OK)
            return r;
        done += n;
    }
    return ATOLL_OK;
}

enum atoll_result atoll_block_flush(atoll_handle_t handle)
{
    struct xblk *b = blk_of(handle);

    if (b == NULL)
        return ATOLL_EINVAL;
    /* Either is a request without data; a barrier is ordered after the
     * writes before it and completes once they are durable. */
    if (b->flush)
        return request(b, BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    if (b->barrier)
        return request(b, BLKIF_OP_WRITE_BARRIER, 0, 0);
    return ATOLL_ENOTSUP;
}

bool bind_block_can_flush(atoll_handle_t handle)
{
    struct xblk *b = blk_of(handle);

    return b != NULL && (b->flush || b->barrier);
}
