# bench/kv: on demand only (`make bench-kv`, or sh bench/kv/run.sh), never
# part of `make` or `make test`. lmdb-bench needs Debian's liblmdb-dev.
$(B)/bench/kv/lmdb-bench: $(call host_objs,bench/kv/lmdb_bench.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -llmdb

$(B)/bench/kv/kvbench.spt: atoll-ready bench/kv/kvbench/kvbench.c \
		bench/kv/kvbench/unikernel.conf
	$(Q)$(ATOLL) configure -q -t spt -f bench/kv/kvbench/unikernel.conf \
		-B $(B)/bench/kv/kvbench/spt
	$(Q)$(ATOLL) -C $(B)/bench/kv/kvbench/spt build -q
	$(call step,ATOLL,$@)cp $(B)/bench/kv/kvbench/spt/dist/kvbench.spt $@

bench-kv-programs: $(B)/bench/kv/lmdb-bench $(B)/bench/kv/kvbench.spt \
	$(B)/bin/atoll-kv $(B)/bin/atoll-spt
bench-kv: bench-kv-programs
	@sh bench/kv/run.sh
.PHONY: bench-kv bench-kv-programs
