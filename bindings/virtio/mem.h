/*
 * Memory for device drivers on the virtio target: pages for virtqueues and
 * buffers, and mappings for device registers above 4 GiB.
 *
 * Everything is identity mapped: a pointer's value is the physical address
 * a device is given.
 *
 * Both are bindings/x86/paging.c's x86_page_alloc and x86_map_mmio, which
 * the xen target shares: the asm labels bind the names here to those
 * symbols (no wrapper in between).
 */
#ifndef ATOLL_BINDINGS_VIRTIO_MEM_H
#define ATOLL_BINDINGS_VIRTIO_MEM_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_PAGE_SIZE 4096u

/*
 * npages physically contiguous, page-aligned, zeroed, read-write (never
 * executable) pages, taken from RAM after the image, before the heap. Only
 * during virtio_devices_init (devices.h): once the runtime has its heap the
 * region is fixed and this returns NULL. Also NULL when RAM is short or
 * npages is 0. Never freed.
 */
void *virtio_page_alloc(size_t npages) __asm__("x86_page_alloc");

/*
 * Make [phys, phys + len) readable and writable (uncached, never
 * executable) at the same address. Everything below 4 GiB already is; this
 * is for 64-bit PCI BARs placed above. Returns 0, or -1 if the page tables
 * cannot grow (outside virtio_devices_init, as for virtio_page_alloc) or
 * the range is beyond the 512 GiB the page tables cover.
 */
int virtio_map_mmio(uint64_t phys, uint64_t len) __asm__("x86_map_mmio");

#endif
