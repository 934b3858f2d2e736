# bench/net: lib/net against Linux kernel sockets (run.sh, on demand).
# linux_echo is the Linux side's server, tap_reflect the floor behind a TAP
# device (ping, UDP echo); `make bench-net` builds what the
# benchmark needs and runs it.
$(B)/bench/net/linux_echo: $(call host_objs,bench/net/linux_echo.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

$(B)/bench/net/tap_reflect: $(call host_objs,bench/net/tap_reflect.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

bench-net: $(B)/bench/net/linux_echo $(B)/bench/net/tap_reflect \
		$(B)/tests/net/netclient \
		$(B)/examples/echo.spt $(B)/bin/atoll-spt
	@B=$(B) sh bench/net/run.sh

.PHONY: bench-net
