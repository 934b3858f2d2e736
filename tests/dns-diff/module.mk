# tests/dns-diff: lib/dns against NSD (run.sh, compare.py).
#   $(B)/tests/dns-diff/hostdns   lib/dns's dns_answer on host UDP/TCP
#                                 sockets; lib/dns built with ASan/UBSan
#                                 as the unit tests are, what it needs
#                                 (lib_deps: rt) from the host archives
$(B)/tests/dns-diff/hostdns: $(call unit_objs,tests/dns-diff/hostdns.c \
		$(DNS_SRCS)) $(call host_libs,$(HOST_LIBDEPS_dns))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^

GUEST_TESTS += $(B)/tests/dns-diff/hostdns
