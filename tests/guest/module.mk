# Guest test programs: each tests/guest/NAME.c becomes
# build/tests/guest/NAME.{hvt,spt}, with the devices listed in NAME.conf
# (if any). tests/guest/run.sh boots them and checks the results from the
# host side; netpeer is its host-side helper for the net round trip.
# fpu, bearssl, entry and libm have rules of their own (below).
GT_OWN_RULES := netpeer fpu bearssl entry libm
GT_PROGS := $(filter-out $(GT_OWN_RULES),$(patsubst tests/guest/%.c,%,\
	$(wildcard tests/guest/*.c)))
$(foreach p,$(GT_PROGS),$(eval $(call image_rules,tests/guest/$(p),\
	tests/guest/$(p).c,$(wildcard tests/guest/$(p).conf))))

$(B)/tests/guest/netpeer: $(call host_objs,tests/guest/netpeer.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

GUEST_TESTS += $(foreach p,$(GT_PROGS),$(B)/tests/guest/$(p).spt \
	$(B)/tests/guest/$(p).hvt) $(B)/tests/guest/netpeer

# entry (spt only) has its own entry point, entry_start, which records
# what the tender left in the registers before going on to _start.
$(B)/tests/guest/entry.spt: $(call guest_objs,tests/guest/entry.c) \
		$(ATOLL_CC) $(B)/lib/bindings-spt.a $(GUEST_LIBS) bindings/spt/spt.lds
	@mkdir -p $(@D)
	$(call step,LD,$@)$(ATOLL_CC) --target=spt -e entry_start -o $@ \
		$(filter %.o,$^)
GUEST_TESTS += $(B)/tests/guest/entry.spt

# fpu: floating point and SSE, with lib/fiber.
GT_FPU_OBJ := $(call guest_objs,tests/guest/fpu.c)

# bearssl: Debian's libbearssl.a (lib/libc/module.mk finds BEARSSL_A and
# BEARSSL_INC), unmodified, runs known-answer tests in a guest; without
# libbearssl-dev there is no image and run.sh says SKIP.
GT_BEARSSL_OBJ := $(if $(and $(BEARSSL_A),$(BEARSSL_INC)),\
	$(call guest_objs,tests/guest/bearssl.c))
$(GT_BEARSSL_OBJ): GUEST_CFLAGS += -idirafter $(BEARSSL_INC)

# libm: printf/strtod/sscanf with doubles and libm (musl's objects in
# m.a, built where musl-dev is installed: tests/lib/deps.sh installs it).
GT_LIBM_OBJ := $(call guest_objs,tests/guest/libm.c)

define gt_own_images # TARGET
$(B)/tests/guest/fpu.$(1): $(GT_FPU_OBJ) $(ATOLL_CC) $(B)/lib/fiber.a \
		$(B)/lib/bindings-$(1).a $(GUEST_LIBS) bindings/$(1)/$(1).lds
	@mkdir -p $$(@D)
	$$(call step,LD,$$@)$(ATOLL_CC) --target=$(1) -o $$@ $$(filter %.o,$$^) -lfiber
GUEST_TESTS += $(B)/tests/guest/fpu.$(1)
ifneq ($(MUSL_A),)
$(B)/tests/guest/libm.$(1): $(GT_LIBM_OBJ) $(ATOLL_CC) $(B)/lib/m.a \
		$(B)/lib/bindings-$(1).a $(GUEST_LIBS) bindings/$(1)/$(1).lds
	@mkdir -p $$(@D)
	$$(call step,LD,$$@)$(ATOLL_CC) --target=$(1) -o $$@ $(GT_LIBM_OBJ) \
		$(B)/lib/m.a
GUEST_TESTS += $(B)/tests/guest/libm.$(1)
endif
ifneq ($(GT_BEARSSL_OBJ),)
$(B)/tests/guest/bearssl.$(1): $(GT_BEARSSL_OBJ) $(BEARSSL_A) $(ATOLL_CC) \
		$(B)/lib/bindings-$(1).a $(GUEST_LIBS) bindings/$(1)/$(1).lds
	@mkdir -p $$(@D)
	$$(call step,LD,$$@)$(ATOLL_CC) --target=$(1) -o $$@ \
		$(GT_BEARSSL_OBJ) $(BEARSSL_A)
GUEST_TESTS += $(B)/tests/guest/bearssl.$(1)
endif
endef
$(foreach t,spt hvt,$(eval $(call gt_own_images,$(t))))
