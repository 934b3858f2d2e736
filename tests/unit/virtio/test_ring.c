/*
 * The split virtqueue (bindings/virtio/virtio_ring.c) driven from both
 * sides in memory: the driver through the vq_* API, the device by a model
 * written here from the spec that walks the available ring and the
 * descriptor chains and writes used entries, honest or hostile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../bindings/virtio/virtio_ring.h"
#include "../../lib/check.h"

/* A queue with its memory. */
struct tq {
    struct vq q;
    void *ring, *priv;
    uint16_t dev_avail; /* the device's next available index */
    uint16_t dev_used;  /* the device's used index */
};

static void tq_free(struct tq *t)
{
    free(t->ring);
    free(t->priv);
    t->ring = t->priv = NULL;
}

static int tq_init(struct tq *t, uint16_t size, size_t align)
{
    size_t rb = vq_ring_bytes(size, align);

    memset(t, 0, sizeof *t);
    t->ring = aligned_alloc(4096, (rb + 4095) & ~(size_t)4095);
    t->priv = malloc(vq_private_bytes(size));
    if (t->ring == NULL || t->priv == NULL)
        return 0;
    memset(t->ring, 0, rb);
    return vq_init(&t->q, size, align, t->ring, (uintptr_t)t->ring,
                   t->priv);
}

static uint64_t pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* ---- the device model ---------------------------------------------- */

/* What the device saw of one chain. */
struct seen {
    uint16_t head;
    unsigned nout, nin;
    uint32_t out_len, in_len;
    uint8_t out_first;         /* first byte of the first readable buffer */
    void *in_addr[8];          /* writable buffers */
    uint32_t in_size[8];
    int ok;                    /* chain well formed */
};

/* Take the next available chain, as a device does: by index, the
 * descriptors' flags, next links; 0 when none. */
static int dev_pop(struct tq *t, struct seen *s)
{
    volatile struct vring_avail *av = t->q.avail;
    volatile struct vring_desc *d = t->q.desc;
    uint16_t size = t->q.size;

    if (av->idx == t->dev_avail)
        return 0;
    memset(s, 0, sizeof *s);
    s->ok = 1;
    s->head = av->ring[t->dev_avail & (size - 1)];
    t->dev_avail++;
    uint16_t i = s->head;
    for (unsigned n = 0;; n++) {
        if (i >= size || n >= size) {
            s->ok = 0;
            break;
        }
        if (d[i].flags & VRING_DESC_F_WRITE) {
            if (s->nin < 8) {
                s->in_addr[s->nin] = (void *)(uintptr_t)d[i].addr;
                s->in_size[s->nin] = d[i].len;
            }
            s->nin++;
            s->in_len += d[i].len;
        } else {
            if (s->nin != 0)
                s->ok = 0; /* readable after writable */
            if (s->nout == 0)
                s->out_first = *(uint8_t *)(uintptr_t)d[i].addr;
            s->nout++;
            s->out_len += d[i].len;
        }
        if (!(d[i].flags & VRING_DESC_F_NEXT))
            break;
        i = d[i].next;
    }
    return 1;
}

/* Post a used entry (any id and length: the device may lie). */
static void dev_push(struct tq *t, uint32_t id, uint32_t len)
{
    volatile struct vring_used *u = t->q.used;

    u->ring[t->dev_used & (t->q.size - 1)].id = id;
    u->ring[t->dev_used & (t->q.size - 1)].len = len;
    t->dev_used++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    u->idx = t->dev_used;
}

/* Free-list and accounting invariants: the private free list holds
 * exactly num_free distinct descriptors, none in an outstanding chain. */
static int consistent(const struct vq *q)
{
    unsigned char mark[VQ_MAX_SIZE] = {0};
    unsigned busy = 0, chains = 0;

    for (unsigned h = 0; h < q->size; h++) {
        if (q->chain[h].ndesc == 0)
            continue;
        busy += q->chain[h].ndesc;
        chains++;
    }
    if (busy + q->num_free != q->size || chains != q->chains)
        return 0;
    uint16_t d = q->free_head;
    for (unsigned n = 0; n < q->num_free; n++) {
        if (d >= q->size || mark[d] || q->chain[d].ndesc != 0)
            return 0;
        mark[d] = 1;
        d = q->next[d];
    }
    return 1;
}

