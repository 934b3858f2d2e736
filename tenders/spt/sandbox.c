/*
 * The sandbox the guest runs in.
 *
 * Every descriptor the guest was not given is closed. The seccomp filter
 * allows exactly the system calls of the spt ABI (include/atoll/abi/spt.h),
 * each pinned to its descriptor or argument:
 *
 *   write            fd 1 (console), each net device's fd
 *   read             each net device's fd
 *   pread64/pwrite64 each block device's fd, length == block size << k
 *                    (up to ATOLL_EXT_BLOCK_IO_MAX bytes, the
 *                    BLOCK_MULTI extension), offset <= capacity - length
 *   fdatasync        each block device's fd (Atoll extension BLOCK_FLUSH)
 *   clock_gettime    CLOCK_MONOTONIC, CLOCK_REALTIME
 *   epoll_pwait      the epoll fd, no signal mask
 *   timerfd_settime  the timerfd
 *   arch_prctl       ARCH_SET_FS
 *   exit_group
 *
 * Descriptor 2 is the tender's, as in Solo5 (whose guests write only to
 * fd 1): write(2, ...) and tgkill(this process) are allowed only from the
 * fault reporter's one system call instruction (fault.c), which a few BPF
 * instructions placed before libseccomp's program recognise by the
 * instruction pointer the kernel passes to the filter. So every line on
 * stderr after the guest starts is the tender's.
 *
 * Net offloads (ATOLL_EXT_F_NET_VNET, include/atoll/abi/ext.h) add no
 * system call and no ioctl: the tender sets IFF_VNET_HDR, the header size
 * and TUN_F_CSUM | TUN_F_TSO4 on the TAP (common/attach.c) before this
 * filter exists, and the guest cannot change them (ioctl stays
 * forbidden). What changes is what read and write on that one descriptor
 * carry: a virtio-net header before each frame, frames up to 64 KiB. The
 * kernel checks a header from the guest as it checks one from any
 * unprivileged TAP user, QEMU's guests included (virtio_net_hdr_to_skb:
 * GSO type, sizes, checksum offsets inside the frame); a bad one fails the
 * write. A GSO frame costs the host segmentation work in proportion to its
 * bytes, as the same data written frame by frame would, and the guest
 * could already send any frame to that interface. Reads give the guest
 * only what the kernel queued for the TAP, into the guest's own buffer.
 *
 * Anything else raises SIGSYS (SECCOMP_RET_TRAP), which fault.c reports
 * with the system call number before the process dies of it; if that
 * report itself cannot run, the kernel kills the process. That includes
 * calls through another ABI's entry (int $0x80 for i386), which libseccomp
 * would otherwise kill without a report.
 *
 * libseccomp's seccomp_load() frees memory after loading, and free() may
 * call munmap or brk. So the program is exported through a pipe into a
 * buffer first, and loaded later with the raw system call as the very last
 * step before the guest starts.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../common/internal.h"
#include "spt.h"

static struct sock_fprog prog;

static int allow(scmp_filter_ctx ctx, int sys, unsigned n,
                 const struct scmp_arg_cmp *cmp)
{
    return seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, sys, n, cmp);
}

/* SCMP_An() leaves datum_b to the compiler, which clang warns about. */
static struct scmp_arg_cmp arg(unsigned int i, enum scmp_compare op,
                               uint64_t v)
{
    struct scmp_arg_cmp c = {.arg = i, .op = op, .datum_a = v, .datum_b = 0};

    return c;
}

static int allow_a0(scmp_filter_ctx ctx, int sys, uint64_t a0)
{
    struct scmp_arg_cmp c = arg(0, SCMP_CMP_EQ, a0);

    return allow(ctx, sys, 1, &c);
}

