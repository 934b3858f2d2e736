# lib/tarkv: a read-only key-value view of a tar archive on a block device.
#   $(B)/lib/tarkv.a        guest archive
#   $(B)/lib/host/tarkv.a   the same sources for host tools and tests
TARKV_SRCS := $(sort $(wildcard lib/tarkv/*.c))
$(eval $(call lib_deps,tarkv,blockdev,rt))

$(B)/lib/tarkv.a: $(call guest_objs,$(TARKV_SRCS))

$(B)/lib/host/tarkv.a: $(call host_objs,$(TARKV_SRCS))

ALL_TARGETS += $(B)/lib/tarkv.a $(B)/lib/host/tarkv.a
