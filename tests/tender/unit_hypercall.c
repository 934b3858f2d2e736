/*
 * Host tests of atoll-hvt's hypercall handlers (tenders/hvt/hypercall.c,
 * the real file), without KVM: guest memory is an anonymous mapping with
 * a PROT_NONE guard page on each side, so a handler that reads or writes
 * outside it crashes the test (and ASan reports it); the devices are a
 * socketpair (net) and temporary files (block). Every handler is called
 * with hostile arguments and must return the right error or end the guest
 * through hvt_die, which this harness replaces with a longjmp back; after
 * each call, guest memory outside the argument structure and the buffer
 * the call may fill must be unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../lib/check.h"
#include "hvt.h"

#define PAGE 4096u
#define GUEST_PAGES 16u
#define MEM_SIZE ((uint64_t)GUEST_PAGES * PAGE)
#define MTU 1500u
#define BS 512u
#define BLOCKS 8u

/* Device handles of the fake manifest. */
enum {
    H_NET = 1,      /* attached net, socketpair */
    H_BLOCK = 2,    /* attached block, 8 x 512 bytes */
    H_NET_OFF = 3,  /* declared, not attached */
    H_BLOCK4K = 4,  /* attached block, 2 x 4096 bytes */
    H_NET_VNET = 5, /* attached net with virtio-net headers, socketpair */
    N_ENTRIES = 6,
};

static struct hvt hvt;
static uint8_t *guard_lo; /* the whole mapping */
static uint8_t shadow[MEM_SIZE];
static int peer;          /* our end of the net socketpair */
static int peer_vnet;     /* and of H_NET_VNET's */
static int blockfd, block4kfd;

/* ---- hvt_die replacement -------------------------------------------- */

static sigjmp_buf die_jmp;
static int die_status;
static char die_msg[512];

_Noreturn void hvt_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(die_msg, sizeof die_msg, fmt, ap);
    va_end(ap);
    die_status = status;
    siglongjmp(die_jmp, 1);
}

/* What one hypercall did. */
enum outcome { RETURNED, HALTED, DIED };

struct result {
    enum outcome how;
    int status; /* HALTED: exit status; DIED: hvt_die's status */
};

static struct result call(unsigned nr, uint64_t gpa)
{
    struct result r = {RETURNED, 0};
    int status = -1;
    die_msg[0] = '\0';
    if (sigsetjmp(die_jmp, 0) != 0) {
        r.how = DIED;
        r.status = die_status;
        return r;
    }
    if (hvt_hypercall(&hvt, nr, gpa, &status) == -1) {
        r.how = HALTED;
        r.status = status;
    }
    return r;
}

/* ---- guest memory --------------------------------------------------- */

