# Tender robustness tests: unit tests of tenders/common, the malformed-image
# generator, and (tests/tender/run.sh) the tenders fed malformed images.
TENDER_TEST_HELPERS := tests/tender/imgbuild.c tests/tender/mutate.c

$(B)/unit/tests/tender/%.o: UNIT_CFLAGS += -Itenders/common
$(B)/host/tests/tender/%.o: HOST_CFLAGS += -Itenders/common

define tender_unit_test
$(B)/tests/unit/tender_$(1): $(call unit_objs,tests/tender/unit_$(1).c \
		$(TENDER_TEST_HELPERS) $(TEST_CHECK_SRCS)) $(TENDER_COMMON_UNIT_OBJS)
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$(HOST_CC) $(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/tender_$(1)
endef
$(foreach t,args mft elf symbol dwarf_line,$(eval $(call tender_unit_test,$(t))))

# The generator is a helper of tests/tender/run.sh, built with the test
# programs (it sits outside build/tests/unit, so the runner does not run it).
TENDER_MKBAD := $(B)/tests/tender/mkbad
$(TENDER_MKBAD): $(call host_objs,tests/tender/mkbad.c \
		$(TENDER_TEST_HELPERS)) $(TENDER_COMMON_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
UNIT_TESTS += $(TENDER_MKBAD)

# The DWARF line reader on real ELF files (tests/tender/run.sh compares it
# with addr2line and mutates the files' sections), under the sanitizers.
TENDER_DWARF_LINES := $(B)/tests/tender/dwarf_lines
$(TENDER_DWARF_LINES): $(call unit_objs,tests/tender/dwarf_lines.c \
		tenders/common/dwarf_line.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(TENDER_DWARF_LINES)

# atoll-hvt's hypercall handlers (the real tenders/hvt/hypercall.c) against
# fake guest memory with guard pages, under the sanitizers: no KVM needed.
$(B)/unit/tests/tender/unit_hypercall.o: UNIT_CFLAGS += -Itenders/hvt
$(B)/tests/unit/tender_hypercall: $(call unit_objs,\
		tests/tender/unit_hypercall.c tenders/hvt/hypercall.c \
		tenders/hvt/netio.c tenders/hvt/netring.c \
		tenders/common/symbol.c tenders/common/dwarf_line.c \
		tenders/common/err.c \
		$(TEST_CHECK_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/tender_hypercall

# atoll-spt's vDSO lookup (tenders/spt/vdso.c) on this process's vDSO and
# mangled copies of it, under the sanitizers.
$(B)/unit/tests/tender/unit_vdso.o: UNIT_CFLAGS += -Itenders/spt
$(B)/tests/unit/tender_vdso: $(call unit_objs,tests/tender/unit_vdso.c \
		tenders/spt/vdso.c $(TEST_CHECK_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/tender_vdso

# Bad devices are refused with status 1 (as Solo5's are), on both tenders.
$(B)/tests/unit/tender_devstatus: tests/tender/devstatus.sh \
		$(B)/bin/atoll-spt $(B)/bin/atoll-hvt
	@mkdir -p $(@D)
	$(call step,GEN,$@)cp $< $@
	$(Q)chmod +x $@
UNIT_TESTS += $(B)/tests/unit/tender_devstatus

# What atoll-hvt writes into guest memory before the guest runs (the real
# tenders/hvt/bootinfo.c), against memory ending at the boot area.
$(B)/unit/tests/tender/unit_bootinfo.o: UNIT_CFLAGS += -Itenders/hvt
$(B)/tests/unit/tender_bootinfo: $(call unit_objs,\
		tests/tender/unit_bootinfo.c tenders/hvt/bootinfo.c \
		$(TEST_CHECK_SRCS)) \
		$(TENDER_COMMON_UNIT_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/tender_bootinfo
