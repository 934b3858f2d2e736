# atoll-kv: the host command for lib/kv stores (`atoll kv ...` runs it),
# built from the same sources as the guest library; entropy.c is the
# platform's atoll_entropy that lib/kv calls, on the host.
$(B)/bin/atoll-kv: $(call host_objs,tools/kv/atoll-kv.c tools/kv/entropy.c \
		tenders/common/lock_holder.c) $(call host_libs,kv)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
ALL_TARGETS += $(B)/bin/atoll-kv
# identify.c: what a file that holds no store holds (atoll-kv's hints).
$(B)/bin/atoll-kv: $(call host_objs,tools/kv/identify.c)
