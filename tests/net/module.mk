# tests/net: lib/net's end-to-end tests (run.sh) and their host-side
# helper netclient, run inside the test's network namespace (bench/net
# uses it too).
$(B)/tests/net/netclient: $(call host_objs,tests/net/netclient.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

GUEST_TESTS += $(B)/tests/net/netclient

# fiberguard, a guest program linked with lib/fiber by atoll-cc.
$(B)/tests/net/fiberguard.spt: $(call guest_objs,tests/net/fiberguard.c) \
		$(ATOLL_CC) $(B)/lib/fiber.a $(B)/lib/bindings-spt.a $(GUEST_LIBS)
	@mkdir -p $(@D)
	$(call step,LD,$@)$(ATOLL_CC) --target=spt -o $@ $(filter %.o,$^) -lfiber

GUEST_TESTS += $(B)/tests/net/fiberguard.spt
