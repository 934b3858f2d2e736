# Guest code shared by every target's bindings. Each target's archive
# (bindings/<target>/module.mk) includes BIND_COMMON_OBJS.
BIND_COMMON_SRCS := bindings/common/ssp.c bindings/common/mft.c \
	bindings/common/env.c bindings/common/entropy.c \
	bindings/common/devices.c
BIND_COMMON_OBJS := $(call guest_objs,$(BIND_COMMON_SRCS))

# The canary seeding runs before the canary is valid.
$(B)/guest/bindings/common/ssp.o $(B)/guest/bindings/common/entropy.o: \
	GUEST_CFLAGS += -fno-stack-protector
