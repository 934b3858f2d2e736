/*
 * lib/kv's CRC-32C (crc32c.c), of records and superblock slots.
 */
#ifndef KV_CRC32C_H
#define KV_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC-32C: start with crc = 0, feed the pieces in order. */
uint32_t kv_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
