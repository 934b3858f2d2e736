/* lib/dns's internal helpers, shared by its sources. */
#ifndef DNS_INTERNAL_H
#define DNS_INTERNAL_H

#include <atoll/dns.h>

/* Format into out (cap bytes, always terminated): %s strings, %u
 * unsigned ints, %n wire names (const uint8_t *) in presentation form. */
void dns_errf(char *out, size_t cap, const char *fmt, ...);

#endif
