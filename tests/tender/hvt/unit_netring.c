/*
 * The hvt network ring (tenders/hvt/netring.c, the tender; bindings/hvt/
 * netring.c, the guest) on the host under ASan/UBSan: a guest thread and a
 * tender thread move frames through it with wrap-around and kicks only
 * when the tender sleeps; full and empty rings; index wrap past 2^32; and
 * a guest that writes garbage into the whole ring, where the tender must
 * touch nothing outside guest memory (the memory is one malloc block of
 * exactly the guest's size, so ASan sees any byte past it) and no frame
 * outside the guest's part below the ring.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atoll/abi/hvt.h>
#include <atoll/err.h>

#include "../../../bindings/hvt/netring.h"
#include "../../lib/check.h"
#include "netring.h"

#define BUFS_SIZE ((uint64_t)ATOLL_HVT_RING_SIZE * ATOLL_HVT_RING_BUF_SIZE)
#define MEM_TOTAL (BUFS_SIZE + sizeof(struct atoll_hvt_ring))

static uint8_t *mem;

/* ---- the fake device: frames numbered in order ------------------------ */

struct dev {
    uint64_t writes, bad_writes, reads, outside;
    uint32_t handle_ok;
};

static uint32_t frame_len(uint64_t seq) { return 60 + (uint32_t)(seq % 1455); }

static void frame_fill(uint8_t *p, uint64_t seq)
{
    uint32_t len = frame_len(seq);
    memset(p, (int)(seq & 0xff), len);
    memcpy(p, &seq, sizeof seq);
}

static int frame_ok(const uint8_t *p, uint32_t len, uint64_t seq)
{
    uint64_t got;
    memcpy(&got, p, sizeof got);
    if (got != seq || len != frame_len(seq))
        return 0;
    for (uint32_t i = sizeof seq; i < len; i++)
        if (p[i] != (uint8_t)(seq & 0xff))
            return 0;
    return 1;
}

/* A frame pointer the tender hands over must lie below the ring. */
static void check_inside(struct dev *d, const uint8_t *p, uint32_t len)
{
    if (p < mem || p > mem + BUFS_SIZE || len > (uint64_t)(mem + BUFS_SIZE - p))
        d->outside++;
}

static int dev_write(void *ctx, uint32_t handle, const uint8_t *p, uint32_t len)
{
    struct dev *d = ctx;
    check_inside(d, p, len);
    if (handle != d->handle_ok)
        return ATOLL_HVT_R_EINVAL;
    if (!frame_ok(p, len, d->writes))
        d->bad_writes++;
    d->writes++;
    return ATOLL_HVT_R_OK;
}

static int dev_read(void *ctx, uint32_t handle, uint8_t *p, uint32_t len,
                    uint32_t *got)
{
    struct dev *d = ctx;
    check_inside(d, p, len);
    if (handle != d->handle_ok || len < 1514)
        return ATOLL_HVT_R_EINVAL;
    frame_fill(p, d->reads);
    *got = frame_len(d->reads);
    d->reads++;
    return ATOLL_HVT_R_OK;
}

static struct dev dev;
static struct netring host;
static struct netring_guest guest;

static void setup(void)
{
    memset(&dev, 0, sizeof dev);
    dev.handle_ok = 3;
    struct netring_io io = {.write = dev_write, .read = dev_read, .ctx = &dev};
    if (netring_init(&host, mem, MEM_TOTAL, BUFS_SIZE, &io) != 0)
        abort();
    netring_guest_init(&guest, host.ring);
}

static uint64_t slot_gpa(uint32_t slot)
{
    return (uint64_t)slot * ATOLL_HVT_RING_BUF_SIZE;
}

/* ---- two threads ------------------------------------------------------- */

#define N_OPS 200000u
static int kick_fd;
static int stop;
static uint64_t kicks, guest_bad_reads;

static void *tender_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int n = netring_serve(&host);
        if (n < 0)
            return "serve refused a sane ring";
        if (n > 0)
            continue;
        if (netring_prepare_sleep(&host)) {
            netring_awake(&host);
            continue;
        }
        if (__atomic_load_n(&stop, __ATOMIC_ACQUIRE) &&
            __atomic_load_n(&host.ring->ent_tail, __ATOMIC_ACQUIRE) ==
                host.ent_head)
            return NULL;
        uint64_t v;
        if (read(kick_fd, &v, sizeof v) != sizeof v && errno != EINTR)
            return "eventfd read";
        netring_awake(&host);
    }
}

