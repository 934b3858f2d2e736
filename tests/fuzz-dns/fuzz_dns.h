/* Shared by lib/dns's fuzz targets: a property that failed aborts, so
 * libFuzzer reports it as a crash with the input that made it. */
#ifndef FUZZ_DNS_H
#define FUZZ_DNS_H

#include <stdio.h>
#include <stdlib.h>

#define PROP(cond)                                                         \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz-dns: %s:%d: property failed: %s\n",      \
                    __FILE__, __LINE__, #cond);                            \
            abort();                                                       \
        }                                                                  \
    } while (0)

#include <stdint.h>
#include <stddef.h>

/* Whether RDATA a and b of type are the same: byte for byte, but names
 * in the types whose names the builder compresses may come back in the
 * case of the name they were compressed against. */
int fuzz_dns_same_rdata(uint16_t type, const uint8_t *a, size_t al,
                        const uint8_t *b, size_t bl);

#endif
