/*
 * lib/kv's randomness (random.c).
 */
#ifndef KV_RANDOM_H
#define KV_RANDOM_H

#include <stdint.h>

/* 128 random bits for hash keys and store ids. */
void kv_random(uint64_t out[2]);

#endif
