/*
 * setjmp.h, signal.h, unistd.h (getpid, isatty, sleep, usleep),
 * nanosleep, sys/time.h, and the header-only stdatomic.h, iso646.h and
 * endian.h.
 */
#include <endian.h>
#include <errno.h>
#include <iso646.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

static jmp_buf env;
static volatile int depth_reached;

/* Recurses, then jumps with every callee-saved register but rbp set to
 * junk: longjmp must bring back the values setjmp saw. */
static __attribute__((noinline)) void dive(volatile int depth, int val)
{
    depth_reached = depth;
    if (depth > 0) {
        dive(depth - 1, val);
        return;
    }
    if (depth_reached < 0) /* never: keeps -Winfinite-recursion quiet */
        return;
    __asm__ __volatile__("movq $-1, %%rbx\n movq $-1, %%r12\n"
                         "movq $-1, %%r13\n movq $-1, %%r14\n"
                         "movq $-1, %%r15\n" ::: "rbx", "r12", "r13", "r14",
                         "r15");
    longjmp(env, val);
}

static __attribute__((noinline)) int jump_once(int val)
{
    static int dived; /* a longjmp that made setjmp return 0 stops here */
    int r;

    dived = 0;
    r = setjmp(env);
    if (r == 0 && !dived++)
        dive(20, val);
    return r;
}

static volatile long seed = 0x1000;

/* Every callee-saved register, checked in assembly: regs_survive() puts
 * known values in rbx, rbp, r12-r15, calls setjmp(env2), and on the first
 * return calls clobber_and_jump(), which longjmps back; it then returns
 * the number of registers that do not hold their values. */
static jmp_buf env2;
void t_posix_clobber_and_jump(void);
long t_posix_regs_survive(void);

void t_posix_clobber_and_jump(void)
{
    __asm__ __volatile__("movq $-1, %%rbx\n movq $-1, %%r12\n"
                         "movq $-1, %%r13\n movq $-1, %%r14\n"
                         "movq $-1, %%r15\n" ::: "rbx", "r12", "r13", "r14",
                         "r15");
    longjmp(env2, 3);
}

#define STR2(x) #x
#define STR(x) STR2(x)
__asm__(".text\n"
        ".globl t_posix_regs_survive\n"
        "t_posix_regs_survive:\n"
        "  pushq %rbp\n pushq %rbx\n pushq %r12\n"
        "  pushq %r13\n pushq %r14\n pushq %r15\n"
        "  subq $8, %rsp\n" /* 16-byte alignment for the calls */
        "  movq $0x11, %rbx\n movq $0x22, %r12\n movq $0x33, %r13\n"
        "  movq $0x44, %r14\n movq $0x55, %r15\n movq %rsp, %rbp\n"
        "  leaq env2(%rip), %rdi\n"
        "  call " STR(setjmp) "\n"
        "  testl %eax, %eax\n"
        "  jnz 1f\n"
        "  call t_posix_clobber_and_jump\n"
        "1:xorl %eax, %eax\n"
        "  cmpq $0x11, %rbx\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  cmpq $0x22, %r12\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  cmpq $0x33, %r13\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  cmpq $0x44, %r14\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  cmpq $0x55, %r15\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  cmpq %rsp, %rbp\n setne %dl\n movzbl %dl, %edx\n addq %rdx, %rax\n"
        "  addq $8, %rsp\n"
        "  popq %r15\n popq %r14\n popq %r13\n"
        "  popq %r12\n popq %rbx\n popq %rbp\n"
        "  ret\n");

static void jumps(void)
{
    /* Live across the calls, so in callee-saved registers. */
    long a = seed + 1, b = seed * 3, c = seed ^ 0x55, d = seed - 7;
    long e = seed << 4;
    volatile int counter = 0;
    int r;

    t_case("setjmp/longjmp");
    r = jump_once(42);
    t_int(r, 42, "setjmp returns longjmp's value");
    t_int(depth_reached, 0, "the jump came from the bottom");
    t_ok(a == 0x1001 && b == 0x3000 && c == 0x1055 && d == 0xff9 &&
             e == 0x10000,
         "callee-saved registers restored: %lx %lx %lx %lx %lx", a, b, c, d,
         e);
    t_int(t_posix_regs_survive(), 0,
          "registers not restored (rbx rbp r12-r15, checked in assembly)");
    t_int(jump_once(-5), -5, "a negative value");
    t_int(jump_once(0), 1, "longjmp(env, 0) makes setjmp return 1");
    r = setjmp(env);
    if (counter++ == 0)
        longjmp(env, 7);
    t_int(counter, 2, "setjmp in the same frame returned twice");
    t_ok(a + b + c + d + e == 0x1001 + 0x3000 + 0x1055 + 0xff9 + 0x10000,
         "sum");
}

