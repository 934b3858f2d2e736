# The hvt target's guest bindings: $(B)/lib/bindings-hvt.a, linked whole
# into every .hvt image (mk/rules.mk image_rules) with bindings/hvt/hvt.lds.
# The tender, atoll-hvt, is built by tenders/hvt/module.mk.
# bindings/x86/fault.c (the fault report's line), tls.c and gdt.c
# (atoll_set_tls_base, the GDT and TSS) are the x86-64 code hvt shares
# with virtio and xen.
BIND_HVT_SRCS := bindings/hvt/start.c bindings/hvt/cpu.c \
	bindings/hvt/vectors.S bindings/hvt/trap.c bindings/hvt/clock.c \
	bindings/hvt/console.c bindings/hvt/yield.c bindings/hvt/net.c \
	bindings/hvt/block.c bindings/hvt/lifecycle.c bindings/hvt/note.c \
	bindings/hvt/netring.c \
	bindings/x86/fault.c bindings/x86/tls.c bindings/x86/gdt.c
BIND_HVT_OBJS := $(call guest_objs,$(BIND_HVT_SRCS)) $(BIND_COMMON_OBJS)

# _start runs before the canary is seeded.
$(B)/guest/bindings/hvt/start.o: GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/bindings-hvt.a: $(BIND_HVT_OBJS)

ALL_TARGETS += $(B)/lib/bindings-hvt.a
