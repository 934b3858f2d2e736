/*
 * Guest fault reports. The guest runs in this process, so a guest fault is
 * a signal here: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, or SIGSYS from
 * the seccomp filter. The handler prints one line on stderr, then the
 * process dies of that same signal, as solo5-spt does (which has no
 * handler): the shell sees 128 + the signal number (139 for SIGSEGV, 159
 * for SIGSYS), a parent sees WIFSIGNALED, which no guest exit status can
 * imitate.
 *
 * The handler is installed with SA_RESETHAND (the action is back to the
 * default once it runs) and SA_NODEFER (the signal is not blocked while it
 * runs), so sending the signal to itself ends the process; no sigaction or
 * sigprocmask call is needed under the sandbox.
 *
 * It runs under the seccomp filter, on an alternate stack (the guest's
 * stack may be the reason for the fault), with %fs set by the guest: it
 * touches no libc state (errno and the stack protector live behind %fs)
 * and makes its system calls through spt_fault_sys below. The filter
 * allows write(2, ...) and tgkill(this process) only from that one
 * instruction (sandbox.c): the guest has no descriptor 2 of its own, so it
 * cannot forge these reports. This file is built with -fno-stack-protector
 * (module.mk).
 */
#include <linux/audit.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "../common/internal.h"
#include "../common/dwarf_line.h"
#include "../common/symbol.h"
#include "spt.h"

#define ALT_STACK_SIZE (64 * 1024)
#define LINE_MAX_LEN 300

/* x86 page fault error code bits (in REG_ERR). */
#define PF_WRITE (1u << 1)
#define PF_INSN (1u << 4)

static uint8_t alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));
static int tender_pid;
/* The image's functions, read-only (symbol.h); NULL: bare addresses. */
static const struct tender_symtab *fault_syms;
/* Its source lines, read-only (dwarf_line.h); NULL: no lines. */
static const struct tender_linetab *fault_lines;

/* long spt_fault_sys(nr, a0, a1, a2): the fault reporter's system calls.
 * The seccomp filter knows the address of spt_fault_sys_ret, the
 * instruction after the syscall (what the kernel reports as the
 * instruction pointer). */
long spt_fault_sys(long nr, long a0, long a1, long a2);
__asm__(".text\n"
        ".globl spt_fault_sys\n"
        ".type spt_fault_sys, @function\n"
        "spt_fault_sys:\n"
        "  movq %rdi, %rax\n"
        "  movq %rsi, %rdi\n"
        "  movq %rdx, %rsi\n"
        "  movq %rcx, %rdx\n"
        "  syscall\n"
        ".globl spt_fault_sys_ret\n"
        "spt_fault_sys_ret:\n"
        "  ret\n"
        ".size spt_fault_sys, . - spt_fault_sys\n");

struct line {
    char buf[LINE_MAX_LEN];
    size_t len;
};

static void put(struct line *l, const char *s)
{
    while (*s != '\0' && l->len < sizeof l->buf - 1)
        l->buf[l->len++] = *s++;
}

static void put_hex(struct line *l, uint64_t v)
{
    char d[17];
    int i = 16;

    d[i] = '\0';
    do {
        d[--i] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v != 0);
    put(l, "0x");
    put(l, &d[i]);
}

static void put_dec(struct line *l, uint64_t v)
{
    char d[21];
    int i = 20;

    d[i] = '\0';
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(l, &d[i]);
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    default: return "signal";
    }
}

