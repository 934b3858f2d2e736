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

/* The exact-name index (index.c): a slot is a name of the zone, an
 * owner or an empty non-terminal, as the position of its first record in
 * the sorted array (an empty non-terminal's: the first record below it)
 * and the labels dropped from that record's owner to get it. */
struct dns_index_slot {
    uint32_t pos1; /* position + 1; 0: an empty slot */
    uint16_t tag;  /* the hash's upper 16 bits */
    uint8_t drop;
    uint8_t pad;
};
/* A hash of name n, the same for any case of its letters. */
uint32_t dns_name_hash(const uint8_t *n);
/* Build z's index from the arena, after sorting: 0 or ATOLL_ERR_NOMEM. */
int dns_zone_index(struct dns_zone *z, struct dns_arena *a);
/* Where name n sorts in z->rr when it exists in z (its records, or the
 * first record below an empty non-terminal); -1 if it does not. */
long dns_zone_find(const struct dns_zone *z, const uint8_t *n);

#endif
