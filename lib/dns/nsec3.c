/* NSEC3 (RFC 5155): a zone's chain parameters from its NSEC3PARAM, the
 * hashed owner name of a name (section 5: SHA-1 over the canonical name
 * and the salt, iterated), and whether an NSEC3 record belongs to the
 * chain and covers a hash. The searches are answer.c's. */
#include "dns_internal.h"
#include <atoll/err.h>
#include <atoll/sha1.h>
#include <string.h>

int dns_nsec3_param(const struct dns_rr *r, struct dns_nsec3 *p)
{
    /* Algorithm 1 (SHA-1) with no flags: the parameters a server uses
     * (RFC 5155 section 4.1.2: other flags values are ignored). */
    if (r->type != DNS_T_NSEC3PARAM || r->rdlen < 5 || r->rdata[0] != 1 ||
        r->rdata[1] != 0 || 5u + r->rdata[4] > r->rdlen)
        return ATOLL_ERR_NOTSUP;
    p->iterations = (uint16_t)(r->rdata[2] << 8 | r->rdata[3]);
    p->saltlen = r->rdata[4];
    p->salt = r->rdata + 5;
    return 0;
}

int dns_nsec3_in_chain(const struct dns_nsec3 *p, const struct dns_rr *r)
{
    /* Hash algorithm, iterations and salt as the NSEC3PARAM's; the
     * flags (opt-out) may differ record by record. */
    return r->type == DNS_T_NSEC3 && r->rdlen >= 6 && r->rdata[0] == 1 &&
           (r->rdata[2] << 8 | r->rdata[3]) == p->iterations &&
           r->rdata[4] == p->saltlen && 6u + p->saltlen <= r->rdlen &&
           memcmp(r->rdata + 5, p->salt, p->saltlen) == 0 &&
           r->rdata[5 + p->saltlen] == ATOLL_SHA1_LEN &&
           6u + p->saltlen + ATOLL_SHA1_LEN <= r->rdlen;
}

/* RFC 4648 base32hex, lower case (20 bytes: 32 characters, no pad). */
static void b32hex(const uint8_t h[ATOLL_SHA1_LEN], char out[32])
{
    static const char abc[] = "0123456789abcdefghijklmnopqrstuv";
    for (int i = 0; i < 32; i++) {
        int bit = 5 * i, byte = bit / 8, sh = bit % 8;
        unsigned v = (unsigned)h[byte] << 8;
        if (byte + 1 < ATOLL_SHA1_LEN)
            v |= h[byte + 1];
        out[i] = abc[(v >> (11 - sh)) & 31];
    }
}

int dns_nsec3_hash(const struct dns_nsec3 *p, const uint8_t *apex,
                   const uint8_t *name, uint8_t *owner)
{
    uint8_t canon[DNS_NAME_MAX], h[ATOLL_SHA1_LEN];
    size_t nl = dns_name_len(name), al = dns_name_len(apex);
    struct atoll_sha1 c;

    if (1 + 32 + al > DNS_NAME_MAX)
        return ATOLL_ERR_FORMAT;
    /* The canonical form (RFC 4034 6.2): ASCII letters lower-cased, so
     * label length bytes (at most 63) are never touched. */
    for (size_t i = 0; i < nl; i++)
        canon[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i];
    /* IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(k-1) || salt). */
    atoll_sha1_init(&c);
    atoll_sha1_update(&c, canon, nl);
    atoll_sha1_update(&c, p->salt, p->saltlen);
    atoll_sha1_final(&c, h);
    for (unsigned k = 0; k < p->iterations; k++) {
        atoll_sha1_init(&c);
        atoll_sha1_update(&c, h, sizeof h);
        atoll_sha1_update(&c, p->salt, p->saltlen);
        atoll_sha1_final(&c, h);
    }
    owner[0] = 32;
    b32hex(h, (char *)owner + 1);
    memcpy(owner + 33, apex, al);
    return (int)(33 + al);
}

/* a[0..32) against b[0..32), letters compared case-blind. */
static int b32cmp(const uint8_t *a, const uint8_t *b)
{
    for (int i = 0; i < 32; i++) {
        int x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
        int y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
        if (x != y)
            return x - y;
    }
    return 0;
}

int dns_nsec3_covers(const struct dns_nsec3 *p, const struct dns_rr *r,
                     const uint8_t *hashed)
{
    uint8_t next[32];
    const uint8_t *own = r->owner;
    if (own[0] != 32)
        return 0;
    b32hex(r->rdata + 6 + p->saltlen, (char *)next);
    int lo = b32cmp(own + 1, hashed + 1), hi = b32cmp(hashed + 1, next);
    /* owner < hash < next, or past the chain's last record (its next is
     * the first: not above its owner), hash > owner or hash < next. */
    if (b32cmp(own + 1, next) < 0)
        return lo < 0 && hi < 0;
    return lo < 0 || hi < 0;
}
