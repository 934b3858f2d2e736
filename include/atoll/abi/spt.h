/*
 * The spt interface between atoll-spt (or solo5-spt) and a guest, x86_64.
 *
 * Fixed by Solo5 v0.12.1, spt ABI version 2. The tender maps guest memory in
 * its own address space so that guest addresses equal host addresses (memory
 * below ATOLL_SPT_HOST_MEM_BASE is not mapped), loads the image, installs a
 * seccomp filter and jumps to the entry point with %rdi pointing at struct
 * atoll_spt_boot_info and the stack at the top of guest memory. The guest
 * then talks to Linux directly with the few system calls the filter allows:
 *
 *   write(1, ...)                          console
 *   clock_gettime(CLOCK_MONOTONIC|CLOCK_REALTIME, ...)
 *                                          (Atoll guests of an Atoll tender
 *                                          call the vDSO's instead, ext.h)
 *   epoll_pwait(epollfd, ..., NULL mask)   yield
 *   timerfd_settime(timerfd, ...)          yield deadline
 *   read/write(net hostfd, ...)            net devices
 *   pread64/pwrite64(block hostfd, ...)    block devices, length = block size
 *                                          (<< k up to 64 KiB with BLOCK_MULTI)
 *   arch_prctl(ARCH_SET_FS, ...)           TLS base
 *   exit_group(status)
 *
 * The epoll set holds the timerfd (event data ATOLL_SPT_INTERNAL_TIMERFD)
 * and each net device's fd (event data = its manifest index, the handle).
 */
#ifndef ATOLL_ABI_SPT_H
#define ATOLL_ABI_SPT_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/note.h"

#define ATOLL_SPT_ABI_VERSION 2
#define ATOLL_SPT_GUEST_MIN_BASE 0x100000u
#define ATOLL_SPT_HOST_MEM_BASE 0x10000u
#define ATOLL_SPT_BOOT_INFO_BASE (ATOLL_SPT_HOST_MEM_BASE + 0x1000u)
#define ATOLL_SPT_CMDLINE_SIZE 8192
#define ATOLL_SPT_INTERNAL_TIMERFD (~1u)

struct atoll_spt_boot_info {
    uint64_t mem_size;   /* guest memory size, bytes */
    uint64_t kernel_end; /* first address past the loaded image */
    uint64_t cmdline;    /* address of NUL-terminated command line */
    uint64_t mft;        /* address of the manifest */
    int32_t epollfd;     /* epoll set for yield */
    int32_t timerfd;     /* timerfd for yield deadlines */
};
_Static_assert(sizeof(struct atoll_spt_boot_info) == 40, "boot info layout");

#endif
