/*
 * Between the virtio target's boot code (this folder's start/boot files)
 * and its device drivers (virtio_*.c, pci.c, mmio.c, net.c, block.c).
 *
 * Boot order: CPU, console, clocks, interrupts, then
 * virtio_devices_init(mft), then the heap, then the runtime.
 */
#ifndef ATOLL_BINDINGS_VIRTIO_DEVICES_H
#define ATOLL_BINDINGS_VIRTIO_DEVICES_H

#include "atoll/abi/mft.h"
#include "atoll/platform.h"

/*
 * Implemented by the drivers, called once by the boot code (a weak
 * reference: an image without drivers boots too). mft is a writable copy
 * of the image's own manifest note: the drivers fill in each device they
 * bind to an entry (u.net_basic / u.block_basic) and set attached; the
 * bindings then hand it to bindings/common (bind_mft_init), so
 * atoll_net_acquire / atoll_block_acquire work as on hvt. The drivers may
 * call virtio_page_alloc, virtio_map_mmio and virtio_irq_attach here, and
 * read the command line with virtio_boot_cmdline.
 */
void virtio_devices_init(struct atoll_mft *mft);

/*
 * Implemented by the drivers (weak reference, as above): the set of
 * acquired net handles that have a frame to read now. atoll_yield returns
 * as soon as it is non-empty.
 */
atoll_handle_set_t virtio_net_ready(void);

/*
 * The whole command line the loader passed (PVH start_info or multiboot),
 * including the virtio_mmio.device=SIZE@BASE:IRQ words that QEMU microvm
 * and Firecracker append. The application sees the same line without those
 * words (atoll_cmdline). Never NULL.
 */
const char *virtio_boot_cmdline(void);

#endif
