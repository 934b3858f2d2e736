/*
 * The front end of a Xen shared ring (io/ring.h), for blkfront and
 * netfront: one page that starts with four free-running indexes
 * (req_prod, req_event, rsp_prod, rsp_event) and 48 bytes of padding,
 * then the entries, each the size of the larger of a request and a
 * response; the count is the largest power of two that fits. The
 * frontend produces requests and consumes responses; req_event and
 * rsp_event are where each side asks to be notified.
 */
#ifndef ATOLL_BINDINGS_XEN_RING_H
#define ATOLL_BINDINGS_XEN_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XEN_RING_PAGE 4096u
#define XEN_RING_HDR 64u

struct xen_sring {
    uint32_t req_prod, req_event;
    uint32_t rsp_prod, rsp_event;
    uint8_t pad[48];
    uint8_t ring[XEN_RING_PAGE - XEN_RING_HDR];
};
_Static_assert(sizeof(struct xen_sring) == XEN_RING_PAGE, "a ring is a page");

struct xen_front_ring {
    volatile struct xen_sring *s;
    uint32_t req_prod_pvt; /* requests made, not yet pushed */
    uint32_t rsp_cons;     /* responses taken */
    uint32_t size;         /* entries, a power of two */
    uint32_t entry;        /* bytes per entry */
};

/* Compiler barrier (x86 keeps stores in order, and loads); a full fence
 * where a store must be seen before a later load (the event indexes). */
#define xen_ring_barrier() __asm__ __volatile__("" ::: "memory")
#define xen_ring_mb() __asm__ __volatile__("mfence" ::: "memory")

/* SHARED_RING_INIT and FRONT_RING_INIT on the zeroed page: entries of
 * entry bytes (the larger of request and response). */
static inline void xen_ring_init(struct xen_front_ring *r, void *page,
                                 uint32_t entry)
{
    uint32_t n = (XEN_RING_PAGE - XEN_RING_HDR) / entry, size = 1;

    while (size * 2 <= n)
        size *= 2;
    r->s = page;
    r->s->req_prod = r->s->rsp_prod = 0;
    r->s->req_event = r->s->rsp_event = 1;
    r->req_prod_pvt = r->rsp_cons = 0;
    r->size = size;
    r->entry = entry;
}

/* The slot of index i (a request's or a response's: they share it). */
static inline void *xen_ring_slot(const struct xen_front_ring *r, uint32_t i)
{
    return (void *)(uintptr_t)&r->s->ring[(i & (r->size - 1)) * r->entry];
}

/* Room for another request (the backend consumed up to rsp_cons's). */
static inline bool xen_ring_full(const struct xen_front_ring *r)
{
    return r->req_prod_pvt - r->rsp_cons >= r->size;
}

/* The next request's slot; xen_ring_push publishes it. */
static inline void *xen_ring_next_req(struct xen_front_ring *r)
{
    return xen_ring_slot(r, r->req_prod_pvt++);
}

/* RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: publish the requests made; true
 * if the backend asked to be notified of one of them. */
static inline bool xen_ring_push(struct xen_front_ring *r)
{
    uint32_t old = r->s->req_prod, new = r->req_prod_pvt;

    xen_ring_barrier(); /* the requests before the index */
    r->s->req_prod = new;
    xen_ring_mb(); /* the index before reading req_event */
    return new - r->s->req_event < new - old;
}

/* A response waits at rsp_cons (read it with xen_ring_slot, then
 * rsp_cons++). */
static inline bool xen_ring_has_rsp(const struct xen_front_ring *r)
{
    bool has = r->s->rsp_prod != r->rsp_cons;
    xen_ring_barrier(); /* the index before the response it covers */
    return has;
}

/* RING_FINAL_CHECK_FOR_RESPONSES: none waiting, so ask for an event at
 * the next one and look again (one may have come meanwhile). */
static inline bool xen_ring_final_check(struct xen_front_ring *r)
{
    if (xen_ring_has_rsp(r))
        return true;
    r->s->rsp_event = r->rsp_cons + 1;
    xen_ring_mb();
    return xen_ring_has_rsp(r);
}

#endif
