/*
 * The vCPU loop: run the guest, serve its hypercalls, and stop it with a
 * clear message on anything else: a guest fault ends the tender by the
 * signal atoll-spt would die of (hvt.h, HVT_DIE_SIGNAL), a failure of KVM
 * itself with ATOLL_EXIT_TENDER_ERROR (1, as solo5-hvt's errx(1)).
 */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hvt.h"

static pid_t tender_pid;

void hvt_fault_init(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL,
                               SIGFPE,  SIGTRAP, SIGSYS};
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        signal(sigs[i], SIG_DFL);
        sigaddset(&set, sigs[i]);
    }
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    tender_pid = getpid();
}

_Noreturn void hvt_die(int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int n = snprintf(msg, sizeof msg, "atoll-hvt: ");
    va_start(ap, fmt);
    n += vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof msg - 2)
        n = (int)sizeof msg - 2;
    msg[n++] = '\n';
    ssize_t w = write(2, msg, (size_t)n);
    (void)w;
    if (status < 0) {
        /* Default action, not blocked (hvt_fault_init): ends the process
         * on the way out of the system call. */
        syscall(SYS_tgkill, tender_pid, tender_pid, -status);
        _exit(128 - status);
    }
    _exit(status);
}

/* Stop the guest, naming where it was. */
static _Noreturn void die_at(struct hvt *hvt, int status, const char *what)
{
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    if (ioctl(hvt->vcpufd, KVM_GET_REGS, &regs) == -1 ||
        ioctl(hvt->vcpufd, KVM_GET_SREGS, &sregs) == -1)
        hvt_die(status, "%s (registers unavailable: %s)", what,
                strerror(errno));
    char where[HVT_WHERE_MAX];
    hvt_where(hvt, regs.rip, where, sizeof where);
    hvt_die(status, "%s: rip=0x%llx%s, rsp=0x%llx, cr2=0x%llx", what,
            (unsigned long long)regs.rip, where,
            (unsigned long long)regs.rsp, (unsigned long long)sregs.cr2);
}

/*
 * KVM could not emulate a guest instruction. On hosts where KVM emulates
 * every instruction (nested without hardware support) that is most SSE
 * instructions: name the bytes so the cause is plain.
 */
static _Noreturn void die_emulation(struct hvt *hvt)
{
    struct kvm_regs regs;
    if (ioctl(hvt->vcpufd, KVM_GET_REGS, &regs) == -1)
        die_at(hvt, HVT_DIE_SIGNAL(SIGILL),
               "KVM could not emulate a guest instruction");
    char bytes[3 * 8 + 1] = "";
    const uint8_t *p = hvt_gpa(hvt, regs.rip, 8);
    for (int i = 0; p != NULL && i < 8; i++)
        snprintf(bytes + 3 * i, sizeof bytes - 3 * (size_t)i, " %02x", p[i]);
    char where[HVT_WHERE_MAX];
    hvt_where(hvt, regs.rip, where, sizeof where);
    hvt_die(HVT_DIE_SIGNAL(SIGILL), "KVM could not emulate the guest "
            "instruction at "
            "rip=0x%llx%s (bytes%s); is the guest built with SSE "
            "instructions this KVM cannot emulate?",
            (unsigned long long)regs.rip, where,
            p != NULL ? bytes : " unavailable");
}

static int io_exit(struct hvt *hvt, int *status)
{
    struct kvm_run *run = hvt->run;
    unsigned port = run->io.port;
    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || port < ATOLL_HVT_PIO_BASE ||
        port >= ATOLL_HVT_PIO_BASE + ATOLL_HVT_HC_ATOLL_MAX) {
        char what[96];
        snprintf(what, sizeof what, "guest fault: bad port access (port "
                 "0x%x, %s, size %u)", port,
                 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
                 (unsigned)run->io.size);
        die_at(hvt, HVT_EXIT_BADCALL, what);
    }
    if (run->io.data_offset > hvt->run_size - 4)
        hvt_die(ATOLL_EXIT_TENDER_ERROR, "KVM: bad I/O data offset");
    uint32_t gpa;
    memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof gpa);
    return hvt_hypercall(hvt, port - ATOLL_HVT_PIO_BASE, gpa, status);
}

int hvt_run(struct hvt *hvt)
{
    struct kvm_run *run = hvt->run;
    int status = 0;
    for (;;) {
        if (ioctl(hvt->vcpufd, KVM_RUN, 0) == -1) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            char what[96];
            snprintf(what, sizeof what, "KVM_RUN failed: %s",
                     strerror(errno));
            die_at(hvt, ATOLL_EXIT_TENDER_ERROR, what);
        }
        hvt->exits++;
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            if (io_exit(hvt, &status) != 0) {
                if (hvt->stats)
                    fprintf(stderr, "atoll-hvt: stats: exits %llu, net "
                            "hypercalls %llu, net ring entries %llu\n",
                            (unsigned long long)hvt->exits,
                            (unsigned long long)hvt->net_calls,
                            (unsigned long long)hvt_netring_entries());
                return status;
            }
            break;
        case KVM_EXIT_SHUTDOWN:
            die_at(hvt, HVT_EXIT_FAULT, "guest fault: triple fault (the "
                   "guest could not handle an exception)");
        case KVM_EXIT_HLT:
            /* hlt is privileged: in a process it is a #GP, SIGSEGV. */
            die_at(hvt, HVT_EXIT_FAULT,
                   "guest fault: hlt with interrupts disabled");
        case KVM_EXIT_MMIO: {
            char what[96];
            snprintf(what, sizeof what, "guest fault: access to 0x%llx, "
                     "outside guest memory",
                     (unsigned long long)run->mmio.phys_addr);
            die_at(hvt, HVT_EXIT_FAULT, what);
        }
        case KVM_EXIT_FAIL_ENTRY:
            hvt_die(ATOLL_EXIT_TENDER_ERROR, "KVM: VM entry failed, "
                    "reason 0x%llx",
                    (unsigned long long)
                        run->fail_entry.hardware_entry_failure_reason);
        case KVM_EXIT_INTERNAL_ERROR:
            if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
                die_emulation(hvt);
            else {
                char what[96];
                snprintf(what, sizeof what, "KVM: internal error %u",
                         run->internal.suberror);
                die_at(hvt, ATOLL_EXIT_TENDER_ERROR, what);
            }
        default: {
            char what[96];
            snprintf(what, sizeof what, "KVM: unexpected exit %u",
                     run->exit_reason);
            die_at(hvt, ATOLL_EXIT_TENDER_ERROR, what);
        }
        }
    }
}
