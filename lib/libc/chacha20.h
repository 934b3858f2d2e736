/* Internal: the ChaCha20 block function (RFC 8439 2.3), for arc4random. */
#ifndef ATOLL_LIBC_CHACHA20_H
#define ATOLL_LIBC_CHACHA20_H

#include <stdint.h>

void __atoll_chacha20_block(const uint32_t key[8], uint32_t counter,
                            const uint32_t nonce[3], uint8_t out[64]);

#endif
