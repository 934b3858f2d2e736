# lib/net: the TCP/IP stack, $(B)/lib/net.a. Every source but platform.c
# (the boot parameters and the platform's net devices) is also built for
# the host: unit tests (tests/unit/net) and fuzz targets (tests/fuzz-net).
NET_SRCS := $(sort $(wildcard lib/net/*.c))
NET_HOST_SRCS := $(filter-out lib/net/platform.c,$(NET_SRCS))
NET_OBJS := $(call guest_objs,$(NET_SRCS))
# The blocking calls (fiber_api.c) run on lib/fiber.
$(eval $(call lib_deps,net,fiber))
# The host builds check the stack's invariants (NET_ASSERT, net_internal.h).
$(call unit_objs,$(NET_HOST_SRCS)): UNIT_CFLAGS += -DNET_CHECKS

$(B)/lib/net.a: $(NET_OBJS)

ALL_TARGETS += $(B)/lib/net.a