static int caught, caught_sig;

static void handler(int sig)
{
    caught++;
    caught_sig = sig;
}

static void raise_dfl(void *arg)
{
    raise(*(int *)arg);
}

static void signals(void)
{
    sigset_t set;
    int sig, how, status = -1;

    t_case("signal/raise");
    t_ok(signal(SIGUSR1, handler) == SIG_DFL, "first signal() gives SIG_DFL");
    t_int(raise(SIGUSR1), 0, "raise returns 0");
    t_ok(caught == 1 && caught_sig == SIGUSR1, "handler ran with SIGUSR1");
    t_int(raise(SIGUSR1), 0, "raise again");
    t_int(caught, 2, "handler stays installed");
    t_ok(signal(SIGUSR1, SIG_IGN) == handler, "signal() gives the old one");
    t_int(raise(SIGUSR1), 0, "ignored");
    t_int(caught, 2, "ignored: handler not run");
    errno = 0;
    t_ok(signal(SIGKILL, handler) == SIG_ERR, "SIGKILL refused");
    t_int(errno, EINVAL, "SIGKILL errno");
    t_ok(signal(0, handler) == SIG_ERR, "0 refused");
    t_ok(signal(NSIG, handler) == SIG_ERR, "NSIG refused");
    t_int(raise(-1), -1, "raise(-1)");
    errno = 0;
    t_int(kill(1, SIGTERM), -1, "kill fails");
    t_int(errno, ENOSYS, "kill errno");
    sig = SIGTERM;
    how = t_catch(raise_dfl, &sig, &status);
    t_ok(how == 1 && status == 128 + SIGTERM, "SIGTERM default: exit(143): "
         "how %d status %d", how, status);
    sig = SIGABRT;
    t_int(t_catch(raise_dfl, &sig, &status), 2, "SIGABRT default aborts");
    sig = SIGCHLD;
    t_int(t_catch(raise_dfl, &sig, &status), 0, "SIGCHLD default ignored");
    signal(SIGUSR1, SIG_DFL);

    t_case("signal/sigset");
    sigemptyset(&set);
    t_int(sigismember(&set, SIGINT), 0, "empty");
    t_int(sigaddset(&set, SIGINT), 0, "add");
    t_int(sigismember(&set, SIGINT), 1, "member");
    t_int(sigismember(&set, SIGTERM), 0, "other not member");
    t_int(sigaddset(&set, 64), 0, "add 64");
    t_int(sigismember(&set, 64), 1, "64 member");
    t_int(sigdelset(&set, SIGINT), 0, "del");
    t_int(sigismember(&set, SIGINT), 0, "deleted");
    t_int(sigaddset(&set, 65), -1, "65 refused");
    sigfillset(&set);
    t_int(sigismember(&set, SIGSYS), 1, "fill");
    t_int(sigprocmask(SIG_BLOCK, &set, NULL), -1, "sigprocmask fails");
}

static void process(void)
{
    t_case("unistd/getpid isatty");
    t_int(getpid(), 1, "getpid");
    errno = 0;
    t_int(isatty(1), 0, "isatty(1)");
    t_int(errno, ENOTTY, "isatty(1) errno");
    errno = 0;
    t_int(isatty(7), 0, "isatty(7)");
    t_int(errno, EBADF, "isatty(7) errno");
}

