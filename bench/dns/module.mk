# bench/dns: examples/dns against NSD with dnsperf (run.sh, on demand):
# `make bench-dns` builds what it needs and runs it.
bench-dns: $(B)/examples/dns.spt $(B)/bin/atoll-spt
	@B=$(B) sh bench/dns/run.sh

.PHONY: bench-dns
