# The virtio target's guest bindings: $(B)/lib/bindings-virtio.a, linked
# whole into every .virtio image with bindings/virtio/virtio.lds.
# BIND_VIRTIO_BOOT_SRCS: the shared x86-64 entry, CPU, traps and paging
# (bindings/x86, listed in full here as in bindings/xen/module.mk), then
# the boot code, memory, ACPI, interrupts, clocks, console, exit
# (README.md). BIND_VIRTIO_DEV_SRCS: the virtio transports and device
# drivers (devices.h), listed by their authors.
BIND_VIRTIO_BOOT_SRCS := bindings/x86/start.S bindings/x86/cpu.c \
	bindings/x86/vectors.S bindings/x86/trap.c bindings/x86/fault.c \
	bindings/x86/paging.c bindings/x86/tls.c bindings/x86/boot.c \
	bindings/x86/console.c bindings/x86/gdt.c \
	bindings/virtio/boot.c bindings/virtio/console.c \
	bindings/virtio/acpi.c bindings/virtio/irq.c bindings/virtio/clock.c \
	bindings/virtio/yield.c bindings/virtio/exit.c
BIND_VIRTIO_DEV_SRCS ?= bindings/virtio/virtio_ring.c \
	bindings/virtio/virtio_parse.c bindings/virtio/virtio_dev.c \
	bindings/virtio/pci.c bindings/virtio/mmio.c bindings/virtio/net.c \
	bindings/virtio/block.c bindings/virtio/virtio_bind.c \
	bindings/common/say.c
BIND_VIRTIO_SRCS := $(BIND_VIRTIO_BOOT_SRCS) $(BIND_VIRTIO_DEV_SRCS)
BIND_VIRTIO_OBJS := $(call guest_objs,$(BIND_VIRTIO_SRCS)) $(BIND_COMMON_OBJS)

# virtio_boot and bindings/x86/boot.c run before the canary is seeded.
$(B)/guest/bindings/virtio/boot.o $(B)/guest/bindings/x86/boot.o: \
	GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/bindings-virtio.a: $(BIND_VIRTIO_OBJS)

ALL_TARGETS += $(B)/lib/bindings-virtio.a
