# lib/blockdev: the block device abstraction of include/atoll/blockdev.h.
#   $(B)/lib/blockdev.a        guest archive (the platform adapter)
#   $(B)/lib/host/blockdev.a   host archive (the file adapter)
# kv and tarkv need it (their lib_deps lines): linked once, after them.
BLOCKDEV_GUEST_SRCS := lib/blockdev/platform.c
BLOCKDEV_HOST_SRCS := lib/blockdev/file.c

$(B)/lib/blockdev.a: $(call guest_objs,$(BLOCKDEV_GUEST_SRCS))
$(B)/lib/host/blockdev.a: $(call host_objs,$(BLOCKDEV_HOST_SRCS))
ALL_TARGETS += $(B)/lib/blockdev.a $(B)/lib/host/blockdev.a
