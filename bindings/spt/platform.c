/*
 * Console, clocks, lifecycle and TLS for spt: one system call each (the
 * clocks none, through the vDSO, when the tender offers it).
 */
#include "spt.h"
#include "sys.h"

void atoll_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = sys_write(SYS_STDOUT, buf, len);

        if (n == -SYS_EINTR || n == -SYS_EAGAIN)
            continue;
        if (n <= 0)
            return; /* the console is gone; nothing better to do */
        buf += n;
        len -= (size_t)n;
    }
}

/* The tender's vDSO clock_gettime (ATOLL_EXT_F_SPT_VDSO_CLOCK): reading
 * the clocks costs no system call, where lib/net reads one several times
 * a packet. Without it (a Solo5 tender), the system call. */
typedef int (*vdso_clock_fn)(int clock, struct sys_timespec *ts);
static vdso_clock_fn vdso_clock;

void spt_clock_init(const struct atoll_ext *ext)
{
    if (ext != NULL && (ext->features & ATOLL_EXT_F_SPT_VDSO_CLOCK) != 0 &&
        ext->spt_clock_gettime != 0)
        vdso_clock = (vdso_clock_fn)(uintptr_t)ext->spt_clock_gettime;
}

bool spt_clock_free(void)
{
    return vdso_clock != NULL;
}

static atoll_time_t clock_read(int clock)
{
    struct sys_timespec ts;
    long r = vdso_clock != NULL ? vdso_clock(clock, &ts)
                                : sys_clock_gettime(clock, &ts);

    if (r != 0)
        return 0;
    return (atoll_time_t)ts.tv_sec * 1000000000ull + (atoll_time_t)ts.tv_nsec;
}

/* CLOCK_MONOTONIC itself, so that yield can hand deadlines to the timerfd
 * unchanged. */
atoll_time_t atoll_clock_monotonic(void)
{
    return clock_read(SYS_CLOCK_MONOTONIC);
}

atoll_time_t atoll_clock_wall(void)
{
    return clock_read(SYS_CLOCK_REALTIME);
}

_Noreturn void atoll_exit(int status)
{
    sys_exit_group(status & 0xff);
}

_Noreturn void atoll_abort(void)
{
    sys_exit_group(ATOLL_EXIT_ABORT);
}

enum atoll_result atoll_set_tls_base(uintptr_t base)
{
    return sys_arch_prctl(SYS_ARCH_SET_FS, base) == 0 ? ATOLL_OK
                                                      : ATOLL_EUNSPEC;
}
