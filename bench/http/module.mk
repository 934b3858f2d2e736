# bench/http: examples/www against nginx with wrk (run.sh, on demand):
# `make bench-http` builds what it needs and runs it.
# The Debian packages it needs (wrk, nginx-light): tests/lib/deps.sh bench.
bench-http: $(B)/examples/www.spt $(B)/bin/atoll-spt $(ATOLL)
	@sh tests/lib/deps.sh bench
	@B=$(B) sh bench/http/run.sh

.PHONY: bench-http
