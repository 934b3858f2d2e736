/*
 * The sandbox atoll-hvt enters before the guest's first instruction: a
 * seccomp filter that allows only what the run loop and the attached
 * devices need, each system call limited to the descriptors it is for.
 * Anything else kills the process.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hvt.h"

/* Argument arg equal to v (SCMP_An leaves datum_b to the compiler). */
static struct scmp_arg_cmp arg_eq(unsigned arg, scmp_datum_t v)
{
    struct scmp_arg_cmp c = {
        .arg = arg, .op = SCMP_CMP_EQ, .datum_a = v, .datum_b = 0};
    return c;
}

static int rule(scmp_filter_ctx ctx, int sys, unsigned n,
                const struct scmp_arg_cmp *cmp)
{
    return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, sys, n, cmp);
}

/* Allow sys with argument 0 equal to fd. */
static int rule_fd(scmp_filter_ctx ctx, int sys, int fd)
{
    struct scmp_arg_cmp c = arg_eq(0, (scmp_datum_t)fd);
    return rule(ctx, sys, 1, &c);
}

static int rule_ioctl(scmp_filter_ctx ctx, int fd, unsigned long req)
{
    struct scmp_arg_cmp c[2] = {arg_eq(0, (scmp_datum_t)fd),
                                arg_eq(1, (scmp_datum_t)req)};
    return rule(ctx, SCMP_SYS(ioctl), 2, c);
}

static int build(scmp_filter_ctx ctx, const struct hvt *hvt)
{
    int rc = 0;
    rc |= rule_ioctl(ctx, hvt->vcpufd, KVM_RUN);
    /* Registers for the report of a guest that stopped abnormally. */
    rc |= rule_ioctl(ctx, hvt->vcpufd, KVM_GET_REGS);
    rc |= rule_ioctl(ctx, hvt->vcpufd, KVM_GET_SREGS);
    rc |= rule_fd(ctx, SCMP_SYS(write), 1); /* console */
    rc |= rule_fd(ctx, SCMP_SYS(write), 2); /* tender messages */
    rc |= rule(ctx, SCMP_SYS(ppoll), 0, NULL);
    rc |= rule(ctx, SCMP_SYS(clock_gettime), 0, NULL);
    rc |= rule(ctx, SCMP_SYS(exit_group), 0, NULL);
    /* The net ring's I/O thread sleeps in read(2) on its kick eventfd. */
    if (hvt->ring_efd >= 0)
        rc |= rule_fd(ctx, SCMP_SYS(read), hvt->ring_efd);
    /* hvt_die ends a faulting guest by a signal to this process only. */
    struct scmp_arg_cmp self[2] = {arg_eq(0, (scmp_datum_t)getpid()),
                                   arg_eq(1, (scmp_datum_t)getpid())};
    rc |= rule(ctx, SCMP_SYS(tgkill), 2, self);
    for (uint32_t i = 0; i < hvt->mft->entries; i++) {
        const struct atoll_mft_entry *e = &hvt->mft->e[i];
        if (!e->attached)
            continue;
        int fd = e->b.hostfd;
        if (e->type == ATOLL_MFT_DEV_NET_BASIC) {
            rc |= rule_fd(ctx, SCMP_SYS(read), fd);
            rc |= rule_fd(ctx, SCMP_SYS(write), fd);
        } else if (e->type == ATOLL_MFT_DEV_BLOCK_BASIC) {
            rc |= rule_fd(ctx, SCMP_SYS(pread64), fd);
            rc |= rule_fd(ctx, SCMP_SYS(pwrite64), fd);
            rc |= rule_fd(ctx, SCMP_SYS(fdatasync), fd);
        }
    }
    return rc;
}

int hvt_sandbox(const struct hvt *hvt, char *err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == NULL) {
        snprintf(err, TENDER_ERR_SIZE, "seccomp_init failed");
        return -1;
    }
    /* TSYNC: the filter covers the net ring's thread, started before. */
    if (build(ctx, hvt) != 0 ||
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0) {
        seccomp_release(ctx);
        snprintf(err, TENDER_ERR_SIZE, "cannot build the seccomp filter");
        return -1;
    }
    int rc = seccomp_load(ctx);
    if (rc != 0) {
        seccomp_release(ctx);
        snprintf(err, TENDER_ERR_SIZE, "cannot load the seccomp filter: %s",
                 strerror(-rc));
        return -1;
    }
    /* The filter is in force: freeing ctx now could call munmap, which it
     * forbids. The few kilobytes stay allocated until exit. */
    return 0;
}
