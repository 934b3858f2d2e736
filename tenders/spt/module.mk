# atoll-spt, the seccomp-sandboxed process tender. Links the shared tender
# code and libseccomp. Built as PIE so that it sits far above guest memory.
SPT_TENDER_SRCS := $(filter-out tenders/spt/%_test.c,\
	$(wildcard tenders/spt/*.c))
SPT_TENDER_OBJS := $(call host_objs,$(SPT_TENDER_SRCS))

$(SPT_TENDER_OBJS): HOST_CFLAGS += -fPIE
# The fault handler runs with the guest's %fs: no stack protector there.
$(B)/host/tenders/spt/fault.o: HOST_CFLAGS += -fno-stack-protector

# -z now: no lazy symbol binding (the dynamic linker) after the sandbox.
$(B)/bin/atoll-spt: $(SPT_TENDER_OBJS) $(TENDER_COMMON_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -pie \
		-Wl,-z,now,-z,relro,-z,noexecstack -o $@ $^ -lseccomp
ALL_TARGETS += $(B)/bin/atoll-spt
