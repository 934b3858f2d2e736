# Host unit tests of the virtio drivers, under ASan and UBSan: split rings,
# feature choice and parsers, the status sequence, net.c and block.c
# against device models on their rings. $(B)/tests/unit/virtio-NAME from
# tests/unit/virtio/test_NAME.c and the sources in VIRTIO_UNIT_SRCS_NAME
# (fake.c, the fake device and the bindings' functions those sources call,
# with the test defining the rest).
VIRTIO_UNIT_SRCS_ring := bindings/virtio/virtio_ring.c
VIRTIO_UNIT_SRCS_parse := bindings/virtio/virtio_parse.c
VIRTIO_UNIT_SRCS_dev := tests/unit/virtio/fake.c bindings/virtio/virtio_dev.c bindings/virtio/virtio_ring.c bindings/common/say.c \
	bindings/virtio/virtio_parse.c
VIRTIO_UNIT_SRCS_net := tests/unit/virtio/fake.c bindings/virtio/net.c bindings/virtio/virtio_dev.c bindings/common/say.c \
	bindings/virtio/virtio_ring.c bindings/virtio/virtio_parse.c lib/net/vnet.c
VIRTIO_UNIT_SRCS_block := tests/unit/virtio/fake.c bindings/virtio/block.c bindings/virtio/virtio_dev.c bindings/common/say.c \
	bindings/virtio/virtio_ring.c bindings/virtio/virtio_parse.c
# net.c's test brings up a device per case, more than a guest drives.
$(B)/unit/bindings/virtio/net.o $(B)/unit/tests/unit/virtio/test_net.o: \
	UNIT_CFLAGS += -DVIRTIO_NET_MAX=20
VIRTIO_UNIT_TESTS := $(patsubst tests/unit/virtio/test_%.c,%,\
	$(wildcard tests/unit/virtio/test_*.c))

define virtio_unit_rule
$(B)/tests/unit/virtio-$(1): $(call unit_objs,tests/unit/virtio/test_$(1).c \
		$(VIRTIO_UNIT_SRCS_$(1)) $(TEST_CHECK_SRCS))
	@mkdir -p $$(@D)
	$$(call step,HOSTLD,$$@)$$(HOST_CC) $$(SAN_FLAGS) -o $$@ $$^
UNIT_TESTS += $(B)/tests/unit/virtio-$(1)
endef
$(foreach t,$(VIRTIO_UNIT_TESTS),$(eval $(call virtio_unit_rule,$(t))))
