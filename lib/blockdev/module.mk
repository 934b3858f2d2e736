# lib/blockdev: the block device abstraction of include/atoll/blockdev.h.
#   $(B)/lib/blockdev.a   guest archive (the platform adapter), for
#                         applications that want raw blocks
# Its guest objects are also inside kv.a and tarkv.a, its host objects
# (the file adapter) in the host builds of those libraries and tools.
BLOCKDEV_GUEST_SRCS := lib/blockdev/common.c lib/blockdev/platform.c
BLOCKDEV_HOST_SRCS := lib/blockdev/common.c lib/blockdev/file.c

$(B)/lib/blockdev.a: $(call guest_objs,$(BLOCKDEV_GUEST_SRCS))
ALL_TARGETS += $(B)/lib/blockdev.a
