/*
 * atoll-spt internals: the guest runs inside the tender's own process,
 * guest address == host address, confined by a seccomp filter.
 */
#ifndef ATOLL_SPT_TENDER_H
#define ATOLL_SPT_TENDER_H

#include <stdint.h>

#include "../common/tender.h"
#include "atoll/abi/spt.h"

#define SPT_PROG "atoll-spt"

struct spt {
    uint64_t mem_size; /* guest memory is [ATOLL_SPT_HOST_MEM_BASE, mem_size) */
    int epollfd;
    int timerfd;
    struct atoll_mft *mft; /* the tender's copy, with host fds */
    bool vnet;             /* the image asked for ATOLL_EXT_F_NET_VNET */
    uint64_t net_vnet;     /* net entries opened with virtio-net headers */
};

/* mem.c: map guest memory, load the image, apply W^X protections. */
int spt_mem_init(struct spt *spt, char *err);
int spt_mem_load(struct spt *spt, const struct tender_image *img,
                 const uint8_t *file, char *err);
/* Make the low boot area read-only once it is written. */
int spt_mem_seal_low(char *err);

/* boot.c: epoll set and timerfd; boot info, manifest, command line and
 * extension block in low guest memory. */
int spt_poll_init(struct spt *spt, char *err);
int spt_boot_info(struct spt *spt, const struct tender_image *img, int argc,
                  char **argv, char *err);

/* sandbox.c: close every descriptor the guest was not given, then build
 * the seccomp program (loaded by spt_sandbox_enter). */
int spt_close_fds(const struct spt *spt, char *err);
int spt_sandbox_build(const struct spt *spt, char *err);
int spt_sandbox_enter(char *err);

/* fault.c: report guest faults on an alternate signal stack, then die of
 * the same signal. spt_fault_sys_ret is the address the kernel reports for
 * the reporter's system calls (the only ones allowed to write to fd 2). */
int spt_fault_init(char *err);
/* Name the function at the faulting rip from syms (kept, read-only, for
 * the process's life); without this call reports show the bare address. */
struct tender_symtab;
void spt_fault_symbols(const struct tender_symtab *syms);
/* Likewise the source line, from lines (dwarf_line.h). */
struct tender_linetab;
void spt_fault_lines(const struct tender_linetab *lines);
extern const char spt_fault_sys_ret[];

/* launch.c: switch to the guest stack and jump to its entry point. */
_Noreturn void spt_launch(uint64_t sp, uint64_t entry, uint64_t arg);

#endif