static void kick(int k)
{
    uint64_t one = 1;
    if (k) {
        kicks++;
        if (write(kick_fd, &one, sizeof one) != sizeof one)
            abort();
    }
}

/* Every 16th operation a read, waited for; the rest writes. */
static void guest_ops(void)
{
    uint64_t wseq = 0, rseq = 0;
    for (uint32_t op = 0; op < N_OPS; op++) {
        while (!netring_guest_room(&guest))
            sched_yield();
        uint32_t slot = netring_guest_slot(&guest);
        uint8_t *buf = mem + slot_gpa(slot);
        int k;
        if (op % 16 == 15) {
            netring_guest_submit(&guest, ATOLL_HVT_RING_NET_READ, 3,
                                 slot_gpa(slot), ATOLL_HVT_RING_BUF_SIZE, &k);
            kick(k);
            struct atoll_hvt_ring_commit c;
            while (netring_guest_commit(&guest, &c) == ATOLL_ERR_AGAIN)
                sched_yield();
            if (c.ret != ATOLL_HVT_R_OK || !frame_ok(buf, c.len, rseq))
                guest_bad_reads++;
            rseq++;
        } else {
            frame_fill(buf, wseq);
            netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3,
                                 slot_gpa(slot), frame_len(wseq), &k);
            kick(k);
            wseq++;
        }
    }
}

static const char *two_threads(uint32_t start)
{
    setup();
    host.ent_head = host.com_tail = start;
    host.ring->ent_tail = host.ring->ent_head = start;
    host.ring->com_head = host.ring->com_tail = start;
    netring_guest_init(&guest, host.ring);
    kick_fd = eventfd(0, EFD_CLOEXEC);
    T_ASSERT(kick_fd >= 0);
    stop = 0;
    kicks = guest_bad_reads = 0;
    pthread_t t;
    T_ASSERT(pthread_create(&t, NULL, tender_thread, NULL) == 0);
    guest_ops();
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    kick(1);
    void *why;
    pthread_join(t, &why);
    close(kick_fd);
    if (why != NULL)
        return why;
    uint64_t nreads = N_OPS / 16, nwrites = N_OPS - nreads;
    if (dev.writes != nwrites || dev.bad_writes || dev.outside)
        T_FAILF("writes %llu of %llu, %llu bad, %llu outside",
                (unsigned long long)dev.writes, (unsigned long long)nwrites,
                (unsigned long long)dev.bad_writes,
                (unsigned long long)dev.outside);
    if (dev.reads != nreads || guest_bad_reads)
        T_FAILF("reads %llu of %llu, %llu bad", (unsigned long long)dev.reads,
                (unsigned long long)nreads,
                (unsigned long long)guest_bad_reads);
    T_ASSERT(host.refused == 0);
    printf("# %u operations, %llu kicks (%.4f per operation)\n", N_OPS,
           (unsigned long long)kicks, (double)kicks / N_OPS);
    return NULL;
}

static const char *two_threads_wrap(void) { return two_threads(0); }
/* Indices start just below 2^32 and run over it. */
static const char *two_threads_u32_wrap(void)
{
    return two_threads(UINT32_MAX - 3000);
}

/* ---- one thread: full, empty, commit ring full ------------------------- */

static const char *full_and_empty(void)
{
    setup();
    int k;
    T_ASSERT(netring_serve(&host) == 0); /* empty */
    uint32_t n = 0;
    while (netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3,
                                slot_gpa(n), frame_len(n), &k) == 0) {
        frame_fill(mem + slot_gpa(n), n);
        n++;
    }
    T_ASSERT(n == ATOLL_HVT_RING_SIZE - 1);
    T_ASSERT(k == 0); /* the tender never said it sleeps */
    T_ASSERT(netring_serve(&host) == (int)n);
    T_ASSERT(dev.writes == n && dev.bad_writes == 0);
    T_ASSERT(netring_serve(&host) == 0);
    T_ASSERT(netring_guest_room(&guest));
    /* Asleep: the next submission asks for a kick, and after waking no. */
    T_ASSERT(netring_prepare_sleep(&host) == 0);
    frame_fill(mem, n);
    T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3, 0,
                                  frame_len(n), &k) == 0 && k == 1);
    netring_awake(&host);
    T_ASSERT(netring_prepare_sleep(&host) == 1); /* work came in */
    netring_awake(&host);
    T_ASSERT(netring_serve(&host) == 1 && dev.writes == n + 1);
    return NULL;
}

