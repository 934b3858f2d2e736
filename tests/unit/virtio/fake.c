/* The virtio unit tests' shared fakes: see fake.h. */
#include "fake.h"

#include <stdlib.h>
#include <string.h>

#include "../../../bindings/virtio/mem.h"
#include "../../../bindings/virtio/virtio_drv.h"

/* ---- the bindings ------------------------------------------------------ */

struct atoll_mft_entry fake_mft[FAKE_MFT_MAX + 1];
atoll_handle_t fake_mft_count;
uint32_t fake_mft_type;

const struct atoll_mft_entry *bind_mft_get(atoll_handle_t h, uint32_t type)
{
    if (h < 1 || h > fake_mft_count || type != fake_mft_type)
        return NULL;
    return &fake_mft[h];
}

char fake_said[256];
void atoll_console_write(const char *buf, size_t len)
{
    size_t n = len < sizeof fake_said - 1 ? len : sizeof fake_said - 1;
    memcpy(fake_said, buf, n);
    fake_said[n] = '\0';
}

static void *pages[512];
static unsigned npages;
void *virtio_page_alloc(size_t n)
{
    if (n == 0 || npages == 512)
        return NULL;
    void *p = aligned_alloc(VIRTIO_PAGE_SIZE, n * VIRTIO_PAGE_SIZE);
    memset(p, 0, n * VIRTIO_PAGE_SIZE);
    return pages[npages++] = p;
}

void fake_free_pages(void)
{
    while (npages > 0)
        free(pages[--npages]);
}

atoll_time_t fake_now_ns;
atoll_time_t atoll_clock_monotonic(void) { return fake_now_ns += 1000; }

unsigned fake_waits;
void virtio_wait(atoll_time_t deadline)
{
    fake_waits++;
    if (deadline > fake_now_ns)
        fake_now_ns = deadline;
}

void virtio_dev_irq(void *d) { (void)d; }
unsigned fake_irq_gsi;
int virtio_irq_attach(unsigned gsi, void (*fn)(void *), void *arg)
{
    (void)fn;
    (void)arg;
    fake_irq_gsi = gsi;
    return 0;
}

/* ---- the device ---------------------------------------------------------- */

static struct fake *F(struct virtio_dev *d) { return (struct fake *)d; }

static uint64_t get_features(struct virtio_dev *d) { return F(d)->offered; }
static void set_features(struct virtio_dev *d, uint64_t f)
{
    F(d)->accepted = f;
}
static uint8_t get_status(struct virtio_dev *d) { return F(d)->status; }
static void set_status(struct virtio_dev *d, uint8_t s)
{
    struct fake *f = F(d);

    if (f->nstatus < 16)
        f->statuses[f->nstatus++] = s;
    if ((s & VIRTIO_S_FEATURES_OK) && f->refuse_features_ok)
        s &= (uint8_t)~VIRTIO_S_FEATURES_OK;
    f->status = s;
}
static uint32_t cfg_read(struct virtio_dev *d, unsigned off, unsigned w)
{
    struct fake *f = F(d);
    uint32_t v = 0;

    if (++f->reads == f->bump_at) {
        f->generation++;
        f->cfg[0] ^= 0xffu; /* the half already read changes */
    }
    if (w <= 4 && off + w <= sizeof f->cfg)
        memcpy(&v, (const uint8_t *)f->cfg + off, w); /* little-endian */
    return v;
}
static uint32_t generation(struct virtio_dev *d) { return F(d)->generation; }
static uint16_t queue_max(struct virtio_dev *d, uint16_t idx)
{
    return idx < F(d)->nqueues ? F(d)->qmax : 0;
}
static bool fixed(struct virtio_dev *d) { return F(d)->fixed; }
static bool queue_setup(struct virtio_dev *d, uint16_t idx, const struct vq *q)
{
    struct fake *f = F(d);

    f->setup_size = q->size;
    if (idx < 2)
        f->q[idx] = q;
    return !f->refuse_queue;
}
static void notify(struct virtio_dev *d, uint16_t idx)
{
    struct fake *f = F(d);

    if (idx < 2)
        f->notified[idx]++;
    if (f->serve != NULL)
        f->serve(f, idx);
}
static uint8_t isr(struct virtio_dev *d) { (void)d; return 1; }

static const struct virtio_ops fake_ops = {
    get_features, set_features, get_status, set_status, cfg_read,
    generation, queue_max, fixed, queue_setup, notify, isr,
};

void fake_init(struct fake *f, enum virtio_transport t, uint64_t offered)
{
    memset(f, 0, sizeof *f);
    f->d.ops = &fake_ops;
    f->d.transport = t;
    f->offered = offered;
    f->status = 0x7f; /* whatever it was before reset */
    f->nqueues = 1;
    f->qmax = 256;
}

bool fake_pop(struct fake *f, int qi, struct chain *c)
{
    const struct vq *q = f->q[qi];
    if (q->avail->idx == f->avail_seen[qi])
        return false;
    c->head = q->avail->ring[f->avail_seen[qi]++ & (q->size - 1)];
    c->n = 0;
    for (uint16_t i = c->head;; i = q->desc[i].next) {
        if (c->n < FAKE_CHAIN_MAX) {
            c->addr[c->n] = (uint8_t *)(uintptr_t)q->desc[i].addr;
            c->len[c->n] = q->desc[i].len;
            c->write[c->n] = (q->desc[i].flags & VRING_DESC_F_WRITE) != 0;
        }
        c->n++;
        if (!(q->desc[i].flags & VRING_DESC_F_NEXT))
            break;
    }
    return true;
}

void fake_push(struct fake *f, int qi, uint32_t id, uint32_t len)
{
    const struct vq *q = f->q[qi];
    uint16_t u = f->used_idx[qi]++;
    q->used->ring[u & (q->size - 1)].id = id;
    q->used->ring[u & (q->size - 1)].len = len;
    q->used->idx = f->used_idx[qi];
}
