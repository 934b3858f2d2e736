/*
 * Device interrupts on the virtio target.
 *
 * A driver attaches a handler to the GSI its device interrupts on (a PCI
 * device's interrupt line on pc/q35, the IRQ of a virtio_mmio.device= entry
 * on microvm/Firecracker). The bindings route that GSI through the I/O APIC
 * that serves it (found in the ACPI MADT; the legacy PIC stays masked) as a
 * level-triggered, active-high interrupt, which is what QEMU's virtio-pci
 * INTx and virtio-mmio lines are.
 *
 * Interrupts are enabled only while virtio_wait halts the CPU (sti; hlt;
 * cli), so a handler never interrupts the application or a driver: it runs
 * on the stack of virtio_wait, may touch driver state without locking, and
 * must acknowledge the device (for virtio: read its ISR/interrupt status)
 * so that the level-triggered line drops before it returns; the bindings
 * send the EOI. virtio_wait returns after any interrupt, so a handler only
 * needs to record what happened: atoll_yield then asks devices.h's
 * virtio_net_ready which net handles are readable, and a driver waiting for
 * a completion looks at its used ring.
 */
#ifndef ATOLL_BINDINGS_VIRTIO_IRQ_H
#define ATOLL_BINDINGS_VIRTIO_IRQ_H

#include "atoll/platform.h"

/* Highest GSI that can be attached, plus one. */
#define VIRTIO_IRQ_GSI_MAX 48u
/* Handlers in all (several devices may share one GSI: PCI INTx). */
#define VIRTIO_IRQ_HANDLERS_MAX 16u

/*
 * Call fn(arg) whenever gsi interrupts, from the next virtio_wait on.
 * Several handlers may share a GSI; each is called on every interrupt of
 * it. Returns 0, or -1 if gsi is not served by any I/O APIC, is
 * >= VIRTIO_IRQ_GSI_MAX, fn is NULL, or the handler table is full.
 */
int virtio_irq_attach(unsigned gsi, void (*fn)(void *arg), void *arg);

/*
 * Halt until any interrupt (a device's, or the local APIC timer armed for
 * the deadline) or the deadline, whichever comes first; return at once if
 * the deadline has passed. Interrupts are enabled only in here. atoll_yield
 * calls it until a net handle is readable; a driver waiting for its device
 * calls it until its request completes.
 */
void virtio_wait(atoll_time_t deadline);

#endif
