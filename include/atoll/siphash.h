/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash of lib/rt:
 * for tables and numbers that whoever does not know the 128-bit key can
 * neither predict nor flood (heap canaries, lib/net's ephemeral ports,
 * sequence numbers, SYN cookies and connection table, lib/kv's index).
 */
#ifndef ATOLL_SIPHASH_H
#define ATOLL_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* The SipHash-2-4 of the len bytes at buf under the key {key[0], key[1]}
 * (each the little-endian reading of 8 key bytes). */
uint64_t atoll_siphash(const uint64_t key[2], const void *buf, size_t len);

#endif
