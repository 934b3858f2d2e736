# lib/rt: the runtime, $(B)/lib/rt.a (heap, panic, logging, boot
# parameters, timers, event loop, the start of main), and
# $(B)/lib/host/rt.a, the parts host builds of the libraries call (error
# names, SipHash, SHA-1): kv and tarkv name it in their lib_deps.
RT_SRCS := $(sort $(wildcard lib/rt/*.c))
RT_OBJS := $(call guest_objs,$(RT_SRCS))

# __stack_chk_fail must not check a canary of its own.
$(B)/guest/lib/rt/panic.o: GUEST_CFLAGS += -fno-stack-protector

$(B)/lib/rt.a: $(RT_OBJS)

$(B)/lib/host/rt.a: $(call host_objs,lib/rt/err.c lib/rt/siphash.c \
	lib/rt/sha1.c)

ALL_TARGETS += $(B)/lib/rt.a $(B)/lib/host/rt.a