static void mem_setup(void)
{
    guard_lo = mmap(NULL, (GUEST_PAGES + 2) * PAGE, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (guard_lo == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    hvt.mem = guard_lo + PAGE;
    hvt.mem_size = MEM_SIZE;
    if (mprotect(hvt.mem, MEM_SIZE, PROT_READ | PROT_WRITE) != 0) {
        perror("mprotect");
        exit(1);
    }
}

/* Fill guest memory with a pattern and remember it. */
static void mem_fill(void)
{
    for (uint64_t i = 0; i < MEM_SIZE; i++)
        hvt.mem[i] = (uint8_t)(i * 7 + 3);
    memcpy(shadow, hvt.mem, MEM_SIZE);
}

/* Guest memory unchanged outside [a, a + alen) and [b, b + blen). */
static int untouched_except(uint64_t a, uint64_t alen, uint64_t b,
                            uint64_t blen)
{
    for (uint64_t i = 0; i < MEM_SIZE; i++) {
        if ((i >= a && i - a < alen) || (i >= b && i - b < blen))
            continue;
        if (hvt.mem[i] != shadow[i])
            return 0;
    }
    return 1;
}

static void put(uint64_t gpa, const void *arg, size_t size)
{
    memcpy(hvt.mem + gpa, arg, size);
    memcpy(shadow + gpa, arg, size);
}

static void get(uint64_t gpa, void *arg, size_t size)
{
    memcpy(arg, hvt.mem + gpa, size);
}

/* ---- devices -------------------------------------------------------- */

static int temp_file(size_t size)
{
    char path[] = "/tmp/atoll-hc-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || unlink(path) != 0 || ftruncate(fd, (off_t)size) != 0) {
        perror("temp file");
        exit(1);
    }
    return fd;
}

static void dev_setup(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) != 0) {
        perror("socketpair");
        exit(1);
    }
    peer = sv[1];
    int sv2[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv2) != 0) {
        perror("socketpair");
        exit(1);
    }
    peer_vnet = sv2[1];
    int big = 1 << 20;
    (void)setsockopt(sv2[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    blockfd = temp_file(BLOCKS * BS);
    block4kfd = temp_file(2 * 4096);

    struct atoll_mft *m = calloc(1, ATOLL_MFT_SIZE(N_ENTRIES));
    m->version = ATOLL_MFT_VERSION;
    m->entries = N_ENTRIES;
    m->e[0].type = ATOLL_MFT_RESERVED_FIRST;
    m->e[H_NET].type = ATOLL_MFT_DEV_NET_BASIC;
    m->e[H_NET].u.net_basic.mtu = MTU;
    m->e[H_NET].b.hostfd = sv[0];
    m->e[H_NET].attached = true;
    m->e[H_BLOCK].type = ATOLL_MFT_DEV_BLOCK_BASIC;
    m->e[H_BLOCK].u.block_basic.block_size = BS;
    m->e[H_BLOCK].u.block_basic.capacity = BLOCKS * BS;
    m->e[H_BLOCK].b.hostfd = blockfd;
    m->e[H_BLOCK].attached = true;
    m->e[H_NET_OFF].type = ATOLL_MFT_DEV_NET_BASIC;
    m->e[H_NET_OFF].u.net_basic.mtu = MTU;
    m->e[H_NET_OFF].b.hostfd = sv[0];
    m->e[H_BLOCK4K].type = ATOLL_MFT_DEV_BLOCK_BASIC;
    m->e[H_BLOCK4K].u.block_basic.block_size = 4096;
    m->e[H_BLOCK4K].u.block_basic.capacity = 2 * 4096;
    m->e[H_BLOCK4K].b.hostfd = block4kfd;
    m->e[H_BLOCK4K].attached = true;
    m->e[H_NET_VNET].type = ATOLL_MFT_DEV_NET_BASIC;
    m->e[H_NET_VNET].u.net_basic.mtu = MTU;
    m->e[H_NET_VNET].b.hostfd = sv2[0];
    m->e[H_NET_VNET].attached = true;
    snprintf(m->e[H_NET_VNET].name, ATOLL_MFT_NAME_SIZE, "fast");
    snprintf(m->e[H_NET].name, ATOLL_MFT_NAME_SIZE, "service");
    snprintf(m->e[H_BLOCK].name, ATOLL_MFT_NAME_SIZE, "storage");
    snprintf(m->e[H_NET_OFF].name, ATOLL_MFT_NAME_SIZE, "spare");
    snprintf(m->e[H_BLOCK4K].name, ATOLL_MFT_NAME_SIZE, "big");
    hvt.mft = m;
    hvt.ext_features = ATOLL_EXT_F_BLOCK_FLUSH | ATOLL_EXT_F_TRAP_REPORT |
                       ATOLL_EXT_F_NET_VNET;
    /* H_NET_OFF's bit too: a declared, unattached device stays refused. */
    hvt.net_vnet = 1ull << H_NET_VNET | 1ull << H_NET_OFF;
    hvt_poll_init(&hvt);
}

/* ---- checks --------------------------------------------------------- */

/* The call ended the guest with hvt_die status want and a message holding
 * keyword, and wrote nothing to guest memory. */
static void expect_death(const char *name, unsigned nr, uint64_t gpa,
                         const char *keyword, int want)
{
    char why[700];
    struct result r = call(nr, gpa);
    int clean = untouched_except(0, 0, 0, 0);
    snprintf(why, sizeof why, "outcome %d status %d message '%s'%s", r.how,
             r.status, die_msg, clean ? "" : ", guest memory changed");
    t_check(name, r.how == DIED && r.status == want &&
                    strstr(die_msg, keyword) != NULL && clean,
          why);
}

/* A fault naming guest memory: the tender dies of SIGSEGV. */
static void expect_fault(const char *name, unsigned nr, uint64_t gpa,
                         const char *keyword)
{
    expect_death(name, nr, gpa, keyword, HVT_EXIT_FAULT);
}

/* The call returned with ret == want, touching only its argument
 * structure at gpa (size bytes) and [buf, buf + blen). */
static void expect_ret(const char *name, unsigned nr, uint64_t gpa,
                       size_t size, int32_t want, uint64_t buf,
                       uint64_t blen)
{
    char why[700];
    struct result r = call(nr, gpa);
    int32_t ret = -99;
    /* ret is the last int32 of every structure that has one. */
    size_t off = size - 8; /* padded to 8 */
    if (r.how == RETURNED)
        memcpy(&ret, hvt.mem + gpa + off, sizeof ret);
    int clean = untouched_except(gpa, size, buf, blen);
    snprintf(why, sizeof why, "outcome %d (%s), ret %d, want %d%s", r.how,
             die_msg, ret, want, clean ? "" : ", memory outside changed");
    t_check(name, r.how == RETURNED && ret == want && clean, why);
    memcpy(shadow, hvt.mem, MEM_SIZE); /* accept the call's writes */
}

/* Addresses every argument structure is tried at: past the end, straddling
 * the end, overflowing gpa + size, and the top of the address space. */
static const uint64_t bad_gpas[] = {
    MEM_SIZE, MEM_SIZE - 4, MEM_SIZE + PAGE, UINT64_MAX, UINT64_MAX - 7,
    UINT64_MAX - MEM_SIZE + 1, 1ull << 63,
};
#define NBAD (sizeof bad_gpas / sizeof bad_gpas[0])

static void test_bad_args(void)
{
    static const unsigned nrs[] = {
        ATOLL_HVT_HC_WALLTIME, ATOLL_HVT_HC_PUTS, ATOLL_HVT_HC_POLL,
        ATOLL_HVT_HC_BLOCK_WRITE, ATOLL_HVT_HC_BLOCK_READ,
        ATOLL_HVT_HC_NET_WRITE, ATOLL_HVT_HC_NET_READ, ATOLL_HVT_HC_HALT,
        ATOLL_HVT_HC_BLOCK_FLUSH};
    char name[128];
    mem_fill();
    for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
        int all = 1;
        for (size_t j = 0; j < NBAD; j++) {
            struct result r = call(nrs[i], bad_gpas[j]);
            if (r.how != DIED || r.status != HVT_EXIT_FAULT ||
                strstr(die_msg, "outside guest memory") == NULL ||
                !untouched_except(0, 0, 0, 0)) {
                snprintf(name, sizeof name, "hypercall %u: argument at "
                         "0x%llx ends the guest", nrs[i],
                         (unsigned long long)bad_gpas[j]);
                t_check(name, 0, die_msg);
                all = 0;
            }
        }
        if (all) {
            snprintf(name, sizeof name, "hypercall %u: %zu argument "
                     "addresses outside guest memory end the guest",
                     nrs[i], NBAD);
            t_check(name, 1, "");
        }
    }
}

