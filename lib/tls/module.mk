# lib/tls: TLS 1.2 servers over lib/net (include/atoll/tls.h) through
# BearSSL. Debian's libbearssl.a (BEARSSL_A, lib/libc/module.mk) is used
# unmodified: its objects are extracted at build time and archived into
# lib/tls.a beside ours, so -ltls / `libraries tls` needs nothing else.
# Without libbearssl-dev there is no lib/tls.
#   $(B)/lib/tls.a        guest archive (lib/tls + BearSSL's objects)
#   $(B)/lib/host/tls.a   lib/tls for host tests (link -lbearssl with it)
TLS_SRCS := $(sort $(wildcard lib/tls/*.c))
$(eval $(call lib_deps,tls,tarkv net fiber rt))

ifneq ($(and $(BEARSSL_A),$(BEARSSL_INC)),)
$(call guest_objs,$(TLS_SRCS)): GUEST_CFLAGS += -idirafter $(BEARSSL_INC)
$(call host_objs,$(TLS_SRCS)): HOST_CFLAGS += -idirafter $(BEARSSL_INC)

$(B)/lib/tls.a: $(call guest_objs,$(TLS_SRCS)) $(BEARSSL_A) $(B)/lib/tls.deps
	@mkdir -p $(@D)
	$(call step,AR,$@)rm -rf $@ $(B)/lib/tls-bearssl && \
		mkdir -p $(B)/lib/tls-bearssl && \
		cd $(B)/lib/tls-bearssl && $(AR) x $(BEARSSL_A) && cd - >/dev/null && \
		$(AR) rcs $@ $(filter %.o,$^) $(B)/lib/tls-bearssl/*.o

$(B)/lib/host/tls.a: $(call host_objs,$(TLS_SRCS))

ALL_TARGETS += $(B)/lib/tls.a $(B)/lib/host/tls.a
endif
