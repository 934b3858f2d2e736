/*
 * The device status sequence (virtio 1.x section 3.1) over any transport:
 * reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK.
 */
#include <stdarg.h>
#include <stdio.h>

#include "../common/bindings.h"
#include "atoll/platform.h"
#include "mem.h"
#include "virtio_dev.h"

void virtio_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bind_vsay("virtio", fmt, ap);
    va_end(ap);
}

static void reset(struct virtio_dev *d)
{
    d->ops->set_status(d, 0);
    /* A modern device may take a moment; it reads 0 once reset is done. */
    for (int i = 0; i < 1000000 && d->ops->get_status(d) != 0; i++)
        __asm__ __volatile__("pause");
}

const char *virtio_dev_begin(struct virtio_dev *d, uint64_t want)
{
    const char *why;
    uint64_t acc;

    reset(d);
    d->ops->set_status(d, VIRTIO_S_ACKNOWLEDGE);
    d->ops->set_status(d, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER);
    if (!virtio_features_choose(d->ops->get_features(d), want,
                                virtio_is_modern(d), &acc, &why)) {
        virtio_dev_fail(d);
        return why;
    }
    d->ops->set_features(d, acc);
    d->features = acc;
    if (virtio_is_modern(d)) {
        uint8_t s = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER |
                    VIRTIO_S_FEATURES_OK;
        d->ops->set_status(d, s);
        if (!(d->ops->get_status(d) & VIRTIO_S_FEATURES_OK)) {
            virtio_dev_fail(d);
            return "the device refused the features (FEATURES_OK not set)";
        }
    }
    return NULL;
}

const char *virtio_dev_queue(struct virtio_dev *d, uint16_t idx,
                             uint16_t max, struct vq *q)
{
    uint16_t size = d->ops->queue_max(d, idx);

    if (size == 0)
        return "a queue is missing";
    if (d->ops->queue_size_fixed(d)) {
        if (size > VQ_MAX_SIZE || (size & (size - 1)) != 0)
            return "the queue's fixed size is not a power of two <= 1024";
    } else {
        /* The largest power of two within both limits. */
        uint16_t s = 1;
        while ((uint16_t)(s * 2) <= size && s * 2 <= max)
            s = (uint16_t)(s * 2);
        size = s;
    }
    size_t rb = vq_ring_bytes(size, VIRTIO_PAGE_SIZE);
    size_t pb = vq_private_bytes(size);
    void *ring = virtio_page_alloc((rb + VIRTIO_PAGE_SIZE - 1) /
                                   VIRTIO_PAGE_SIZE);
    void *priv = virtio_page_alloc((pb + VIRTIO_PAGE_SIZE - 1) /
                                   VIRTIO_PAGE_SIZE);
    if (ring == NULL || priv == NULL)
        return "out of memory for a queue";
    if (!vq_init(q, size, VIRTIO_PAGE_SIZE, ring, (uintptr_t)ring, priv))
        return "bad queue geometry";
    if (!d->ops->queue_setup(d, idx, q))
        return "the device refused a queue";
    return NULL;
}

void virtio_dev_ready(struct virtio_dev *d)
{
    d->ops->set_status(d, d->ops->get_status(d) | VIRTIO_S_DRIVER_OK);
}

void virtio_dev_fail(struct virtio_dev *d)
{
    d->ops->set_status(d, d->ops->get_status(d) | VIRTIO_S_FAILED);
}

uint8_t virtio_cfg8(struct virtio_dev *d, unsigned off)
{
    return (uint8_t)d->ops->cfg_read(d, off, 1);
}

uint32_t virtio_cfg32(struct virtio_dev *d, unsigned off)
{
    return d->ops->cfg_read(d, off, 4);
}

uint64_t virtio_cfg64(struct virtio_dev *d, unsigned off)
{
    uint32_t g, lo, hi;

    /* Two halves of one generation. */
    do {
        g = d->ops->cfg_generation(d);
        lo = d->ops->cfg_read(d, off, 4);
        hi = d->ops->cfg_read(d, off + 4, 4);
    } while (g != d->ops->cfg_generation(d));
    return lo | (uint64_t)hi << 32;
}

void virtio_dev_kick(struct virtio_dev *d, uint16_t idx, struct vq *q)
{
    if (vq_publish(q))
        d->ops->notify(d, idx);
}
