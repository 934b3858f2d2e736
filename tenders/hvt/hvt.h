/*
 * atoll-hvt: the KVM tender for hvt images (Solo5 hvt ABI 2).
 *
 * Guest physical memory layout set up by the tender (all below 1 MiB):
 *
 *   0x00000-0x00fff  page zero              not mapped
 *   0x01000-0x01fff  boot GDT               not mapped
 *   0x02000-0x02fff  PML4                   not mapped
 *   0x03000-0x03fff  PDPT                   not mapped
 *   0x04000-0x07fff  4 page directories     not mapped (4 GiB)
 *   0x08000-0x0ffff  page tables, pool 0    not mapped
 *   0x10000-0x1ffff  boot info, manifest, command line, Atoll extension
 *                                           read-only
 *   0x20000-0xfffff  page tables, pool 1    not mapped where used,
 *                                           read-only elsewhere
 *   0x100000-        the image (Solo5's link at 0x100000, Atoll's at
 *                    0x200000), then heap and stack (see bindings/hvt)
 */
#ifndef ATOLL_HVT_TENDER_H
#define ATOLL_HVT_TENDER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/ext.h"
#include "atoll/abi/hvt.h"
#include "../common/dwarf_line.h"
#include "../common/symbol.h"
#include "../common/tender.h"

#define HVT_GDT_BASE 0x1000u
#define HVT_PML4_BASE 0x2000u
#define HVT_PDPT_BASE 0x3000u
#define HVT_PD_BASE 0x4000u
#define HVT_PT_POOL0_BASE 0x8000u
#define HVT_PT_POOL0_END 0x10000u
#define HVT_BOOT_AREA_END 0x20000u
#define HVT_PT_POOL1_BASE HVT_BOOT_AREA_END
#define HVT_PT_POOL1_END ATOLL_HVT_GUEST_MIN_BASE

#define HVT_LARGE_PAGE 0x200000ull          /* 2 MiB */
#define HVT_MEM_MAX (4ull << 30)            /* 4 page directories */
#define HVT_ETH_HLEN 14                     /* Ethernet II header */

/* Selectors of the boot GDT. */
#define HVT_SEL_CODE 0x08
#define HVT_SEL_DATA 0x10

/*
 * hvt_die statuses for a guest the tender had to stop: HVT_DIE_SIGNAL(sig)
 * reports, then ends the process with signal sig, the one atoll-spt (and
 * solo5-spt) would die of for the same guest action, so the shell sees
 * 128 + sig and a parent sees WIFSIGNALED (see hvt_die).
 *   HVT_EXIT_FAULT    a bad guest address: #PF, access outside guest
 *                     memory, a hypercall argument outside it (SIGSEGV)
 *   HVT_EXIT_BADCALL  a call the tender does not serve: unknown hypercall,
 *                     bad port access (SIGSYS, as a forbidden system call)
 */
#define HVT_DIE_SIGNAL(sig) (-(sig))
#define HVT_EXIT_FAULT HVT_DIE_SIGNAL(SIGSEGV)
#define HVT_EXIT_BADCALL HVT_DIE_SIGNAL(SIGSYS)

struct hvt {
    int kvmfd, vmfd, vcpufd;
    struct kvm_run *run;
    size_t run_size;
    uint8_t *mem;
    uint64_t mem_size;
    uint64_t tsc_hz;
    struct atoll_mft *mft; /* the tender's own copy, with host fds */
    uint32_t ext_features;
    uint64_t net_vnet; /* net entries with virtio-net headers (bit i: i) */
    struct tender_symtab syms; /* the image's functions, for fault reports */
    struct tender_linetab lines; /* and its source lines */
    uint64_t net_ring_gpa; /* the net ring (netio.c), 0 if none */
    int ring_efd;          /* its kick eventfd, -1 if none */
    int stats;             /* ATOLL_HVT_STATS=1: counts on stderr at halt */
    uint64_t exits, net_calls; /* vCPU exits, NET_READ/WRITE hypercalls */
};

