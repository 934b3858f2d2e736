# Host unit tests of lib/net (glibc, ASan, UBSan): $(B)/tests/unit/net-NAME.
# tests/unit/net/test_NAME.c links with lib/net's host sources, the
# runtime's timers and event loop, lib/fiber, tests/lib's harness, fake
# platform and capturing device, and the frame builders of frames.c and
# headers.c.
NET_UNIT_SUPPORT := tests/unit/net/frames.c tests/unit/net/headers.c \
	$(TEST_FAKE_SRCS) \
	tests/lib/fakelog.c tests/lib/fakenet.c lib/rt/timer.c lib/rt/loop.c \
	lib/fiber/fiber.c lib/fiber/switch.S
NET_UNIT_SUPPORT += lib/rt/err.c lib/rt/siphash.c
NET_TESTS := $(patsubst tests/unit/net/test_%.c,%,\
	$(wildcard tests/unit/net/test_*.c))

define net_test_rule
$(B)/tests/unit/net-$(1): $(call unit_objs,tests/unit/net/test_$(1).c \
		$(NET_UNIT_SUPPORT) $(NET_HOST_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/net-$(1)
endef
$(foreach t,$(NET_TESTS),$(eval $(call net_test_rule,$(t))))

net-unit: $(foreach t,$(NET_TESTS),$(B)/tests/unit/net-$(t))
.PHONY: net-unit
