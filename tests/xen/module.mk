# Guest programs for tests/xen/run.sh, as .xen images linked by atoll-cc
# --target=xen: hello, fault, clock, yield and block of tests/guest (the
# same objects and manifests as their other images) and store
# (tests/xen/store.c: xenstore reads through bindings/xen's client), net2
# (tests/xen/net2.c: two net devices, a frame echoed on each).
XT_FROM_GUEST := hello fault clock yield block

define xt_image # NAME SOURCE [CONF]
$(B)/tests/xen/$(1).xen: $(call guest_objs,$(2)) $(3) $(ATOLL_CC) \
		$(B)/lib/bindings-xen.a $(GUEST_LIBS) bindings/virtio/virtio.lds
	$$(call link_image,xen,$(3))
GUEST_TESTS += $(B)/tests/xen/$(1).xen
endef
$(foreach p,$(XT_FROM_GUEST),$(eval $(call xt_image,$(p),tests/guest/$(p).c,\
	$(wildcard tests/guest/$(p).conf))))
$(eval $(call xt_image,store,tests/xen/store.c))
$(eval $(call xt_image,net2,tests/xen/net2.c,tests/xen/net2.conf))
