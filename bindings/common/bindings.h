/*
 * Guest-side code shared by the hvt and spt bindings (and later virtio/xen).
 * Each target's bindings call these from their entry code and build the
 * platform ABI (include/atoll/platform.h) on top.
 */
#ifndef ATOLL_BINDINGS_COMMON_H
#define ATOLL_BINDINGS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/atoll_ext.h"
#include "atoll/abi/solo5_mft.h"
#include "atoll/platform.h"

/* Stack the tenders set up below the top of guest memory, reserved from the
 * heap. */
#define BIND_STACK_SIZE (512u * 1024u)

/*
 * Seed __stack_chk_guard with a random value (RDRAND where available, mixed
 * with the TSC). Must be called before any function compiled with the stack
 * protector; the caller itself must be built with -fno-stack-protector.
 */
void bind_ssp_init(void);

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

/* Set of acquired net handles (for yield). */
atoll_handle_set_t bind_mft_net_set(void);

/* Find the Atoll extension block after a command line area of cmdline_size
 * bytes at cmdline; NULL on a Solo5 tender. */
const struct atoll_ext *bind_ext_find(uint64_t cmdline, size_t cmdline_size);

/* Record the heap region: from kernel_end (rounded up to a page) to
 * mem_size - BIND_STACK_SIZE. */
void bind_heap_init(uint64_t kernel_end, uint64_t mem_size);

/* Record the command line (NULL is taken as ""). */
void bind_cmdline_init(const char *cmdline);

#endif
