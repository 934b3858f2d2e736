# Host unit tests of lib/http (glibc, ASan, UBSan) on tests/lib's harness:
#   $(B)/tests/unit/http-parse   the request parser, every rule and split
#   $(B)/tests/unit/http-path    percent-decoding and path normalization
# outcome.c (the parser's events as text) is shared with tests/fuzz-http.
HTTP_TESTS := $(patsubst tests/unit/http/test_%.c,%,\
	$(wildcard tests/unit/http/test_*.c))

define http_test_rule
$(B)/tests/unit/http-$(1): $(call unit_objs,tests/unit/http/test_$(1).c \
		tests/unit/http/outcome.c $(HTTP_SRCS) $(TEST_CHECK_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/http-$(1)
endef
$(foreach t,$(HTTP_TESTS),$(eval $(call http_test_rule,$(t))))
