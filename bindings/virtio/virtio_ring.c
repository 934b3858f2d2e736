/*
 * Split virtqueue, driver side (see virtio_ring.h).
 */
#include "virtio_ring.h"

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static bool pow2(size_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static size_t avail_bytes(uint16_t size)
{
    return 4 + 2 * (size_t)size + 2; /* flags, idx, ring, used_event */
}

static size_t used_offset(uint16_t size, size_t align)
{
    return align_up(16 * (size_t)size + avail_bytes(size), align);
}

size_t vq_ring_bytes(uint16_t size, size_t align)
{
    /* flags, idx, ring, avail_event */
    return used_offset(size, align) + 4 + 8 * (size_t)size + 2;
}

size_t vq_private_bytes(uint16_t size)
{
    return (size_t)size * sizeof(struct vq_chain) +
           (size_t)size * sizeof(uint16_t);
}

bool vq_init(struct vq *q, uint16_t size, size_t align, void *ring,
             uint64_t ring_pa, void *priv)
{
    if (!pow2(size) || size > VQ_MAX_SIZE || !pow2(align) || align < 4 ||
        ring == NULL || priv == NULL)
        return false;
    char *r = ring;
    size_t uo = used_offset(size, align);

    *q = (struct vq){
        .size = size,
        .desc = (volatile struct vring_desc *)r,
        .avail = (volatile struct vring_avail *)(r + 16 * (size_t)size),
        .used = (volatile struct vring_used *)(r + uo),
        .desc_pa = ring_pa,
        .avail_pa = ring_pa + 16 * (uint64_t)size,
        .used_pa = ring_pa + uo,
        .num_free = size,
        .chain = priv,
        .next = (uint16_t *)((char *)priv +
                             (size_t)size * sizeof(struct vq_chain)),
    };
    for (uint16_t i = 0; i < size; i++) {
        q->next[i] = (uint16_t)(i + 1); /* the last one is never followed */
        q->chain[i] = (struct vq_chain){0};
    }
    return true;
}

bool vq_add(struct vq *q, const struct vq_buf *bufs, unsigned nout,
            unsigned nin, void *cookie)
{
    unsigned n = nout + nin;

    if (q->broken || n == 0 || n > q->num_free)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (bufs[i].len == 0)
            return false;

    uint16_t head = q->free_head, d = head, last = head;
    uint32_t in_len = 0;
    for (unsigned i = 0; i < n; i++) {
        bool in = i >= nout;
        uint16_t flags = (uint16_t)(in ? VRING_DESC_F_WRITE : 0);

        if (i + 1 < n)
            flags |= VRING_DESC_F_NEXT;
        q->desc[d].addr = bufs[i].addr;
        q->desc[d].len = bufs[i].len;
        q->desc[d].flags = flags;
        q->desc[d].next = i + 1 < n ? q->next[d] : 0;
        if (in)
            in_len += bufs[i].len;
        last = d;
        d = q->next[d];
    }
    q->free_head = d;
    q->num_free = (uint16_t)(q->num_free - n);
    q->chain[head] = (struct vq_chain){
        .cookie = cookie, .in_len = in_len, .ndesc = (uint16_t)n,
        .tail = last};
    q->chains++;
    q->avail->ring[q->avail_idx & (q->size - 1)] = head;
    q->avail_idx++;
    return true;
}

bool vq_publish(struct vq *q)
{
    vq_wmb(); /* descriptors and ring entries before the index */
    q->avail->idx = q->avail_idx;
    vq_mb(); /* the index store before the flags load */
    return (q->used->flags & VRING_USED_F_NO_NOTIFY) == 0;
}

/* Give head's chain back to the free list. */
static void release(struct vq *q, uint16_t head)
{
    struct vq_chain *c = &q->chain[head];

    q->next[c->tail] = q->free_head;
    q->free_head = head;
    q->num_free = (uint16_t)(q->num_free + c->ndesc);
    q->chains--;
    *c = (struct vq_chain){0};
}

bool vq_has_used(const struct vq *q)
{
    return !q->broken && q->used->idx != q->last_used;
}

enum vq_get vq_get_used(struct vq *q, void **cookie, uint32_t *len)
{
    *cookie = NULL;
    *len = 0;
    if (q->broken)
        return VQ_NONE;
    uint16_t idx = q->used->idx;
    if (idx == q->last_used)
        return VQ_NONE;
    if ((uint16_t)(idx - q->last_used) > q->chains) {
        q->broken = true; /* more finished chains than we gave it */
        return VQ_NONE;
    }
    vq_rmb(); /* the entry after the index that announced it */
    volatile struct vring_used_elem *e =
        &q->used->ring[q->last_used & (q->size - 1)];
    uint32_t id = e->id, l = e->len;
    q->last_used++;

    if (id >= q->size || q->chain[id].ndesc == 0) {
        q->bad_entries++;
        return VQ_BAD;
    }
    *cookie = q->chain[id].cookie;
    bool ok = l <= q->chain[id].in_len;
    release(q, (uint16_t)id);
    if (!ok) {
        q->bad_entries++;
        return VQ_BAD;
    }
    *len = l;
    return VQ_GOT;
}

void vq_set_interrupts(struct vq *q, bool on)
{
    q->avail->flags = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
    vq_mb();
}
