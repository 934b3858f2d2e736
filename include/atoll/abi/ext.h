/*
 * Atoll's extensions to the Solo5 hvt/spt interfaces, negotiated so that the
 * baseline keeps working in both directions.
 *
 * An Atoll tender writes a struct atoll_ext right after the command line
 * area in low guest memory: at boot_info->cmdline + CMDLINE_SIZE (8192),
 * which is 8-byte aligned. A Solo5 tender leaves that memory zeroed, so a
 * guest that does not find ATOLL_EXT_MAGIC there must use only the baseline
 * interface. A Solo5 guest never looks there.
 */
#ifndef ATOLL_ABI_EXT_H
#define ATOLL_ABI_EXT_H

#include <stdint.h>

#define ATOLL_EXT_MAGIC 0x315458454c4c4f41ull /* "AOLLEXT1" little-endian */
#define ATOLL_EXT_VERSION 1

/* Block flush: hvt hypercall ATOLL_HVT_HC_BLOCK_FLUSH; on spt, fdatasync(fd)
 * is allowed for each block device's hostfd. */
#define ATOLL_EXT_F_BLOCK_FLUSH (1u << 0)
/* The tender reports guest faults given as an atoll_trap_info halt cookie. */
#define ATOLL_EXT_F_TRAP_REPORT (1u << 1)
/*
 * spt: pread64/pwrite64 on a block device's fd move block_size << k bytes
 * (k >= 0, at most ATOLL_EXT_BLOCK_IO_MAX bytes) in one call, where the
 * transfer fits the device. Without it, one block per call (Solo5's rule).
 * hvt transfers any whole number of blocks per hypercall in either case.
 */
#define ATOLL_EXT_F_BLOCK_MULTI (1u << 2)
#define ATOLL_EXT_BLOCK_IO_MAX 65536u
/*
 * Net offloads (spt, hvt): asked for by the image (ATOLL_NOTE_TYPE_REQUEST),
 * so that a guest that does not ask, a Solo5 one, gets plain frames. The net
 * devices whose bit is set in net_vnet (bit i: manifest entry i) were
 * opened with IFF_VNET_HDR, a 12-byte header size (TUNSETVNETHDRSZ) and
 * TUN_F_CSUM | TUN_F_TSO4 (TUNSETOFFLOAD): every frame read or written
 * starts with a struct virtio_net_hdr_v1 (ATOLL_NET_VNET_HLEN bytes,
 * little-endian) and may be up to ATOLL_NET_VNET_FRAME_MAX bytes in all.
 * The header's num_buffers field is unused. On hvt the same frames, header
 * included, go through NET_READ/NET_WRITE and the net ring.
 */
#define ATOLL_EXT_F_NET_VNET (1u << 3)
#define ATOLL_EXT_NET_VNET_HLEN 12
/* The longest frame, header included: a 64 KB IPv4 packet and Ethernet. */
#define ATOLL_EXT_NET_VNET_FRAME_MAX (ATOLL_EXT_NET_VNET_HLEN + 14 + 65535)
/*
 * spt: clock_gettime without a system call. spt_clock_gettime is the
 * address of the tender's vDSO __vdso_clock_gettime (the guest shares the
 * tender's address space), to call as int (*)(int clock, struct timespec *)
 * with the x86-64 System V convention, for CLOCK_MONOTONIC and
 * CLOCK_REALTIME. Offered without being asked: a guest that does not look
 * is unaffected.
 */
#define ATOLL_EXT_F_SPT_VDSO_CLOCK (1u << 4)

struct atoll_ext {
    uint64_t magic;
    uint32_t version;
    uint32_t features; /* ATOLL_EXT_F_* */
    uint64_t net_vnet; /* with ATOLL_EXT_F_NET_VNET, else 0 */
    uint64_t spt_clock_gettime; /* with ATOLL_EXT_F_SPT_VDSO_CLOCK, else 0 */
};

/*
 * What an image asks of an Atoll tender: a note (owner "Atoll", type
 * REQUEST) whose descriptor is a struct atoll_ext_request. It follows the
 * Solo5 ABI note in that note's PT_NOTE segment, where Solo5 tenders, which
 * read the first note of each PT_NOTE only, never see it. The tender ORs
 * the features of every such note and grants what it can in atoll_ext.
 */
#define ATOLL_EXT_NOTE_NAME "Atoll"
#define ATOLL_EXT_NOTE_SECTION ".note.atoll.request"
#define ATOLL_NOTE_TYPE_REQUEST 0x31515258u /* "XRQ1" */

struct atoll_ext_request {
    uint32_t features; /* ATOLL_EXT_F_* asked for */
    uint32_t reserved; /* 0 */
};

struct atoll_ext_request_note {
    uint32_t n_namesz, n_descsz, n_type;
    char n_name[8]; /* "Atoll", padded */
    struct atoll_ext_request r;
};
_Static_assert(sizeof(struct atoll_ext_request_note) == 28,
               "request note layout");

/*
 * hvt: a guest that takes a fatal CPU exception halts with exit status
 * ATOLL_EXIT_ABORT and a cookie pointing at this structure. atoll-hvt
 * prints it, then dies of the signal Linux would send a process for that
 * exception (SIGSEGV for #PF and #GP, SIGILL for #UD, ...), as atoll-spt
 * dies of the signal itself.
 */
#define ATOLL_TRAP_MAGIC 0x5041525454414f41ull /* "AOATTRAP" little-endian */

struct atoll_trap_info {
    uint64_t magic;
    uint64_t vector;     /* exception vector, 0..31 */
    uint64_t error_code; /* 0 for vectors without one */
    uint64_t rip;
    uint64_t rsp;
    uint64_t rflags;
    uint64_t cr2; /* fault address, meaningful for #PF (vector 14) */
};

/* Exit statuses with a fixed meaning; other values are the guest's own. */
#define ATOLL_EXIT_SUCCESS 0
#define ATOLL_EXIT_FAILURE 1
#define ATOLL_EXIT_ABORT 255 /* guest called abort (Solo5's value too) */

/* Exit status of a tender that refused to start a guest (bad image, bad
 * arguments, missing host resource): always below 128. */
#define ATOLL_EXIT_TENDER_ERROR 1
#define ATOLL_EXIT_TENDER_USAGE 2

#endif
