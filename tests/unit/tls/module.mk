# Host unit tests of lib/tls's configs (glibc, ASan, UBSan), linked with
# Debian's libbearssl.a:
#   $(B)/tests/unit/tls-config   PEM chains and keys, mismatches, SNI choice
ifneq ($(and $(BEARSSL_A),$(BEARSSL_INC)),)
$(call unit_objs,tests/unit/tls/test_config.c lib/tls/config.c): \
	UNIT_CFLAGS += -idirafter $(BEARSSL_INC)
$(B)/tests/unit/tls-config: $(call unit_objs,tests/unit/tls/test_config.c \
		lib/tls/config.c $(TEST_CHECK_SRCS)) $(BEARSSL_A)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/tls-config
endif
