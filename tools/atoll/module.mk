# tools/atoll: the atoll command and the atoll-cc compiler driver, host
# programs $(ATOLL) and $(ATOLL_CC) (named in mk/rules.mk).

ATOLL_COMMON_SRCS := tools/atoll/util.c tools/atoll/tree.c \
	tools/atoll/conf.c tools/atoll/mft.c
ATOLL_SRCS := tools/atoll/atoll.c tools/atoll/build.c tools/atoll/run.c \
	tools/atoll/image.c tools/atoll/netauto.c tools/atoll/new.c \
	tools/atoll/pack.c tools/atoll/sha256.c tools/atoll/linkhint.c \
	tools/atoll/kvmprobe.c tools/atoll/qemu.c tools/atoll/xen.c \
	tools/atoll/xenwatch.c tools/atoll/ustar.c tools/atoll/www.c \
	tools/atoll/dns.c \
	lib/rt/param.c

# The compiler, linker and guest flags (mk/config.mk) the archives are
# built with become atoll-cc's, and this source tree the fallback for a
# build folder outside it (make B=/elsewhere); the header changes only
# when they do.
atoll_words = $(foreach w,$(1),"$(w)",)
ATOLL_TOOLCHAIN_H := $(B)/gen/tools/atoll/toolchain.h
$(ATOLL_TOOLCHAIN_H): atoll-toolchain-check
	@mkdir -p $(@D)
	@{ echo '#define ATOLL_GUEST_CC "$(GUEST_CC)"'; \
	   echo '#define ATOLL_GUEST_LD "$(LD)"'; \
	   echo '#define ATOLL_GUEST_CFLAGS $(call atoll_words,$(GUEST_BASE_CFLAGS))'; \
	   echo '#define ATOLL_GUEST_ASFLAGS $(call atoll_words,$(GUEST_ASFLAGS))'; \
	   echo '#define ATOLL_GUEST_LDFLAGS $(call atoll_words,$(GUEST_LDFLAGS))'; \
	   echo '#define ATOLL_SOURCE_ROOT "$(CURDIR)"'; } >$@.tmp
	@if cmp -s $@.tmp $@; then $(RM) $@.tmp; \
	else $(call show_step,GEN,$@); mv $@.tmp $@; fi
.PHONY: atoll-toolchain-check
$(B)/host/tools/atoll/tree.o $(B)/unit/tools/atoll/tree.o: \
	$(ATOLL_TOOLCHAIN_H)
$(B)/host/tools/atoll/tree.o: HOST_CFLAGS += -include $(ATOLL_TOOLCHAIN_H)
$(B)/unit/tools/atoll/tree.o: UNIT_CFLAGS += -include $(ATOLL_TOOLCHAIN_H)

# atoll new's templates, compiled in: one NUL-terminated array per file
# of tools/atoll/templates/TEMPLATE/, then the table new.c walks.
ATOLL_TEMPLATE_FILES := $(sort $(wildcard tools/atoll/templates/*/*))
ATOLL_TEMPLATES_H := $(B)/gen/tools/atoll/atoll-templates.h
$(ATOLL_TEMPLATES_H): $(ATOLL_TEMPLATE_FILES) tools/atoll/module.mk
	@mkdir -p $(@D)
	@n=0; for f in $(ATOLL_TEMPLATE_FILES); do \
	    printf 'static const char tmpl_%d[] = {\n' $$n; \
	    od -An -v -tx1 "$$f" | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo '0};'; n=$$((n + 1)); \
	done >$@.tmp; \
	echo 'static const struct tmpl_file atoll_templates[] = {' >>$@.tmp; \
	n=0; for f in $(ATOLL_TEMPLATE_FILES); do \
	    d=$${f%/*}; \
	    printf '    {"%s", "%s", tmpl_%d},\n' "$${d##*/}" "$${f##*/}" $$n \
	        >>$@.tmp; n=$$((n + 1)); \
	done; \
	echo '};' >>$@.tmp; mv $@.tmp $@
$(B)/host/tools/atoll/new.o: $(ATOLL_TEMPLATES_H)
$(B)/host/tools/atoll/new.o: HOST_CFLAGS += -I$(B)/gen/tools/atoll

# atoll dns links lib/dns (and what it needs) from the host archives;
# atoll run reads an image's requests with the tenders' ELF parser.
$(ATOLL): $(call host_objs,$(ATOLL_SRCS) $(ATOLL_COMMON_SRCS)) \
		$(call host_objs,tenders/common/elf.c tenders/common/err.c \
		tenders/common/mft.c) \
		$(call host_libs,dns)
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

$(ATOLL_CC): $(call host_objs,tools/atoll/cc.c $(ATOLL_COMMON_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

ALL_TARGETS += $(ATOLL) $(ATOLL_CC)

# What `atoll build` needs in the tree: the tools, every guest archive
# (this file is read after lib/*/module.mk, so the list is complete), the
# linker scripts. Rules that run atoll depend on this phony target.
atoll-ready: $(ATOLL) $(ATOLL_CC) $(filter $(B)/lib/%.a,$(ALL_TARGETS)) \
	bindings/hvt/hvt.lds bindings/spt/spt.lds $(B)/bin/atoll-hvt \
	$(B)/bin/atoll-spt
.PHONY: atoll-ready

# Host unit tests (tests/atoll/test_conf.c) of the parser, the manifest
# writer and the tree lookup, under the sanitizers. Their rule is here,
# where ATOLL_COMMON_SRCS is known; tests/atoll/run.sh drives the tools.
$(B)/unit/tests/atoll/test_conf.o: $(ATOLL_TOOLCHAIN_H)
$(B)/unit/tests/atoll/test_conf.o: UNIT_CFLAGS += -include $(ATOLL_TOOLCHAIN_H)
$(B)/tests/unit/atoll-conf: $(call unit_objs,tests/atoll/test_conf.c \
		$(ATOLL_COMMON_SRCS) $(TEST_CHECK_SRCS))
	@mkdir -p $(@D)
	$(call step,HOSTLD,$@)$(HOST_CC) $(SAN_FLAGS) -o $@ $^
UNIT_TESTS += $(B)/tests/unit/atoll-conf

# The guest flags mk/config.mk builds the archives with, less the warning
# and optimisation choices; tests/atoll/run.sh checks that atoll-cc adds
# exactly these (atoll-cc --print-cflags ...).
atoll-print-guest-flags:
	@echo 'cflags $(strip $(GUEST_BASE_CFLAGS))'
	@echo 'asflags $(strip $(GUEST_ASFLAGS))'
	@echo 'ldflags $(strip $(GUEST_LDFLAGS))'
.PHONY: atoll-print-guest-flags
