# Guest programs for tests/xen/run.sh, as .xen images: hello, fault, clock
# and yield of tests/guest (the same objects as their other images).
# atoll-cc does not offer the xen target yet (tools/atoll), so they are
# linked here with the flags it uses, the virtio target's linker script
# (the same entry and layout) and bindings-xen.a.
XT_FROM_GUEST := hello fault clock yield

define xt_image # NAME SOURCE
$(B)/tests/xen/$(1).xen: $(call guest_objs,$(2)) $(B)/lib/bindings-xen.a \
		$(GUEST_LIBS) bindings/virtio/virtio.lds
	@mkdir -p $$(@D)
	$$(call step,LD,$$@)$$(LD) $$(GUEST_LDFLAGS) \
		-T bindings/virtio/virtio.lds -o $$@ $$(filter %.o,$$^) \
		--whole-archive $(B)/lib/bindings-xen.a --no-whole-archive \
		--start-group $(GUEST_LIBS) --end-group
GUEST_TESTS += $(B)/tests/xen/$(1).xen
endef
$(foreach p,$(XT_FROM_GUEST),$(eval $(call xt_image,$(p),tests/guest/$(p).c)))
# store: reads xenstore paths through bindings/xen's client.
$(eval $(call xt_image,store,tests/xen/store.c))
