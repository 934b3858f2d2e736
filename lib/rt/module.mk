# lib/rt: the runtime, $(B)/lib/rt.a (heap, panic, logging, boot
# parameters, timers, event loop, the start of main).
RT_SRCS := $(sort $(wildcard lib/rt/*.c))
RT_OBJS := $(call guest_objs,$(RT_SRCS))

# __stack_chk_fail must not check a canary of its own.
$(B)/guest/lib/rt/panic.o: GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/rt.a: $(RT_OBJS)

ALL_TARGETS += $(B)/lib/rt.a
