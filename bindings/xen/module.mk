# The xen target's guest bindings: $(B)/lib/bindings-xen.a, for Xen PVH
# guests (README.md). The x86-64 code it shares with the virtio target is
# bindings/x86's (the 32-bit PVH entry, which calls x86_boot, here
# boot.c's; the GDT, IDT and exception handlers; the W^X page tables and
# the page allocator); the Xen files provide the console, halt and
# interrupt dispatch that code calls (bindings/x86/x86.h).
BIND_XEN_SHARED_SRCS := bindings/x86/start.S bindings/x86/cpu.c \
	bindings/x86/vectors.S bindings/x86/trap.c bindings/x86/fault.c \
	bindings/x86/paging.c bindings/x86/tls.c bindings/x86/boot.c \
	bindings/x86/console.c bindings/x86/gdt.c
BIND_XEN_SRCS := bindings/xen/hypercall_page.S bindings/xen/hypercall.c \
	bindings/xen/console.c bindings/xen/boot.c bindings/xen/clock.c \
	bindings/xen/yield.c bindings/xen/exit.c bindings/xen/xenstore.c \
	bindings/xen/evtchn.c bindings/xen/grant.c bindings/xen/devices.c \
	bindings/xen/blkfront.c bindings/xen/netfront.c bindings/common/say.c
BIND_XEN_OBJS := $(call guest_objs,$(BIND_XEN_SHARED_SRCS) $(BIND_XEN_SRCS)) \
	$(BIND_COMMON_OBJS)

# boot.c and bindings/x86/boot.c run before the canary is seeded.
$(B)/guest/bindings/xen/boot.o $(B)/guest/bindings/x86/boot.o: \
	GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/bindings-xen.a: $(BIND_XEN_OBJS)

ALL_TARGETS += $(B)/lib/bindings-xen.a
