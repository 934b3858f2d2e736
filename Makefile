# Atoll top-level build. `make` builds the tenders, the guest libraries and
# every example for hvt and spt; `make test` runs the whole suite.
#
# Layout of outputs:
#   build/bin/atoll-hvt, build/bin/atoll-spt     tenders
#   build/lib/{libc,rt,bindings-hvt,bindings-spt}.a  guest archives
#   build/examples/NAME.{hvt,spt}                 example unikernels
#   build/tests/...                               test programs
# Each folder with its own rules keeps them in a module.mk beside its sources.

.DEFAULT_GOAL := all
include mk/config.mk
include mk/rules.mk

# Every module.mk below the tree adds to these.
ALL_TARGETS :=
UNIT_TESTS :=
GUEST_TESTS :=
CLEAN_EXTRA :=

include $(sort $(wildcard */module.mk */*/module.mk */*/*/module.mk))

all: $(ALL_TARGETS)

# `make run`: boot examples/hello with `atoll run`, on hvt when KVM is
# usable (atoll kvm-check), else on spt, saying in one line why. A header
# line parts the build's output from the unikernel's.
run:
	@sh tests/lib/deps.sh build
	@$(MAKE) --no-print-directory all
	@if why=$$($(ATOLL) kvm-check); then target=hvt; \
	else target=spt; echo "make run: $$why: running on atoll-spt"; fi; \
	printf '\n==== examples/hello on %s (atoll run): its output ====\n' \
		"$$target"; \
	$(ATOLL) -C $(B)/examples/hello/$$target run -q -- hello from make run

# `make install PREFIX=DIR`: the tools in DIR/bin, and what they build
# unikernels with (headers, archives, linker scripts) in DIR/lib/atoll,
# where atoll finds it from its own path (tools/atoll/tree.h).
PREFIX ?= /usr/local
ATOLL_DATA = $(DESTDIR)$(PREFIX)/lib/atoll
install: all
	@test -n "$(PREFIX)" || { echo "make install: empty PREFIX" >&2; exit 2; }
	install -d $(DESTDIR)$(PREFIX)/bin $(ATOLL_DATA)/lib \
		$(DESTDIR)$(PREFIX)/share/doc/atoll
	for t in $(B)/bin/atoll*; do \
		case $$t in */atoll-mftgen) continue ;; esac; \
		install -m 755 $$t $(DESTDIR)$(PREFIX)/bin/ || exit 1; \
	done
	rm -rf $(ATOLL_DATA)/include
	install -d $(ATOLL_DATA)/include
	cp -R include/atoll include/libc $(ATOLL_DATA)/include/
	for d in lib/*/; do \
		n=$$(basename $$d); \
		[ -f $(B)/lib/$$n.a ] || continue; \
		install -m 644 $(B)/lib/$$n.a $(ATOLL_DATA)/lib/ || exit 1; \
		[ ! -f $(B)/lib/$$n.deps ] || \
			install -m 644 $(B)/lib/$$n.deps $(ATOLL_DATA)/lib/ || \
			exit 1; \
	done
	[ ! -f $(B)/lib/m.a ] || install -m 644 $(B)/lib/m.a $(ATOLL_DATA)/lib/
	for t in hvt spt virtio; do \
		install -d $(ATOLL_DATA)/bindings/$$t && \
		install -m 644 bindings/$$t/$$t.lds \
			$(B)/lib/bindings-$$t.a $(ATOLL_DATA)/bindings/$$t/ || \
			exit 1; \
	done
	# xen links with virtio's linker script (tools/atoll/tree.c)
	install -d $(ATOLL_DATA)/bindings/xen
	install -m 644 $(B)/lib/bindings-xen.a $(ATOLL_DATA)/bindings/xen/
	install -m 644 docs/unikernel-conf.md $(DESTDIR)$(PREFIX)/share/doc/atoll/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 tools/atoll/completion/atoll \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/atoll
	ln -sf atoll $(DESTDIR)$(PREFIX)/share/bash-completion/completions/atoll-kv
	cf=$$($(B)/bin/atoll-cc --target=spt --print-cflags | \
		sed 's|$(CURDIR)/include|$${includedir}|g') && \
	v=$$($(B)/bin/atoll --version | sed -n '1s/^atoll //p') && \
	sed -e 's|@PREFIX@|$(PREFIX)|' -e "s|@CFLAGS@|$$cf|" \
		-e "s|@VERSION@|$$v|" tools/atoll/atoll.pc.in \
		>$(DESTDIR)$(PREFIX)/lib/pkgconfig/atoll.pc

test:
	@sh tests/lib/deps.sh test
	@$(MAKE) --no-print-directory all test-programs
	@B=$(B) sh tests/run.sh

# `make test-hvt`: only the hvt group (tests/hvt): on /dev/kvm where it is
# usable, else inside a QEMU VM (tests/vm); ATOLL_HVT_VM=1 forces the VM.
test-hvt:
	@sh tests/lib/deps.sh test
	@$(MAKE) --no-print-directory all test-programs
	@B=$(B) sh tests/hvt/run.sh

test-programs: $(UNIT_TESTS) $(GUEST_TESTS)

# Every libFuzzer target for FUZZ_SECONDS each (default 60), with inputs
# and coverage per target; `make test` runs them for a few seconds.
FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/lib/deps.sh test
	@B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz-storage/fuzz-all.sh
.PHONY: fuzz

deps:
	@sh tests/lib/deps.sh

# The build folder, $(B) (make B=DIR clean removes DIR), and CLEAN_EXTRA.
clean:
	rm -rf $(or $(strip $(B)),build) $(CLEAN_EXTRA)

.PHONY: all run install test test-hvt test-programs deps clean
