# lib/libc: Atoll's freestanding C library subset, $(B)/lib/libc.a.
# Host unit tests compile the same sources with tests/unit/libc/rename.h,
# which renames every public name to alc_NAME so glibc stays out of the way.

LIBC_SRCS := $(sort $(wildcard lib/libc/*.c))
LIBC_OBJS := $(call guest_objs,$(LIBC_SRCS))

# gcc turns copy/fill loops into memcpy/memset calls, which would recurse
# inside memcpy itself; clang does not do so under -ffreestanding.
LIBC_NO_LDP := $(shell $(GUEST_CC) -Werror -fno-tree-loop-distribute-patterns \
	-x c -c /dev/null -o /dev/null 2>/dev/null && \
	echo -fno-tree-loop-distribute-patterns)
$(LIBC_OBJS): GUEST_CFLAGS += $(LIBC_NO_LDP)

$(B)/lib/libc.a: $(LIBC_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

ALL_TARGETS += $(B)/lib/libc.a

# ---- host unit tests --------------------------------------------------
# $(B)/unit-libc/PATH.o: libc sources and the tests that use its headers,
# built for the host against include/libc with every name renamed.
LIBC_UNIT_NO_LDP := $(shell $(HOST_CC) -Werror \
	-fno-tree-loop-distribute-patterns -x c -c /dev/null -o /dev/null \
	2>/dev/null && echo -fno-tree-loop-distribute-patterns)
LIBC_UNIT_CFLAGS := $(WARN) -O1 -g $(SAN_FLAGS) -ffreestanding \
	-nostdinc -isystem include/libc -Iinclude \
	-include tests/unit/libc/rename.h $(LIBC_UNIT_NO_LDP)

$(B)/unit-libc/%.o: %.c tests/unit/libc/rename.h
	@mkdir -p $(@D)
	$(HOST_CC) $(LIBC_UNIT_CFLAGS) -MMD -MP -c $< -o $@

LIBC_HOST_A := $(B)/unit-libc/libc-host.a
$(LIBC_HOST_A): $(patsubst %.c,$(B)/unit-libc/%.o,$(LIBC_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# Each test: tests/unit/libc/t_NAME.c (libc headers, renamed), optional
# tests/unit/libc/h_NAME.c (host headers, e.g. comparisons with glibc),
# and the shared host-side harness.
LIBC_TESTS := $(patsubst tests/unit/libc/t_%.c,%,\
	$(wildcard tests/unit/libc/t_*.c))
LIBC_HARNESS := $(call unit_objs,tests/unit/libc/harness.c)

define libc_test_rule
$(B)/tests/unit/libc-$(1): $(B)/unit-libc/tests/unit/libc/t_$(1).o \
		$(call unit_objs,$(wildcard tests/unit/libc/h_$(1).c)) \
		$(LIBC_HARNESS) $(LIBC_HOST_A)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/libc-$(1)
endef
$(foreach t,$(LIBC_TESTS),$(eval $(call libc_test_rule,$(t))))

libc-unit: $(foreach t,$(LIBC_TESTS),$(B)/tests/unit/libc-$(t))
.PHONY: libc-unit
