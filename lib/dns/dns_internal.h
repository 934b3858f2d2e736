/* lib/dns's internal helpers, shared by its sources. */
#ifndef DNS_INTERNAL_H
#define DNS_INTERNAL_H

#include <atoll/dns.h>

/* Format into out (cap bytes, always terminated): %s strings, %u
 * unsigned ints, %n wire names (const uint8_t *) in presentation form. */
void dns_errf(char *out, size_t cap, const char *fmt, ...);

/* NSEC3 (nsec3.c): a zone's hash parameters, from its NSEC3PARAM. */
struct dns_nsec3 {
    const uint8_t *salt;
    uint8_t saltlen;
    uint16_t iterations;
};
/* The parameters of NSEC3PARAM r: 0, or ATOLL_ERR_NOTSUP for a hash other
 * than SHA-1 or flags set. */
int dns_nsec3_param(const struct dns_rr *r, struct dns_nsec3 *p);
/* Whether r is an NSEC3 of the chain p (algorithm, iterations, salt). */
int dns_nsec3_in_chain(const struct dns_nsec3 *p, const struct dns_rr *r);
/* The hashed owner name of name in the zone apex into owner
 * (DNS_NAME_MAX bytes): base32hex(IH(salt, name, iterations)).apex.
 * Returns its length, ATOLL_ERR_FORMAT if it would be too long. */
int dns_nsec3_hash(const struct dns_nsec3 *p, const uint8_t *apex,
                   const uint8_t *name, uint8_t *owner);
/* Whether NSEC3 r of chain p covers the hashed owner name hashed (its
 * owner before it, its next hashed owner after it, the chain's end
 * wrapping to its start). */
int dns_nsec3_covers(const struct dns_nsec3 *p, const struct dns_rr *r,
                     const uint8_t *hashed);

#endif
