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

# `make run`: boot examples/hello on hvt when /dev/kvm is usable, else spt.
run:
	@sh tests/lib/deps.sh build
	@$(MAKE) --no-print-directory all
	@sh tests/lib/kvm-usable.sh && target=hvt || target=spt; \
	echo "== booting build/examples/hello.$$target on atoll-$$target"; \
	build/bin/atoll-$$target build/examples/hello.$$target hello from make run

test:
	@sh tests/lib/deps.sh test
	@$(MAKE) --no-print-directory all test-programs
	@sh tests/run.sh

test-programs: $(UNIT_TESTS) $(GUEST_TESTS)

deps:
	@sh tests/lib/deps.sh

clean:
	rm -rf build $(CLEAN_EXTRA)

.PHONY: all run test test-programs deps clean
