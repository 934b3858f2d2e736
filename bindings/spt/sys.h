/*
 * The x86_64 Linux system calls an spt guest makes, issued directly with
 * the `syscall` instruction. The tender's seccomp filter (and solo5-spt's)
 * allows only these, and only with the arguments described in
 * include/atoll/abi/spt.h. Each returns the raw kernel result: a value
 * >= 0, or -errno.
 */
#ifndef ATOLL_SPT_SYS_H
#define ATOLL_SPT_SYS_H

#include <stddef.h>
#include <stdint.h>

#define SYS_read 0
#define SYS_write 1
#define SYS_pread64 17
#define SYS_pwrite64 18
#define SYS_fdatasync 75
#define SYS_arch_prctl 158
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_epoll_pwait 281
#define SYS_timerfd_settime 286

#define SYS_EINTR 4
#define SYS_EAGAIN 11

#define SYS_STDOUT 1
#define SYS_CLOCK_REALTIME 0
#define SYS_CLOCK_MONOTONIC 1
#define SYS_ARCH_SET_FS 0x1002
#define SYS_TFD_TIMER_ABSTIME 1
#define SYS_EPOLLIN 0x001

struct sys_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct sys_itimerspec {
    struct sys_timespec it_interval;
    struct sys_timespec it_value;
};

/* struct epoll_event is packed on x86_64. */
struct sys_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

static inline long sys_call1(long n, long a)
{
    long r;

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long sys_call2(long n, long a, long b)
{
    long r;

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long sys_call3(long n, long a, long b, long c)
{
    long r;

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long sys_call4(long n, long a, long b, long c, long d)
{
    long r;
    register long r10 __asm__("r10") = d;

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long sys_call6(long n, long a, long b, long c, long d, long e,
                             long f)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long sys_read(int fd, void *buf, size_t len)
{
    return sys_call3(SYS_read, fd, (long)buf, (long)len);
}

static inline long sys_write(int fd, const void *buf, size_t len)
{
    return sys_call3(SYS_write, fd, (long)buf, (long)len);
}

static inline long sys_pread64(int fd, void *buf, size_t len, uint64_t off)
{
    return sys_call4(SYS_pread64, fd, (long)buf, (long)len, (long)off);
}

static inline long sys_pwrite64(int fd, const void *buf, size_t len,
                                uint64_t off)
{
    return sys_call4(SYS_pwrite64, fd, (long)buf, (long)len, (long)off);
}

static inline long sys_fdatasync(int fd)
{
    return sys_call1(SYS_fdatasync, fd);
}

static inline long sys_arch_prctl(int code, uintptr_t addr)
{
    return sys_call2(SYS_arch_prctl, code, (long)addr);
}

static inline long sys_clock_gettime(int clock, struct sys_timespec *ts)
{
    return sys_call2(SYS_clock_gettime, clock, (long)ts);
}

static inline long sys_epoll_pwait(int epfd, struct sys_epoll_event *ev,
                                   int maxevents, int timeout)
{
    /* No signal mask: the tender's handlers stay as they are. */
    return sys_call6(SYS_epoll_pwait, epfd, (long)ev, maxevents, timeout, 0,
                     0);
}

static inline long sys_timerfd_settime(int fd, int flags,
                                       const struct sys_itimerspec *new)
{
    return sys_call4(SYS_timerfd_settime, fd, flags, (long)new, 0);
}

_Noreturn static inline void sys_exit_group(int status)
{
    for (;;)
        sys_call1(SYS_exit_group, status);
}

#endif
