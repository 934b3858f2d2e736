# tests/net: lib/net's end-to-end tests (run.sh) and their host-side
# helper netclient, run inside the test's network namespace (bench/net
# uses it too).
$(B)/tests/net/netclient: $(call host_objs,tests/net/netclient.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

GUEST_TESTS += $(B)/tests/net/netclient
