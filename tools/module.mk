# atoll-mftgen: the manifest source of the tree's own test images, from a
# unikernel.conf. It shares tools/atoll's parser and manifest writer.
$(MFTGEN): $(call host_objs,tools/atoll/mftgen.c $(ATOLL_COMMON_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
ALL_TARGETS += $(MFTGEN)
