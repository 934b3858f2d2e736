# tests/dns: examples/dns end to end (run.sh): dig, kdig, nc, dnsperf and
# NSD against the server on spt in a network namespace. `make test-dns`
# runs this group alone.
test-dns: $(B)/examples/dns.spt $(B)/bin/atoll-spt
	@B=$(B) sh tests/dns/run.sh
.PHONY: test-dns
