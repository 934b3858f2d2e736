# Host unit tests of lib/libc (ASan, UBSan): $(B)/tests/unit/libc-NAME.
# $(B)/unit-libc/PATH.o: libc sources and the tests that use its headers,
# built for the host against include/libc with every name renamed. -MD,
# not -MMD: the headers (include/libc, via -isystem) count as system
# headers, and -nostdinc keeps the host's out of the list.
LIBC_UNIT_NO_LDP := $(shell $(HOST_CC) -Werror \
	-fno-tree-loop-distribute-patterns -x c -c /dev/null -o /dev/null \
	2>/dev/null && echo -fno-tree-loop-distribute-patterns)
LIBC_UNIT_CFLAGS := $(WARN) -O1 -g $(SAN_FLAGS) -ffreestanding \
	-nostdinc -isystem include/libc -Iinclude \
	-include tests/unit/libc/rename.h $(LIBC_UNIT_NO_LDP)

$(B)/unit-libc/%.o: %.c tests/unit/libc/rename.h
	@mkdir -p $(@D)
	$(call step,TESTCC,$<)$(HOST_CC) $(LIBC_UNIT_CFLAGS) -MD -MP -c $< -o $@

LIBC_HOST_A := $(B)/unit-libc/libc-host.a
$(LIBC_HOST_A): $(patsubst %.c,$(B)/unit-libc/%.o,$(LIBC_SRCS))

# Each test: tests/unit/libc/t_NAME.c (libc headers, renamed), optional
# tests/unit/libc/h_NAME.c (host headers, e.g. comparisons with glibc),
# and tests/lib's harness and fake platform (built with the host's headers).
LIBC_TESTS := $(patsubst tests/unit/libc/t_%.c,%,\
	$(wildcard tests/unit/libc/t_*.c))
LIBC_HARNESS := $(call unit_objs,$(TEST_FAKE_SRCS))

define libc_test_rule
$(B)/tests/unit/libc-$(1): $(B)/unit-libc/tests/unit/libc/t_$(1).o \
		$(call unit_objs,$(wildcard tests/unit/libc/h_$(1).c)) \
		$(LIBC_HARNESS) $(LIBC_HOST_A)
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/libc-$(1)
endef
$(foreach t,$(LIBC_TESTS),$(eval $(call libc_test_rule,$(t))))

libc-unit: $(foreach t,$(LIBC_TESTS),$(B)/tests/unit/libc-$(t))
.PHONY: libc-unit

# $(B)/tests/unit/libc-musl-fp: tests/unit/libc/musl_fp.c against m.a
# (musl's objects, run on the host as they are) and Atoll's printf.
ifneq ($(MUSL_A),)
$(B)/tests/unit/libc-musl-fp: $(call unit_objs,tests/unit/libc/musl_fp.c) \
		$(B)/lib/m.a $(LIBC_HARNESS) $(LIBC_HOST_A)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ \
		$(filter-out $(B)/lib/m.a,$^) \
		$(B)/lib/m.a $(LIBC_HOST_A) -lm -ldl
else
$(B)/tests/unit/libc-musl-fp:
	@mkdir -p $(@D)
	$(call step,GEN,$@)printf \
		'#!/bin/sh\necho "SKIP: musl-fp: no musl-dev (%s)"\n' \
		'/usr/lib/x86_64-linux-musl/libc.a' >$@
	$(Q)chmod +x $@
endif
UNIT_TESTS += $(B)/tests/unit/libc-musl-fp
libc-unit: $(B)/tests/unit/libc-musl-fp
# $(B)/tests/unit/libc-bearssl-link: tests/unit/libc/bearssl-link/check.sh
# with its paths filled in. It links refs.o (BearSSL calls, built with the
# guest flags against Atoll's headers and BearSSL's; BEARSSL_A and
# BEARSSL_INC come from lib/libc/module.mk) with Debian's libbearssl.a and
# lib/libc.a and names every symbol libc lacks. Without libbearssl-dev it
# prints one SKIP line.
BEARSSL_CHECK := tests/unit/libc/bearssl-link/check.sh
BEARSSL_NM ?= nm
BEARSSL_REFS := $(if $(and $(BEARSSL_A),$(BEARSSL_INC)),\
	$(call guest_objs,tests/unit/libc/bearssl-link/refs.c))

# -idirafter: BearSSL's headers come after Atoll's libc headers, so its
# <stddef.h>, <stdint.h> and <string.h> are Atoll's.
$(BEARSSL_REFS): GUEST_CFLAGS += -idirafter $(BEARSSL_INC)
$(BEARSSL_REFS): $(LIBC_HEADERS)

$(B)/tests/unit/libc-bearssl-link: $(BEARSSL_CHECK) $(BEARSSL_REFS) \
		$(B)/lib/libc.a include/atoll/platform.h
	@mkdir -p $(@D)
	$(call step,GEN,$@)sed -e 's|@LD@|$(LD)|' -e 's|@NM@|$(BEARSSL_NM)|' \
		-e 's|@LDFLAGS@|$(GUEST_LDFLAGS)|' \
		-e 's|@LIBC@|$(abspath $(B)/lib/libc.a)|' \
		-e 's|@REFS@|$(if $(BEARSSL_REFS),$(abspath $(BEARSSL_REFS)))|' \
		-e 's|@BEARSSL@|$(if $(BEARSSL_REFS),$(BEARSSL_A))|' \
		-e 's|@PLATFORM_H@|$(abspath include/atoll/platform.h)|' \
		$(BEARSSL_CHECK) >$@.tmp
	$(Q)chmod +x $@.tmp
	$(Q)mv $@.tmp $@
UNIT_TESTS += $(B)/tests/unit/libc-bearssl-link
libc-unit: $(B)/tests/unit/libc-bearssl-link
