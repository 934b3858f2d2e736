# tests/net: lib/net's end-to-end tests (run.sh) and their host-side
# helper tcpclient, run inside the test's network namespace.
$(B)/tests/net/tcpclient: $(call host_objs,tests/net/tcpclient.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

GUEST_TESTS += $(B)/tests/net/tcpclient
