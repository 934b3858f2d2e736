$(MFTGEN): $(call host_objs,tools/mftgen.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
ALL_TARGETS += $(MFTGEN)
