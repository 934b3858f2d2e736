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
run: all
	@sh tests/lib/kvm-usable.sh && target=hvt || target=spt; \
	echo "== booting build/examples/hello.$$target on atoll-$$target"; \
	build/bin/atoll-$$target build/examples/hello.$$target hello from make run

test: all $(UNIT_TESTS) $(GUEST_TESTS)
	@sh tests/run.sh

deps:
	@sh tests/lib/deps.sh

clean:
	rm -rf build $(CLEAN_EXTRA)

.PHONY: all run test deps clean