/* ---- cases ------------------------------------------------------------ */

static const char *init_checks(void)
{
    struct vq q;
    char ring[64], priv[64];

    T_ASSERT(!vq_init(&q, 0, 4096, ring, 0, priv));
    T_ASSERT(!vq_init(&q, 3, 4096, ring, 0, priv));
    T_ASSERT(!vq_init(&q, 2048, 4096, ring, 0, priv));
    T_ASSERT(!vq_init(&q, 4, 3, ring, 0, priv));
    T_ASSERT(!vq_init(&q, 4, 2, ring, 0, priv));
    /* Linux's vring_size(256, 4096) and vring_size(8, 4096) */
    T_ASSERT(vq_ring_bytes(256, 4096) == 10246);
    T_ASSERT(vq_ring_bytes(8, 4096) == 4096 + 6 + 64);
    struct tq t;
    T_ASSERT(tq_init(&t, 256, 4096));
    T_ASSERT(t.q.avail_pa == t.q.desc_pa + 4096);
    T_ASSERT(t.q.used_pa == t.q.desc_pa + 8192);
    T_ASSERT(vq_free(&t.q) == 256 && consistent(&t.q));
    tq_free(&t);
    return NULL;
}

/* One request, two readable and two writable buffers, round trip. */
static const char *round_trip(void)
{
    struct tq t;
    uint8_t hdr[16] = {0x5a}, body[100], st[1], in2[50];
    struct seen s;
    void *cookie;
    uint32_t len;
    int tag;

    T_ASSERT(tq_init(&t, 8, 4096));
    struct vq_buf b[4] = {{pa(hdr), sizeof hdr},
                          {pa(body), sizeof body},
                          {pa(in2), sizeof in2},
                          {pa(st), sizeof st}};
    T_ASSERT(vq_add(&t.q, b, 2, 2, &tag));
    T_ASSERT(vq_free(&t.q) == 4);
    /* Not visible before publish. */
    T_ASSERT(!dev_pop(&t, &s));
    T_ASSERT(vq_publish(&t.q)); /* no NO_NOTIFY: notify */
    T_ASSERT(dev_pop(&t, &s) && s.ok);
    T_ASSERT(s.nout == 2 && s.nin == 2 && s.out_len == 116 &&
             s.in_len == 51 && s.out_first == 0x5a);
    memset(s.in_addr[0], 0xab, s.in_size[0]);
    *(uint8_t *)s.in_addr[1] = 7;
    T_ASSERT(!vq_has_used(&t.q));
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_NONE);
    dev_push(&t, s.head, 51);
    T_ASSERT(vq_has_used(&t.q));
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_GOT);
    T_ASSERT(cookie == &tag && len == 51 && st[0] == 7 && in2[49] == 0xab);
    T_ASSERT(vq_free(&t.q) == 8 && consistent(&t.q));
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_NONE);
    /* The device asks for no notifications. */
    t.q.used->flags = VRING_USED_F_NO_NOTIFY;
    T_ASSERT(vq_add(&t.q, b, 1, 0, &tag));
    T_ASSERT(!vq_publish(&t.q));
    vq_set_interrupts(&t.q, false);
    T_ASSERT(t.q.avail->flags == VRING_AVAIL_F_NO_INTERRUPT);
    vq_set_interrupts(&t.q, true);
    T_ASSERT(t.q.avail->flags == 0);
    tq_free(&t);
    return NULL;
}

/* Fill the ring, fail to add more without a change, complete out of
 * order, refill. */