/* What the guest did, from the signal and the page fault error code. */
static void put_cause(struct line *l, int sig, const siginfo_t *si,
                      uint64_t pf_err)
{
    bool mapped = si->si_code == SEGV_ACCERR;

    switch (sig) {
    case SIGSEGV:
        if (si->si_code == SI_KERNEL)
            put(l, "general protection fault");
        else if (pf_err & PF_INSN)
            put(l, mapped ? "execute from non-executable memory"
                          : "execute from unmapped memory");
        else if (pf_err & PF_WRITE)
            put(l, mapped ? "write to read-only memory"
                          : "write to unmapped memory");
        else
            put(l, mapped ? "read from protected memory"
                          : "read from unmapped memory");
        break;
    case SIGBUS: put(l, "bus error"); break;
    case SIGILL: put(l, "illegal instruction"); break;
    case SIGFPE: put(l, "arithmetic exception"); break;
    case SIGTRAP: put(l, "breakpoint or trap"); break;
    case SIGSYS:
        put(l, "system call ");
        put_dec(l, (uint64_t)(unsigned)si->si_syscall);
        put(l, " not allowed by the sandbox");
        if (si->si_arch == AUDIT_ARCH_I386)
            put(l, ", i386 ABI");
        else if (si->si_arch != AUDIT_ARCH_X86_64)
            put(l, ", another ABI");
        break;
    default: break;
    }
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    const ucontext_t *uc = ctx;
    uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    uint64_t pf_err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    struct line l;

    l.len = 0;
    /* kill(1) from outside: the guest cannot send signals. */
    if (si->si_code == SI_USER || si->si_code == SI_TKILL) {
        put(&l, SPT_PROG ": ");
        put(&l, sig_name(sig));
        put(&l, " from process ");
        put_dec(&l, (uint64_t)(unsigned)si->si_pid);
    } else {
        put(&l, SPT_PROG ": guest fault: ");
        put(&l, sig_name(sig));
        put(&l, " (");
        put_cause(&l, sig, si, pf_err);
        put(&l, ")");
    }
    put(&l, " at rip=");
    put_hex(&l, rip);
    char sym[TENDER_SYM_NAME_MAX + 24];
    if (tender_symtab_format(fault_syms, rip, sym, sizeof sym) > 0) {
        put(&l, " ");
        put(&l, sym);
    }
    char src[TENDER_LINE_NAME_MAX + 16];
    if (tender_lines_format(fault_lines, rip, src, sizeof src) > 0) {
        put(&l, " (");
        put(&l, src);
        put(&l, ")");
    }
    if (si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS)) {
        put(&l, ", address ");
        put_hex(&l, (uint64_t)(uintptr_t)si->si_addr);
    }
    l.buf[l.len++] = '\n';
    (void)spt_fault_sys(SYS_write, 2, (long)l.buf, (long)l.len);
    /* The action is SIG_DFL again (SA_RESETHAND) and sig is not blocked
     * (SA_NODEFER): the process ends on the way out of this call. */
    (void)spt_fault_sys(SYS_tgkill, tender_pid, tender_pid, sig);
    for (;;)
        (void)spt_fault_sys(SYS_exit_group, 128 + sig, 0, 0);
}

void spt_fault_symbols(const struct tender_symtab *syms)
{
    fault_syms = syms;
}

void spt_fault_lines(const struct tender_linetab *lines)
{
    fault_lines = lines;
}

int spt_fault_init(char *err)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL,
                               SIGFPE,  SIGTRAP, SIGSYS};
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    struct sigaction sa;

    if (sigaltstack(&ss, NULL) != 0)
        return tender_err(err, "sigaltstack failed");
    tender_pid = getpid();
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    /* Other signals wait until the process is gone. The same signal again
     * inside the handler finds the default action and ends the process at
     * once; another fault signal runs the handler once more. */
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigdelset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], &sa, NULL) != 0)
            return tender_err(err, "sigaction failed");
    /* A console on a closed pipe: let write fail with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    /* A block write past a file-size limit (ulimit -f): let pwrite fail
     * with EFBIG, which the guest sees as an I/O error. */
    signal(SIGXFSZ, SIG_IGN);
    /* Nothing the guest does may be hidden by a blocked signal. */
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
        return tender_err(err, "sigprocmask failed");
    return 0;
}
