# lib/kv: the crash-safe key-value store.
#   $(B)/lib/kv.a          guest archive (with the blockdev platform adapter)
#   $(B)/lib/host/kv.a     the same sources for host tools (file adapter)
KV_SRCS := $(sort $(wildcard lib/kv/*.c))

$(B)/lib/kv.a: $(call guest_objs,$(KV_SRCS) $(BLOCKDEV_GUEST_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/lib/host/kv.a: $(call host_objs,$(KV_SRCS) $(BLOCKDEV_HOST_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

ALL_TARGETS += $(B)/lib/kv.a $(B)/lib/host/kv.a
$(B)/lib/host/kv.a: $(call host_objs,lib/rt/err.c lib/rt/siphash.c)
