# lib/net's libFuzzer targets (clang only), built by tests/fuzz-net/run.sh
# with `make fuzz-net-targets`, not by `make`: each tests/fuzz-net/fuzz_NAME.c
# becomes $(B)/tests/fuzz-net/fuzz_NAME, linked with lib/net's host sources,
# the runtime's timers, common.c, tests/unit/net's header builders
# (headers.c) and tests/lib's fake platform.
# fuzz-net-seeds writes their seeds.
FUZZ_NET_CC ?= clang
FUZZ_NET_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -DNET_CHECKS -Iinclude \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_NET_TARGETS := $(patsubst tests/fuzz-net/fuzz_%.c,%,\
	$(wildcard tests/fuzz-net/fuzz_*.c))
FUZZ_NET_SUPPORT := $(patsubst %.c,$(B)/fuzz-net/%.o,tests/fuzz-net/common.c \
	tests/unit/net/headers.c \
	tests/lib/fake.c tests/lib/fakelog.c \
	lib/rt/timer.c $(filter-out lib/net/fiber_api.c,$(NET_HOST_SRCS)))
FUZZ_NET_SUPPORT += $(B)/fuzz-net/lib/rt/err.o $(B)/fuzz-net/lib/rt/siphash.o

$(B)/fuzz-net/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(FUZZ_NET_CC) $(FUZZ_NET_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_net_rule
$(B)/tests/fuzz-net/fuzz_$(1): $(B)/fuzz-net/tests/fuzz-net/fuzz_$(1).o \
		$(FUZZ_NET_SUPPORT)
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$(FUZZ_NET_CC) \
		$(subst fuzzer-no-link,fuzzer,$(FUZZ_NET_CFLAGS)) -o $$@ $$^
endef
$(foreach t,$(FUZZ_NET_TARGETS),$(eval $(call fuzz_net_rule,$(t))))

$(B)/tests/fuzz-net/fuzz-net-seeds: $(call host_objs,tests/fuzz-net/seeds.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

fuzz-net-targets: $(foreach t,$(FUZZ_NET_TARGETS),\
	$(B)/tests/fuzz-net/fuzz_$(t)) $(B)/tests/fuzz-net/fuzz-net-seeds
.PHONY: fuzz-net-targets
