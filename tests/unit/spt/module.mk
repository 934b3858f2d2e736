# Host unit tests of the spt bindings' pure logic, under ASan and UBSan:
# $(B)/tests/unit/spt-NAME from tests/unit/spt/test_NAME.c and
# bindings/spt/NAME.c.
SPT_UNIT_TESTS := $(patsubst tests/unit/spt/test_%.c,%,\
	$(wildcard tests/unit/spt/test_*.c))

define spt_unit_rule
$(B)/tests/unit/spt-$(1): $(call unit_objs,tests/unit/spt/test_$(1).c \
		bindings/spt/$(1).c $(TEST_CHECK_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/spt-$(1)
endef
$(foreach t,$(SPT_UNIT_TESTS),$(eval $(call spt_unit_rule,$(t))))
