/*
 * virtio-blk: one request queue, one request at a time (the platform ABI
 * is synchronous). A request is a chain of the 16-byte header (readable),
 * the data (readable for a write, writable for a read; none for a flush)
 * and the status byte (writable). Large transfers go as several requests
 * of at most BLK_CHUNK bytes (or the device's size_max).
 */
#include "../common/bindings.h"
#include "devices.h"
#include "irq.h"
#include "mem.h"
#include "virtio_drv.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

/* Configuration offsets. */
#define CFG_CAPACITY 0 /* 512-byte sectors */
#define CFG_SIZE_MAX 8
#define CFG_BLK_SIZE 20

#define BLK_CHUNK (128u * 1024u)
/* How long a request may take before the device is given up on. */
#define BLK_TIMEOUT_NS (30ull * 1000000000ull)

struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct vblk {
    struct virtio_dev *dev;
    atoll_handle_t handle;
    struct vq q;
    struct blk_req_hdr *hdr; /* in a page of its own, with the status */
    volatile uint8_t *status;
    uint64_t capacity;       /* bytes */
    uint32_t block_size;
    uint32_t chunk;          /* largest data per request */
    bool flush, ro, dead;
};

static struct vblk blks[VIRTIO_BLOCK_MAX];
static unsigned nblks;

const char *virtio_block_init(struct virtio_dev *d, struct atoll_mft_entry *e,
                              atoll_handle_t h)
{
    if (nblks == VIRTIO_BLOCK_MAX)
        return "too many block devices";
    struct vblk *b = &blks[nblks];
    const char *why;

    *b = (struct vblk){.dev = d, .handle = h};
    why = virtio_dev_begin(d, 1ull << VIRTIO_BLK_F_SIZE_MAX |
                                  1ull << VIRTIO_BLK_F_RO |
                                  1ull << VIRTIO_BLK_F_BLK_SIZE |
                                  1ull << VIRTIO_BLK_F_FLUSH);
    if (why != NULL)
        return why;
    b->flush = (d->features & (1ull << VIRTIO_BLK_F_FLUSH)) != 0;
    b->ro = (d->features & (1ull << VIRTIO_BLK_F_RO)) != 0;
    b->block_size = 512;
    if (d->features & (1ull << VIRTIO_BLK_F_BLK_SIZE))
        b->block_size = virtio_cfg32(d, CFG_BLK_SIZE);
    uint64_t sectors = virtio_cfg64(d, CFG_CAPACITY);
    b->chunk = BLK_CHUNK;
    if (d->features & (1ull << VIRTIO_BLK_F_SIZE_MAX)) {
        uint32_t sm = virtio_cfg32(d, CFG_SIZE_MAX);
        if (sm != 0 && sm < b->chunk)
            b->chunk = sm;
    }
    if (b->block_size < 512 || b->block_size > 32768 ||
        (b->block_size & (b->block_size - 1)) != 0)
        why = "a block size that is not a power of two in 512..32768";
    else if (sectors > UINT64_MAX / 512)
        why = "a capacity past 2^64 bytes";
    if (why == NULL) {
        b->capacity = sectors * 512 / b->block_size * b->block_size;
        b->chunk = b->chunk / b->block_size * b->block_size;
        if (b->chunk == 0)
            why = "size_max below the block size";
    }
    if (why == NULL)
        why = virtio_dev_queue(d, 0, 16, &b->q);
    if (why == NULL) {
        b->hdr = virtio_page_alloc(1);
        if (b->hdr == NULL)
            why = "out of memory";
    }
    if (why != NULL) {
        virtio_dev_fail(d);
        return why;
    }
    b->status = (volatile uint8_t *)b->hdr + 64;
    vq_set_interrupts(&b->q, true);
    if (d->has_gsi && virtio_irq_attach(d->gsi, virtio_dev_irq, d) != 0)
        virtio_say("%s: interrupt %u cannot be attached: requests are "
                   "polled", d->where, d->gsi);
    virtio_dev_ready(d);
    e->u.block_basic.capacity = b->capacity;
    e->u.block_basic.block_size = (uint16_t)b->block_size;
    e->attached = true;
    nblks++;
    return NULL;
}

