# Code shared by atoll-hvt and atoll-spt: the tenders add
# $(TENDER_COMMON_OBJS) to their link lines and include "tender.h" with
# -Itenders/common (or as "../common/tender.h").
TENDER_COMMON_SRCS := $(wildcard tenders/common/*.c)
TENDER_COMMON_OBJS = $(call host_objs,$(TENDER_COMMON_SRCS))
# The same sources built with sanitizers, for unit tests.
TENDER_COMMON_UNIT_OBJS = $(call unit_objs,$(TENDER_COMMON_SRCS))
# Symbol names for atoll-spt's fault handler, which runs with the guest's
# %fs: no stack protector there.
$(B)/host/tenders/common/symbol.o: HOST_CFLAGS += -fno-stack-protector
$(B)/host/tenders/common/dwarf_line.o: HOST_CFLAGS += -fno-stack-protector
