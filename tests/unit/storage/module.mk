# Host unit tests of the storage libraries (glibc, ASan, UBSan), each with
# lib/blockdev's file adapter and tests/lib's harness:
#   $(B)/tests/unit/storage-kv      lib/kv over the fault-injecting block
#                                   device of tests/lib (fakeblk.c), with
#                                   the fake platform's entropy
#   $(B)/tests/unit/storage-tarkv   lib/tarkv
$(B)/tests/unit/storage-kv: $(call unit_objs,tests/unit/storage/test_kv.c \
		$(KV_SRCS) $(BLOCKDEV_HOST_SRCS) $(TEST_FAKE_SRCS) \
		tests/lib/fakeblk.c)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/storage-kv

$(B)/tests/unit/storage-tarkv: $(call unit_objs,tests/unit/storage/test_tarkv.c \
		$(TARKV_SRCS) $(BLOCKDEV_HOST_SRCS) $(TEST_CHECK_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/storage-tarkv
$(B)/tests/unit/storage-kv $(B)/tests/unit/storage-tarkv: $(call unit_objs,lib/rt/err.c lib/rt/siphash.c)
