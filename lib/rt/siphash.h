/* lib/rt's word-oriented entry to its SipHash-2-4 (siphash.c), for heap
 * canaries and derived secrets. Private to lib/rt. */
#ifndef RT_SIPHASH_H
#define RT_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* The SipHash-2-4 of the n * 8 bytes of w (each word little endian) under
 * the 128-bit key {key[0], key[1]}: atoll_siphash of those bytes. */
uint64_t rt_siphash(const uint64_t key[2], const uint64_t *w, size_t n);

#endif
