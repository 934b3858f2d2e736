# tests/tls: lib/tls against real TLS clients (run.sh).
#   $(B)/tests/tls/tlsecho.spt   the TLS echo server (tlsecho/), built by
#                                atoll from its unikernel.conf
ifneq ($(and $(BEARSSL_A),$(BEARSSL_INC)),)
$(B)/tests/tls/tlsecho.spt: atoll-ready tests/tls/tlsecho/tlsecho.c \
		tests/tls/tlsecho/unikernel.conf $(B)/lib/tls.a
	$(call atoll_app,tests/tls/tlsecho/unikernel.conf,spt,\
		$(B)/tests/tls/tlsecho/spt)

GUEST_TESTS += $(B)/tests/tls/tlsecho.spt
endif
