/*
 * The hypercalls atoll-hvt serves. Every argument structure is copied out
 * of guest memory, checked, served, and its results copied back; every
 * guest address and length is checked to lie inside guest memory first.
 * A bad address ends the guest (HVT_EXIT_FAULT: SIGSEGV), an unknown
 * hypercall too (HVT_EXIT_BADCALL: SIGSYS); a bad handle, offset or length
 * is reported to the guest as EINVAL.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"

void *hvt_gpa(const struct hvt *hvt, uint64_t gpa, uint64_t len)
{
    if (gpa > hvt->mem_size || len > hvt->mem_size - gpa)
        return NULL;
    return hvt->mem + gpa;
}

/* Copy the argument structure in, or end the guest. */
static void arg_in(const struct hvt *hvt, unsigned nr, uint64_t gpa,
                   void *arg, size_t size)
{
    void *p = hvt_gpa(hvt, gpa, size);
    if (p == NULL)
        hvt_die(HVT_EXIT_FAULT, "guest fault: hypercall %u: argument at "
                "0x%llx is outside guest memory", nr,
                (unsigned long long)gpa);
    memcpy(arg, p, size);
}

static void arg_out(const struct hvt *hvt, uint64_t gpa, const void *arg,
                    size_t size)
{
    memcpy(hvt_gpa(hvt, gpa, size), arg, size);
}

/* A guest buffer, or end the guest. */
static void *buf(const struct hvt *hvt, unsigned nr, uint64_t gpa,
                 uint64_t len)
{
    void *p = hvt_gpa(hvt, gpa, len);
    if (p == NULL)
        hvt_die(HVT_EXIT_FAULT, "guest fault: hypercall %u: buffer "
                "0x%llx+0x%llx is outside guest memory", nr,
                (unsigned long long)gpa, (unsigned long long)len);
    return p;
}

const struct atoll_mft_entry *hvt_device(const struct hvt *hvt,
                                         uint64_t handle, uint32_t type)
{
    if (handle >= hvt->mft->entries)
        return NULL;
    const struct atoll_mft_entry *e = &hvt->mft->e[handle];
    if (e->type != type || !e->attached)
        return NULL;
    return e;
}

static void hc_walltime(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_walltime a;
    struct timespec ts;
    arg_in(hvt, ATOLL_HVT_HC_WALLTIME, gpa, &a, sizeof a);
    clock_gettime(CLOCK_REALTIME, &ts);
    a.nsecs = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    arg_out(hvt, gpa, &a, sizeof a);
}

static void hc_puts(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_puts a;
    arg_in(hvt, ATOLL_HVT_HC_PUTS, gpa, &a, sizeof a);
    const uint8_t *p = buf(hvt, ATOLL_HVT_HC_PUTS, a.data, a.len);
    uint64_t left = a.len;
    while (left > 0) {
        ssize_t n = write(1, p, left > SSIZE_MAX ? SSIZE_MAX : left);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* console output is best effort */
        p += n;
        left -= (uint64_t)n;
    }
}

/* ---- poll ----------------------------------------------------------- */

static struct pollfd poll_fds[ATOLL_MFT_MAX_ENTRIES];
static uint64_t poll_handle[ATOLL_MFT_MAX_ENTRIES];
static nfds_t poll_n;

void hvt_poll_init(struct hvt *hvt)
{
    poll_n = 0;
    for (uint32_t i = 0; i < hvt->mft->entries; i++) {
        const struct atoll_mft_entry *e = &hvt->mft->e[i];
        if (e->type != ATOLL_MFT_DEV_NET_BASIC || !e->attached)
            continue;
        poll_fds[poll_n].fd = e->b.hostfd;
        poll_fds[poll_n].events = POLLIN;
        poll_handle[poll_n] = i;
        poll_n++;
    }
}

static void hc_poll(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_poll a;
    arg_in(hvt, ATOLL_HVT_HC_POLL, gpa, &a, sizeof a);
    /* Cap the sleep: ppoll rejects absurd timeouts; the guest re-yields. */
    uint64_t ns = a.timeout_nsecs;
    const uint64_t cap = (uint64_t)INT32_MAX * 1000000000ull;
    if (ns > cap)
        ns = cap;
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
                          .tv_nsec = (long)(ns % 1000000000ull)};
    int n = ppoll(poll_fds, poll_n, &ts, NULL);
    a.ready_set = 0;
    for (nfds_t i = 0; n > 0 && i < poll_n; i++)
        if (poll_fds[i].revents != 0)
            a.ready_set |= 1ull << poll_handle[i];
    a.ret = a.ready_set != 0;
    arg_out(hvt, gpa, &a, sizeof a);
}