static const char *full_ring(void)
{
    struct tq t;
    uint8_t buf[8][4];
    int tags[8];
    struct seen s[8];
    void *cookie;
    uint32_t len;

    T_ASSERT(tq_init(&t, 8, 4096));
    for (int i = 0; i < 4; i++) {
        struct vq_buf b[2] = {{pa(buf[2 * i]), 4}, {pa(buf[2 * i + 1]), 4}};
        T_ASSERT(vq_add(&t.q, b, 1, 1, &tags[i]));
    }
    T_ASSERT(vq_free(&t.q) == 0);
    struct vq q0 = t.q;
    struct vq_buf one = {pa(buf[0]), 4};
    T_ASSERT(!vq_add(&t.q, &one, 1, 0, &tags[0]));
    T_ASSERT(memcmp(&q0, &t.q, sizeof q0) == 0);
    vq_publish(&t.q);
    for (int i = 0; i < 4; i++)
        T_ASSERT(dev_pop(&t, &s[i]) && s[i].ok && s[i].nin == 1);
    /* Finish 2, 0, 3, 1. */
    int order[4] = {2, 0, 3, 1};
    for (int i = 0; i < 4; i++)
        dev_push(&t, s[order[i]].head, (uint32_t)i);
    for (int i = 0; i < 4; i++) {
        T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_GOT);
        T_ASSERT(cookie == &tags[order[i]] && len == (uint32_t)i);
        T_ASSERT(consistent(&t.q));
    }
    T_ASSERT(vq_free(&t.q) == 8);
    /* Eight one-descriptor chains now fit. */
    for (int i = 0; i < 8; i++)
        T_ASSERT(vq_add(&t.q, &one, 1, 0, &tags[0]));
    T_ASSERT(!vq_add(&t.q, &one, 1, 0, &tags[0]));
    /* A chain longer than the ring, an empty chain, an empty buffer. */
    tq_free(&t);
    T_ASSERT(tq_init(&t, 4, 4096));
    struct vq_buf five[5] = {{pa(buf[0]), 4}, {pa(buf[1]), 4},
                             {pa(buf[2]), 4}, {pa(buf[3]), 4},
                             {pa(buf[4]), 4}};
    T_ASSERT(!vq_add(&t.q, five, 3, 2, NULL));
    T_ASSERT(!vq_add(&t.q, five, 0, 0, NULL));
    five[1].len = 0;
    T_ASSERT(!vq_add(&t.q, five, 2, 0, NULL));
    T_ASSERT(vq_free(&t.q) == 4 && consistent(&t.q));
    tq_free(&t);
    return NULL;
}

/* Many rounds through a small ring, past the 16-bit index wrap, with
 * chains of 1 to 3 descriptors completed in a shuffled order. */
static const char *wraparound(void)
{
    struct tq t;
    uint8_t mem[3][8];
    struct seen pending[8];
    unsigned npend = 0;
    uint64_t added = 0, done = 0;
    uintptr_t next_tag = 1;

    srand(11);
    T_ASSERT(tq_init(&t, 8, 64));
    for (int round = 0; round < 300000; round++) {
        unsigned n = 1 + (unsigned)rand() % 3, nin = (unsigned)rand() % (n + 1);
        struct vq_buf b[3];
        for (unsigned i = 0; i < n; i++)
            b[i] = (struct vq_buf){pa(mem[i]), (uint32_t)(i + 1)};
        if (vq_add(&t.q, b, n - nin, nin, (void *)next_tag)) {
            next_tag++;
            added++;
        }
        if (rand() % 2)
            vq_publish(&t.q);
        struct seen s;
        while (npend < 8 && dev_pop(&t, &s)) {
            if (!s.ok)
                return "device saw a malformed chain";
            pending[npend++] = s;
        }
        if (npend > 0 && rand() % 3 != 0) {
            unsigned k = (unsigned)rand() % npend;
            dev_push(&t, pending[k].head, pending[k].in_len);
            pending[k] = pending[--npend];
        }
        void *cookie;
        uint32_t len;
        enum vq_get g;
        while ((g = vq_get_used(&t.q, &cookie, &len)) == VQ_GOT)
            done++;
        T_ASSERT(g == VQ_NONE);
        if (round % 997 == 0)
            T_ASSERT(consistent(&t.q));
    }
    T_ASSERT(t.q.avail_idx == (uint16_t)added && added > 70000);
    T_ASSERT(done + t.q.chains == added);
    T_ASSERT(t.q.bad_entries == 0 && !t.q.broken && consistent(&t.q));
    tq_free(&t);
    return NULL;
}

/* Used entries a device must not send: each is rejected, and the queue
 * still works afterwards. */
