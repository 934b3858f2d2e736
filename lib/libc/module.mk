# lib/libc: Atoll's freestanding C library subset, $(B)/lib/libc.a.
# Host unit tests (tests/unit/libc/module.mk) compile the same sources with
# tests/unit/libc/rename.h, which renames every public name to alc_NAME so
# glibc stays out of the way.

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

ALL_TARGETS += $(B)/lib/libc.a

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
	$(call step,AR,$@)rm -rf $(B)/musl-m && mkdir -p $(B)/musl-m $(@D) && \
		cd $(B)/musl-m && $(AR) x $(abspath $(MUSL_A)) $(MUSL_M_LO)
	$(Q)rm -f $@ && $(AR) rcs $@ $(addprefix $(B)/musl-m/,$(MUSL_M_LO))

ifneq ($(MUSL_A),)
ALL_TARGETS += $(B)/lib/m.a
endif

# ---- BearSSL ------------------------------------------------------------
# Debian's libbearssl.a and its headers, for the BearSSL guest test
# (tests/guest) and the link check (tests/unit/libc). Override
# BEARSSL_A/BEARSSL_INC for a BearSSL built elsewhere.
BEARSSL_A ?= $(firstword $(wildcard /usr/lib/x86_64-linux-gnu/libbearssl.a \
	/usr/lib/libbearssl.a /usr/local/lib/libbearssl.a))
BEARSSL_INC ?= $(patsubst %/bearssl_ssl.h,%,$(firstword $(wildcard \
	/usr/include/bearssl/bearssl_ssl.h /usr/include/bearssl_ssl.h \
	/usr/local/include/bearssl_ssl.h)))