static void sleeps(void)
{
    struct timespec req = {2, 500}, rem = {9, 9};
    struct timeval tv;
    struct timezone tz = {5, 5};

    t_case("unistd/sleep usleep nanosleep");
    t_set_clocks(0, 1000);
    t_set_yield_step(0);
    t_int(sleep(3), 0, "sleep returns 0");
    t_uint(t_mono(), 3000001000ULL, "sleep(3) waited 3 s");
    t_int(t_yield_calls(), 1, "one yield");
    t_set_yield_step(400000); /* early returns: must wait again */
    t_int(usleep(1000), 0, "usleep returns 0");
    t_uint(t_mono(), 3001001000ULL, "usleep(1000) waited 1 ms");
    t_int(t_yield_calls(), 3, "three yields for 1 ms in 0.4 ms steps");
    t_set_yield_step(0);
    t_int(nanosleep(&req, &rem), 0, "nanosleep returns 0");
    t_uint(t_mono(), 5001001500ULL, "nanosleep waited 2 s 500 ns");
    t_ok(rem.tv_sec == 0 && rem.tv_nsec == 0, "rem zeroed");
    t_int(sleep(0), 0, "sleep(0)");
    t_uint(t_mono(), 5001001500ULL, "sleep(0) waits nothing");
    req.tv_nsec = 1000000000;
    t_set_yield_step(0);
    errno = 0;
    t_int(nanosleep(&req, NULL), -1, "tv_nsec 1e9 refused");
    t_int(errno, EINVAL, "tv_nsec errno");
    req.tv_nsec = 0;
    req.tv_sec = -1;
    t_int(nanosleep(&req, NULL), -1, "negative refused");
    t_int(t_yield_calls(), 0, "refused sleeps do not wait");

    t_case("sys/time gettimeofday");
    t_set_clocks(1700000000123456789ULL, 0);
    t_int(gettimeofday(&tv, &tz), 0, "returns 0");
    t_int(tv.tv_sec, 1700000000, "seconds");
    t_int(tv.tv_usec, 123456, "microseconds truncated");
    t_ok(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0, "UTC zone");
    t_int(gettimeofday(&tv, NULL), 0, "NULL zone");
}

static void headers(void)
{
    atomic_int ai = ATOMIC_VAR_INIT(5);
    atomic_flag fl = ATOMIC_FLAG_INIT;
    _Atomic(uint64_t) big = 0;
    int expect = 6;

    t_case("stdatomic iso646 endian");
    t_int(atomic_fetch_add(&ai, 1), 5, "fetch_add old");
    t_int(atomic_load(&ai), 6, "load");
    t_ok(atomic_compare_exchange_strong(&ai, &expect, 10), "cas succeeds");
    expect = 3;
    t_ok(!atomic_compare_exchange_strong(&ai, &expect, 11), "cas fails");
    t_int(expect, 10, "failed cas loads current");
    t_int(atomic_exchange(&ai, 1), 10, "exchange");
    atomic_store_explicit(&ai, 7, memory_order_release);
    t_int(atomic_load_explicit(&ai, memory_order_acquire), 7, "explicit");
    t_int(atomic_fetch_sub(&ai, 2) and 1, 1, "iso646 and");
    t_int(atomic_fetch_or(&ai, 8), 5, "fetch_or old");
    t_int(atomic_fetch_and(&ai, 12), 13, "fetch_and old");
    t_int(atomic_fetch_xor(&ai, 1), 12, "fetch_xor old");
    t_int(atomic_load(&ai), 13, "after xor");
    atomic_store(&big, UINT64_C(0x123456789));
    t_uint(atomic_load(&big), 0x123456789, "64-bit");
    t_ok(atomic_is_lock_free(&big), "lock free");
    t_int(atomic_flag_test_and_set(&fl), 0, "flag was clear");
    t_int(atomic_flag_test_and_set(&fl), 1, "flag now set");
    atomic_flag_clear(&fl);
    t_int(atomic_flag_test_and_set(&fl), 0, "flag cleared");
    atomic_thread_fence(memory_order_seq_cst);
    t_int(1 bitor 2, 3, "bitor");
    t_int(6 xor 3, 5, "xor");
    t_int(not 0, 1, "not");
    t_uint(htobe16(0x1234), 0x3412, "htobe16");
    t_uint(be32toh(0x12345678), 0x78563412, "be32toh");
    t_uint(htobe64(0x0102030405060708ULL), 0x0807060504030201ULL, "htobe64");
    t_uint(htole32(0x12345678), 0x12345678, "htole32");
    t_int(BYTE_ORDER, LITTLE_ENDIAN, "little endian");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    jumps();
    signals();
    process();
    sleeps();
    headers();
    return t_finish();
}
