# lib/net: the TCP/IP stack, $(B)/lib/net.a. Every source but platform.c
# (the boot parameters and the platform's net devices) is also built for
# the host: unit tests (tests/unit/net) and fuzz targets (tests/fuzz-net).
NET_SRCS := $(sort $(wildcard lib/net/*.c))
NET_HOST_SRCS := $(filter-out lib/net/platform.c,$(NET_SRCS))
NET_OBJS := $(call guest_objs,$(NET_SRCS))
# The host builds check the stack's invariants (NET_ASSERT, net_internal.h).
$(call unit_objs,$(NET_HOST_SRCS)): UNIT_CFLAGS += -DNET_CHECKS

$(B)/lib/net.a: $(NET_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

ALL_TARGETS += $(B)/lib/net.a

# ---- host unit tests (glibc, ASan, UBSan) -----------------------------
# tests/unit/net/test_NAME.c links with the host sources, the runtime's
# timers and event loop, lib/fiber, and the harness (fake clock, entropy,
# log and yield; frame builders).
NET_UNIT_SUPPORT := tests/unit/net/harness.c lib/rt/timer.c lib/rt/loop.c \
	lib/fiber/fiber.c lib/fiber/switch.S
NET_TESTS := $(patsubst tests/unit/net/test_%.c,%,\
	$(wildcard tests/unit/net/test_*.c))

define net_test_rule
$(B)/tests/unit/net-$(1): $(call unit_objs,tests/unit/net/test_$(1).c \
		$(NET_UNIT_SUPPORT) $(NET_HOST_SRCS))
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/net-$(1)
endef
$(foreach t,$(NET_TESTS),$(eval $(call net_test_rule,$(t))))

net-unit: $(foreach t,$(NET_TESTS),$(B)/tests/unit/net-$(t))
.PHONY: net-unit
