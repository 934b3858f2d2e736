# Quiet builds, as Linux's: each step prints one line, its kind and what it
# makes ("  CC      lib/net/tcp.c", "  AR      build/lib/net.a"); V=1 prints
# the full commands instead. A recipe's command line starts with
# $(call step,KIND,WHAT), and its other lines with $(Q). V reaches atoll
# and atoll-cc through the environment: they follow the same convention.
V ?= 0
export V
ifeq ($(V),1)
Q :=
step =
show_step = :
else
Q := @
step = @printf '  %-7s %s\n' '$(1)' '$(2)';
show_step = printf '  %-7s %s\n' '$(1)' '$(2)'
endif
# $(call show_step,KIND,WHAT): the step line as a shell command, for a
# recipe that finds out itself whether there is a step to show.

# Pattern rules shared by every module.
#   $(B)/guest/PATH.o   guest object from PATH.c or PATH.S
#   $(B)/host/PATH.o    host object (tenders, tools)
#   $(B)/unit/PATH.o    host object built with sanitizers for unit tests
#   $(B)/PATH.a         an archive of its prerequisite objects: a module
#                       names them ($(B)/lib/NAME.a: OBJS), no recipe

$(B)/guest/%.o: %.c
	@mkdir -p $(@D)
	$(call step,CC,$<)$(GUEST_CC) $(GUEST_CFLAGS) -MD -MP -c $< -o $@

$(B)/guest/%.o: %.S
	@mkdir -p $(@D)
	$(call step,AS,$<)$(GUEST_CC) $(GUEST_ASFLAGS) -MD -MP -c $< -o $@

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(HOST_CC) $(HOST_CFLAGS) -MD -MP -c $< -o $@

$(B)/unit/%.o: %.c
	@mkdir -p $(@D)
	$(call step,TESTCC,$<)$(HOST_CC) $(UNIT_CFLAGS) -MD -MP -c $< -o $@

$(B)/%.a:
	@mkdir -p $(@D)
	$(call step,AR,$@)rm -f $@ && $(AR) rcs $@ $(filter %.o,$^)

guest_objs = $(patsubst %,$(B)/guest/%.o,$(basename $(1)))
host_objs = $(patsubst %,$(B)/host/%.o,$(basename $(1)))
unit_objs = $(patsubst %,$(B)/unit/%.o,$(basename $(1)))

# Library dependencies, declared once: lib/NAME/module.mk names the Atoll
# libraries NAME calls with $(eval $(call lib_deps,NAME,LIBS[,HOSTLIBS])).
# Make links them after NAME (host_libs), and $(B)/lib/NAME.deps, installed
# beside NAME.a, tells atoll and atoll-cc, which link LIBS wherever NAME is
# linked (tools/atoll/tree.c, tree_library_deps). HOSTLIBS: what only the
# host archive needs besides, as rt (lib/host/rt.a), which every guest
# image links anyway.
define lib_deps
LIBDEPS_$(1) := $(2)
HOST_LIBDEPS_$(1) := $(2) $(3)
$(B)/lib/$(1).deps: lib/$(1)/module.mk
	@mkdir -p $$(@D)
	$$(call step,GEN,$$@)echo '$(2)' >$$@
$(B)/lib/$(1).a $(B)/lib/host/$(1).a: $(B)/lib/$(1).deps
endef
# $(call lib_closure,NAMES): NAMES, each followed by the libraries it needs.
lib_closure = $(strip $(1) $(foreach l,$(1),\
	$(call lib_closure,$(LIBDEPS_$(l)))))
# $(call host_libs,NAMES): the host archives that link NAMES.
host_closure = $(strip $(1) $(foreach l,$(1),\
	$(call host_closure,$(HOST_LIBDEPS_$(l)))))
host_libs = $(patsubst %,$(B)/lib/host/%.a,$(call host_closure,$(1)))

# Guest archives every image links.
GUEST_LIBS = $(B)/lib/rt.a $(B)/lib/libc.a

# The atoll tools (tools/atoll): atoll builds applications from their
# unikernel.conf; atoll-cc compiles and links guest code and is the one
# place the guest flags and the link line are written down.
ATOLL = $(B)/bin/atoll
ATOLL_CC = $(B)/bin/atoll-cc

# $(call link_image,TARGET,CONF): link $@ with atoll-cc from the objects in
# $^: the target's linker script and bindings (linked whole: they hold the
# entry point and notes), the runtime, libc, and a manifest of the devices
# CONF declares (no devices if CONF is empty).
define link_image
	@mkdir -p $(@D)
	$(call step,LD,$@)$(ATOLL_CC) --target=$(1) -o $@ \
		$(filter %.o,$^)$(if $(strip $(2)), --manifest=$(strip $(2)))
endef

-include $(shell find $(B) -name '*.d' -type f 2>/dev/null)

# $(call atoll_app,CONF,TARGET,DIR): the recipe of an image that atoll
# builds: the application of CONF, for TARGET, in the build folder DIR;
# its image is copied to $@ when it changed. atoll knows what is out of
# date (sources, headers, flags, archives), so its rules always ask it
# (they depend on the phony atoll-ready).
define atoll_app
	$(Q)$(ATOLL) configure -q -t $(2) -f $(1) -B $(strip $(3))
	$(Q)$(ATOLL) -C $(strip $(3)) build -q
	$(Q)cmp -s $(strip $(3))/dist/$(notdir $@) $@ || \
		{ $(call show_step,ATOLL,$@); \
		  cp $(strip $(3))/dist/$(notdir $@) $@; }
endef

# $(call image_rules,OUT,SRCS,CONF): rules for $(B)/OUT.hvt and $(B)/OUT.spt
# built from the C sources SRCS with the devices that CONF declares (CONF may
# be empty: no devices). Adds both images to ALL_TARGETS.
define image_rules
$(B)/$(1).hvt: $(call guest_objs,$(2)) $(3) $(ATOLL_CC) \
		$(B)/lib/bindings-hvt.a $(GUEST_LIBS) bindings/hvt/hvt.lds
	$$(call link_image,hvt,$(3))
$(B)/$(1).spt: $(call guest_objs,$(2)) $(3) $(ATOLL_CC) \
		$(B)/lib/bindings-spt.a $(GUEST_LIBS) bindings/spt/spt.lds
	$$(call link_image,spt,$(3))
ALL_TARGETS += $(B)/$(1).hvt $(B)/$(1).spt
endef