static struct vblk *blk_of(atoll_handle_t h)
{
    if (bind_mft_get(h, ATOLL_MFT_DEV_BLOCK_BASIC) == NULL)
        return NULL;
    for (unsigned i = 0; i < nblks; i++)
        if (blks[i].handle == h)
            return &blks[i];
    return NULL;
}

/* Run one request to completion. */
static enum atoll_result request(struct vblk *b, uint32_t type,
                                 uint64_t offset, void *data, uint32_t len)
{
    struct vq_buf bufs[3];
    unsigned nout = 1, nin = 1, k = 0;

    if (b->dead)
        return ATOLL_EUNSPEC;
    *b->hdr = (struct blk_req_hdr){.type = type, .sector = offset / 512};
    *b->status = 0xff;
    bufs[k++] = (struct vq_buf){(uintptr_t)b->hdr, sizeof *b->hdr};
    if (len != 0) {
        bufs[k++] = (struct vq_buf){(uintptr_t)data, len};
        if (type == VIRTIO_BLK_T_OUT)
            nout++;
        else
            nin++;
    }
    bufs[k++] = (struct vq_buf){(uintptr_t)b->status, 1};
    if (!vq_add(&b->q, bufs, nout, nin, b))
        return ATOLL_EUNSPEC;
    virtio_dev_kick(b->dev, 0, &b->q);

    /* Sleep until the completion: virtio_wait halts until the device's
     * interrupt (or any other), then the used ring is looked at again. */
    atoll_time_t until = atoll_clock_monotonic() + BLK_TIMEOUT_NS;
    for (;;) {
        void *cookie;
        uint32_t used;
        enum vq_get g = vq_get_used(&b->q, &cookie, &used);

        if (g == VQ_GOT && cookie == b)
            break;
        if (g == VQ_BAD && cookie == b) {
            b->dead = true; /* a device that lies about lengths */
            return ATOLL_EUNSPEC;
        }
        if (g != VQ_NONE)
            continue;
        atoll_time_t now = atoll_clock_monotonic();
        if (b->q.broken || now >= until) {
            b->dead = true; /* the request may still be in flight */
            virtio_say("%s: a request did not complete; device given up",
                       b->dev->where);
            return ATOLL_EUNSPEC;
        }
        virtio_wait(until);
    }
    vq_rmb();
    switch (*b->status) {
    case VIRTIO_BLK_S_OK: return ATOLL_OK;
    case VIRTIO_BLK_S_UNSUPP: return ATOLL_ENOTSUP;
    default: return ATOLL_EUNSPEC; /* IOERR, or no status written */
    }
}

/* Is [offset, offset + len) a whole number of blocks inside b? */
static bool range_ok(const struct vblk *b, uint64_t offset, size_t len)
{
    uint64_t bs = b->block_size;

    return len != 0 && offset % bs == 0 && len % bs == 0 &&
           offset < b->capacity && len <= b->capacity - offset;
}

static enum atoll_result transfer(atoll_handle_t handle, uint32_t type,
                                  uint64_t offset, void *buf, size_t len)
{
    struct vblk *b = blk_of(handle);

    if (b == NULL || buf == NULL || !range_ok(b, offset, len))
        return ATOLL_EINVAL;
    if (type == VIRTIO_BLK_T_OUT && b->ro)
        return ATOLL_EUNSPEC;
    for (size_t done = 0; done < len;) {
        uint32_t n = len - done > b->chunk ? b->chunk : (uint32_t)(len - done);
        enum atoll_result r =
            request(b, type, offset + done, (char *)buf + done, n);
        if (r != ATOLL_OK)
            return r;
        done += n;
    }
    return ATOLL_OK;
}

enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len)
{
    return transfer(handle, VIRTIO_BLK_T_IN, offset, buf, len);
}

enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len)
{
    /* The device only reads from buf. */
    return transfer(handle, VIRTIO_BLK_T_OUT, offset, (void *)(uintptr_t)buf,
                    len);
}

enum atoll_result atoll_block_flush(atoll_handle_t handle)
{
    struct vblk *b = blk_of(handle);

    if (b == NULL)
        return ATOLL_EINVAL;
    if (!b->flush)
        return ATOLL_ENOTSUP;
    return request(b, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

bool bind_block_can_flush(atoll_handle_t handle)
{
    struct vblk *b = blk_of(handle);

    return b != NULL && b->flush;
}
