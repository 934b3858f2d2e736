# lib/dns: the DNS wire format and zone files (include/atoll/dns.h), no
# platform calls and no malloc: memory comes from a caller's arena.
#   $(B)/lib/dns.a          guest archive
#   $(B)/lib/host/dns.a     the same sources for host tools and tests
DNS_SRCS := $(sort $(wildcard lib/dns/*.c))
$(eval $(call lib_deps,dns,,rt))

$(B)/lib/dns.a: $(call guest_objs,$(DNS_SRCS))

# What runs when zones load (or for AXFR, NSEC3 hashing and messages) is
# built for size: 5.6 KB less in dns.spt (issue #12's 150 KB). The answer
# path (answer, name, msg, build, index, rdata, rrl) stays -O2.
DNS_COLD_SRCS := $(addprefix lib/dns/,zone.c ztext.c zcheck.c text.c \
	axfr.c nsec3.c arena.c)
$(call guest_objs,$(DNS_COLD_SRCS)): GUEST_CFLAGS += -Os

$(B)/lib/host/dns.a: $(call host_objs,$(DNS_SRCS))

ALL_TARGETS += $(B)/lib/dns.a $(B)/lib/host/dns.a