/* A write sent from where it is: the guest knows when the tender has
 * taken it (and every entry before), also across 2^32. */
static const char *taken(void)
{
    static const uint32_t starts[] = {0, UINT32_MAX - 1, UINT32_MAX};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        setup();
        uint32_t s = starts[i];
        host.ent_head = host.com_tail = s;
        host.ring->ent_tail = host.ring->ent_head = s;
        host.ring->com_head = host.ring->com_tail = s;
        netring_guest_init(&guest, host.ring);
        T_ASSERT(netring_guest_taken(&guest, guest.ent_tail));
        int k;
        frame_fill(mem, 0);
        frame_fill(mem + slot_gpa(1), 1);
        T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3, 0,
                                      frame_len(0), &k) == 0);
        uint32_t first = guest.ent_tail;
        T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3,
                                      slot_gpa(1), frame_len(1), &k) == 0);
        T_ASSERT(!netring_guest_taken(&guest, first));
        T_ASSERT(!netring_guest_taken(&guest, guest.ent_tail));
        T_ASSERT(netring_serve(&host) == 2 && dev.writes == 2);
        T_ASSERT(netring_guest_taken(&guest, first));
        T_ASSERT(netring_guest_taken(&guest, guest.ent_tail));
    }
    return NULL;
}

static const char *commit_ring_full(void)
{
    setup();
    int k;
    struct atoll_hvt_ring_commit c;
    /* Reads never collected: the commit ring fills at RING_SIZE. */
    for (uint32_t i = 0; i < ATOLL_HVT_RING_SIZE - 1; i++)
        T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_READ, 3,
                                      0, 1514, &k) == 0);
    T_ASSERT(netring_serve(&host) == ATOLL_HVT_RING_SIZE - 1);
    for (uint32_t i = 0; i < 2; i++)
        T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_READ, 3,
                                      0, 1514, &k) == 0);
    T_ASSERT(netring_serve(&host) == 1);
    T_ASSERT(host.stalled && netring_prepare_sleep(&host) == 0);
    netring_awake(&host);
    T_ASSERT(dev.reads == ATOLL_HVT_RING_SIZE);
    /* No commit was overwritten: ids 0, 1, ... in order. */
    for (uint32_t i = 0; i < ATOLL_HVT_RING_SIZE; i++) {
        T_ASSERT(netring_guest_commit(&guest, &c) == 0);
        if (c.id != i || c.ret != ATOLL_HVT_R_OK)
            T_FAILF("commit %u: id %u ret %d", i, c.id, c.ret);
    }
    T_ASSERT(netring_guest_commit(&guest, &c) == ATOLL_ERR_AGAIN);
    T_ASSERT(netring_serve(&host) == 1 && dev.reads == ATOLL_HVT_RING_SIZE + 1);
    return NULL;
}

/* ---- a hostile guest --------------------------------------------------- */

