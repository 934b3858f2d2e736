# Pattern rules shared by every module.
#   $(B)/guest/PATH.o   guest object from PATH.c or PATH.S
#   $(B)/host/PATH.o    host object (tenders, tools)
#   $(B)/unit/PATH.o    host object built with sanitizers for unit tests

$(B)/guest/%.o: %.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MD -MP -c $< -o $@

$(B)/guest/%.o: %.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_ASFLAGS) -MD -MP -c $< -o $@

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -MD -MP -c $< -o $@

$(B)/unit/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -MD -MP -c $< -o $@

guest_objs = $(patsubst %,$(B)/guest/%.o,$(basename $(1)))
host_objs = $(patsubst %,$(B)/host/%.o,$(basename $(1)))
unit_objs = $(patsubst %,$(B)/unit/%.o,$(basename $(1)))

# Guest archives every image links.
GUEST_LIBS = $(B)/lib/rt.a $(B)/lib/libc.a

# $(call link_image,TARGET): link $@ from the objects in $^ that are not
# archives, with the target's bindings, the runtime and libc.
# The bindings archive is linked whole: it holds the entry point and notes.
define link_image
	@mkdir -p $(@D)
	$(LD) $(GUEST_LDFLAGS) -T bindings/$(1)/$(1).lds -o $@ \
		$(filter %.o,$^) --whole-archive $(B)/lib/bindings-$(1).a \
		--no-whole-archive --start-group $(GUEST_LIBS) --end-group
endef

# A generated manifest: $(B)/gen/NAME.mft.c from a devices list.
# $(call manifest_rule,NAME,DEVICES) with DEVICES like "net:service".
MFTGEN = $(B)/bin/atoll-mftgen

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# $(call image_rules,OUT,SRCS,CONF): rules for $(B)/OUT.hvt and $(B)/OUT.spt
# built from the C sources SRCS with the devices that CONF declares (CONF may
# be empty: no devices). Adds both images to ALL_TARGETS.
define image_rules
$(B)/gen/$(1).mft.c: $(3) $(MFTGEN)
	@mkdir -p $$(@D)
	$(MFTGEN) -o $$@ $(3)
$(B)/$(1).hvt: $(call guest_objs,$(2)) $(B)/guest/$(B)/gen/$(1).mft.o \
		$(B)/lib/bindings-hvt.a $(GUEST_LIBS) bindings/hvt/hvt.lds
	$$(call link_image,hvt)
$(B)/$(1).spt: $(call guest_objs,$(2)) $(B)/guest/$(B)/gen/$(1).mft.o \
		$(B)/lib/bindings-spt.a $(GUEST_LIBS) bindings/spt/spt.lds
	$$(call link_image,spt)
ALL_TARGETS += $(B)/$(1).hvt $(B)/$(1).spt
endef
