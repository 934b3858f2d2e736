# bench/kv: on demand only (`make bench-kv`, or sh bench/kv/run.sh), never
# part of `make` or `make test`. lmdb-bench needs Debian's liblmdb-dev.
$(B)/bench/kv/lmdb-bench: $(call host_objs,bench/kv/lmdb_bench.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -llmdb

$(B)/bench/kv/kvbench.spt: atoll-ready bench/kv/kvbench/kvbench.c \
		bench/kv/kvbench/unikernel.conf
	$(call atoll_app,bench/kv/kvbench/unikernel.conf,spt,\
		$(B)/bench/kv/kvbench/spt)

bench-kv-programs: $(B)/bench/kv/lmdb-bench $(B)/bench/kv/kvbench.spt \
	$(B)/bin/atoll-kv $(B)/bin/atoll-spt
bench-kv: bench-kv-programs
	@sh bench/kv/run.sh
.PHONY: bench-kv bench-kv-programs
