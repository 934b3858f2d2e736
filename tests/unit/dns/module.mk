# Host unit tests of lib/dns (glibc, ASan, UBSan) on tests/lib's harness:
#   $(B)/tests/unit/dns-wire   names, messages, the builder, RDATA
#   $(B)/tests/unit/dns-zone   zone files and the zone checks
DNS_TESTS := $(patsubst tests/unit/dns/test_%.c,%,\
	$(wildcard tests/unit/dns/test_*.c))

define dns_test_rule
$(B)/tests/unit/dns-$(1): $(call unit_objs,tests/unit/dns/test_$(1).c \
		$(DNS_SRCS) lib/rt/siphash.c lib/rt/sha1.c $(TEST_CHECK_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/dns-$(1)
endef
$(foreach t,$(DNS_TESTS),$(eval $(call dns_test_rule,$(t))))
