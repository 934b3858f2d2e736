# atoll-hvt, the KVM tender. Links the shared tender code and libseccomp.
HVT_TENDER_SRCS := $(filter-out tenders/hvt/%_test.c,\
	$(wildcard tenders/hvt/*.c))
$(B)/bin/atoll-hvt: $(call host_objs,$(HVT_TENDER_SRCS)) $(TENDER_COMMON_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lseccomp
ALL_TARGETS += $(B)/bin/atoll-hvt
