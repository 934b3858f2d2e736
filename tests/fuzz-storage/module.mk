# libFuzzer targets of the storage libraries (clang only), built by
# tests/fuzz-storage/run.sh with `make fuzz-storage-targets`, not by
# `make`: fuzz_tar (lib/tarkv's parser) and fuzz_kv (lib/kv's recovery),
# each over the in-memory block device of tests/lib (fakeblk.c) and the
# fake platform's entropy (fake.c); fuzz-storage-seeds writes
# kv images to start from (tar seeds come from GNU tar in run.sh).
FUZZ_ST_CC ?= clang
FUZZ_ST_CFLAGS := $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_ST_DEV := tests/lib/fakeblk.c tests/lib/check.c tests/lib/fake.c
FUZZ_ST_DEV += lib/rt/err.c lib/rt/siphash.c

$(B)/fuzz-storage/%.o: %.c
	@mkdir -p $(@D)
	$(call step,HOSTCC,$<)$(FUZZ_ST_CC) $(FUZZ_ST_CFLAGS) -MMD -MP -c $< -o $@

fuzz_st_objs = $(patsubst %.c,$(B)/fuzz-storage/%.o,$(1))

$(B)/tests/fuzz-storage/fuzz_tar: $(call fuzz_st_objs,\
		tests/fuzz-storage/fuzz_tar.c lib/tarkv/tarkv.c $(FUZZ_ST_DEV))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(FUZZ_ST_CC) \
		$(subst fuzzer-no-link,fuzzer,$(FUZZ_ST_CFLAGS)) -o $@ $^

$(B)/tests/fuzz-storage/fuzz_kv: $(call fuzz_st_objs,\
		tests/fuzz-storage/fuzz_kv.c $(wildcard lib/kv/*.c) $(FUZZ_ST_DEV))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(FUZZ_ST_CC) \
		$(subst fuzzer-no-link,fuzzer,$(FUZZ_ST_CFLAGS)) -o $@ $^

$(B)/tests/fuzz-storage/fuzz-storage-seeds: $(call host_objs,\
		tests/fuzz-storage/seeds.c tests/lib/fakeblk.c tests/lib/check.c \
		tests/lib/fake.c) \
		$(call host_libs,kv)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

fuzz-storage-targets: $(B)/tests/fuzz-storage/fuzz_tar \
	$(B)/tests/fuzz-storage/fuzz_kv $(B)/tests/fuzz-storage/fuzz-storage-seeds
.PHONY: fuzz-storage-targets
