# The libFuzzer targets for the tenders' image, manifest and argument
# parsers (fuzz_tender) and for lib/rt's boot-parameter parser
# (fuzz_param). Not part of `make`: tests/fuzz/run.sh builds them (clang
# only) with
#   make $(B)/tests/fuzz/fuzz_tender $(B)/tests/fuzz/fuzz_param
# and runs them for FUZZ_SECONDS and FUZZ_PARAM_SECONDS.
FUZZ_CC ?= clang
comma := ,
FUZZ_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude -Itenders/common \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_SRCS := tests/fuzz/fuzz_tender.c $(TENDER_COMMON_SRCS)
FUZZ_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,$(FUZZ_SRCS))

# Library objects get -fsanitize=fuzzer-no-link: instrumented, no main().
$(B)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(FUZZ_CC) \
		$(subst fuzzer$(comma),fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) \
		-MMD -MP -c $< -o $@

$(B)/tests/fuzz/fuzz_tender: $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

FUZZ_PARAM_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,tests/fuzz/fuzz_param.c \
	lib/rt/param.c)
$(B)/tests/fuzz/fuzz_param: $(FUZZ_PARAM_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

# `make fuzz` (Makefile) runs this group with tests/fuzz-net and
# tests/fuzz-storage; this one alone:
fuzz-tender: $(B)/tests/fuzz/fuzz_tender $(B)/tests/fuzz/fuzz_param
	@B=$(B) sh tests/fuzz/run.sh

.PHONY: fuzz-tender
