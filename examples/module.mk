# Every folder under examples/ with a unikernel.conf is an example built for
# hvt and spt into build/examples/NAME.{hvt,spt}.
EXAMPLES := $(patsubst examples/%/unikernel.conf,%,\
	$(wildcard examples/*/unikernel.conf))
$(foreach e,$(EXAMPLES),$(eval $(call image_rules,examples/$(e),\
	$(wildcard examples/$(e)/*.c),examples/$(e)/unikernel.conf)))