static int allow_block(scmp_filter_ctx ctx, const struct atoll_mft_entry *e)
{
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    int fd = e->b.hostfd;
    int rc = allow_a0(ctx, SCMP_SYS(fdatasync), (uint64_t)fd);

    /* One rule per transfer size keeps "offset + length <= capacity"
     * expressible: seccomp compares arguments only with constants. */
    for (uint64_t len = bs; len != 0 && len <= cap; len *= 2) {
        struct scmp_arg_cmp c[3] = {
            arg(0, SCMP_CMP_EQ, (uint64_t)fd),
            arg(2, SCMP_CMP_EQ, len),
            arg(3, SCMP_CMP_LE, cap - len),
        };

        rc |= allow(ctx, SCMP_SYS(pread64), 3, c);
        rc |= allow(ctx, SCMP_SYS(pwrite64), 3, c);
        if (len >= ATOLL_EXT_BLOCK_IO_MAX)
            break;
    }
    return rc;
}

static int rules(scmp_filter_ctx ctx, const struct spt *spt)
{
    int rc = 0;

    rc |= allow_a0(ctx, SCMP_SYS(write), 1);
    rc |= allow_a0(ctx, SCMP_SYS(clock_gettime), CLOCK_MONOTONIC);
    rc |= allow_a0(ctx, SCMP_SYS(clock_gettime), CLOCK_REALTIME);
    /* No signal mask: with one the guest could hold off SIGTERM and SIGINT
     * for as long as it waits (Solo5's guests pass NULL too). */
    struct scmp_arg_cmp wait[2] = {
        arg(0, SCMP_CMP_EQ, (uint64_t)spt->epollfd),
        arg(4, SCMP_CMP_EQ, 0),
    };
    rc |= allow(ctx, SCMP_SYS(epoll_pwait), 2, wait);
    rc |= allow_a0(ctx, SCMP_SYS(timerfd_settime), (uint64_t)spt->timerfd);
    rc |= allow_a0(ctx, SCMP_SYS(arch_prctl), ARCH_SET_FS);
    rc |= allow(ctx, SCMP_SYS(exit_group), 0, NULL);
    for (uint32_t i = 1; i < spt->mft->entries; i++) {
        const struct atoll_mft_entry *e = &spt->mft->e[i];

        if (!e->attached)
            continue;
        if (e->type == ATOLL_MFT_DEV_NET_BASIC) {
            rc |= allow_a0(ctx, SCMP_SYS(read), (uint64_t)e->b.hostfd);
            rc |= allow_a0(ctx, SCMP_SYS(write), (uint64_t)e->b.hostfd);
        } else if (e->type == ATOLL_MFT_DEV_BLOCK_BASIC) {
            rc |= allow_block(ctx, e);
        }
    }
    return rc;
}

/*
 * The fault reporter's gate, run before libseccomp's program: from the
 * instruction at spt_fault_sys_ret, and x86_64 system calls only, allow
 * write(2, ...) and tgkill(pid, pid, ...); anything else (from there or
 * elsewhere) goes on to libseccomp's program. BPF reads the 64-bit fields
 * of struct seccomp_data as two 32-bit words, low word first.
 */
#define SD_NR offsetof(struct seccomp_data, nr)
#define SD_ARCH offsetof(struct seccomp_data, arch)
#define SD_IP offsetof(struct seccomp_data, instruction_pointer)
#define SD_ARG(i) offsetof(struct seccomp_data, args[i])
#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off))
#define JEQ(k, jt, jf) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), jt, jf)
#define GATE_LEN 20