static const char *hostile_entries(void)
{
    struct tq t;
    uint8_t a[16], w[16];
    struct seen s1, s2;
    int tag1, tag2;
    void *cookie;
    uint32_t len;

    T_ASSERT(tq_init(&t, 8, 4096));
    struct vq_buf b[2] = {{pa(a), 16}, {pa(w), 16}};
    T_ASSERT(vq_add(&t.q, b, 1, 1, &tag1));
    T_ASSERT(vq_add(&t.q, b, 1, 1, &tag2));
    vq_publish(&t.q);
    T_ASSERT(dev_pop(&t, &s1) && dev_pop(&t, &s2));

    /* An id past the ring. */
    dev_push(&t, 8, 1);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_BAD);
    T_ASSERT(cookie == NULL && len == 0 && vq_free(&t.q) == 4);
    dev_push(&t, 0xffffffffu, 1);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_BAD);
    /* An id inside the ring that is not a head (the chain's second
     * descriptor). */
    T_ASSERT(s1.head != s2.head);
    dev_push(&t, (uint32_t)((s1.head + 1) & 7), 1);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_BAD);
    T_ASSERT(vq_free(&t.q) == 4 && consistent(&t.q));
    /* More written than the chain can hold: the chain is given back, its
     * length not believed. */
    dev_push(&t, s1.head, 17);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_BAD);
    T_ASSERT(cookie == &tag1 && len == 0);
    T_ASSERT(vq_free(&t.q) == 6 && consistent(&t.q));
    /* The same chain finished twice. */
    dev_push(&t, s1.head, 1);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_BAD);
    T_ASSERT(vq_free(&t.q) == 6 && consistent(&t.q));
    T_ASSERT(t.q.bad_entries == 5);
    /* An honest entry still works. */
    dev_push(&t, s2.head, 16);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_GOT);
    T_ASSERT(cookie == &tag2 && len == 16 && vq_free(&t.q) == 8);
    T_ASSERT(consistent(&t.q) && !t.q.broken);

    /* A used index that runs ahead of what is outstanding. */
    T_ASSERT(vq_add(&t.q, b, 1, 1, &tag1));
    vq_publish(&t.q);
    t.q.used->idx = (uint16_t)(t.q.last_used + 2);
    T_ASSERT(vq_get_used(&t.q, &cookie, &len) == VQ_NONE);
    T_ASSERT(t.q.broken && !vq_has_used(&t.q));
    T_ASSERT(!vq_add(&t.q, b, 1, 1, &tag1));
    T_ASSERT(consistent(&t.q));
    tq_free(&t);
    return NULL;
}

/* A device that writes random used entries (and random indices) never
 * breaks the driver's bookkeeping. */
static const char *random_device(void)
{
    struct tq t;
    uint8_t a[4], w[4];

    srand(12);
    for (int trial = 0; trial < 200; trial++) {
        T_ASSERT(tq_init(&t, 16, 4096));
        for (int step = 0; step < 500; step++) {
            struct vq_buf b[2] = {{pa(a), 4}, {pa(w), 4}};
            unsigned n = 1 + (unsigned)rand() % 2;
            vq_add(&t.q, b, n - 1, 1, (void *)(uintptr_t)(step + 1));
            vq_publish(&t.q);
            switch (rand() % 4) {
            case 0:
                dev_push(&t, (uint32_t)rand() % 20, (uint32_t)rand() % 6);
                break;
            case 1:
                t.q.used->idx = (uint16_t)rand();
                break;
            default: {
                struct seen s;
                if (dev_pop(&t, &s))
                    dev_push(&t, s.head, s.in_len);
            }
            }
            void *cookie;
            uint32_t len;
            for (int k = 0; k < 20; k++) {
                enum vq_get g = vq_get_used(&t.q, &cookie, &len);
                if (g == VQ_NONE)
                    break;
                if (g == VQ_GOT && len > 4)
                    return "accepted a length beyond the chain";
            }
            if (!consistent(&t.q))
                return "bookkeeping broken";
        }
        tq_free(&t);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(init_checks);
    RUN(round_trip);
    RUN(full_ring);
    RUN(wraparound);
    RUN(hostile_entries);
    RUN(random_device);
    return t_finish();
}
