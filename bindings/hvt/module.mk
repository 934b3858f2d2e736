# The hvt target's guest bindings: $(B)/lib/bindings-hvt.a, linked whole
# into every .hvt image (mk/rules.mk image_rules) with bindings/hvt/hvt.lds.
# The tender, atoll-hvt, is built by tenders/hvt/module.mk.
BIND_HVT_SRCS := bindings/hvt/start.c bindings/hvt/cpu.c \
	bindings/hvt/vectors.S bindings/hvt/trap.c bindings/hvt/clock.c \
	bindings/hvt/console.c bindings/hvt/yield.c bindings/hvt/net.c \
	bindings/hvt/block.c bindings/hvt/lifecycle.c bindings/hvt/note.c
BIND_HVT_OBJS := $(call guest_objs,$(BIND_HVT_SRCS)) $(BIND_COMMON_OBJS)

# _start runs before the canary is seeded.
$(B)/guest/bindings/hvt/start.o: GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/bindings-hvt.a: $(BIND_HVT_OBJS)

ALL_TARGETS += $(B)/lib/bindings-hvt.a
