# Every folder under examples/ with a unikernel.conf is an example, built
# by `atoll` for hvt, spt, virtio and xen in the build folder
# $(B)/examples/NAME/TARGET and copied to $(B)/examples/NAME.TARGET
# (mk/rules.mk, atoll_app). An example's name (the conf's 'name' line) is
# its folder's name.
EXAMPLES := $(patsubst examples/%/unikernel.conf,%,\
	$(wildcard examples/*/unikernel.conf))

define example_rules
$(B)/examples/$(1).$(2): atoll-ready
	$$(call atoll_app,examples/$(1)/unikernel.conf,$(2),\
		$(B)/examples/$(1)/$(2))
ALL_TARGETS += $(B)/examples/$(1).$(2)
endef
$(foreach e,$(EXAMPLES),$(foreach t,hvt spt virtio xen,\
	$(eval $(call example_rules,$(e),$(t)))))
