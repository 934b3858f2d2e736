# lib/kv: the crash-safe key-value store.
#   $(B)/lib/kv.a          guest archive
#   $(B)/lib/host/kv.a     the same sources for host tools (file adapter);
#                          the program provides atoll_entropy
KV_SRCS := $(sort $(wildcard lib/kv/*.c))
$(eval $(call lib_deps,kv,blockdev,rt))

$(B)/lib/kv.a: $(call guest_objs,$(KV_SRCS))

$(B)/lib/host/kv.a: $(call host_objs,$(KV_SRCS))

ALL_TARGETS += $(B)/lib/kv.a $(B)/lib/host/kv.a
