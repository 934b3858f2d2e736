# tests/storage: host helpers and guest programs of tests/storage/run.sh.
#   $(B)/tests/storage/tarcat         reads archives through lib/tarkv
#   $(B)/tests/storage/tarserve.spt   lib/tarkv in a unikernel (built by
#                                     atoll from tarserve/unikernel.conf)
#   $(B)/tests/storage/kvclient       examples/kv's protocol from the host
$(B)/tests/storage/tarcat: $(call host_objs,tests/storage/tarcat.c) \
		$(call host_libs,tarkv)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

$(B)/tests/storage/tarserve.spt: atoll-ready tests/storage/tarserve/tarserve.c \
		tests/storage/tarserve/unikernel.conf
	$(call atoll_app,tests/storage/tarserve/unikernel.conf,spt,\
		$(B)/tests/storage/tarserve/spt)

GUEST_TESTS += $(B)/tests/storage/tarcat $(B)/tests/storage/tarserve.spt

$(B)/tests/storage/kvclient: $(call host_objs,tests/storage/kvclient.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -pthread -o $@ $^

GUEST_TESTS += $(B)/tests/storage/kvclient
