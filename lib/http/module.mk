# lib/http: HTTP/1.1 requests (include/atoll/http.h): the incremental
# request parser and path normalization; no platform calls and no malloc
# (buffers come from the caller).
#   $(B)/lib/http.a          guest archive
#   $(B)/lib/host/http.a     the same sources for host tools and tests
HTTP_SRCS := $(sort $(wildcard lib/http/*.c))
$(eval $(call lib_deps,http,))

$(B)/lib/http.a: $(call guest_objs,$(HTTP_SRCS))

$(B)/lib/host/http.a: $(call host_objs,$(HTTP_SRCS))

ALL_TARGETS += $(B)/lib/http.a $(B)/lib/host/http.a
