# Guest programs for tests/virtio/run.sh, as .virtio images: hello, fault,
# clock and yield of tests/guest (the same objects as their hvt and spt
# images), and bootinfo (tests/virtio/bootinfo.c: which entry the loader
# took, the clock source, the I/O APICs), irq (tests/virtio/irq.c: a
# device interrupt through irq.h) and overflow (tests/virtio/overflow.c: the
# stack guard page).
VT_FROM_GUEST := hello fault clock yield

define vt_image # NAME SOURCE
$(B)/tests/virtio/$(1).virtio: $(call guest_objs,$(2)) $(ATOLL_CC) \
		$(B)/lib/bindings-virtio.a $(GUEST_LIBS) bindings/virtio/virtio.lds
	$$(call link_image,virtio,)
GUEST_TESTS += $(B)/tests/virtio/$(1).virtio
endef
$(foreach p,$(VT_FROM_GUEST),$(eval $(call vt_image,$(p),tests/guest/$(p).c)))
$(eval $(call vt_image,bootinfo,tests/virtio/bootinfo.c))
$(eval $(call vt_image,overflow,tests/virtio/overflow.c))
$(eval $(call vt_image,irq,tests/virtio/irq.c))

# tests/guest programs with devices, as the device scripts (block*.sh)
# expect them: $(B)/tests/guest/NAME.virtio with NAME.conf's manifest.
VT_GUEST_DEV := block
define vt_guest_dev_image # NAME
$(B)/tests/guest/$(1).virtio: $(call guest_objs,tests/guest/$(1).c) \
		tests/guest/$(1).conf $(ATOLL_CC) $(B)/lib/bindings-virtio.a \
		$(GUEST_LIBS) bindings/virtio/virtio.lds
	$$(call link_image,virtio,tests/guest/$(1).conf)
GUEST_TESTS += $(B)/tests/guest/$(1).virtio
endef
$(foreach p,$(VT_GUEST_DEV),$(eval $(call vt_guest_dev_image,$(p))))
