# lib/blockdev: the block device abstraction of include/atoll/blockdev.h.
#   $(B)/lib/blockdev.a        guest archive (the platform and memory
#                              adapters)
#   $(B)/lib/host/blockdev.a   host archive (the file and memory adapters)
# kv and tarkv need it (their lib_deps lines): linked once, after them.
BLOCKDEV_GUEST_SRCS := lib/blockdev/platform.c lib/blockdev/memory.c
BLOCKDEV_HOST_SRCS := lib/blockdev/file.c lib/blockdev/memory.c

$(B)/lib/blockdev.a: $(call guest_objs,$(BLOCKDEV_GUEST_SRCS))
$(B)/lib/host/blockdev.a: $(call host_objs,$(BLOCKDEV_HOST_SRCS))
ALL_TARGETS += $(B)/lib/blockdev.a $(B)/lib/host/blockdev.a
