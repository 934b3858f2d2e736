# Every folder under examples/ with a unikernel.conf is an example, built
# by `atoll` for hvt, spt and virtio in the build folder
# $(B)/examples/NAME/TARGET and copied to $(B)/examples/NAME.TARGET. An
# example's name (the conf's 'name' line) is its folder's name. atoll
# itself knows what is out of date (sources, headers, flags, archives), so
# the rules always ask it; with nothing to do it does nothing and the copy
# stays untouched.
EXAMPLES := $(patsubst examples/%/unikernel.conf,%,\
	$(wildcard examples/*/unikernel.conf))

define example_rules
$(B)/examples/$(1).$(2): atoll-ready
	$(Q)$(ATOLL) configure -q -t $(2) -f examples/$(1)/unikernel.conf \
		-B $(B)/examples/$(1)/$(2)
	$(Q)$(ATOLL) -C $(B)/examples/$(1)/$(2) build -q
	$(Q)cmp -s $(B)/examples/$(1)/$(2)/dist/$(1).$(2) $$@ || \
		{ $(call show_step,ATOLL,$$@); \
		  cp $(B)/examples/$(1)/$(2)/dist/$(1).$(2) $$@; }
ALL_TARGETS += $(B)/examples/$(1).$(2)
endef
$(foreach e,$(EXAMPLES),$(foreach t,hvt spt virtio,\
	$(eval $(call example_rules,$(e),$(t)))))
