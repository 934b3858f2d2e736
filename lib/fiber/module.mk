# lib/fiber: fibers (cooperative coroutines) for the blocking-style APIs,
# $(B)/lib/fiber.a. The same sources build for the host unit tests of the
# blocking network API (tests/unit/net/module.mk).
FIBER_SRCS := lib/fiber/fiber.c lib/fiber/switch.S
FIBER_OBJS := $(call guest_objs,$(FIBER_SRCS))

$(B)/lib/fiber.a: $(FIBER_OBJS)

ALL_TARGETS += $(B)/lib/fiber.a
