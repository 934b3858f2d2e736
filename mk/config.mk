# Toolchain and flags. CC may be gcc or clang; both must build warning-free.
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
HOST_CC ?= $(CC)
GUEST_CC ?= $(CC)
LD ?= ld
AR ?= ar
B := build

WARN := -std=c11 -Wall -Wextra -Werror

# The guest flags, written here once: the archives are built with them, and
# atoll-cc adds exactly GUEST_BASE_CFLAGS, GUEST_ASFLAGS and GUEST_LDFLAGS
# (tools/atoll/module.mk writes them into atoll-cc, with -I and -isystem
# folders made absolute, and -T for the target's linker script).
# Freestanding guest code: only Atoll's own headers, no host headers.
# -mno-red-zone: hvt runs exception handlers on the interrupted stack (the
# archives are shared by every target, so all targets use it).
# -mstack-protector-guard=global: the canary is __stack_chk_guard, not
# %fs:0x28 (the guest owns %fs; before lib/rt sets it, it holds whatever the
# tender left there: 0, unmapped, on spt). lib/rt still keeps a copy at
# %fs:0x28 for code built without this flag.
# No -mgeneral-regs-only: guest code is built for the x86-64 baseline
# (SSE2) and may use floating point. The bindings set MXCSR and the x87
# control word to their defaults at boot (atoll-hvt enables SSE in CR0 and
# CR4), and fiber switches keep both, as the SysV ABI asks. A KVM that
# emulates every guest instruction cannot run such code: atoll-hvt names
# the instruction it stopped at.
# Per-function and per-object sections let the link drop what the image
# does not use (--gc-sections); no unwind tables.
GUEST_BASE_CFLAGS := -ffreestanding -fno-pie -fno-pic \
	-nostdinc -isystem include/libc -Iinclude \
	-mno-red-zone -fstack-protector-strong -mstack-protector-guard=global \
	-fno-omit-frame-pointer \
	-fno-common -fno-plt -fno-asynchronous-unwind-tables \
	-ffunction-sections -fdata-sections -D__ATOLL__
GUEST_CFLAGS := $(WARN) -O2 -g $(GUEST_BASE_CFLAGS) $(EXTRA_GUEST_CFLAGS)
GUEST_ASFLAGS := -nostdinc -Iinclude -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-dynamic-linker --build-id=none --gc-sections

# Host code: tenders and tools.
HOST_CFLAGS := $(WARN) -O2 -g -D_GNU_SOURCE -Iinclude $(EXTRA_HOST_CFLAGS)
HOST_LDFLAGS :=

# Host unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
UNIT_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude $(SAN_FLAGS)
