# The spt target's guest bindings: $(B)/lib/bindings-spt.a, linked whole
# into every .spt image (mk/rules.mk image_rules) with bindings/spt/spt.lds.
BIND_SPT_SRCS := bindings/spt/start.c bindings/spt/platform.c \
	bindings/spt/yield.c bindings/spt/net.c bindings/spt/rxpace.c \
	bindings/spt/block.c
BIND_SPT_OBJS := $(call guest_objs,$(BIND_SPT_SRCS)) $(BIND_COMMON_OBJS)

# _start runs before the canary is seeded.
$(B)/guest/bindings/spt/start.o: GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/bindings-spt.a: $(BIND_SPT_OBJS)

ALL_TARGETS += $(B)/lib/bindings-spt.a
