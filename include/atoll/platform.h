/*
 * The Atoll platform ABI: everything a unikernel may ask of the target it
 * runs on. Each target's bindings (bindings/<target>/) implement exactly
 * these functions; nothing above the bindings knows which target it is on.
 *
 * Conventions:
 *  - Functions that can fail return an enum atoll_result; ATOLL_OK is 0.
 *  - Times are nanoseconds in an atoll_time_t.
 *  - A device handle is a small integer below 64, so a set of handles fits
 *    in one atoll_handle_set_t bit mask (bit h set <=> handle h).
 *  - One vCPU, no interrupts seen by callers: none of these functions may be
 *    called re-entrantly from a fault handler.
 */
#ifndef ATOLL_PLATFORM_H
#define ATOLL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum atoll_result {
    ATOLL_OK = 0,
    ATOLL_AGAIN = 1,   /* nothing to do now; retry after a yield */
    ATOLL_EINVAL = 2,  /* bad argument: unknown handle, bad size/alignment */
    ATOLL_EUNSPEC = 3, /* the host failed the operation (I/O error, ...) */
    ATOLL_ENOENT = 4,  /* no device of that name and kind in the manifest */
    ATOLL_ENOTSUP = 5, /* the tender does not offer this operation */
};

typedef uint64_t atoll_time_t;
typedef uint64_t atoll_handle_t;
typedef uint64_t atoll_handle_set_t;

/* ---- console ---------------------------------------------------------- */

/* Write len bytes to the console. Never fails; may be slow on hvt. */
void atoll_console_write(const char *buf, size_t len);

/* ---- clocks ----------------------------------------------------------- */

/* Nanoseconds since an arbitrary point at boot. Never goes backwards; two
 * calls at least a microsecond apart return different values. */
atoll_time_t atoll_clock_monotonic(void);

/* Nanoseconds since the Unix epoch (UTC), as the host sees it. May jump. */
atoll_time_t atoll_clock_wall(void);

/* ---- waiting ---------------------------------------------------------- */

/*
 * Sleep until the monotonic clock reaches deadline or one of the acquired
 * net devices has a frame to read, whichever comes first. A deadline in the
 * past polls without sleeping. If ready is not NULL it receives the set of
 * readable net handles (0 if the deadline passed with nothing ready).
 * Does not spin the host CPU.
 */
void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready);

/* ---- network devices -------------------------------------------------- */

#define ATOLL_NET_ALEN 6  /* bytes in a MAC address */
#define ATOLL_NET_HLEN 14 /* bytes in an Ethernet II header */

struct atoll_net_info {
    uint8_t mac[ATOLL_NET_ALEN];
    size_t mtu; /* largest payload, not counting the Ethernet header */
    uint32_t features; /* ATOLL_NET_F_* */
};

/*
 * The device carries a virtio-net header (struct virtio_net_hdr_v1,
 * ATOLL_NET_VNET_HLEN bytes, little-endian) before every frame, both
 * ways, and takes and gives TCPv4 segments up to ATOLL_NET_VNET_FRAME_MAX
 * bytes with partial checksums (the Linux TAP offloads TUN_F_CSUM and
 * TUN_F_TSO4). atoll_net_write and atoll_net_read then move header and
 * frame together: up to ATOLL_NET_VNET_FRAME_MAX bytes, and a read buffer
 * needs that much. lib/net handles the header (lib/net/vnet.c).
 */
#define ATOLL_NET_F_VNET (1u << 0)
#define ATOLL_NET_VNET_HLEN 12
#define ATOLL_NET_VNET_FRAME_MAX (ATOLL_NET_VNET_HLEN + ATOLL_NET_HLEN + 65535)

/*
 * Acquire the net device the manifest names "name". ENOENT if the manifest
 * has no such net device; EUNSPEC if it is already acquired or the tender
 * attached nothing to it.
 */
enum atoll_result atoll_net_acquire(const char *name, atoll_handle_t *handle,
                                    struct atoll_net_info *info);

/* Send one Ethernet frame (header included), at most mtu + HLEN bytes.
 * EINVAL for a bad handle or size; EUNSPEC if the host failed. */
enum atoll_result atoll_net_write(atoll_handle_t handle, const void *frame,
                                  size_t len);

/* Receive one frame into buf (size must be at least mtu + HLEN). AGAIN if
 * none is waiting, or if the target expects none and did not ask the host
 * (spt: bindings/spt/rxpace.h); atoll_yield then reports the handle ready
 * at once if one is. On OK *len is the frame's length. */
enum atoll_result atoll_net_read(atoll_handle_t handle, void *buf,
                                 size_t size, size_t *len);

/* ---- block devices ---------------------------------------------------- */

struct atoll_block_info {
    uint64_t capacity;   /* bytes, a multiple of block_size */
    uint64_t block_size; /* bytes; offsets and lengths are multiples of it */
    bool can_flush;      /* atoll_block_flush makes writes durable */
};

/* Acquire the block device the manifest names "name" (errors as for net). */
enum atoll_result atoll_block_acquire(const char *name, atoll_handle_t *handle,
                                      struct atoll_block_info *info);

/*
 * Read or write len bytes at offset. offset and len must be multiples of
 * block_size and lie inside the device (EINVAL otherwise). Several blocks
 * may be transferred in one call. A completed write is visible to later
 * reads, but is durable only after a successful atoll_block_flush.
 */
enum atoll_result atoll_block_read(atoll_handle_t handle, uint64_t offset,
                                   void *buf, size_t len);
enum atoll_result atoll_block_write(atoll_handle_t handle, uint64_t offset,
                                    const void *buf, size_t len);

/*
 * Make every write completed before this call durable (it survives the
 * tender being killed and the host losing power). ENOTSUP when the tender
 * cannot (a Solo5 tender): the caller must then treat durability as
 * unknown.
 */
enum atoll_result atoll_block_flush(atoll_handle_t handle);

/* ---- lifecycle -------------------------------------------------------- */

/* Stop the unikernel; the tender exits with status & 0xff. */
_Noreturn void atoll_exit(int status);

/* Stop the unikernel abnormally (tender exit status 255). */
_Noreturn void atoll_abort(void);

/* ---- boot environment ------------------------------------------------- */

/* The command line the tender passed (words after the image name, joined by
 * single spaces). Never NULL. */
const char *atoll_cmdline(void);

/* The memory the runtime may use for its heap: [*start, *start + *size),
 * page aligned, not overlapping the image or the boot stack, and holding
 * only zero bytes when atoll_rt_start is called. */
void atoll_heap_region(uintptr_t *start, size_t *size);

/* Set the thread-pointer register (%fs base on x86_64). */
enum atoll_result atoll_set_tls_base(uintptr_t base);

/*
 * Fill buf with len bytes of boot-time entropy: RDRAND where the CPU has it,
 * mixed with the time-stamp counter. Good enough to seed canaries and hash
 * keys; not a cryptographic generator on CPUs without RDRAND.
 */
void atoll_entropy(void *buf, size_t len);

/* A name for the target, e.g. "hvt" or "spt". */
const char *atoll_target_name(void);

/*
 * Entry point of everything above the bindings: the bindings call it once,
 * after setting up the CPU, clocks, console, devices and the stack protector
 * canary. Implemented by lib/rt. Does not return.
 */
_Noreturn void atoll_rt_start(void);

#endif
