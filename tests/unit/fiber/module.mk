# Host unit tests of lib/fiber (glibc, ASan, UBSan): $(B)/tests/unit/fiber,
# tests/unit/fiber/test_fiber.c with lib/fiber, the runtime's timers and
# event loop, and tests/lib's harness, fake platform and log.
FIBER_UNIT_SRCS := tests/unit/fiber/test_fiber.c lib/fiber/fiber.c \
	lib/fiber/switch.S lib/rt/timer.c lib/rt/loop.c $(TEST_FAKE_SRCS) \
	tests/lib/fakelog.c

# lib/fiber's context switch, assembled for the host (here and for the
# blocking network API's tests, tests/unit/net).
$(B)/unit/lib/fiber/%.o: lib/fiber/%.S
	@mkdir -p $(@D)
	$(call step,AS,$<)$(HOST_CC) -c $< -o $@

$(B)/tests/unit/fiber: $(call unit_objs,$(FIBER_UNIT_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/fiber
