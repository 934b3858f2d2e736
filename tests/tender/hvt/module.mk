# atoll-hvt's own tests: run.sh checks the tender from outside and, through
# hvt-probe, from inside a guest; unit_layout.c checks its page tables.
#   $(B)/tests/hvt/hvt-probe.hvt       the probe, with a block device
#   $(B)/tests/hvt/hvt-probe-net.hvt   the same probe with a net device
#   $(B)/tests/unit/hvt-tender         run.sh, run with the unit tests
#   $(B)/tests/unit/hvt-layout         tenders/hvt/layout.c, ASan/UBSan
# The probe is linked by atoll-cc as every guest is; it defines
# atoll_rt_start itself, so nothing of lib/rt or libc comes in.
HVT_PROBE_OBJ := $(call guest_objs,tests/tender/hvt/probe.c)
define hvt_probe_rule # NAME
$(B)/tests/hvt/$(1).hvt: $(HVT_PROBE_OBJ) tests/tender/hvt/$(1:hvt-%=%).conf \
		$(ATOLL_CC) $(B)/lib/bindings-hvt.a $(GUEST_LIBS) bindings/hvt/hvt.lds
	$$(call link_image,hvt,tests/tender/hvt/$(1:hvt-%=%).conf)
endef
$(foreach p,hvt-probe hvt-probe-net,$(eval $(call hvt_probe_rule,$(p))))

$(B)/tests/unit/hvt-tender: tests/tender/hvt/run.sh $(B)/bin/atoll-hvt \
		$(B)/tests/hvt/hvt-probe.hvt $(B)/tests/hvt/hvt-probe-net.hvt
	@mkdir -p $(@D)
	$(call step,GEN,$@)cp $< $@
	$(Q)chmod +x $@
UNIT_TESTS += $(B)/tests/unit/hvt-tender

$(B)/unit/tests/tender/hvt/unit_layout.o: UNIT_CFLAGS += -Itenders/hvt
$(B)/tests/unit/hvt-layout: $(call unit_objs,tests/tender/hvt/unit_layout.c \
		tenders/hvt/layout.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/hvt-layout

# The net ring: the tender's and the guest's halves, two threads, ASan/UBSan.
$(B)/unit/tests/tender/hvt/unit_netring.o: UNIT_CFLAGS += -Itenders/hvt
$(B)/tests/unit/hvt-netring: $(call unit_objs,tests/tender/hvt/unit_netring.c \
		tenders/hvt/netring.c bindings/hvt/netring.c $(TEST_CHECK_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^ -lpthread
UNIT_TESTS += $(B)/tests/unit/hvt-netring
