# atoll-hvt, the KVM tender. Links the shared tender code and libseccomp.
HVT_TENDER_SRCS := $(filter-out tenders/hvt/%_test.c,\
	$(wildcard tenders/hvt/*.c))
$(B)/bin/atoll-hvt: $(call host_objs,$(HVT_TENDER_SRCS)) $(TENDER_COMMON_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -static-pie -o $@ $^ -lseccomp
ALL_TARGETS += $(B)/bin/atoll-hvt

# hvt-probe: a guest with the bindings only, driven by test/run.sh.
HVT_PROBE := $(B)/tests/hvt/hvt-probe.hvt
$(HVT_PROBE): $(call guest_objs,tenders/hvt/test/probe.c) \
		$(B)/guest/$(B)/gen/tests/hvt/probe.mft.o \
		$(B)/lib/bindings-hvt.a bindings/hvt/hvt.lds
	@mkdir -p $(@D)
	$(LD) $(GUEST_LDFLAGS) -T bindings/hvt/hvt.lds -o $@ \
		$(filter %.o,$^) --whole-archive $(B)/lib/bindings-hvt.a \
		--no-whole-archive
# The same guest with a net device instead.
HVT_PROBE_NET := $(B)/tests/hvt/hvt-probe-net.hvt
$(HVT_PROBE_NET): $(call guest_objs,tenders/hvt/test/probe.c) \
		$(B)/guest/$(B)/gen/tests/hvt/probe-net.mft.o \
		$(B)/lib/bindings-hvt.a bindings/hvt/hvt.lds
	@mkdir -p $(@D)
	$(LD) $(GUEST_LDFLAGS) -T bindings/hvt/hvt.lds -o $@ \
		$(filter %.o,$^) --whole-archive $(B)/lib/bindings-hvt.a \
		--no-whole-archive
$(B)/gen/tests/hvt/%.mft.c: tenders/hvt/test/%.conf $(MFTGEN)
	@mkdir -p $(@D)
	$(MFTGEN) -o $@ $<

# The tender and probe tests, run by tests/run.sh with the unit tests.
$(B)/tests/unit/hvt-tender: tenders/hvt/test/run.sh $(B)/bin/atoll-hvt \
		$(HVT_PROBE) $(HVT_PROBE_NET)
	@mkdir -p $(@D)
	cp tenders/hvt/test/run.sh $@
	chmod +x $@
UNIT_TESTS += $(B)/tests/unit/hvt-tender

# Page-table unit test, under the sanitizers.
$(B)/tests/unit/hvt-layout: $(call unit_objs,tenders/hvt/test/layout_test.c \
		tenders/hvt/layout.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/hvt-layout