static void test_unknown(void)
{
    static const unsigned nrs[] = {0, ATOLL_HVT_HC_SOLO5_MAX, 31,
                                   ATOLL_HVT_HC_ATOLL_MAX, 1000, UINT32_MAX};
    char name[96];
    mem_fill();
    for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
        snprintf(name, sizeof name, "unknown hypercall %u ends the guest "
                 "(SIGSYS)", nrs[i]);
        expect_death(name, nrs[i], 0x100, "unknown hypercall",
                     HVT_EXIT_BADCALL);
    }
    /* Block flush is an extension: unknown unless negotiated. */
    struct atoll_hvt_hc_block_flush f = {.handle = H_BLOCK};
    put(0x100, &f, sizeof f);
    hvt.ext_features = 0;
    expect_death("block flush without the extension ends the guest",
                 ATOLL_HVT_HC_BLOCK_FLUSH, 0x100, "unknown hypercall",
                 HVT_EXIT_BADCALL);
    hvt.ext_features = ATOLL_EXT_F_BLOCK_FLUSH | ATOLL_EXT_F_TRAP_REPORT;
}

static void test_walltime(void)
{
    struct atoll_hvt_hc_walltime w;
    struct timespec ts;
    mem_fill();
    uint64_t gpa = MEM_SIZE - sizeof w; /* the last bytes of memory */
    clock_gettime(CLOCK_REALTIME, &ts);
    struct result r = call(ATOLL_HVT_HC_WALLTIME, gpa);
    get(gpa, &w, sizeof w);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull;
    t_check("walltime at the end of guest memory",
          r.how == RETURNED && w.nsecs >= now &&
              w.nsecs - now < 60 * 1000000000ull &&
              untouched_except(gpa, sizeof w, 0, 0),
          "wrong time or memory outside changed");
}

/* puts with stdout on a pipe; returns what reached the pipe. */
static ssize_t puts_capture(uint64_t gpa, struct result *r, char *out,
                            size_t size)
{
    int p[2], saved;
    fflush(stdout);
    if (pipe(p) != 0 || (saved = dup(1)) < 0 || dup2(p[1], 1) < 0) {
        perror("pipe");
        exit(1);
    }
    close(p[1]);
    *r = call(ATOLL_HVT_HC_PUTS, gpa);
    dup2(saved, 1);
    close(saved);
    ssize_t n = read(p[0], out, size);
    close(p[0]);
    return n < 0 ? 0 : n;
}

static void test_puts(void)
{
    struct atoll_hvt_hc_puts a;
    struct result r;
    char out[64];
    mem_fill();
    /* The string ends at the last byte of guest memory. */
    memcpy(hvt.mem + MEM_SIZE - 5, "hello", 5);
    memcpy(shadow + MEM_SIZE - 5, "hello", 5);
    a = (struct atoll_hvt_hc_puts){.data = MEM_SIZE - 5, .len = 5};
    put(0x200, &a, sizeof a);
    ssize_t n = puts_capture(0x200, &r, out, sizeof out);
    t_check("puts of the last 5 bytes of guest memory",
          r.how == RETURNED && n == 5 && memcmp(out, "hello", 5) == 0 &&
              untouched_except(0, 0, 0, 0),
          "wrong output");
    a.len = 0;
    a.data = MEM_SIZE;
    put(0x200, &a, sizeof a);
    n = puts_capture(0x200, &r, out, sizeof out);
    t_check("puts of 0 bytes at the end of memory writes nothing",
          r.how == RETURNED && n == 0, "wrong output");

    static const struct { uint64_t data, len; const char *what; } bad[] = {
        {MEM_SIZE - 4, 5, "one byte past the end"},
        {MEM_SIZE, 1, "at the end"},
        {0x1000, MEM_SIZE, "longer than what is left"},
        {0x10, UINT64_MAX - 8, "data + len overflows"},
        {UINT64_MAX, 2, "address overflows"},
        {0, UINT64_MAX, "all of the address space"},
    };
    char name[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a = (struct atoll_hvt_hc_puts){.data = bad[i].data,
                                       .len = bad[i].len};
        put(0x200, &a, sizeof a);
        snprintf(name, sizeof name, "puts buffer %s ends the guest",
                 bad[i].what);
        expect_fault(name, ATOLL_HVT_HC_PUTS, 0x200, "outside guest memory");
    }
}

/* Handles that are not an attached device of the right kind. */
static const uint64_t bad_handles[] = {0, H_NET_OFF, N_ENTRIES, 63, 64,
                                       UINT32_MAX, UINT64_MAX};
#define NBADH (sizeof bad_handles / sizeof bad_handles[0])

/* Drop what is queued either way on the socketpair. */
static void drain(void)
{
    static char b[70000];
    while (recv(peer, b, sizeof b, MSG_DONTWAIT) > 0)
        ;
    while (recv(hvt.mft->e[H_NET].b.hostfd, b, sizeof b, MSG_DONTWAIT) > 0)
        ;
    while (recv(peer_vnet, b, sizeof b, MSG_DONTWAIT) > 0)
        ;
}

