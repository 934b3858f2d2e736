/* lib/http's shared helpers (character classes, case-insensitive
 * comparison); no libc. */
#ifndef ATOLL_HTTP_INTERNAL_H
#define ATOLL_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* tchar of RFC 9110 §5.6.2: the bytes of a token. */
int http_is_tchar(uint8_t c);
/* ASCII lower case of c. */
static inline uint8_t http_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}
/* Whether s[0..n) equals the NUL-terminated lit, ignoring ASCII case. */
int http_eq_nocase(const char *s, size_t n, const char *lit);
/* The value of hex digit c, or -1. */
int http_hexval(uint8_t c);

#endif
