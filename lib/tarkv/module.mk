# lib/tarkv: a read-only key-value view of a tar archive on a block device.
#   $(B)/lib/tarkv.a        guest archive (with the blockdev platform adapter)
#   $(B)/lib/host/tarkv.a   the same sources for host tools and tests
TARKV_SRCS := $(sort $(wildcard lib/tarkv/*.c))

$(B)/lib/tarkv.a: $(call guest_objs,$(TARKV_SRCS) $(BLOCKDEV_GUEST_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/lib/host/tarkv.a: $(call host_objs,$(TARKV_SRCS) $(BLOCKDEV_HOST_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

ALL_TARGETS += $(B)/lib/tarkv.a $(B)/lib/host/tarkv.a
$(B)/lib/host/tarkv.a: $(call host_objs,lib/rt/err.c)
