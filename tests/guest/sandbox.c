/*
 * sandbox (spt only): makes one raw Linux system call so that the host can
 * check the tender's seccomp filter. Allowed calls print their result and
 * exit 0; forbidden ones must be stopped by the tender (SIGSYS, status 159).
 *   sandbox CASE   with CASE one of the names in cases[] below
 * The block device "storage" must be attached: its host descriptor, block
 * size and capacity are read from the manifest copy in the spt boot info.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoll/abi/mft.h"
#include "atoll/abi/spt.h"

static long sys6(long n, long a, long b, long c, long d, long e, long f)
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

static const struct atoll_mft_entry *storage(void)
{
    const struct atoll_spt_boot_info *bi =
        (const void *)(uintptr_t)ATOLL_SPT_BOOT_INFO_BASE;
    const struct atoll_mft *mft = (const void *)(uintptr_t)bi->mft;

    for (uint32_t i = 1; i < mft->entries; i++)
        if (strcmp(mft->e[i].name, "storage") == 0)
            return &mft->e[i];
    return NULL;
}

static uint8_t block[2 * 65536];

static int epollfd(void)
{
    const struct atoll_spt_boot_info *bi =
        (const void *)(uintptr_t)ATOLL_SPT_BOOT_INFO_BASE;

    return bi->epollfd;
}

int main(int argc, char **argv)
{
    const char *what = argc >= 2 ? argv[1] : "";
    const struct atoll_mft_entry *e = storage();
    long fd, bs, cap, ts[2], r;

    if (e == NULL || !e->attached) {
        printf("sandbox: no attached storage device\n");
        return 1;
    }
    fd = e->b.hostfd;
    bs = e->u.block_basic.block_size;
    cap = (long)e->u.block_basic.capacity;
    printf("sandbox: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "getpid") == 0) /* forbidden */
        r = sys6(39, 0, 0, 0, 0, 0, 0);
    else if (strcmp(what, "openat") == 0)
        r = sys6(257, -100, (long)"/etc/hostname", 0, 0, 0, 0);
    else if (strcmp(what, "mmap") == 0)
        r = sys6(9, 0, 4096, 7, 0x22, -1, 0);
    else if (strcmp(what, "write-fd0") == 0)
        r = sys6(1, 0, (long)"x", 1, 0, 0, 0);
    else if (strcmp(what, "write-block-fd") == 0)
        r = sys6(1, fd, (long)block, (long)bs, 0, 0, 0);
    else if (strcmp(what, "clock-cputime") == 0)
        r = sys6(228, 2, (long)ts, 0, 0, 0, 0);
    else if (strcmp(what, "arch-get-fs") == 0)
        r = sys6(158, 0x1003, (long)ts, 0, 0, 0, 0);
    else if (strcmp(what, "pread-2-blocks") == 0) /* allowed */
        r = sys6(17, fd, (long)block, 2 * bs, 0, 0, 0);
    else if (strcmp(what, "pread-3-blocks") == 0)
        r = sys6(17, fd, (long)block, 3 * bs, 0, 0, 0);
    else if (strcmp(what, "pread-64k") == 0) /* allowed */
        r = sys6(17, fd, (long)block, 65536, cap - 65536, 0, 0);
    else if (strcmp(what, "pread-128k") == 0)
        r = sys6(17, fd, (long)block, 2 * 65536, 0, 0, 0);
    else if (strcmp(what, "pwrite-2-blocks-at-last") == 0)
        r = sys6(18, fd, (long)block, 2 * bs, cap - bs, 0, 0);
    else if (strcmp(what, "pread-past-end") == 0)
        r = sys6(17, fd, (long)block, bs, cap, 0, 0);
    else if (strcmp(what, "pwrite-past-end") == 0)
        r = sys6(18, fd, (long)block, bs, cap, 0, 0);
    else if (strcmp(what, "pread-last") == 0) /* allowed */
        r = sys6(17, fd, (long)block, bs, cap - bs, 0, 0);
    else if (strcmp(what, "fdatasync") == 0)
        r = sys6(75, fd, 0, 0, 0, 0, 0);
    else if (strcmp(what, "write-fd2") == 0)
        r = sys6(1, 2, (long)"sandbox: stderr\n", 16, 0, 0, 0);
    else if (strcmp(what, "clock-monotonic") == 0)
        r = sys6(228, 1, (long)ts, 0, 0, 0, 0);
    else if (strcmp(what, "int80-getpid") == 0) {
        /* The 32-bit system call entry: i386 getpid is number 20. */
        long eax = 20;
        __asm__ volatile("int $0x80" : "+a"(eax) : : "memory");
        r = eax;
    } else if (strcmp(what, "epoll-nomask") == 0) /* allowed: how yield waits */
        r = sys6(281, epollfd(), (long)block, 1, 0, 0, 0);
    else if (strcmp(what, "epoll-sigmask") == 0) {
        /* A signal mask would let the guest hold off SIGTERM and SIGINT
         * for as long as it waits. */
        static const uint64_t mask = 1ull << (15 - 1) | 1ull << (2 - 1);
        r = sys6(281, epollfd(), (long)block, 1, 0, (long)&mask, 8);
    }
    else {
        printf("unknown case '%s'\n", what);
        return 1;
    }
    printf("sandbox: %s returned %ld\n", what, r);
    return r >= 0 ? 0 : 1;
}
