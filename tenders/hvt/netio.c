/*
 * atoll-hvt's network I/O: one frame to or from a TAP device, for the
 * NET_WRITE/NET_READ hypercalls and for the net ring (netring.h), and the
 * ring's set-up and I/O thread.
 *
 * The ring (Solo5 v0.12.1's, include/atoll/abi/hvt_ring.h) takes the top
 * page-rounded bytes of guest memory when a net device is attached; the
 * guest is told mem_size = the ring's address. A guest's kick on port
 * ATOLL_HVT_RING_KICK_PIO is a KVM ioeventfd: KVM signals the eventfd
 * without returning to the vCPU loop, and the I/O thread, asleep on it,
 * wakes. The thread spins a little before sleeping, so back-to-back frames
 * need no kick.
 *
 * The ring is offered only where the tender may run on two CPUs or more
 * (sched_getaffinity): the guest waits for a read's commit by spinning, and
 * on one CPU its vCPU thread spins until the scheduler preempts it before
 * the ring's thread can serve the read. Measured in tests/vm's VM with one
 * vCPU (examples/echo, ping -i 0.05, netclient rr of 1 byte): ring 4.8 ms
 * average round trip (max 51), 671 trips/s; hypercalls 1.2 ms, 1500/s.
 * ATOLL_HVT_NET_RING=0 in the environment turns it off, =1 offers it on
 * any number of CPUs, for measuring both.
 */
#include <errno.h>
#include <limits.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hvt.h"
#include "netring.h"

#define SPIN_ROUNDS 2000

uint64_t hvt_net_frame_max(const struct hvt *hvt, uint64_t handle,
                           const struct atoll_mft_entry *e)
{
    if (handle < 64 && (hvt->net_vnet & (1ull << handle)) != 0)
        return ATOLL_EXT_NET_VNET_FRAME_MAX;
    return (uint64_t)e->u.net_basic.mtu + HVT_ETH_HLEN;
}

int hvt_net_send(const struct hvt *hvt, uint64_t handle, const void *p,
                 uint64_t len)
{
    const struct atoll_mft_entry *e =
        hvt_device(hvt, handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || len == 0 || len > hvt_net_frame_max(hvt, handle, e))
        return ATOLL_HVT_R_EINVAL;
    ssize_t n;
    do
        n = write(e->b.hostfd, p, len);
    while (n == -1 && errno == EINTR);
    return n == (ssize_t)len ? ATOLL_HVT_R_OK : ATOLL_HVT_R_EUNSPEC;
}

int hvt_net_recv(const struct hvt *hvt, uint64_t handle, void *p,
                 uint64_t size, uint64_t *len)
{
    const struct atoll_mft_entry *e =
        hvt_device(hvt, handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || size == 0)
        return ATOLL_HVT_R_EINVAL;
    ssize_t n;
    do
        n = read(e->b.hostfd, p, size > SSIZE_MAX ? SSIZE_MAX : size);
    while (n == -1 && errno == EINTR);
    if (n > 0) {
        *len = (uint64_t)n;
        return ATOLL_HVT_R_OK;
    }
    if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
        return ATOLL_HVT_R_AGAIN;
    return ATOLL_HVT_R_EUNSPEC;
}

static struct netring ring;
static uint64_t ring_entries; /* written by the ring's thread only */

uint64_t hvt_netring_entries(void)
{
    return __atomic_load_n(&ring_entries, __ATOMIC_RELAXED);
}

static int ring_write(void *ctx, uint32_t handle, const uint8_t *p,
                      uint32_t len)
{
    return hvt_net_send(ctx, handle, p, len);
}

static int ring_read(void *ctx, uint32_t handle, uint8_t *p, uint32_t len,
                     uint32_t *got)
{
    uint64_t n = 0;
    int rc = hvt_net_recv(ctx, handle, p, len, &n);
    *got = (uint32_t)n;
    return rc;
}

uint64_t hvt_netring_size(void)
{
    return (sizeof(struct atoll_hvt_ring) + 0xfff) & ~(uint64_t)0xfff;
}

int hvt_cpus_usable(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return CPU_COUNT(&set);
}

/* Whether to offer the ring: ATOLL_HVT_NET_RING=0 never, =1 always, else
 * with two usable CPUs or more (the guest spins waiting for the tender). */
int hvt_netring_wanted(const char *env, int cpus)
{
    if (env != NULL && strcmp(env, "0") == 0)
        return 0;
    if (env != NULL && strcmp(env, "1") == 0)
        return 1;
    return cpus >= 2;
}

int hvt_netring_setup(struct hvt *hvt, char *err)
{
    hvt->ring_efd = -1;
    hvt->net_ring_gpa = 0;
    const char *st = getenv("ATOLL_HVT_STATS");
    hvt->stats = st != NULL && strcmp(st, "1") == 0;
    if (!hvt_netring_wanted(getenv("ATOLL_HVT_NET_RING"), hvt_cpus_usable()))
        return 0;
    int any = 0;
    for (uint32_t i = 0; i < hvt->mft->entries; i++)
        any |= hvt_device(hvt, i, ATOLL_MFT_DEV_NET_BASIC) != NULL;
    if (!any)
        return 0;
    uint64_t gpa = hvt->mem_size - hvt_netring_size();
    struct netring_io io = {.write = ring_write, .read = ring_read,
                            .ctx = hvt};
    if (netring_init(&ring, hvt->mem, hvt->mem_size, gpa, &io) != 0) {
        snprintf(err, TENDER_ERR_SIZE, "no room for the net ring");
        return -1;
    }
    int efd = eventfd(0, EFD_CLOEXEC);
    if (efd == -1) {
        snprintf(err, TENDER_ERR_SIZE, "eventfd: %s", strerror(errno));
        return -1;
    }
    struct kvm_ioeventfd kick = {
        .addr = ATOLL_HVT_RING_KICK_PIO,
        .len = 4,
        .fd = efd,
        .flags = KVM_IOEVENTFD_FLAG_PIO,
    };
    if (ioctl(hvt->vmfd, KVM_IOEVENTFD, &kick) == -1) {
        /* No ioeventfd: no ring; the guest uses hypercalls. */
        close(efd);
        return 0;
    }
    hvt->ring_efd = efd;
    hvt->net_ring_gpa = gpa;
    return 0;
}

static void *ring_thread(void *arg)
{
    struct hvt *hvt = arg;
    for (;;) {
        int n = 0;
        for (int i = 0; i < SPIN_ROUNDS && n == 0; i++)
            n = netring_serve(&ring);
        if (n < 0)
            hvt_die(HVT_EXIT_FAULT, "guest fault: net ring indices out "
                                    "of range");
        if (n > 0)
            __atomic_store_n(&ring_entries, ring_entries + (uint64_t)n,
                             __ATOMIC_RELAXED);
        if (n > 0 || netring_prepare_sleep(&ring)) {
            netring_awake(&ring);
            continue;
        }
        uint64_t v;
        if (read(hvt->ring_efd, &v, sizeof v) == -1 && errno != EINTR)
            hvt_die(ATOLL_EXIT_TENDER_ERROR, "net ring eventfd: %s",
                    strerror(errno));
        netring_awake(&ring);
    }
    return NULL;
}

int hvt_netring_start(struct hvt *hvt, char *err)
{
    if (hvt->net_ring_gpa == 0)
        return 0;
    pthread_t t;
    int rc = pthread_create(&t, NULL, ring_thread, hvt);
    if (rc != 0) {
        snprintf(err, TENDER_ERR_SIZE, "net ring thread: %s", strerror(rc));
        return -1;
    }
    return 0;
}
