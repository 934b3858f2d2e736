# Guest test programs: each tests/guest/NAME.c becomes
# build/tests/guest/NAME.{hvt,spt}, with the devices listed in NAME.conf
# (if any). tests/guest/run.sh boots them and checks the results from the
# host side; netpeer is its host-side helper for the net round trip.
GT_PROGS := $(patsubst tests/guest/%.c,%,$(filter-out tests/guest/netpeer.c \
	tests/guest/entry.c,$(wildcard tests/guest/*.c)))
$(foreach p,$(GT_PROGS),$(eval $(call image_rules,tests/guest/$(p),\
	tests/guest/$(p).c,$(wildcard tests/guest/$(p).conf))))

$(B)/tests/guest/netpeer: $(call host_objs,tests/guest/netpeer.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

GUEST_TESTS += $(foreach p,$(GT_PROGS),$(B)/tests/guest/$(p).spt \
	$(B)/tests/guest/$(p).hvt) $(B)/tests/guest/netpeer

# entry (spt only) has its own entry point, entry_start, which records
# what the tender left in the registers before going on to _start.
$(B)/tests/guest/entry.spt: $(call guest_objs,tests/guest/entry.c) \
		$(ATOLL_CC) $(B)/lib/bindings-spt.a $(GUEST_LIBS) bindings/spt/spt.lds
	@mkdir -p $(@D)
	$(ATOLL_CC) --target=spt -e entry_start -o $@ $(filter %.o,$^)
GUEST_TESTS += $(B)/tests/guest/entry.spt
