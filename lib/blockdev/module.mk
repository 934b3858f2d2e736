# lib/blockdev: the block device abstraction of include/atoll/blockdev.h.
# Not an archive of its own: its guest objects go into kv.a and tarkv.a
# (the platform adapter), its host objects into the host builds of those
# libraries and tools (the file adapter).
BLOCKDEV_GUEST_SRCS := lib/blockdev/common.c lib/blockdev/platform.c
BLOCKDEV_HOST_SRCS := lib/blockdev/common.c lib/blockdev/file.c