/* hypercall.c: " <name+0xOFF> (FILE:LINE)" for a guest rip into dst[size]
 * (HVT_WHERE_MAX is enough), each part only when the image tells it. */
#define HVT_WHERE_MAX 256
void hvt_where(const struct hvt *hvt, uint64_t rip, char *dst, size_t size);

/* layout.c: boot GDT and page tables in guest memory (no system calls). */
void hvt_gdt_build(uint8_t *mem);
int hvt_paging_build(uint8_t *mem, uint64_t mem_size,
                     const struct tender_image *img, char *err);

/* bootinfo.c: boot info, manifest copy, command line, extension block. */
int hvt_bootinfo_build(struct hvt *hvt, const struct tender_image *img,
                       int argc, char **argv, char *err);

/* kvm.c */
int hvt_kvm_open(struct hvt *hvt, char *err);
int hvt_kvm_vcpu_init(struct hvt *hvt, uint64_t entry, char *err);

/* run.c: the vCPU loop; returns the tender's exit status. hvt_fault_init
 * (before the sandbox) sets the fault signals to their default action,
 * unblocked, and records the process id hvt_die sends them to. */
int hvt_run(struct hvt *hvt);
void hvt_fault_init(void);

/* hypercall.c: serve one hypercall; returns -1 when the guest halted, with
 * *status set to the tender's exit status. */
int hvt_hypercall(struct hvt *hvt, unsigned nr, uint64_t gpa, int *status);
void hvt_poll_init(struct hvt *hvt);

/* Guest memory [gpa, gpa + len) as a host pointer, or NULL if any part of
 * it lies outside guest memory. */
void *hvt_gpa(const struct hvt *hvt, uint64_t gpa, uint64_t len);

/* Print "atoll-hvt: <message>" on stderr and exit with status, or, for
 * HVT_DIE_SIGNAL(sig), die of sig. Uses only write(2), tgkill(2) on this
 * process and exit_group(2), so it is safe under the sandbox. */
_Noreturn void hvt_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* netio.c: a frame to or from a net device (ATOLL_HVT_R_* results), for
 * the hypercalls and the ring; the ring's set-up (after hvt_kvm_open,
 * before hvt_kvm_vcpu_init: it lowers the guest's memory top) and its I/O
 * thread (started before the sandbox, which then covers it too). */
const struct atoll_mft_entry *hvt_device(const struct hvt *hvt,
                                         uint64_t handle, uint32_t type);
/* The longest frame a net device e (handle) takes: MTU + Ethernet header,
 * or with virtio-net headers ATOLL_EXT_NET_VNET_FRAME_MAX. */
uint64_t hvt_net_frame_max(const struct hvt *hvt, uint64_t handle,
                           const struct atoll_mft_entry *e);
int hvt_net_send(const struct hvt *hvt, uint64_t handle, const void *p,
                 uint64_t len);
int hvt_net_recv(const struct hvt *hvt, uint64_t handle, void *p,
                 uint64_t size, uint64_t *len);
uint64_t hvt_netring_size(void);
/* CPUs this process may run on (1 if it cannot tell), and whether to
 * offer the ring given ATOLL_HVT_NET_RING's value (NULL: unset). */
int hvt_cpus_usable(void);
int hvt_netring_wanted(const char *env, int cpus);
/* Entries the ring's thread consumed so far. */
uint64_t hvt_netring_entries(void);
int hvt_netring_setup(struct hvt *hvt, char *err);
int hvt_netring_start(struct hvt *hvt, char *err);
/* The top of the memory the guest may use: below the ring if there is one. */
static inline uint64_t hvt_guest_top(const struct hvt *hvt)
{
    return hvt->net_ring_gpa ? hvt->net_ring_gpa : hvt->mem_size;
}

/* seccomp.c: allow only what the run loop and the devices need. */
int hvt_sandbox(const struct hvt *hvt, char *err);

#endif