/*
 * A device with virtio-net headers (hvt.net_vnet) takes frames of up to
 * ATOLL_EXT_NET_VNET_FRAME_MAX bytes; one byte more is EINVAL, and the
 * plain device next to it keeps its MTU bound (tested above). Guest
 * memory here is 64 KiB, smaller than the longest frame: a frame of that
 * length passes the length check and then ends the guest as outside
 * guest memory.
 */
static void test_net_write_vnet(void)
{
    struct atoll_hvt_hc_net_write a;
    const uint64_t arg = 0x300;
    static uint8_t frame[70000];
    mem_fill();

    uint64_t len = 9000;
    a = (struct atoll_hvt_hc_net_write){H_NET_VNET, MEM_SIZE - len, len, -1};
    put(arg, &a, sizeof a);
    expect_ret("vnet net write of 9000 bytes (mtu 1500): OK",
               ATOLL_HVT_HC_NET_WRITE, arg, sizeof a, ATOLL_HVT_R_OK, 0, 0);
    ssize_t n = recv(peer_vnet, frame, sizeof frame, MSG_DONTWAIT);
    t_check("the vnet peer received those 9000 bytes intact",
            n == (ssize_t)len &&
                memcmp(frame, hvt.mem + MEM_SIZE - len, len) == 0,
            "wrong frame");
    a = (struct atoll_hvt_hc_net_write){H_NET, MEM_SIZE - len, len, -1};
    put(arg, &a, sizeof a);
    expect_ret("the same 9000 bytes on the plain device: EINVAL",
               ATOLL_HVT_HC_NET_WRITE, arg, sizeof a, ATOLL_HVT_R_EINVAL, 0,
               0);
    static const uint64_t bad_len[] = {0, ATOLL_EXT_NET_VNET_FRAME_MAX + 1,
                                       1ull << 32, UINT64_MAX};
    char name[128];
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        a = (struct atoll_hvt_hc_net_write){H_NET_VNET, 0x1000, bad_len[i], 0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "vnet net write of %llu bytes: EINVAL",
                 (unsigned long long)bad_len[i]);
        expect_ret(name, ATOLL_HVT_HC_NET_WRITE, arg, sizeof a,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
    a = (struct atoll_hvt_hc_net_write){H_NET_OFF, 0x1000, 100, 0};
    put(arg, &a, sizeof a);
    expect_ret("vnet bit on an unattached device: EINVAL",
               ATOLL_HVT_HC_NET_WRITE, arg, sizeof a, ATOLL_HVT_R_EINVAL, 0,
               0);
    a = (struct atoll_hvt_hc_net_write){H_NET_VNET, 0x1000,
                                        ATOLL_EXT_NET_VNET_FRAME_MAX, 0};
    put(arg, &a, sizeof a);
    expect_fault("vnet net write of the longest frame past the end of "
                 "memory ends the guest", ATOLL_HVT_HC_NET_WRITE, arg,
                 "outside guest memory");
    t_check("nothing else reached the vnet peer",
            recv(peer_vnet, frame, sizeof frame, MSG_DONTWAIT) == -1 &&
                errno == EAGAIN,
            "a frame reached the peer");

    /* A read of a long frame, into a buffer that ends at the end of
     * memory; and one into a buffer past it is a fault. */
    struct atoll_hvt_hc_net_read r;
    for (size_t i = 0; i < len; i++)
        frame[i] = (uint8_t)(i * 7);
    send(peer_vnet, frame, len, 0);
    r = (struct atoll_hvt_hc_net_read){H_NET_VNET, MEM_SIZE - len, len, -1};
    put(arg, &r, sizeof r);
    expect_ret("vnet net read of 9000 bytes at the end of memory: OK",
               ATOLL_HVT_HC_NET_READ, arg, sizeof r, ATOLL_HVT_R_OK,
               MEM_SIZE - len, len);
    get(arg, &r, sizeof r);
    t_check("the read frame is whole",
            r.len == len && memcmp(hvt.mem + MEM_SIZE - len, frame, len) == 0,
            "wrong frame");
    r = (struct atoll_hvt_hc_net_read){H_NET_VNET, MEM_SIZE - len + 1, len,
                                       -1};
    put(arg, &r, sizeof r);
    expect_fault("vnet net read one byte past the end ends the guest",
                 ATOLL_HVT_HC_NET_READ, arg, "outside guest memory");
    drain();
}

/* The net ring: offered with two usable CPUs or more unless
 * ATOLL_HVT_NET_RING says otherwise (tenders/hvt/netio.c). */
static void test_netring_wanted(void)
{
    static const struct { const char *env; int cpus, want; } c[] = {
        {NULL, 1, 0}, {NULL, 2, 1}, {NULL, 64, 1}, {"", 1, 0}, {"", 4, 1},
        {"0", 4, 0}, {"0", 1, 0}, {"1", 1, 1}, {"1", 8, 1}, {"yes", 1, 0},
    };
    char name[128];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int got = hvt_netring_wanted(c[i].env, c[i].cpus);
        snprintf(name, sizeof name, "net ring with ATOLL_HVT_NET_RING=%s on "
                 "%d CPUs: %s", c[i].env ? c[i].env : "(unset)", c[i].cpus,
                 c[i].want ? "offered" : "not offered");
        t_check(name, got == c[i].want, "wrong answer");
    }
    t_check("this process sees at least one usable CPU",
            hvt_cpus_usable() >= 1, "none");
}

