# lib/dns: the DNS wire format and zone files (include/atoll/dns.h), no
# platform calls and no malloc: memory comes from a caller's arena.
#   $(B)/lib/dns.a          guest archive
#   $(B)/lib/host/dns.a     the same sources for host tools and tests
DNS_SRCS := $(sort $(wildcard lib/dns/*.c))
$(eval $(call lib_deps,dns,,rt))

$(B)/lib/dns.a: $(call guest_objs,$(DNS_SRCS))

$(B)/lib/host/dns.a: $(call host_objs,$(DNS_SRCS))

ALL_TARGETS += $(B)/lib/dns.a $(B)/lib/host/dns.a
