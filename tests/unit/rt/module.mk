# Host unit tests of lib/rt (glibc, ASan, UBSan): $(B)/tests/unit/rt-NAME.
# Each tests/unit/rt/test_NAME.c links with the lib/rt sources that do not
# need the platform ABI, with RT_UNIT_EXTRA_NAME (sources that call it),
# and with tests/lib's harness and fake platform.
RT_UNIT_SRCS := lib/rt/heap.c lib/rt/siphash.c lib/rt/param.c lib/rt/timer.c
RT_UNIT_EXTRA_log := lib/rt/log.c
RT_UNIT_EXTRA_loop := lib/rt/loop.c
RT_UNIT_EXTRA_err := lib/rt/err.c
RT_UNIT_EXTRA_sha1 := lib/rt/sha1.c
RT_TESTS := $(patsubst tests/unit/rt/test_%.c,%,\
	$(wildcard tests/unit/rt/test_*.c))

define rt_test_rule
$(B)/tests/unit/rt-$(1): $(call unit_objs,tests/unit/rt/test_$(1).c \
		$(RT_UNIT_SRCS) $(RT_UNIT_EXTRA_$(1)) $(TEST_FAKE_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/rt-$(1)
endef
$(foreach t,$(RT_TESTS),$(eval $(call rt_test_rule,$(t))))
