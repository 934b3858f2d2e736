# lib/dns's libFuzzer targets (clang only), built by tests/fuzz-dns/run.sh
# with `make fuzz-dns-targets`, not by `make`: each tests/fuzz-dns/fuzz_NAME.c
# becomes $(B)/tests/fuzz-dns/fuzz_NAME, linked with lib/dns's sources and
# common.c: fuzz_msg (whole messages), fuzz_zone (zone files), fuzz_answer
# (dns_answer on queries against a fixed zone).
# fuzz-dns-seeds writes their seeds with lib/dns itself.
FUZZ_DNS_CC ?= clang
FUZZ_DNS_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_DNS_TARGETS := $(patsubst tests/fuzz-dns/fuzz_%.c,%,\
	$(wildcard tests/fuzz-dns/fuzz_*.c))
FUZZ_DNS_SUPPORT := $(patsubst %.c,$(B)/fuzz-dns/%.o,tests/fuzz-dns/common.c \
	$(DNS_SRCS) lib/rt/siphash.c lib/rt/sha1.c)

$(B)/fuzz-dns/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(FUZZ_DNS_CC) $(FUZZ_DNS_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_dns_rule
$(B)/tests/fuzz-dns/fuzz_$(1): $(B)/fuzz-dns/tests/fuzz-dns/fuzz_$(1).o \
		$(FUZZ_DNS_SUPPORT)
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$(FUZZ_DNS_CC) \
		$(subst fuzzer-no-link,fuzzer,$(FUZZ_DNS_CFLAGS)) -o $$@ $$^
endef
$(foreach t,$(FUZZ_DNS_TARGETS),$(eval $(call fuzz_dns_rule,$(t))))

$(B)/tests/fuzz-dns/fuzz-dns-seeds: $(call host_objs,tests/fuzz-dns/seeds.c) \
		$(call host_libs,dns)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

fuzz-dns-targets: $(foreach t,$(FUZZ_DNS_TARGETS),\
	$(B)/tests/fuzz-dns/fuzz_$(t)) $(B)/tests/fuzz-dns/fuzz-dns-seeds
.PHONY: fuzz-dns-targets