static void gate(struct sock_filter *f, uint64_t ip, uint32_t pid)
{
    /* Jump offsets count from the next instruction: "next" is the first
     * instruction of libseccomp's program, at index GATE_LEN; "allow" is
     * the instruction just before it. */
#define NEXT(i) (GATE_LEN - (i) - 1)
#define ALLOW(i) (GATE_LEN - (i) - 2)
    const struct sock_filter g[GATE_LEN] = {
        /* 0 */ LD(SD_ARCH),
        /* 1 */ JEQ(AUDIT_ARCH_X86_64, 0, NEXT(1)),
        /* 2 */ LD(SD_IP),
        /* 3 */ JEQ(ip & 0xffffffffu, 0, NEXT(3)),
        /* 4 */ LD(SD_IP + 4),
        /* 5 */ JEQ(ip >> 32, 0, NEXT(5)),
        /* 6 */ LD(SD_ARG(0) + 4),
        /* 7 */ JEQ(0, 0, NEXT(7)),
        /* 8 */ LD(SD_NR),
        /* 9 */ JEQ(SYS_write, 0, 2),
        /* 10 */ LD(SD_ARG(0)),
        /* 11 */ JEQ(2, ALLOW(11), NEXT(11)),
        /* 12 */ JEQ(SYS_tgkill, 0, NEXT(12)),
        /* 13 */ LD(SD_ARG(0)),
        /* 14 */ JEQ(pid, 0, NEXT(14)),
        /* 15 */ LD(SD_ARG(1) + 4),
        /* 16 */ JEQ(0, 0, NEXT(16)),
        /* 17 */ LD(SD_ARG(1)),
        /* 18 */ JEQ(pid, ALLOW(18), NEXT(18)),
        /* 19 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
#undef NEXT
#undef ALLOW
    memcpy(f, g, sizeof g);
}

/*
 * Export the compiled filter into prog (malloc'd, kept for the run). A
 * pipe, not a file: a file-size limit (ulimit -f) would silently cut a
 * file short. The largest program (BPF_MAXINSNS) fits in a pipe's buffer;
 * a larger one fails the non-blocking write instead of hanging.
 */
static int export(scmp_filter_ctx ctx, char *err)
{
    size_t max = (BPF_MAXINSNS + 1) * sizeof(struct sock_filter);
    size_t head = GATE_LEN * sizeof(struct sock_filter);
    size_t len = head;
    uint8_t *buf;
    int fds[2];
    int rc;

    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return tender_err(err, "pipe: %s", strerror(errno));
    rc = seccomp_export_bpf(ctx, fds[1]);
    close(fds[1]);
    buf = malloc(max);
    while (rc == 0 && buf != NULL && len < max) {
        ssize_t n = read(fds[0], buf + len, max - len);

        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fds[0]);
    if (rc != 0 || buf == NULL || len == head ||
        len % sizeof(struct sock_filter) != 0 ||
        len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
        free(buf);
        return tender_err(err, "cannot export the seccomp filter%s%s",
                          rc != 0 ? ": " : "", rc != 0 ? strerror(-rc) : "");
    }
    prog.len = (unsigned short)(len / sizeof(struct sock_filter));
    prog.filter = (struct sock_filter *)(void *)buf;
    gate(prog.filter, (uint64_t)(uintptr_t)spt_fault_sys_ret,
         (uint32_t)getpid());
    return 0;
}

int spt_sandbox_build(const struct spt *spt, char *err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
    int rc;

    if (ctx == NULL)
        return tender_err(err, "seccomp_init failed");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP) != 0 ||
        rules(ctx, spt) != 0) {
        seccomp_release(ctx);
        return tender_err(err, "cannot build the seccomp filter");
    }
    rc = export(ctx, err);
    seccomp_release(ctx);
    return rc;
}

int spt_sandbox_enter(char *err)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return tender_err(err, "prctl(PR_SET_NO_NEW_PRIVS): %s",
                          strerror(errno));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        return tender_err(err, "cannot load the seccomp filter: %s",
                          strerror(errno));
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

int spt_close_fds(const struct spt *spt, char *err)
{
    int keep[3 + 2 + ATOLL_MFT_MAX_ENTRIES];
    int n = 0;
    unsigned int next = 0;

    keep[n++] = 0;
    keep[n++] = 1;
    keep[n++] = 2;
    keep[n++] = spt->epollfd;
    keep[n++] = spt->timerfd;
    for (uint32_t i = 1; i < spt->mft->entries; i++)
        if (spt->mft->e[i].attached)
            keep[n++] = spt->mft->e[i].b.hostfd;
    qsort(keep, (size_t)n, sizeof keep[0], cmp_int);
    /* Close each gap between kept descriptors, then everything above. */
    for (int i = 0; i < n; i++) {
        if (keep[i] < 0)
            continue;
        if ((unsigned int)keep[i] > next &&
            close_range(next, (unsigned int)keep[i] - 1, 0) != 0)
            return tender_err(err, "close_range: %s", strerror(errno));
        if ((unsigned int)keep[i] + 1 > next)
            next = (unsigned int)keep[i] + 1;
    }
    if (close_range(next, ~0u, 0) != 0)
        return tender_err(err, "close_range: %s", strerror(errno));
    return 0;
}
