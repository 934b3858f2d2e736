# atoll-hvt, the KVM tender. Links the shared tender code and libseccomp.
#
# A dynamic PIE by default (full RELRO: every symbol bound before main):
# the tender is the trusted computing base, and the static link bought
# nothing that matters. Measured at f57f61d on this project's machine kind
# (emulated KVM, Debian 12, glibc 2.36, gcc 12, load average about 5 from
# other work), both links of the same objects in the same hyperfine -N
# runs (5 warm-up, 80 runs each, three rounds; medians per round):
#
#   link          stripped size   --version          --mem=32 hello.hvt
#   static-pie    900392 bytes    0.51 0.47 0.45 ms  30.5 32.0 31.8 ms
#   dynamic PIE    51336 bytes    0.86 0.74 0.79 ms  30.6 28.9 33.3 ms
#
# Loading libc.so.6 and libseccomp.so.2 (129 KB) costs about 0.3 ms, lost
# in the spread of a guest's boot. Both links have all their code in
# memory before the sandbox is installed (the dynamic one loads it before
# main); nothing is loaded after. HVT_STATIC=1 links atoll-hvt static-pie
# again (rebuild it: make does not track the variable), and
# $(B)/bin/atoll-hvt-static (not in `all`) is the static one for a system
# without those libraries (a minimal VM).
# Its tests are in tests/tender/hvt.
HVT_TENDER_SRCS := $(wildcard tenders/hvt/*.c)
HVT_TENDER_OBJS := $(call host_objs,$(HVT_TENDER_SRCS)) $(TENDER_COMMON_OBJS)
HVT_LINK := $(if $(HVT_STATIC),-static-pie,-pie -Wl,-z,relro,-z,now)
$(B)/bin/atoll-hvt: $(HVT_TENDER_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) $(HVT_LINK) -o $@ $^ -lseccomp
ALL_TARGETS += $(B)/bin/atoll-hvt
$(B)/bin/atoll-hvt-static: $(HVT_TENDER_OBJS)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -static-pie -o $@ $^ -lseccomp
