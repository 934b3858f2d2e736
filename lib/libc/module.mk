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

# -MMD leaves out headers found through -isystem, which is how every
# guest file reaches include/libc: name them here so that editing one
# rebuilds libc.
LIBC_HEADERS := $(wildcard include/libc/*.h include/libc/sys/*.h \
	include/libc/arpa/*.h include/libc/netinet/*.h)
$(LIBC_OBJS): $(LIBC_HEADERS)

$(B)/lib/libc.a: $(LIBC_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

ALL_TARGETS += $(B)/lib/libc.a

# ---- host unit tests --------------------------------------------------
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
	$(HOST_CC) $(LIBC_UNIT_CFLAGS) -MD -MP -c $< -o $@

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

# ---- libm and strtod from Debian's musl-dev (MIT licence) ----------------
# $(B)/lib/m.a: named members of musl's static libc.a, extracted as they
# are (no musl source in Atoll): the math.h functions, strtod/strtof/atof
# and what they call among themselves. These objects make no system call;
# their only needs outside this list are ___errno_location and __uflow
# (lib/libc/musl_glue.c) and __stack_chk_fail (lib/rt). They use SSE and
# x87 code, so only guests built with SSE can use them. The list is the
# closure of the wanted functions under "nm -u" (checked by
# tests/unit/libc/musl-members.sh). Without musl-dev, m.a is not built.
MUSL_A ?= $(firstword $(wildcard /usr/lib/x86_64-linux-musl/libc.a \
	/usr/lib/musl/lib/libc.a))
MUSL_M_MEMBERS := __cos __cosdf __expo2 __math_divzero __math_divzerof \
	__math_invalid __math_invalidf __math_oflow __math_oflowf \
	__math_uflow __math_uflowf __math_xflow __math_xflowf __rem_pio2 \
	__rem_pio2_large __rem_pio2f __sin __sindf __tan __tandf acos acosh \
	asin asinh atan atan2 atan2f atanf atanh atof cbrt ceil ceilf \
	copysign copysignl cos cosf cosh erf exp exp2 exp2f_data exp_data \
	expf expm1 fabs fabsf fabsl fdim fenv floatscan floor floorf fma fmax \
	fmin fmod fmodf fmodl frexp hypot ilogb ldexp lgamma lgamma_r llround \
	log log10 log1p log2 log2_data log_data logb logf logf_data lrint \
	lround modf nan nearbyint nextafter pow pow_data powf powf_data \
	remainder remquo rint round roundf scalbln scalbn scalbnl shgetc \
	signgam sin sinf sinh sqrt sqrtf strtod tan tanf tanh tgamma trunc \
	truncf
MUSL_M_LO := $(addsuffix .lo,$(MUSL_M_MEMBERS))

$(B)/lib/m.a: $(MUSL_A) lib/libc/module.mk
	rm -rf $(B)/musl-m
	mkdir -p $(B)/musl-m $(@D)
	cd $(B)/musl-m && $(AR) x $(abspath $(MUSL_A)) $(MUSL_M_LO)
	rm -f $@
	$(AR) rcs $@ $(addprefix $(B)/musl-m/,$(MUSL_M_LO))

ifneq ($(MUSL_A),)
ALL_TARGETS += $(B)/lib/m.a
endif

# $(B)/tests/unit/libc-musl-fp: tests/unit/libc/musl_fp.c against m.a
# (musl's objects, run on the host as they are) and Atoll's printf.
ifneq ($(MUSL_A),)
$(B)/tests/unit/libc-musl-fp: $(call unit_objs,tests/unit/libc/musl_fp.c) \
		$(B)/lib/m.a $(LIBC_HARNESS) $(LIBC_HOST_A)
	@mkdir -p $(@D)
	$(HOST_CC) $(SAN_FLAGS) -o $@ $(filter-out $(B)/lib/m.a,$^) \
		$(B)/lib/m.a $(LIBC_HOST_A) -lm -ldl
else
$(B)/tests/unit/libc-musl-fp:
	@mkdir -p $(@D)
	printf '#!/bin/sh\necho "SKIP: musl-fp: no musl-dev (%s)"\n' \
		'/usr/lib/x86_64-linux-musl/libc.a' >$@
	chmod +x $@
endif
UNIT_TESTS += $(B)/tests/unit/libc-musl-fp
libc-unit: $(B)/tests/unit/libc-musl-fp

# ---- BearSSL link check ---------------------------------------------------
# $(B)/tests/unit/libc-bearssl-link: tests/unit/libc/bearssl-link/check.sh
# with its paths filled in. It links refs.o (BearSSL calls, built with the
# guest flags against Atoll's headers and BearSSL's) with Debian's
# libbearssl.a and lib/libc.a and names every symbol libc lacks. Without
# libbearssl-dev it prints one SKIP line. Override BEARSSL_A/BEARSSL_INC
# for a BearSSL built elsewhere.
BEARSSL_A ?= $(firstword $(wildcard /usr/lib/x86_64-linux-gnu/libbearssl.a \
	/usr/lib/libbearssl.a /usr/local/lib/libbearssl.a))
BEARSSL_INC ?= $(patsubst %/bearssl_ssl.h,%,$(firstword $(wildcard \
	/usr/include/bearssl/bearssl_ssl.h /usr/include/bearssl_ssl.h \
	/usr/local/include/bearssl_ssl.h)))
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
	sed -e 's|@LD@|$(LD)|' -e 's|@NM@|$(BEARSSL_NM)|' \
		-e 's|@LDFLAGS@|$(GUEST_LDFLAGS)|' \
		-e 's|@LIBC@|$(abspath $(B)/lib/libc.a)|' \
		-e 's|@REFS@|$(if $(BEARSSL_REFS),$(abspath $(BEARSSL_REFS)))|' \
		-e 's|@BEARSSL@|$(if $(BEARSSL_REFS),$(BEARSSL_A))|' \
		-e 's|@PLATFORM_H@|$(abspath include/atoll/platform.h)|' \
		$(BEARSSL_CHECK) >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
UNIT_TESTS += $(B)/tests/unit/libc-bearssl-link
libc-unit: $(B)/tests/unit/libc-bearssl-link
