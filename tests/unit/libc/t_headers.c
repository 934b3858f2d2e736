/*
 * Atoll's libc headers against the host's: every constant, type, layout
 * and format string listed in headers.h, expanded here with Atoll's
 * headers and in h_headers.c with glibc's, must agree in value and type.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "headers.h"
#include "../../lib/check.h"

void h_headers_compare(const char *what, const struct hdr_int *ours,
                       unsigned long n);
void h_headers_compare_formats(const struct hdr_str *ours, unsigned long n);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define INT_ENTRY(e) {#e, (long long)(e), HDR_TYPE_CODE(e)},
#define TYPE_ENTRY(t) {#t, (long long)sizeof(t), HDR_TYPE_CODE((t)0)},
#define STR_ENTRY(s) {#s, s},

int main(int argc, char **argv)
{
    t_init(argc, argv);
    /* Automatic arrays: FLT_ROUNDS need not be a constant expression. */
    const struct hdr_int limits[] = {HDR_LIMITS(INT_ENTRY)};
    const struct hdr_int errnos[] = {HDR_ERRNO(INT_ENTRY)};
    const struct hdr_int flags[] = {HDR_FLAGS(INT_ENTRY)};
    const struct hdr_int floats[] = {HDR_FLOAT(INT_ENTRY)};
    const struct hdr_int layout[] = {HDR_LAYOUT(INT_ENTRY)};
    const struct hdr_int types[] = {HDR_TYPES(TYPE_ENTRY)};
    const struct hdr_str formats[] = {HDR_FORMATS(STR_ENTRY)};

    h_headers_compare("limits", limits, ARRAY_LEN(limits));
    h_headers_compare("errno", errnos, ARRAY_LEN(errnos));
    h_headers_compare("flags", flags, ARRAY_LEN(flags));
    h_headers_compare("float", floats, ARRAY_LEN(floats));
    h_headers_compare("layout", layout, ARRAY_LEN(layout));
    h_headers_compare("types", types, ARRAY_LEN(types));
    h_headers_compare_formats(formats, ARRAY_LEN(formats));
    return t_finish();
}
