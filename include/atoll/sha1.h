/*
 * SHA-1 (FIPS 180-4 section 6.1, RFC 3174), freestanding: for NSEC3's
 * hashed owner names (RFC 5155), which are defined over SHA-1. SHA-1 is
 * broken for collision resistance; use it only where a protocol names it.
 */
#ifndef ATOLL_SHA1_H
#define ATOLL_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define ATOLL_SHA1_LEN 20

struct atoll_sha1 {
    uint32_t h[5];
    uint64_t bytes;   /* message length so far */
    uint8_t buf[64];  /* a partial block */
    size_t n;         /* bytes in buf */
};

void atoll_sha1_init(struct atoll_sha1 *c);
void atoll_sha1_update(struct atoll_sha1 *c, const void *data, size_t len);
/* The digest of everything given; c must be initialised again to reuse. */
void atoll_sha1_final(struct atoll_sha1 *c, uint8_t out[ATOLL_SHA1_LEN]);
/* The digest of data[0..len) in one call. */
void atoll_sha1(const void *data, size_t len, uint8_t out[ATOLL_SHA1_LEN]);

#endif
