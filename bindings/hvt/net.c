/*
 * Network devices: through the tender's net ring (netring.h, Solo5
 * v0.12.1's) when it offers one, else NET_READ / NET_WRITE hypercalls.
 * On the ring a write is copied into a per-slot buffer and not waited
 * for; a read waits for its commit. The tender is kicked (port
 * ATOLL_HVT_RING_KICK_PIO, a KVM ioeventfd) only when it said it sleeps.
 * With virtio-net headers (ATOLL_EXT_F_NET_VNET) a frame may be a 64 KB
 * TCP segment: the ring carries one longer than a slot buffer from where
 * it is, and the write waits until the tender took it.
 */
#include <string.h>

#include "hvt_bind.h"
#include "netring.h"

/* Writes in flight at most: their buffers, 256 KiB of .bss. */
#define RING_SLOTS 128u

static struct netring_guest ring;
static int ring_on;
static uint8_t slot_buf[RING_SLOTS][ATOLL_HVT_RING_BUF_SIZE];

void hvt_net_init(const struct atoll_hvt_boot_info *bi)
{
    /* Solo5 v0.12.1's tender puts the ring right above mem_size. */
    if (!(bi->host_features & ATOLL_HVT_FEATURE_RING_IO) ||
        bi->net_ring == 0 || bi->net_ring != bi->mem_size ||
        bi->net_ring % 4096 != 0)
        return;
    netring_guest_init(&ring,
                       (struct atoll_hvt_ring *)(uintptr_t)bi->net_ring);
    ring.limit = RING_SLOTS;
    ring_on = 1;
}

static void kick(int k)
{
    if (k)
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0u), "d"((uint16_t)ATOLL_HVT_RING_KICK_PIO)
                             : "memory");
}

void hvt_net_flush(void)
{
    if (!ring_on)
        return;
    /* Bounded: a halt must not hang on a ring the guest damaged. */
    for (uint32_t i = 0; i < (1u << 26) &&
                         __atomic_load_n(&ring.ring->ent_head,
                                         __ATOMIC_ACQUIRE) != ring.ent_tail;
         i++)
        __asm__ __volatile__("pause" ::: "memory");
}

static void wait_room(void)
{
    while (!netring_guest_room(&ring))
        __asm__ __volatile__("pause" ::: "memory");
}

static int32_t ring_write(atoll_handle_t handle, const void *frame,
                          size_t len)
{
    wait_room();
    const void *b = frame;
    if (len <= ATOLL_HVT_RING_BUF_SIZE) {
        uint8_t *slot = slot_buf[netring_guest_slot(&ring) % RING_SLOTS];
        memcpy(slot, frame, len);
        b = slot;
    }
    int k;
    (void)netring_guest_submit(&ring, ATOLL_HVT_RING_NET_WRITE,
                               (uint32_t)handle, (uint64_t)(uintptr_t)b,
                               (uint32_t)len, &k);
    kick(k);
    /* In place: the caller may reuse frame once the tender wrote it. */
    while (b == frame && !netring_guest_taken(&ring, ring.ent_tail))
        __asm__ __volatile__("pause" ::: "memory");
    return ATOLL_HVT_R_OK;
}

static int32_t ring_read(atoll_handle_t handle, void *buf, size_t size,
                         uint64_t *len)
{
    wait_room();
    uint32_t id = ring.next_id;
    int k;
    (void)netring_guest_submit(&ring, ATOLL_HVT_RING_NET_READ,
                               (uint32_t)handle, (uint64_t)(uintptr_t)buf,
                               (uint32_t)size, &k);
    kick(k);
    struct atoll_hvt_ring_commit c;
    while (netring_guest_commit(&ring, &c) != 0)
        __asm__ __volatile__("pause" ::: "memory");
    if (c.id != id)
        return ATOLL_HVT_R_EUNSPEC;
    *len = c.len;
    return c.ret;
}

static enum atoll_result result(int32_t ret)
{
    switch (ret) {
    case ATOLL_HVT_R_OK: return ATOLL_OK;
    case ATOLL_HVT_R_AGAIN: return ATOLL_AGAIN;
    case ATOLL_HVT_R_EINVAL: return ATOLL_EINVAL;
    default: return ATOLL_EUNSPEC;
    }
}

enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || frame == NULL || len < ATOLL_NET_HLEN ||
        len > bind_net_frame_max(handle, e))
        return ATOLL_EINVAL;
    if (ring_on)
        return result(ring_write(handle, frame, len));
    struct atoll_hvt_hc_net_write w = {
        .handle = handle,
        .data = (uint64_t)(uintptr_t)frame,
        .len = len,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_NET_WRITE, &w);
    return result(w.ret);
}

enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len)
{
    const struct atoll_mft_entry *e =
        bind_mft_get(handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || buf == NULL || len == NULL ||
        size < bind_net_frame_max(handle, e))
        return ATOLL_EINVAL;
    if (ring_on && size <= UINT32_MAX) {
        uint64_t got = 0;
        enum atoll_result res = result(ring_read(handle, buf, size, &got));
        if (res == ATOLL_OK) {
            if (got > size)
                return ATOLL_EUNSPEC; /* a tender cannot write past buf */
            *len = got;
        }
        return res;
    }
    struct atoll_hvt_hc_net_read r = {
        .handle = handle,
        .data = (uint64_t)(uintptr_t)buf,
        .len = size,
        .ret = ATOLL_HVT_R_EUNSPEC,
    };
    hvt_hypercall(ATOLL_HVT_HC_NET_READ, &r);
    enum atoll_result res = result(r.ret);
    if (res == ATOLL_OK) {
        if (r.len > size)
            return ATOLL_EUNSPEC; /* a tender cannot write past buf */
        *len = r.len;
    }
    return res;
}
