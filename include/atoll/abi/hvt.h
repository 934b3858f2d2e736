/*
 * The hvt interface between atoll-hvt (or solo5-hvt) and a guest, x86_64.
 *
 * Fixed by Solo5 v0.12.1, hvt ABI version 2. Guest physical memory starts at
 * 0; the guest sees it identity-mapped. A hypercall is a 32-bit "out" to port
 * ATOLL_HVT_PIO_BASE + number, with the guest-physical address of the
 * argument structure as the value. Guest pointers inside argument structures
 * are 64-bit guest-physical addresses.
 */
#ifndef ATOLL_ABI_HVT_H
#define ATOLL_ABI_HVT_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/note.h"

#define ATOLL_HVT_ABI_VERSION 2

/* Lowest address an image may be loaded at. */
#define ATOLL_HVT_GUEST_MIN_BASE 0x100000u
/* Where the tender places struct atoll_hvt_boot_info (passed in %rdi). */
#define ATOLL_HVT_BOOT_INFO_BASE 0x10000u
#define ATOLL_HVT_CMDLINE_SIZE 8192
#define ATOLL_HVT_PIO_BASE 0x500
#define ATOLL_HVT_HALT_COOKIE_MAX 512

/* Offered in host_features when the tender supports Solo5's net ring. */
#define ATOLL_HVT_FEATURE_RING_IO (1u << 0)

struct atoll_hvt_boot_info {
    uint64_t mem_size;       /* guest memory size, bytes */
    uint64_t kernel_end;     /* first address past the loaded image */
    uint64_t cpu_cycle_freq; /* TSC frequency, Hz */
    uint64_t cmdline;        /* address of NUL-terminated command line */
    uint64_t mft;            /* address of the manifest */
    uint32_t host_features;  /* features offered by the tender */
    uint32_t guest_features; /* features accepted by the guest */
    uint64_t net_ring;       /* address of the net ring, 0 if none */
};
_Static_assert(sizeof(struct atoll_hvt_boot_info) == 56, "boot info layout");

enum atoll_hvt_hypercall {
    ATOLL_HVT_HC_WALLTIME = 1,
    ATOLL_HVT_HC_PUTS = 2,
    ATOLL_HVT_HC_POLL = 3,
    ATOLL_HVT_HC_BLOCK_WRITE = 4,
    ATOLL_HVT_HC_BLOCK_READ = 5,
    ATOLL_HVT_HC_NET_WRITE = 6,
    ATOLL_HVT_HC_NET_READ = 7,
    ATOLL_HVT_HC_HALT = 8,
    ATOLL_HVT_HC_SOLO5_MAX = 9,
    /*
     * Atoll extensions. A guest uses them only when the Atoll extension
     * block (abi/ext.h) says the tender offers them.
     */
    ATOLL_HVT_HC_BLOCK_FLUSH = 32,
    ATOLL_HVT_HC_ATOLL_MAX = 33,
};

struct atoll_hvt_hc_walltime {
    uint64_t nsecs; /* out */
};

struct atoll_hvt_hc_puts {
    uint64_t data; /* in */
    uint64_t len;  /* in */
};

struct atoll_hvt_hc_block_write {
    uint64_t handle; /* in */
    uint64_t offset; /* in */
    uint64_t data;   /* in */
    uint64_t len;    /* in */
    int32_t ret;     /* out: 0 ok, else a Solo5 result code */
};

struct atoll_hvt_hc_block_read {
    uint64_t handle; /* in */
    uint64_t offset; /* in */
    uint64_t data;   /* in */
    uint64_t len;    /* in/out */
    int32_t ret;     /* out */
};

struct atoll_hvt_hc_net_write {
    uint64_t handle; /* in */
    uint64_t data;   /* in */
    uint64_t len;    /* in */
    int32_t ret;     /* out */
};

struct atoll_hvt_hc_net_read {
    uint64_t handle; /* in */
    uint64_t data;   /* in */
    uint64_t len;    /* in: buffer size; out: frame size */
    int32_t ret;     /* out: 0 ok, 1 (AGAIN) nothing to read */
};

struct atoll_hvt_hc_poll {
    uint64_t timeout_nsecs; /* in: relative to the call */
    uint64_t ready_set;     /* out: bit i set if handle i is readable */
    int32_t ret;            /* out: 1 if anything is ready, else 0 */
};

struct atoll_hvt_hc_halt {
    uint64_t cookie;     /* in: address of up to 512 bytes, or 0 */
    int32_t exit_status; /* in */
};

/* Atoll extension: make completed writes to a block device durable. */
struct atoll_hvt_hc_block_flush {
    uint64_t handle; /* in */
    int32_t ret;     /* out */
};

/* Result codes carried in "ret" fields (same values as solo5_result_t). */
enum atoll_hvt_result {
    ATOLL_HVT_R_OK = 0,
    ATOLL_HVT_R_AGAIN = 1,
    ATOLL_HVT_R_EINVAL = 2,
    ATOLL_HVT_R_EUNSPEC = 3,
};

#endif