static const char *bad_buffers(void)
{
    setup();
    int k;
    struct atoll_hvt_ring_commit c;
    static const struct { uint64_t gpa; uint32_t len; int ok; } b[] = {
        {BUFS_SIZE - 1514, 1514, 1}, /* last bytes below the ring */
        {BUFS_SIZE - 1513, 1514, 0}, /* one byte into the ring */
        {BUFS_SIZE, 1514, 0},
        {MEM_TOTAL - 10, 1514, 0},
        {UINT64_MAX - 100, 1514, 0}, /* gpa + len wraps */
        {UINT64_MAX, UINT32_MAX, 0},
        {0, UINT32_MAX, 0},
    };
    uint32_t nb = sizeof b / sizeof b[0], nok = 0;
    for (uint32_t i = 0; i < nb; i++) {
        T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_READ, 3,
                                      b[i].gpa, b[i].len, &k) == 0);
        nok += (uint32_t)b[i].ok;
    }
    T_ASSERT(netring_serve(&host) == (int)nb);
    for (uint32_t i = 0; i < nb; i++) {
        T_ASSERT(netring_guest_commit(&guest, &c) == 0);
        int want = b[i].ok ? ATOLL_HVT_R_OK : ATOLL_HVT_R_EINVAL;
        if (c.ret != want)
            T_FAILF("buffer %u: ret %d, want %d", i, c.ret, want);
    }
    T_ASSERT(dev.reads == nok && dev.outside == 0);
    T_ASSERT(host.refused == nb - nok);
    /* Bad writes and an unknown operation: refused, nothing sent. */
    T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3,
                                  BUFS_SIZE - 10, 60, &k) == 0);
    T_ASSERT(netring_guest_submit(&guest, 77, 3, 0, 60, &k) == 0);
    T_ASSERT(netring_serve(&host) == 2 && dev.writes == 0);
    T_ASSERT(host.refused == nb - nok + 2);
    return NULL;
}

static const char *garbage_indices(void)
{
    setup();
    int k;
    /* A tail more than a ring ahead: refused whole, nothing consumed. */
    host.ring->ent_tail = host.ent_head + ATOLL_HVT_RING_SIZE + 1;
    T_ASSERT(netring_serve(&host) == ATOLL_ERR_INVAL);
    T_ASSERT(host.ent_head == 0 && dev.writes + dev.reads == 0);
    host.ring->ent_tail = host.ent_head - 1; /* behind the head */
    T_ASSERT(netring_serve(&host) == ATOLL_ERR_INVAL);
    /* The guest scribbles over the tender's own indices: the tender goes
     * on from its copies. */
    host.ring->ent_tail = 0;
    netring_guest_init(&guest, host.ring);
    frame_fill(mem, 0);
    T_ASSERT(netring_guest_submit(&guest, ATOLL_HVT_RING_NET_WRITE, 3, 0,
                                  frame_len(0), &k) == 0);
    host.ring->ent_head = 0x12345678;
    host.ring->com_tail = 0x9abcdef0;
    T_ASSERT(netring_serve(&host) == 1 && dev.writes == 1 &&
             dev.bad_writes == 0);
    T_ASSERT(host.ring->ent_head == 1);
    return NULL;
}

/* Random bytes over the whole ring, many times: the tender's accesses stay
 * inside guest memory (ASan) and frames inside the guest's part. */
static const char *garbage_fuzz(void)
{
    setup();
    uint64_t x = 0x9e3779b97f4a7c15u;
    uint8_t *ring = (uint8_t *)host.ring;
    int refusals = 0, served = 0;
    for (int round = 0; round < 3000; round++) {
        for (size_t i = 0; i < sizeof *host.ring; i += 8) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            memcpy(ring + i, &x, 8);
        }
        /* Half the rounds: a tail within reach, so entries get served;
         * some entries aimed near the ring's edge. */
        if (round & 1)
            host.ring->ent_tail = host.ent_head + (uint32_t)(x % 1025);
        for (uint32_t i = 0; i < ATOLL_HVT_RING_SIZE; i += 3) {
            struct atoll_hvt_ring_entry *e = &host.ring->entries[i];
            e->operation = 1 + (e->operation & 1);
            e->handle = 3;
            e->data = BUFS_SIZE - (e->data % 4096);
            e->len = e->len % 4096;
        }
        int n = netring_serve(&host);
        if (n < 0)
            refusals++;
        else
            served += n;
    }
    if (dev.outside)
        T_FAILF("%llu frames outside guest memory",
                (unsigned long long)dev.outside);
    T_ASSERT(refusals > 0 && served > 0);
    printf("# %d rounds refused, %d entries served, %llu refused\n",
           refusals, served, (unsigned long long)host.refused);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    mem = malloc(MEM_TOTAL);
    if (mem == NULL)
        return 1;
    RUN(full_and_empty);
    RUN(taken);
    RUN(commit_ring_full);
    RUN(bad_buffers);
    RUN(garbage_indices);
    RUN(garbage_fuzz);
    RUN(two_threads_wrap);
    RUN(two_threads_u32_wrap);
    free(mem);
    return t_finish();
}
