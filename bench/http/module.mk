# bench/http: examples/www against nginx with wrk (run.sh, on demand):
# `make bench-http` builds what it needs and runs it.
bench-http: $(B)/examples/www.spt $(B)/bin/atoll-spt
	@B=$(B) sh bench/http/run.sh

.PHONY: bench-http
