/*
 * Guest-side code shared by the hvt and spt bindings (and later virtio/xen).
 * Each target's bindings call these from their entry code and build the
 * platform ABI (include/atoll/platform.h) on top.
 *
 * Build: bindings/common/module.mk defines BIND_COMMON_OBJS; a target's
 * module.mk puts them in its archive $(B)/lib/bindings-<target>.a.
 *
 * Defined here for every target (a target must not define them again):
 *   __stack_chk_guard (uintptr_t; lib/rt defines __stack_chk_fail),
 *   atoll_cmdline, atoll_heap_region, atoll_target_name.
 * A target must define bind_target_name (below).
 *
 * Typical entry sequence (a function built with -fno-stack-protector):
 *   bind_ssp_init(); bind_mft_init(...); bind_cmdline_init(...);
 *   ext = bind_ext_find(cmdline, CMDLINE_SIZE); bind_heap_init(...);
 *   atoll_rt_start();
 */
#ifndef ATOLL_BINDINGS_COMMON_H
#define ATOLL_BINDINGS_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/ext.h"
#include "atoll/abi/mft.h"
#include "atoll/platform.h"

/* Write "prefix: " and fmt's text as one console line (say.c). */
void bind_vsay(const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Stack the tenders set up below the top of guest memory, reserved from the
 * heap. */
#define BIND_STACK_SIZE (512u * 1024u)

/*
 * Seed __stack_chk_guard with a random value (RDRAND where available, mixed
 * with the TSC). Must be called before any function compiled with the stack
 * protector; the caller itself must be built with -fno-stack-protector.
 */
void bind_ssp_init(void);

/* The target's name returned by atoll_target_name(), e.g. "spt". Defined
 * by each target's bindings. */
extern const char bind_target_name[];

/* Features the tender offered in the Atoll extension block (ATOLL_EXT_F_*);
 * 0 on a Solo5 tender. Set by the target's entry code. */
extern uint32_t bind_ext_features;
/* Net handles the tender opened with virtio-net headers (ATOLL_EXT_F_NET_VNET,
 * bit = handle); set by bind_ext_find, else 0. */
extern uint64_t bind_ext_net_vnet;

static inline bool bind_net_vnet(atoll_handle_t h)
{
    return h < 64 && (bind_ext_net_vnet & (1ull << h)) != 0;
}

_Static_assert(ATOLL_NET_VNET_FRAME_MAX == ATOLL_EXT_NET_VNET_FRAME_MAX &&
                   ATOLL_NET_VNET_HLEN == ATOLL_EXT_NET_VNET_HLEN,
               "the frames the tenders take");

/* The longest frame, header included, net device e (handle h) moves. */
static inline size_t bind_net_frame_max(atoll_handle_t h,
                                        const struct atoll_mft_entry *e)
{
    if (bind_net_vnet(h))
        return ATOLL_NET_VNET_FRAME_MAX;
    return (size_t)e->u.net_basic.mtu + ATOLL_NET_HLEN;
}

/* Whether acquired block device handle can flush: a weak default from
 * bind_ext_features in devices.c; a target whose devices differ (virtio)
 * defines its own. */
bool bind_block_can_flush(atoll_handle_t handle);

/* Remember the manifest the tender copied into guest memory. */
void bind_mft_init(const struct atoll_mft *mft);

/*
 * Look up an attached device of the given type by name and mark it
 * acquired. Returns ATOLL_OK with *handle = its manifest index,
 * ATOLL_ENOENT if the manifest has no such device, ATOLL_EUNSPEC if it is
 * not attached or already acquired.
 */
enum atoll_result bind_mft_acquire(const char *name, uint32_t type,
                                   atoll_handle_t *handle);

/* The entry behind an acquired handle of the given type, or NULL. */
const struct atoll_mft_entry *bind_mft_get(atoll_handle_t handle,
                                           uint32_t type);

/* Entry handle of the manifest, acquired or not, or NULL if there is no
 * such entry (spt uses it to drain net devices nobody acquired). */
const struct atoll_mft_entry *bind_mft_entry(atoll_handle_t handle);

/* Set of acquired net handles (for yield). Not-attached or unacquired
 * devices are never in it. bind_mft_init resets acquisitions. */
atoll_handle_set_t bind_mft_net_set(void);

/* Find the Atoll extension block after a command line area of cmdline_size
 * bytes at cmdline (i.e. at cmdline + cmdline_size, which must be 8-byte
 * aligned); NULL on a Solo5 tender (no ATOLL_EXT_MAGIC there) or if cmdline
 * is 0. Accepts any version >= ATOLL_EXT_VERSION. The caller keeps the
 * pointer (or its features) for later. Sets bind_ext_net_vnet. */
const struct atoll_ext *bind_ext_find(uint64_t cmdline, size_t cmdline_size);

/* Record the heap region: from kernel_end (rounded up to a page) to
 * mem_size (rounded down to a page) - BIND_STACK_SIZE; empty if that is not
 * positive. */
void bind_heap_init(uint64_t kernel_end, uint64_t mem_size);

/* Record the command line (NULL is taken as ""). */
void bind_cmdline_init(const char *cmdline);

#endif
