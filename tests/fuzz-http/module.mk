# lib/http's libFuzzer targets (clang only), built by tests/fuzz-http/run.sh
# with `make fuzz-http-targets`, not by `make`: each tests/fuzz-http/fuzz_NAME.c
# becomes $(B)/tests/fuzz-http/fuzz_NAME, linked with lib/http's sources and
# tests/unit/http/outcome.c: fuzz_split (split parsing equals one-shot
# parsing), fuzz_path (path normalization), fuzz_server (the server loop
# on a fake stream: bodies read by the handler equal the one-shot parse;
# static files).
FUZZ_HTTP_CC ?= clang
FUZZ_HTTP_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_HTTP_TARGETS := $(patsubst tests/fuzz-http/fuzz_%.c,%,\
	$(wildcard tests/fuzz-http/fuzz_*.c))
FUZZ_HTTP_SUPPORT := $(patsubst %.c,$(B)/fuzz-http/%.o,\
	tests/unit/http/outcome.c $(HTTP_SRCS))

$(B)/fuzz-http/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(FUZZ_HTTP_CC) $(FUZZ_HTTP_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_http_rule
$(B)/tests/fuzz-http/fuzz_$(1): $(B)/fuzz-http/tests/fuzz-http/fuzz_$(1).o \
		$(FUZZ_HTTP_SUPPORT)
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$(FUZZ_HTTP_CC) \
		$(subst fuzzer-no-link,fuzzer,$(FUZZ_HTTP_CFLAGS)) -o $$@ $$^
endef
$(foreach t,$(FUZZ_HTTP_TARGETS),$(eval $(call fuzz_http_rule,$(t))))

fuzz-http-targets: $(foreach t,$(FUZZ_HTTP_TARGETS),\
	$(B)/tests/fuzz-http/fuzz_$(t))
.PHONY: fuzz-http-targets