/* ---- net ------------------------------------------------------------ */

static void hc_net_write(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_net_write a;
    arg_in(hvt, ATOLL_HVT_HC_NET_WRITE, gpa, &a, sizeof a);
    const struct atoll_mft_entry *e =
        hvt_device(hvt, a.handle, ATOLL_MFT_DEV_NET_BASIC);
    if (e == NULL || a.len == 0 ||
        a.len > hvt_net_frame_max(hvt, a.handle, e))
        a.ret = ATOLL_HVT_R_EINVAL;
    else
        a.ret = hvt_net_send(hvt, a.handle,
                             buf(hvt, ATOLL_HVT_HC_NET_WRITE, a.data, a.len),
                             a.len);
    arg_out(hvt, gpa, &a, sizeof a);
}

static void hc_net_read(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_net_read a;
    arg_in(hvt, ATOLL_HVT_HC_NET_READ, gpa, &a, sizeof a);
    if (hvt_device(hvt, a.handle, ATOLL_MFT_DEV_NET_BASIC) == NULL ||
        a.len == 0)
        a.ret = ATOLL_HVT_R_EINVAL;
    else
        a.ret = hvt_net_recv(hvt, a.handle,
                             buf(hvt, ATOLL_HVT_HC_NET_READ, a.data, a.len),
                             a.len, &a.len);
    arg_out(hvt, gpa, &a, sizeof a);
}

/* ---- block ---------------------------------------------------------- */

/* The device for a transfer of len bytes at offset, or NULL if the handle,
 * alignment or range is bad. */