static void test_net_write(void)
{
    struct atoll_hvt_hc_net_write a;
    const uint64_t arg = 0x300, data = 0x1000;
    char name[128];
    uint8_t frame[2000];
    mem_fill();

    for (size_t i = 0; i < NBADH; i++) {
        a = (struct atoll_hvt_hc_net_write){bad_handles[i], data, 60, 0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "net write, handle %llu: EINVAL",
                 (unsigned long long)bad_handles[i]);
        expect_ret(name, ATOLL_HVT_HC_NET_WRITE, arg, sizeof a,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
    a = (struct atoll_hvt_hc_net_write){H_BLOCK, data, 60, 0};
    put(arg, &a, sizeof a);
    expect_ret("net write to a block handle: EINVAL", ATOLL_HVT_HC_NET_WRITE,
               arg, sizeof a, ATOLL_HVT_R_EINVAL, 0, 0);
    static const uint64_t bad_len[] = {0, MTU + HVT_ETH_HLEN + 1, 65536,
                                       UINT64_MAX};
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        a = (struct atoll_hvt_hc_net_write){H_NET, data, bad_len[i], 0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "net write of %llu bytes (mtu %u): "
                 "EINVAL", (unsigned long long)bad_len[i], MTU);
        expect_ret(name, ATOLL_HVT_HC_NET_WRITE, arg, sizeof a,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
    t_check("nothing was sent by refused writes",
          recv(peer, frame, sizeof frame, MSG_DONTWAIT) == -1 &&
              errno == EAGAIN, "a frame reached the peer");

    /* A whole frame of mtu + header bytes, ending at the end of memory. */
    uint64_t len = MTU + HVT_ETH_HLEN;
    a = (struct atoll_hvt_hc_net_write){H_NET, MEM_SIZE - len, len, -1};
    put(arg, &a, sizeof a);
    expect_ret("net write of mtu + 14 bytes at the end of memory: OK",
               ATOLL_HVT_HC_NET_WRITE, arg, sizeof a, ATOLL_HVT_R_OK, 0, 0);
    ssize_t n = recv(peer, frame, sizeof frame, MSG_DONTWAIT);
    t_check("the peer received that frame intact",
          n == (ssize_t)len &&
              memcmp(frame, hvt.mem + MEM_SIZE - len, len) == 0,
          "wrong frame");

    static const struct { uint64_t data, len; const char *what; } bad[] = {
        {MEM_SIZE - 59, 60, "one byte past the end"},
        {MEM_SIZE, 60, "at the end"},
        {UINT64_MAX - 30, 60, "whose end overflows"},
        {1ull << 63, 60, "far outside"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a = (struct atoll_hvt_hc_net_write){H_NET, bad[i].data, bad[i].len,
                                            0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "net write from a buffer %s ends the "
                 "guest", bad[i].what);
        expect_fault(name, ATOLL_HVT_HC_NET_WRITE, arg,
                     "outside guest memory");
    }
    drain();
}

static void test_net_read(void)
{
    struct atoll_hvt_hc_net_read a;
    const uint64_t arg = 0x400;
    char name[128];
    uint8_t frame[MTU + HVT_ETH_HLEN];
    mem_fill();

    for (size_t i = 0; i < NBADH; i++) {
        a = (struct atoll_hvt_hc_net_read){bad_handles[i], 0x1000, 2048, 0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "net read, handle %llu: EINVAL",
                 (unsigned long long)bad_handles[i]);
        expect_ret(name, ATOLL_HVT_HC_NET_READ, arg, sizeof a,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
    a = (struct atoll_hvt_hc_net_read){H_NET, 0x1000, 0, 0};
    put(arg, &a, sizeof a);
    expect_ret("net read into 0 bytes: EINVAL", ATOLL_HVT_HC_NET_READ, arg,
               sizeof a, ATOLL_HVT_R_EINVAL, 0, 0);
    a = (struct atoll_hvt_hc_net_read){H_NET, 0x1000, 2048, 0};
    put(arg, &a, sizeof a);
    expect_ret("net read with nothing pending: AGAIN", ATOLL_HVT_HC_NET_READ,
               arg, sizeof a, ATOLL_HVT_R_AGAIN, 0, 0);

    /* A frame into a buffer that ends at the end of guest memory. */
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i ^ 0x5a);
    if (send(peer, frame, sizeof frame, 0) != (ssize_t)sizeof frame) {
        perror("send");
        exit(1);
    }
    uint64_t len = sizeof frame, data = MEM_SIZE - len;
    a = (struct atoll_hvt_hc_net_read){H_NET, data, len, -1};
    put(arg, &a, sizeof a);
    expect_ret("net read of a whole frame at the end of memory: OK",
               ATOLL_HVT_HC_NET_READ, arg, sizeof a, ATOLL_HVT_R_OK, data,
               len);
    get(arg, &a, sizeof a);
    t_check("the frame and its length reached the guest",
          a.len == len && memcmp(hvt.mem + data, frame, len) == 0,
          "wrong frame or length");

    static const struct { uint64_t data, len; const char *what; } bad[] = {
        {MEM_SIZE - 100, 101, "one byte past the end"},
        {MEM_SIZE, 2048, "at the end"},
        {0x1000, UINT64_MAX, "of 2^64-1 bytes"},
        {UINT64_MAX - 100, 2048, "whose end overflows"},
    };
    int kept = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* A pending frame: the check must come before the read. */
        send(peer, frame, 60, 0);
        a = (struct atoll_hvt_hc_net_read){H_NET, bad[i].data, bad[i].len,
                                           0};
        put(arg, &a, sizeof a);
        snprintf(name, sizeof name, "net read into a buffer %s ends the "
                 "guest", bad[i].what);
        expect_fault(name, ATOLL_HVT_HC_NET_READ, arg,
                     "outside guest memory");
        kept &= recv(hvt.mft->e[H_NET].b.hostfd, frame, sizeof frame,
                     MSG_DONTWAIT) == 60;
        drain();
    }
    t_check("a refused read left the pending frame unread", kept,
          "the frame was consumed");
}

static void test_poll(void)
{
    struct atoll_hvt_hc_poll a;
    const uint64_t arg = MEM_SIZE - sizeof a;
    mem_fill();
    a = (struct atoll_hvt_hc_poll){0, 0, -1};
    put(arg, &a, sizeof a);
    expect_ret("poll, timeout 0, nothing ready", ATOLL_HVT_HC_POLL, arg,
               sizeof a, 0, 0, 0);
    get(arg, &a, sizeof a);
    t_check("poll reports an empty ready set", a.ready_set == 0,
          "bits set");
    send(peer, "x", 1, 0);
    /* An absurd timeout is capped, and the ready device returns at once. */
    a = (struct atoll_hvt_hc_poll){UINT64_MAX, 0, -1};
    put(arg, &a, sizeof a);
    expect_ret("poll, timeout 2^64-1 ns, a frame pending",
               ATOLL_HVT_HC_POLL, arg, sizeof a, 1, 0, 0);
    get(arg, &a, sizeof a);
    t_check("poll sets exactly the net device's bit",
          a.ready_set == 1ull << H_NET, "wrong ready set");
    drain();
}

static int file_has(int fd, uint64_t off, const uint8_t *want, size_t len)
{
    uint8_t b[8192];
    return len <= sizeof b && pread(fd, b, len, (off_t)off) == (ssize_t)len &&
           memcmp(b, want, len) == 0;
}

static void test_block(void)
{
    struct atoll_hvt_hc_block_write w;
    struct atoll_hvt_hc_block_read r;
    const uint64_t arg = 0x500, data = 0x2000;
    char name[160];
    mem_fill();

    /* Bad handles, for read and write. */
    for (size_t i = 0; i < NBADH + 1; i++) {
        uint64_t h = i < NBADH ? bad_handles[i] : H_NET;
        w = (struct atoll_hvt_hc_block_write){h, 0, data, BS, 0};
        put(arg, &w, sizeof w);
        snprintf(name, sizeof name, "block write, handle %llu: EINVAL",
                 (unsigned long long)h);
        expect_ret(name, ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w,
                   ATOLL_HVT_R_EINVAL, 0, 0);
        r = (struct atoll_hvt_hc_block_read){h, 0, data, BS, 0};
        put(arg, &r, sizeof r);
        snprintf(name, sizeof name, "block read, handle %llu: EINVAL",
                 (unsigned long long)h);
        expect_ret(name, ATOLL_HVT_HC_BLOCK_READ, arg, sizeof r,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }

    /* Bad ranges on the 8 x 512-byte device. */
    static const struct { uint64_t off, len; const char *what; } bad[] = {
        {1, BS, "misaligned offset"},
        {BS - 1, BS, "offset one below a block"},
        {0, BS - 1, "length below a block"},
        {0, BS + 1, "length not a multiple of the block size"},
        {0, 0, "no length"},
        {BLOCKS * BS, BS, "offset at the capacity"},
        {(BLOCKS - 1) * BS, 2 * BS, "last block plus one"},
        {0, (BLOCKS + 1) * BS, "one block more than the capacity"},
        {UINT64_MAX & ~(uint64_t)(BS - 1), BS, "offset near 2^64"},
        {BS, UINT64_MAX & ~(uint64_t)(BS - 1), "offset + length overflows"},
        {1ull << 62, 1ull << 62, "huge offset and length"},
        {0, 1ull << 63, "length 2^63"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        w = (struct atoll_hvt_hc_block_write){H_BLOCK, bad[i].off, data,
                                              bad[i].len, 0};
        put(arg, &w, sizeof w);
        snprintf(name, sizeof name, "block write, %s: EINVAL", bad[i].what);
        expect_ret(name, ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w,
                   ATOLL_HVT_R_EINVAL, 0, 0);
        r = (struct atoll_hvt_hc_block_read){H_BLOCK, bad[i].off, data,
                                             bad[i].len, 0};
        put(arg, &r, sizeof r);
        snprintf(name, sizeof name, "block read, %s: EINVAL", bad[i].what);
        expect_ret(name, ATOLL_HVT_HC_BLOCK_READ, arg, sizeof r,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
    /* 512-byte aligned is not enough on a 4096-byte device. */
    w = (struct atoll_hvt_hc_block_write){H_BLOCK4K, 512, data, 4096, 0};
    put(arg, &w, sizeof w);
    expect_ret("block write at 512 on a 4096-byte-sector device: EINVAL",
               ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w, ATOLL_HVT_R_EINVAL,
               0, 0);
    w = (struct atoll_hvt_hc_block_write){H_BLOCK4K, 0, data, 512, 0};
    put(arg, &w, sizeof w);
    expect_ret("block write of 512 bytes on a 4096-byte-sector device: "
               "EINVAL", ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w,
               ATOLL_HVT_R_EINVAL, 0, 0);
    uint8_t zero[BLOCKS * BS];
    memset(zero, 0, sizeof zero);
    t_check("refused block writes left the file untouched",
          file_has(blockfd, 0, zero, sizeof zero), "file changed");

    /* Valid: three blocks from the end of guest memory at block 5 (the
     * last three), then read back elsewhere, and the whole device. */
    uint64_t len = 3 * BS, src = MEM_SIZE - len;
    w = (struct atoll_hvt_hc_block_write){H_BLOCK, 5 * BS, src, len, -1};
    put(arg, &w, sizeof w);
    expect_ret("block write of the last 3 blocks from the end of memory: OK",
               ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w, ATOLL_HVT_R_OK, 0, 0);
    t_check("the file holds those 3 blocks",
          file_has(blockfd, 5 * BS, hvt.mem + src, len) &&
              file_has(blockfd, 0, zero, 5 * BS),
          "wrong file contents");
    r = (struct atoll_hvt_hc_block_read){H_BLOCK, 0, data, BLOCKS * BS, -1};
    put(arg, &r, sizeof r);
    expect_ret("block read of the whole device: OK", ATOLL_HVT_HC_BLOCK_READ,
               arg, sizeof r, ATOLL_HVT_R_OK, data, BLOCKS * BS);
    t_check("read back what was written",
          memcmp(hvt.mem + data, zero, 5 * BS) == 0 &&
              memcmp(hvt.mem + data + 5 * BS, hvt.mem + src, len) == 0,
          "wrong data");
    w = (struct atoll_hvt_hc_block_write){H_BLOCK4K, 4096, data, 4096, -1};
    put(arg, &w, sizeof w);
    expect_ret("block write of the second 4096-byte sector: OK",
               ATOLL_HVT_HC_BLOCK_WRITE, arg, sizeof w, ATOLL_HVT_R_OK, 0,
               0);

    /* Valid ranges, buffers outside guest memory. */
    static const struct { uint64_t data, len; const char *what; } badbuf[] = {
        {MEM_SIZE - BS + 1, BS, "one byte past the end"},
        {MEM_SIZE, BS, "at the end"},
        {MEM_SIZE - BS, 2 * BS, "one block past the end"},
        {UINT64_MAX & ~(uint64_t)(BS - 1), BS, "whose end overflows"},
    };
    for (size_t i = 0; i < sizeof badbuf / sizeof badbuf[0]; i++) {
        w = (struct atoll_hvt_hc_block_write){H_BLOCK, 0, badbuf[i].data,
                                              badbuf[i].len, 0};
        put(arg, &w, sizeof w);
        snprintf(name, sizeof name, "block write from a buffer %s ends the "
                 "guest", badbuf[i].what);
        expect_fault(name, ATOLL_HVT_HC_BLOCK_WRITE, arg,
                     "outside guest memory");
        r = (struct atoll_hvt_hc_block_read){H_BLOCK, 0, badbuf[i].data,
                                             badbuf[i].len, 0};
        put(arg, &r, sizeof r);
        snprintf(name, sizeof name, "block read into a buffer %s ends the "
                 "guest", badbuf[i].what);
        expect_fault(name, ATOLL_HVT_HC_BLOCK_READ, arg,
                     "outside guest memory");
    }

    struct atoll_hvt_hc_block_flush f = {H_BLOCK, -1};
    put(arg, &f, sizeof f);
    expect_ret("block flush: OK", ATOLL_HVT_HC_BLOCK_FLUSH, arg, sizeof f,
               ATOLL_HVT_R_OK, 0, 0);
    for (size_t i = 0; i < NBADH + 1; i++) {
        uint64_t h = i < NBADH ? bad_handles[i] : H_NET;
        f = (struct atoll_hvt_hc_block_flush){h, 0};
        put(arg, &f, sizeof f);
        snprintf(name, sizeof name, "block flush, handle %llu: EINVAL",
                 (unsigned long long)h);
        expect_ret(name, ATOLL_HVT_HC_BLOCK_FLUSH, arg, sizeof f,
                   ATOLL_HVT_R_EINVAL, 0, 0);
    }
}

static void test_halt(void)
{
    struct atoll_hvt_hc_halt h;
    struct atoll_trap_info t;
    const uint64_t arg = 0x600;
    struct result r;
    char why[600];
    mem_fill();

    h = (struct atoll_hvt_hc_halt){0, 7};
    put(arg, &h, sizeof h);
    r = call(ATOLL_HVT_HC_HALT, arg);
    t_check("halt, no cookie: exit status 7",
          r.how == HALTED && r.status == 7, die_msg);
    h = (struct atoll_hvt_hc_halt){0, 0x1234};
    put(arg, &h, sizeof h);
    r = call(ATOLL_HVT_HC_HALT, arg);
    t_check("halt with status 0x1234: exit status 0x34",
          r.how == HALTED && r.status == 0x34, die_msg);

    /* A trap record straddling or past the end is ignored, not read. */
    static const uint64_t cookies[] = {MEM_SIZE - sizeof t + 8, MEM_SIZE,
                                       UINT64_MAX - 8, 1ull << 63};
    int ok = 1;
    for (size_t i = 0; i < sizeof cookies / sizeof cookies[0]; i++) {
        h = (struct atoll_hvt_hc_halt){cookies[i], 255};
        put(arg, &h, sizeof h);
        r = call(ATOLL_HVT_HC_HALT, arg);
        ok &= r.how == HALTED && r.status == 255;
    }
    t_check("halt, cookie outside guest memory: the guest's status", ok,
          die_msg);

    /* A trap record in the last bytes of memory is reported; an absurd
     * vector number must not index past the name table. */
    uint64_t c = MEM_SIZE - sizeof t;
    t = (struct atoll_trap_info){ATOLL_TRAP_MAGIC, 14, 2, 0x201000, 0x7000,
                                 0x2, 0xdead000};
    put(c, &t, sizeof t);
    h = (struct atoll_hvt_hc_halt){c, 255};
    put(arg, &h, sizeof h);
    r = call(ATOLL_HVT_HC_HALT, arg);
    snprintf(why, sizeof why, "outcome %d status %d '%s'", r.how, r.status,
             die_msg);
    t_check("halt with a #PF trap record at the end of memory: fault report",
          r.how == DIED && r.status == HVT_EXIT_FAULT &&
              strstr(die_msg, "vector 14 (#PF)") != NULL &&
              strstr(die_msg, "0xdead000") != NULL,
          why);
    /* With the image's symbols loaded, the report names the function. */
    static struct tender_sym fn = {0x200ff0, 0x201100, 0, 2};
    hvt.syms = (struct tender_symtab){&fn, 1, "guest_fn", 9, NULL, 0};
    r = call(ATOLL_HVT_HC_HALT, arg);
    hvt.syms = (struct tender_symtab){NULL, 0, NULL, 0, NULL, 0};
    snprintf(why, sizeof why, "outcome %d status %d '%s'", r.how, r.status,
             die_msg);
    t_check("halt with a trap record names the function "
            "(rip=0x201000 <guest_fn+0x10>)",
            r.how == DIED &&
                strstr(die_msg, "at rip=0x201000 <guest_fn+0x10>, fault "
                                "address") != NULL,
            why);
    /* ... and with its line table, the source line. */
    static const struct tender_line rows[] = {{0x200ff0, 0, 7},
                                              {0x201004, 0, 0}};
    hvt.lines = (struct tender_linetab){rows, 2, "guest.c", 8, NULL, 0};
    r = call(ATOLL_HVT_HC_HALT, arg);
    hvt.lines = (struct tender_linetab){NULL, 0, NULL, 0, NULL, 0};
    snprintf(why, sizeof why, "outcome %d status %d '%s'", r.how, r.status,
             die_msg);
    t_check("halt with a trap record names the source line "
            "(rip=0x201000 (guest.c:7))",
            r.how == DIED &&
                strstr(die_msg, "at rip=0x201000 (guest.c:7), fault "
                                "address") != NULL,
            why);
    static const uint64_t vectors[] = {32, 255, UINT64_MAX};
    ok = 1;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        t.vector = vectors[i];
        put(c, &t, sizeof t);
        r = call(ATOLL_HVT_HC_HALT, arg);
        ok &= r.how == DIED && strstr(die_msg, "(?)") != NULL;
    }
    t_check("halt with trap vectors 32, 255, 2^64-1: reported as '?'", ok,
          die_msg);
    /* Each exception ends the tender by the signal Linux gives a process
     * for it (atoll-spt's status for the same guest bug). */
    static const struct {
        uint64_t vector;
        int sig;
        const char *name;
    } sigs[] = {
        {0, SIGFPE, "halt with a #DE trap record: dies of SIGFPE"},
        {3, SIGTRAP, "halt with a #BP trap record: dies of SIGTRAP"},
        {6, SIGILL, "halt with a #UD trap record: dies of SIGILL"},
        {13, SIGSEGV, "halt with a #GP trap record: dies of SIGSEGV"},
        {17, SIGBUS, "halt with an #AC trap record: dies of SIGBUS"},
        {19, SIGFPE, "halt with an #XM trap record: dies of SIGFPE"},
        {32, SIGSEGV, "halt with trap vector 32: dies of SIGSEGV"},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        t.vector = sigs[i].vector;
        put(c, &t, sizeof t);
        r = call(ATOLL_HVT_HC_HALT, arg);
        snprintf(why, sizeof why, "outcome %d status %d", r.how, r.status);
        t_check(sigs[i].name,
              r.how == DIED && r.status == HVT_DIE_SIGNAL(sigs[i].sig), why);
    }
    t.magic = 0;
    put(c, &t, sizeof t);
    r = call(ATOLL_HVT_HC_HALT, arg);
    t_check("halt with a cookie that is not a trap record: exit status",
          r.how == HALTED && r.status == 255, die_msg);
}

static void test_gpa(void)
{
    t_check("hvt_gpa: the whole memory",
          hvt_gpa(&hvt, 0, MEM_SIZE) == hvt.mem, "refused");
    t_check("hvt_gpa: 0 bytes at the end",
          hvt_gpa(&hvt, MEM_SIZE, 0) == hvt.mem + MEM_SIZE, "refused");
    t_check("hvt_gpa: 1 byte at the end", hvt_gpa(&hvt, MEM_SIZE, 1) == NULL,
          "accepted");
    t_check("hvt_gpa: 0 bytes past the end",
          hvt_gpa(&hvt, MEM_SIZE + 1, 0) == NULL, "accepted");
    t_check("hvt_gpa: wrap-around",
          hvt_gpa(&hvt, 16, UINT64_MAX - 8) == NULL &&
              hvt_gpa(&hvt, UINT64_MAX, 2) == NULL,
          "accepted");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    mem_setup();
    dev_setup();
    test_gpa();
    test_bad_args();
    test_unknown();
    test_walltime();
    test_puts();
    test_net_write();
    test_net_read();
    test_net_write_vnet();
    test_netring_wanted();
    test_poll();
    test_block();
    test_halt();
    return t_finish();
}
