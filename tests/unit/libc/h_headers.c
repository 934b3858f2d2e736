/*
 * Built with the host's headers: the lists of headers.h expanded with
 * glibc's (and the compiler's) definitions, and the comparison with what
 * t_headers.c got from Atoll's.
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
#include <string.h>
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

static const char *const type_names[] = {
    "another type", "char", "signed char", "unsigned char", "short",
    "unsigned short", "int", "unsigned", "long", "unsigned long",
    "long long", "unsigned long long", "_Bool"};

void h_headers_compare(const char *what, const struct hdr_int *ours,
                       unsigned long n)
{
    const struct hdr_int limits[] = {HDR_LIMITS(INT_ENTRY)};
    const struct hdr_int errnos[] = {HDR_ERRNO(INT_ENTRY)};
    const struct hdr_int flags[] = {HDR_FLAGS(INT_ENTRY)};
    const struct hdr_int floats[] = {HDR_FLOAT(INT_ENTRY)};
    const struct hdr_int layout[] = {HDR_LAYOUT(INT_ENTRY)};
    const struct hdr_int types[] = {HDR_TYPES(TYPE_ENTRY)};
    const struct {
        const char *what, *case_name;
        const struct hdr_int *host;
        unsigned long n;
    } lists[] = {
        {"limits", "headers/glibc-limits", limits, ARRAY_LEN(limits)},
        {"errno", "headers/glibc-errno", errnos, ARRAY_LEN(errnos)},
        {"flags", "headers/glibc-flags", flags, ARRAY_LEN(flags)},
        {"float", "headers/glibc-float", floats, ARRAY_LEN(floats)},
        {"layout", "headers/glibc-layout", layout, ARRAY_LEN(layout)},
        {"types", "headers/glibc-types", types, ARRAY_LEN(types)},
    };
    const struct hdr_int *host = NULL;
    unsigned long nhost = 0, i;

    for (i = 0; i < ARRAY_LEN(lists); i++) {
        if (strcmp(what, lists[i].what) == 0) {
            t_case(lists[i].case_name);
            host = lists[i].host;
            nhost = lists[i].n;
        }
    }
    if (!t_ok(host != NULL, "no list named %s", what))
        return;
    if (!t_ok(n == nhost, "%lu entries, host %lu", n, nhost))
        return;
    for (i = 0; i < n; i++) {
        t_ok(ours[i].value == host[i].value,
             "%s: %lld, glibc %lld", ours[i].name, ours[i].value,
             host[i].value);
        t_ok(ours[i].type == host[i].type, "%s: of type %s, glibc %s",
             ours[i].name, type_names[ours[i].type],
             type_names[host[i].type]);
    }
}

void h_headers_compare_formats(const struct hdr_str *ours, unsigned long n)
{
    const struct hdr_str host[] = {HDR_FORMATS(STR_ENTRY)};
    unsigned long i;

    t_case("headers/glibc-inttypes-formats");
    if (!t_ok(n == ARRAY_LEN(host), "%lu entries, host %zu", n,
              ARRAY_LEN(host)))
        return;
    for (i = 0; i < n; i++)
        t_ok(strcmp(ours[i].value, host[i].value) == 0,
             "%s: \"%s\", glibc \"%s\"", ours[i].name, ours[i].value,
             host[i].value);
}