static const struct atoll_mft_entry *
block_range(const struct hvt *hvt, uint64_t handle, uint64_t offset,
            uint64_t len)
{
    const struct atoll_mft_entry *e =
        hvt_device(hvt, handle, ATOLL_MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        return NULL;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (bs == 0 || offset % bs != 0 || len % bs != 0 || len == 0 ||
        offset >= cap || len > cap - offset || len > SSIZE_MAX)
        return NULL;
    return e;
}

/* pread/pwrite the whole range; 0 on success. */
static int block_io(int fd, uint8_t *p, uint64_t len, uint64_t off, int wr)
{
    while (len > 0) {
        ssize_t n = wr ? pwrite(fd, p, len, (off_t)off)
                       : pread(fd, p, len, (off_t)off);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        off += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return 0;
}

static void hc_block_write(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_block_write a;
    arg_in(hvt, ATOLL_HVT_HC_BLOCK_WRITE, gpa, &a, sizeof a);
    const struct atoll_mft_entry *e =
        block_range(hvt, a.handle, a.offset, a.len);
    if (e == NULL) {
        a.ret = ATOLL_HVT_R_EINVAL;
    } else {
        uint8_t *p = buf(hvt, ATOLL_HVT_HC_BLOCK_WRITE, a.data, a.len);
        a.ret = block_io(e->b.hostfd, p, a.len, a.offset, 1) == 0
                    ? ATOLL_HVT_R_OK : ATOLL_HVT_R_EUNSPEC;
    }
    arg_out(hvt, gpa, &a, sizeof a);
}

static void hc_block_read(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_block_read a;
    arg_in(hvt, ATOLL_HVT_HC_BLOCK_READ, gpa, &a, sizeof a);
    const struct atoll_mft_entry *e =
        block_range(hvt, a.handle, a.offset, a.len);
    if (e == NULL) {
        a.ret = ATOLL_HVT_R_EINVAL;
    } else {
        uint8_t *p = buf(hvt, ATOLL_HVT_HC_BLOCK_READ, a.data, a.len);
        a.ret = block_io(e->b.hostfd, p, a.len, a.offset, 0) == 0
                    ? ATOLL_HVT_R_OK : ATOLL_HVT_R_EUNSPEC;
    }
    arg_out(hvt, gpa, &a, sizeof a);
}

static void hc_block_flush(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_block_flush a;
    arg_in(hvt, ATOLL_HVT_HC_BLOCK_FLUSH, gpa, &a, sizeof a);
    const struct atoll_mft_entry *e =
        hvt_device(hvt, a.handle, ATOLL_MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        a.ret = ATOLL_HVT_R_EINVAL;
    else
        a.ret = fdatasync(e->b.hostfd) == 0 ? ATOLL_HVT_R_OK
                                            : ATOLL_HVT_R_EUNSPEC;
    arg_out(hvt, gpa, &a, sizeof a);
}

/* ---- halt ----------------------------------------------------------- */

static const char *const vector_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31"};

/* The signal Linux sends a process for the same exception (its
 * arch/x86/kernel/traps.c), so that a guest bug ends atoll-hvt as it ends
 * atoll-spt. */
static int vector_signal(uint64_t v)
{
    switch (v) {
    case 0: case 16: case 19: return SIGFPE;  /* #DE, #MF, #XM */
    case 1: case 3: return SIGTRAP;           /* #DB, #BP */
    case 6: return SIGILL;                    /* #UD */
    case 11: case 12: case 17: return SIGBUS; /* #NP, #SS, #AC */
    default: return SIGSEGV;                  /* #GP, #PF, ... */
    }
}

static int hc_halt(struct hvt *hvt, uint64_t gpa)
{
    struct atoll_hvt_hc_halt a;
    struct atoll_trap_info t;
    arg_in(hvt, ATOLL_HVT_HC_HALT, gpa, &a, sizeof a);
    const void *cookie = a.cookie ? hvt_gpa(hvt, a.cookie, sizeof t) : NULL;
    if (cookie == NULL)
        return a.exit_status & 0xff;
    memcpy(&t, cookie, sizeof t);
    if (t.magic != ATOLL_TRAP_MAGIC)
        return a.exit_status & 0xff;
    char where[HVT_WHERE_MAX];
    hvt_where(hvt, t.rip, where, sizeof where);
    hvt_die(HVT_DIE_SIGNAL(vector_signal(t.vector)),
            "guest fault: vector %llu (%s) at rip=0x%llx%s, fault address "
            "0x%llx, error code 0x%llx (rsp=0x%llx, rflags=0x%llx)",
            (unsigned long long)t.vector,
            t.vector < 32 ? vector_names[t.vector] : "?",
            (unsigned long long)t.rip, where, (unsigned long long)t.cr2,
            (unsigned long long)t.error_code, (unsigned long long)t.rsp,
            (unsigned long long)t.rflags);
}

int hvt_hypercall(struct hvt *hvt, unsigned nr, uint64_t gpa, int *status)
{
    switch (nr) {
    case ATOLL_HVT_HC_WALLTIME: hc_walltime(hvt, gpa); return 0;
    case ATOLL_HVT_HC_PUTS: hc_puts(hvt, gpa); return 0;
    case ATOLL_HVT_HC_POLL: hc_poll(hvt, gpa); return 0;
    case ATOLL_HVT_HC_BLOCK_WRITE: hc_block_write(hvt, gpa); return 0;
    case ATOLL_HVT_HC_BLOCK_READ: hc_block_read(hvt, gpa); return 0;
    case ATOLL_HVT_HC_NET_WRITE:
        hvt->net_calls++;
        hc_net_write(hvt, gpa);
        return 0;
    case ATOLL_HVT_HC_NET_READ:
        hvt->net_calls++;
        hc_net_read(hvt, gpa);
        return 0;
    case ATOLL_HVT_HC_BLOCK_FLUSH:
        if (!(hvt->ext_features & ATOLL_EXT_F_BLOCK_FLUSH))
            break;
        hc_block_flush(hvt, gpa);
        return 0;
    case ATOLL_HVT_HC_HALT: *status = hc_halt(hvt, gpa); return -1;
    default: break;
    }
    hvt_die(HVT_EXIT_BADCALL, "guest fault: unknown hypercall %u", nr);
}

void hvt_where(const struct hvt *hvt, uint64_t rip, char *dst, size_t size)
{
    char sym[TENDER_SYM_NAME_MAX + 24], src[TENDER_LINE_NAME_MAX + 16];

    tender_symtab_format(&hvt->syms, rip, sym, sizeof sym);
    tender_lines_format(&hvt->lines, rip, src, sizeof src);
    snprintf(dst, size, "%s%s%s%s%s", sym[0] ? " " : "", sym,
             src[0] ? " (" : "", src, src[0] ? ")" : "");
}
