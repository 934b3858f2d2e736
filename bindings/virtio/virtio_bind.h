/*
 * Which virtio device serves which manifest entry (see README.md,
 * "Devices"): net devices, in discovery order, go to the manifest's net
 * entries in declaration order, block devices to its block entries; the
 * boot parameters --virtio.net=NAME:INDEX[,...] and
 * --virtio.block=NAME:INDEX[,...] give an entry the INDEXth device of its
 * kind (from 0) instead, and the other entries take the remaining devices
 * in order.
 */
#ifndef ATOLL_BINDINGS_VIRTIO_BIND_H
#define ATOLL_BINDINGS_VIRTIO_BIND_H

#include "atoll/abi/mft.h"

#define VIRTIO_BIND_NONE (-1)    /* not an entry of this kind */
#define VIRTIO_BIND_MISSING (-2) /* an entry of this kind with no device */

/* NULL if spec is a valid NAME:INDEX[,NAME:INDEX...] list (or empty),
 * else why not. Also the boot parameters' validator. */
const char *virtio_bind_check(const char *spec);

/*
 * plan[i] for every manifest entry i: the index (among the ndev devices
 * of this kind, in discovery order) of the device entry i gets, or
 * VIRTIO_BIND_MISSING for an entry of type mft_type left without one, or
 * VIRTIO_BIND_NONE. An invalid spec is taken as empty. Pure.
 */
void virtio_bind_plan(const struct atoll_mft *mft, uint32_t mft_type,
                      unsigned ndev, const char *spec, int *plan);

/*
 * The value of the last --NAME=VALUE word of cmdline before a "--" word,
 * copied into buf (size bytes, NUL-terminated); "" if there is none or it
 * does not fit. Pure.
 */
void virtio_cmdline_param(const char *cmdline, const char *name, char *buf,
                          unsigned size);

#endif
