/* Answering a query from loaded zones (RFC 1034 section 4.3.2, RFC 2308,
 * RFC 4592, RFC 6672): every lookup is a binary search over a zone's
 * sorted record array; a name's records are one run of it and its
 * descendants follow it, so "exists", "is an empty non-terminal" and the
 * closest encloser need no index. */
#include "dns_internal.h"
#include <atoll/err.h>
#include <string.h>

struct ans {
    struct dns_builder b;
    const struct dns_zone *zones;
    size_t nz;
    uint16_t qtype;
    uint16_t rcode; /* NXDOMAIN once known: kept if the reply truncates */
    int do_bit;
    int class_any; /* QCLASS * (255): answered as IN, not authoritative */
    /* The RRset answered last, for additional addresses. */
    const struct dns_zone *lz;
    size_t llo, lhi;
    /* NSEC or NSEC3 records proving a denial (RFC 4035 section 3.1.3,
     * RFC 5155 section 7.2), put in authority after the answer (a CNAME
     * chain may still add to it); [0, nadded) are in the message. */
    int np, nadded;
    const struct dns_zone *pz[12];
    size_t pi[12];
};

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* The suffix of n without its first drop labels (a name itself). */
static const uint8_t *suffix(const uint8_t *n, int drop)
{
    while (drop-- > 0)
        n += 1u + *n;
    return n;
}

/* First record whose owner is not before n. */
static size_t lower_bound(const struct dns_zone *z, const uint8_t *n)
{
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dns_name_cmp(z->rr[mid].owner, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The records owned by n: [*lo, *hi); returns whether there are any.
 * From the zone's index: an empty non-terminal's is empty at the first
 * record below it; a name not in the zone's is empty at the end. */
static int node(const struct dns_zone *z, const uint8_t *n, size_t *lo,
                size_t *hi)
{
    long f = dns_zone_find(z, n);
    size_t i = f < 0 ? z->n : (size_t)f, j = i;
    while (j < z->n && dns_name_eq(z->rr[j].owner, n))
        j++;
    *lo = i;
    *hi = j;
    return j > i;
}

/* Whether a record after the node [.., hi) lies below n: n is then a
 * node even without records (an empty non-terminal). */
static int has_below(const struct dns_zone *z, const uint8_t *n, size_t hi)
{
    return hi < z->n && dns_name_is_sub(z->rr[hi].owner, n);
}

static int find_type(const struct dns_zone *z, size_t lo, size_t hi,
                     uint16_t type, size_t *a, size_t *b)
{
    while (lo < hi && z->rr[lo].type != type)
        lo++;
    *a = lo;
    while (lo < hi && z->rr[lo].type == type)
        lo++;
    *b = lo;
    return *b > *a;
}

/* Whether node [lo, hi) holds NSEC3 records and their RRSIGs only: an
 * NSEC3 owner name, which does not exist for a query (RFC 5155 7.2.8:
 * another NSEC3 covers it; NSD answers NXDOMAIN). */
static int nsec3_owner(const struct dns_zone *z, size_t lo, size_t hi)
{
    size_t a, b;
    if (!find_type(z, lo, hi, DNS_T_NSEC3, &a, &b))
        return 0;
    for (; lo < hi; lo++)
        if (z->rr[lo].type != DNS_T_NSEC3 && z->rr[lo].type != DNS_T_RRSIG)
            return 0;
    return 1;
}

/* The RRSIGs of node [lo, hi) covering type, owned by owner, their TTL
 * at most maxttl (a negative answer's SOA TTL: RFC 4035 section 2.2 wants
 * the RRset's TTL). */
static int add_sigs(struct ans *s, enum dns_section sec, const uint8_t *owner,
                    const struct dns_zone *z, size_t lo, size_t hi,
                    uint16_t type, uint32_t maxttl)
{
    size_t a, b;
    if (!s->do_bit || !find_type(z, lo, hi, DNS_T_RRSIG, &a, &b))
        return 0;
    for (; a < b; a++) {
        const struct dns_rr *r = &z->rr[a];
        if (r->rdlen < 2 || (r->rdata[0] << 8 | r->rdata[1]) != type)
            continue;
        int rc = dns_build_rr(&s->b, sec, owner, DNS_T_RRSIG, DNS_C_IN,
                              r->ttl < maxttl ? r->ttl : maxttl, r->rdata,
                              r->rdlen);
        if (rc)
            return rc;
    }
    return 0;
}

/* The records of type at node [lo, hi) under owner (the question's case,
 * or the queried name for a wildcard), with their RRSIGs under DO. */
static int add_rrset(struct ans *s, enum dns_section sec, const uint8_t *owner,
                     const struct dns_zone *z, size_t lo, size_t hi,
                     uint16_t type)
{
    size_t a, b;
    if (!find_type(z, lo, hi, type, &a, &b))
        return 0;
    for (size_t i = a; i < b; i++) {
        const struct dns_rr *r = &z->rr[i];
        int rc = dns_build_rr(&s->b, sec, owner, type, DNS_C_IN, r->ttl,
                              r->rdata, r->rdlen);
        if (rc)
            return rc;
    }
    if (sec == DNS_AN) {
        s->lz = z;
        s->llo = a;
        s->lhi = b;
    }
    return add_sigs(s, sec, owner, z, lo, hi, type, 0xFFFFFFFFu);
}

/* ANY: every RRset of the node (RRSIGs only under DO). */
static int add_any(struct ans *s, const uint8_t *owner,
                   const struct dns_zone *z, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        const struct dns_rr *r = &z->rr[i];
        if (r->type == DNS_T_RRSIG && !s->do_bit)
            continue;
        int rc = dns_build_rr(&s->b, DNS_AN, owner, r->type, DNS_C_IN,
                              r->ttl, r->rdata, r->rdlen);
        if (rc)
            return rc;
    }
    return 0;
}

/* RFC 2308: the SOA in authority, TTL min(SOA TTL, SOA MINIMUM). Not
 * to class ANY: a reply that is not authoritative has no SOA to cache
 * the denial by (as NSD). */
static int add_negative(struct ans *s, const struct dns_zone *z)
{
    size_t lo, hi, a, b;
    if (s->class_any)
        return 0;
    if (!node(z, z->origin, &lo, &hi) ||
        !find_type(z, lo, hi, DNS_T_SOA, &a, &b))
        return ATOLL_ERR_FORMAT; /* a checked zone has one */
    const struct dns_rr *r = &z->rr[a];
    uint32_t min = get32(r->rdata + r->rdlen - 4);
    uint32_t ttl = r->ttl < min ? r->ttl : min;
    int rc = dns_build_rr(&s->b, DNS_NS, z->origin, DNS_T_SOA, DNS_C_IN, ttl,
                          r->rdata, r->rdlen);
    if (rc)
        return rc;
    return add_sigs(s, DNS_NS, z->origin, z, lo, hi, DNS_T_SOA, ttl);
}

/* Whether z is signed with NSEC: an NSEC at the apex (then every
 * authoritative name has one, so the walks below stay short). */
static int nsec_zone(const struct dns_zone *z)
{
    size_t lo, hi, a, b;
    return node(z, z->origin, &lo, &hi) &&
           find_type(z, lo, hi, DNS_T_NSEC, &a, &b);
}

/* The NSEC owned by n (match 1), or (n without records) the NSEC of the
 * last name before n that has one, which covers n (match 0); -1 if
 * none. */
static long nsec_for(const struct dns_zone *z, const uint8_t *n, int match)
{
    size_t lo, hi, a, b;
    int at = node(z, n, &lo, &hi);
    if (match)
        return at && find_type(z, lo, hi, DNS_T_NSEC, &a, &b) ? (long)a : -1;
    if (!nsec_zone(z))
        return -1;
    if (!at) /* where n would sort: only the order says */
        hi = lower_bound(z, n);
    for (size_t j = hi; j-- > 0;)
        if (z->rr[j].type == DNS_T_NSEC)
            return (long)j;
    return -1;
}

/* Remember the NSEC z->rr[i] (once) as part of a denial under DO. */
static void proof(struct ans *s, const struct dns_zone *z, long i)
{
    if (!s->do_bit || i < 0 || s->np == 12)
        return;
    for (int k = 0; k < s->np; k++)
        if (s->pz[k] == z && s->pi[k] == (size_t)i)
            return;
    s->pz[s->np] = z;
    s->pi[s->np++] = (size_t)i;
}

/* The remembered NSECs or NSEC3s not yet added, with their RRSIGs, in
 * authority. */
static int add_proofs(struct ans *s)
{
    for (; s->nadded < s->np; s->nadded++) {
        const struct dns_zone *z = s->pz[s->nadded];
        const struct dns_rr *r = &z->rr[s->pi[s->nadded]];
        size_t lo, hi;
        int rc = dns_build_rr(&s->b, DNS_NS, r->owner, r->type, DNS_C_IN,
                              r->ttl, r->rdata, r->rdlen);
        if (rc)
            return rc;
        node(z, r->owner, &lo, &hi);
        if ((rc = add_sigs(s, DNS_NS, r->owner, z, lo, hi, r->type,
                           0xFFFFFFFFu)))
            return rc;
    }
    return 0;
}

/* NSEC3 (RFC 5155): whether z has an NSEC3 chain of SHA-1 (an
 * NSEC3PARAM at the apex), its parameters into p. Only asked under DO. */
static int nsec3_zone(const struct dns_zone *z, struct dns_nsec3 *p)
{
    size_t lo, hi, a, b;
    if (!node(z, z->origin, &lo, &hi) ||
        !find_type(z, lo, hi, DNS_T_NSEC3PARAM, &a, &b))
        return 0;
    for (; a < b; a++)
        if (dns_nsec3_param(&z->rr[a], p) == 0)
            return 1;
    return 0;
}

/* The NSEC3 of chain p matching n (match 1) or covering it (match 0:
 * the chain's record before n's hash, walking back from where the hash
 * would sort and wrapping to the end); -1 if none. */
static long nsec3_for(const struct dns_zone *z, const struct dns_nsec3 *p,
                      const uint8_t *n, int match)
{
    uint8_t h[DNS_NAME_MAX];
    size_t lo, hi;
    if (dns_nsec3_hash(p, z->origin, n, h) < 0)
        return -1;
    int at = node(z, h, &lo, &hi);
    for (size_t a = lo; at && a < hi; a++)
        if (dns_nsec3_in_chain(p, &z->rr[a]))
            return match ? (long)a : -1; /* n's hash exists: not covered */
    if (match)
        return -1;
    if (!at)
        lo = lower_bound(z, h);
    for (size_t k = 1; k <= z->n; k++) {
        size_t j = (lo + z->n - k) % z->n;
        if (dns_nsec3_in_chain(p, &z->rr[j]))
            return dns_nsec3_covers(p, &z->rr[j], h) ? (long)j : -1;
    }
    return -1;
}

/* RFC 5155 section 7.2.1, the closest encloser proof of n: the NSEC3
 * matching the closest provable encloser (the longest ancestor of n with
 * at most `from` labels that has one) and the NSEC3 covering the next
 * closer name (the encloser and one more label of n). Returns the
 * encloser's labels, -1 if none has an NSEC3. */
static int nsec3_ce_proof(struct ans *s, const struct dns_zone *z,
                          const struct dns_nsec3 *p, const uint8_t *n,
                          int from)
{
    int nl = dns_name_labels(n), al = dns_name_labels(z->origin);
    for (int k = from; k >= al; k--) {
        long m = nsec3_for(z, p, suffix(n, nl - k), 1);
        if (m < 0)
            continue;
        proof(s, z, m);
        if (k < nl)
            proof(s, z, nsec3_for(z, p, suffix(n, nl - k - 1), 0));
        return k;
    }
    return -1;
}

/* NODATA at n (RFC 5155 7.2.3, 7.2.4): the NSEC3 matching n, else (an
 * opt-out span) the closest encloser proof of n. */
static void nsec3_nodata(struct ans *s, const struct dns_zone *z,
                         const struct dns_nsec3 *p, const uint8_t *n)
{
    long m = nsec3_for(z, p, n, 1);
    if (m >= 0)
        proof(s, z, m);
    else
        nsec3_ce_proof(s, z, p, n, dns_name_labels(n) - 1);
}

/* The zone of name: the longest origin above or at it. A DS query for a
 * zone's apex goes to the parent zone when this server has it (RFC 4035
 * section 3.1.4.1). */
static const struct dns_zone *zone_for(const struct ans *s, const uint8_t *n)
{
    const struct dns_zone *best = NULL, *apex = NULL;
    int bl = -1;
    for (size_t i = 0; i < s->nz; i++) {
        const struct dns_zone *z = &s->zones[i];
        if (!dns_name_is_sub(n, z->origin))
            continue;
        if (s->qtype == DNS_T_DS && dns_name_eq(n, z->origin)) {
            apex = z;
            continue;
        }
        int l = dns_name_labels(z->origin);
        if (l > bl) {
            bl = l;
            best = z;
        }
    }
    return best ? best : apex;
}

/* A and AAAA of name t (from zone z) in the additional section. */
static int add_addresses(struct ans *s, const struct dns_zone *z,
                         const uint8_t *t)
{
    size_t lo, hi;
    if (!dns_name_is_sub(t, z->origin) || !node(z, t, &lo, &hi))
        return 0;
    int rc = add_rrset(s, DNS_AR, t, z, lo, hi, DNS_T_A);
    if (rc == 0)
        rc = add_rrset(s, DNS_AR, t, z, lo, hi, DNS_T_AAAA);
    return rc;
}

/* The name inside the RDATA of r that gets additional addresses. */
static const uint8_t *target_of(const struct dns_rr *r)
{
    switch (r->type) {
    case DNS_T_NS:
        return r->rdata;
    case DNS_T_MX:
        return r->rdata + 2;
    case DNS_T_SRV:
        return r->rdata + 6;
    default:
        return NULL;
    }
}

/* Additional addresses for the last answer's NS, MX or SRV targets:
 * optional, so a full message just ends without them. */
static void add_additional(struct ans *s)
{
    for (size_t i = s->llo; s->lz && i < s->lhi; i++) {
        const uint8_t *t = target_of(&s->lz->rr[i]);
        int dup = 0; /* two MX to one host: its addresses once */
        for (size_t j = s->llo; t && j < i && !dup; j++)
            dup = dns_name_eq(t, target_of(&s->lz->rr[j]));
        if (t && !dup && add_addresses(s, s->lz, t) == ATOLL_ERR_NOSPC)
            return;
    }
}

/* Whether z is signed: an RRSIG at the apex covering its DNSKEY (NSD's
 * test, zone_is_secure). */
static int signed_zone(const struct dns_zone *z)
{
    size_t lo, hi, a, b;
    if (!node(z, z->origin, &lo, &hi) ||
        !find_type(z, lo, hi, DNS_T_RRSIG, &a, &b))
        return 0;
    for (; a < b; a++)
        if (z->rr[a].rdlen >= 2 &&
            (z->rr[a].rdata[0] << 8 | z->rr[a].rdata[1]) == DNS_T_DNSKEY)
            return 1;
    return 0;
}

/* A referral at the cut node [lo, hi): its NS in authority (and, under DO
 * from a signed zone, its DS or the proof that it has none: RFC 4035
 * section 3.1.4 asks nothing of an unsigned zone, and NSD adds nothing),
 * and the zone's addresses of the NS targets in additional (as NSD
 * does): glue below the cut that does not fit truncates (RFC 9471), an
 * address elsewhere in the zone is left out. */
static int referral(struct ans *s, const struct dns_zone *z,
                    const uint8_t *cut, size_t lo, size_t hi)
{
    size_t a, b;
    int dnssec = s->do_bit && signed_zone(z);
    int rc = add_rrset(s, DNS_NS, cut, z, lo, hi, DNS_T_NS);
    if (rc == 0 && dnssec)
        rc = add_rrset(s, DNS_NS, cut, z, lo, hi, DNS_T_DS);
    if (rc)
        return rc;
    /* An unsigned delegation: the cut's NSEC shows it has no DS (before
     * the addresses: sections go in order). */
    if (rc == 0 && dnssec && !find_type(z, lo, hi, DNS_T_DS, &a, &b)) {
        struct dns_nsec3 p;
        rc = add_rrset(s, DNS_NS, cut, z, lo, hi, DNS_T_NSEC);
        /* NSEC3 (RFC 5155 7.2.7): the cut's, or in an opt-out span the
         * closest encloser proof of the cut. */
        if (rc == 0 && nsec3_zone(z, &p))
            nsec3_nodata(s, z, &p, cut);
    }
    /* The proofs so far (and an earlier wildcard CNAME's) before the
     * addresses: sections go in order. */
    if (rc == 0)
        rc = add_proofs(s);
    if (rc)
        return rc;
    find_type(z, lo, hi, DNS_T_NS, &a, &b);
    for (; a < b; a++) {
        const uint8_t *t = z->rr[a].rdata;
        rc = add_addresses(s, z, t);
        if (rc && dns_name_is_sub(t, cut))
            return rc;
    }
    return 0;
}

/* NXDOMAIN: the negative answer, and the rcode remembered for a reply
 * that ends truncated (which keeps it, as NSD's does). */
static int nxdomain(struct ans *s, const struct dns_zone *z)
{
    s->rcode = DNS_R_NXDOMAIN;
    int rc = add_negative(s, z);
    return rc ? rc : DNS_R_NXDOMAIN;
}

#define DNS_CHAIN_MAX 8 /* CNAMEs (and DNAMEs) followed for one query */

/* Outcome of resolving: the rcode; *aa whether authoritative. Records go
 * into s->b; ATOLL_ERR_NOSPC when they do not fit. */
static int resolve(struct ans *s, const uint8_t *qname, int *aa)
{
    uint8_t name[DNS_NAME_MAX], syn[DNS_NAME_MAX], wild[DNS_NAME_MAX];
    size_t lo, hi, a, b;
    int rc;

    /* Names already answered by a CNAME: a loop ends the chain. */
    uint8_t seen[DNS_CHAIN_MAX + 1][DNS_NAME_MAX];
    int nseen = 0;

    memcpy(name, qname, dns_name_len(qname));
    *aa = 0;
    for (int hop = 0; hop <= DNS_CHAIN_MAX; hop++) {
        const struct dns_zone *z = zone_for(s, name);
        if (!z) /* outside every zone: the first name is REFUSED, a
                 * chain's target is left to the client */
            return hop == 0 ? DNS_R_REFUSED : DNS_R_NOERROR;
        if (hop == 0)
            *aa = 1;
        int nl = dns_name_labels(name), al = dns_name_labels(z->origin);

        /* From the apex down: a cut or a DNAME above the name. */
        int redirected = 0;
        for (int k = al; k <= nl && !redirected; k++) {
            const uint8_t *anc = suffix(name, nl - k);
            if (!node(z, anc, &lo, &hi))
                continue;
            if (k > al && find_type(z, lo, hi, DNS_T_NS, &a, &b) &&
                !(k == nl && s->qtype == DNS_T_DS)) {
                if (hop == 0)
                    *aa = 0;
                rc = referral(s, z, anc, lo, hi);
                return rc ? rc : DNS_R_NOERROR;
            }
            if (k < nl && find_type(z, lo, hi, DNS_T_DNAME, &a, &b)) {
                /* RFC 6672: the DNAME, then a CNAME to the name with
                 * the DNAME's owner replaced by its target. */
                const struct dns_rr *d = &z->rr[a];
                size_t pre = (size_t)(anc - name);
                size_t tl = dns_name_len(d->rdata);
                if ((rc = add_rrset(s, DNS_AN, anc, z, lo, hi, DNS_T_DNAME)))
                    return rc;
                if (pre + tl > DNS_NAME_MAX)
                    return 6; /* YXDOMAIN */
                memcpy(syn, name, pre);
                memcpy(syn + pre, d->rdata, tl);
                rc = dns_build_rr(&s->b, DNS_AN, name, DNS_T_CNAME, DNS_C_IN,
                                  d->ttl, syn, (uint16_t)(pre + tl));
                if (rc)
                    return rc;
                /* A CNAME query is answered by the synthesized CNAME
                 * (RFC 1034 4.3.2 step 3a, as NSD): not followed. */
                if (s->qtype == DNS_T_CNAME)
                    return DNS_R_NOERROR;
                memcpy(name, syn, pre + tl);
                redirected = 1;
            }
        }
        if (redirected)
            continue;

        const uint8_t *owner = name;
        int wc = 0, wcel = 0;
        struct dns_nsec3 p3;
        int n3 = s->do_bit && nsec3_zone(z, &p3);
        if (!node(z, name, &lo, &hi) || nsec3_owner(z, lo, hi)) {
            if (has_below(z, name, hi)) { /* empty non-terminal: NODATA */
                proof(s, z, nsec_for(z, name, 0));
                if (n3)
                    nsec3_nodata(s, z, &p3, name);
                return (rc = add_negative(s, z)) ? rc : DNS_R_NOERROR;
            }
            /* RFC 4592: the closest encloser is the longest existing
             * ancestor (empty non-terminals included); only its own
             * wildcard child may match. */
            const uint8_t *ce = z->origin;
            for (int k = nl - 1; k > al; k--) {
                const uint8_t *anc = suffix(name, nl - k);
                size_t l2, h2;
                if ((node(z, anc, &l2, &h2) && !nsec3_owner(z, l2, h2)) ||
                    has_below(z, anc, h2)) {
                    ce = anc;
                    break;
                }
            }
            size_t cl = dns_name_len(ce);
            /* The name does not exist: the NSEC covering it; an answer
             * from the wildcard needs that proof too (RFC 4035
             * section 3.1.3.3). */
            proof(s, z, nsec_for(z, name, 0));
            /* NSEC3: the next closer name is covered (RFC 5155 7.2.1,
             * 7.2.6); NXDOMAIN and wildcard NODATA add the encloser's. */
            int cel = dns_name_labels(ce);
            if (n3)
                proof(s, z, nsec3_for(z, &p3, suffix(name, nl - cel - 1), 0));
            if (cl + 2 > DNS_NAME_MAX)
                return nxdomain(s, z);
            wild[0] = 1;
            wild[1] = '*';
            memcpy(wild + 2, ce, cl);
            if (!node(z, wild, &lo, &hi)) {
                proof(s, z, nsec_for(z, wild, 0)); /* no wildcard */
                if (n3) { /* RFC 5155 7.2.2 */
                    nsec3_ce_proof(s, z, &p3, name, cel);
                    proof(s, z, nsec3_for(z, &p3, wild, 0));
                }
                return nxdomain(s, z);
            }
            wc = 1;
            wcel = cel;
        }
        /* The node [lo, hi), owned by name or by its wildcard. */
        if (s->qtype == DNS_T_ANY)
            return (rc = add_any(s, owner, z, lo, hi)) ? rc : DNS_R_NOERROR;
        if (find_type(z, lo, hi, s->qtype, &a, &b)) {
            if ((rc = add_rrset(s, DNS_AN, owner, z, lo, hi, s->qtype)))
                return rc;
            return DNS_R_NOERROR;
        }
        if (!find_type(z, lo, hi, DNS_T_CNAME, &a, &b)) {
            /* NODATA: the NSEC of the node (the wildcard's) shows the
             * types it has. */
            proof(s, z, nsec_for(z, wc ? wild : name, 1));
            if (n3 && wc) { /* RFC 5155 7.2.5 */
                nsec3_ce_proof(s, z, &p3, name, wcel);
                proof(s, z, nsec3_for(z, &p3, wild, 1));
            } else if (n3) {
                nsec3_nodata(s, z, &p3, name);
                /* The wildcard itself asked: its encloser's too (7.2.5,
                 * the wildcard matching QNAME; NSD sends it). */
                if (name[0] == 1 && name[1] == '*')
                    proof(s, z, nsec3_for(z, &p3, suffix(name, 1), 1));
            }
            return (rc = add_negative(s, z)) ? rc : DNS_R_NOERROR;
        }
        if ((rc = add_rrset(s, DNS_AN, owner, z, lo, hi, DNS_T_CNAME)))
            return rc;
        memcpy(seen[nseen++], name, dns_name_len(name));
        memcpy(name, z->rr[a].rdata, dns_name_len(z->rr[a].rdata));
        for (int i = 0; i < nseen; i++)
            if (dns_name_eq(seen[i], name))
                return DNS_R_NOERROR; /* a loop: as NSD, stop */
    }
    return DNS_R_NOERROR; /* chain too long: the answer so far */
}

/* Header, the question as asked (its case kept), flags and rcode. */
static int start(struct ans *s, uint8_t *out, size_t cap,
                 const struct dns_msg *m, const struct dns_rr_view *q,
                 uint16_t flags)
{
    int rc = dns_build_init(&s->b, out, cap, m->id,
                            (uint16_t)(DNS_F_QR | flags |
                                       (m->flags & (DNS_F_RD | DNS_F_CD |
                                                    0x7800))));
    if (rc == 0 && q)
        rc = dns_build_question(&s->b, q->owner, q->type, q->rclass);
    return rc;
}

static int finish_opt(struct ans *s, const struct dns_msg *m, size_t cap,
                      uint8_t ext)
{
    if (!m->edns.present)
        return (int)s->b.len;
    s->b.cap = cap;
    int rc = dns_build_opt(&s->b, DNS_EDNS_PAYLOAD, ext, 0, s->do_bit);
    return rc ? rc : (int)s->b.len;
}

int dns_answer(const struct dns_zone *zones, size_t nzones, const uint8_t *q,
               size_t qlen, uint8_t *out, size_t cap, unsigned flags)
{
    struct ans s;
    struct dns_msg m;
    struct dns_msg_iter it;
    struct dns_rr_view qv;
    int rc;

    memset(&s, 0, sizeof s);
    s.zones = zones;
    s.nz = nzones;
    if (qlen < DNS_HEADER_LEN || cap < DNS_HEADER_LEN + 11 ||
        (q[2] & 0x80))
        return ATOLL_ERR_FORMAT; /* not a query: no answer */
    if (dns_msg_parse(&m, q, qlen) < 0) {
        /* The id and opcode only: nothing else can be trusted. */
        memset(&m, 0, sizeof m);
        m.id = (uint16_t)(q[0] << 8 | q[1]);
        m.flags = (uint16_t)(q[2] << 8 | q[3]);
        if ((rc = start(&s, out, cap, &m, NULL, DNS_R_FORMERR)))
            return rc;
        return (int)s.b.len;
    }
    /* The reply's size limit: the client's buffer over UDP (512 without
     * EDNS), the 16-bit length over TCP; room kept for the OPT. */
    size_t lim = 512;
    if (flags & DNS_ANSWER_TCP)
        lim = 65535;
    else if (m.edns.present)
        lim = m.edns.payload;
    if (lim > cap)
        lim = cap;
    size_t body = m.edns.present ? lim - 11 : lim;
    s.do_bit = m.edns.present && m.edns.do_bit;

    dns_msg_iter_init(&m, &it);
    int haveq = m.count[DNS_QD] == 1 && dns_msg_next(&m, &it, &qv) == 1;
    const struct dns_rr_view *qp = haveq ? &qv : NULL;
    if (DNS_OPCODE(m.flags) != 0) {
        if ((rc = start(&s, out, body, &m, qp, DNS_R_NOTIMP)))
            return rc;
        return finish_opt(&s, &m, lim, 0);
    }
    if (m.edns.present && m.edns.version > 0) {
        /* BADVERS (16): extended rcode 1 in the OPT, header rcode 0. */
        if ((rc = start(&s, out, body, &m, qp, 0)))
            return rc;
        return finish_opt(&s, &m, lim, 1);
    }
    uint16_t rcode = 0;
    if (!haveq || m.count[DNS_AN] || m.count[DNS_NS] ||
        qv.type == DNS_T_OPT)
        rcode = DNS_R_FORMERR;
    else if (qv.rclass != DNS_C_IN && qv.rclass != DNS_C_ANY)
        rcode = DNS_R_REFUSED;
    else if (qv.type == DNS_T_AXFR || qv.type == 251 /* IXFR */)
        rcode = DNS_R_NOTIMP; /* transfers belong to the TCP transport */
    if (rcode) {
        if ((rc = start(&s, out, body, &m, qp, rcode)))
            return rc;
        return finish_opt(&s, &m, lim, 0);
    }

    s.qtype = qv.type;
    s.class_any = qv.rclass == DNS_C_ANY;
    if ((rc = start(&s, out, body, &m, &qv, 0)))
        return rc;
    int aa;
    rc = resolve(&s, qv.owner, &aa);
    /* Class ANY (255) is answered as IN, never authoritative (RFC 6895
     * section 3.2: the server cannot know every class; as NSD). */
    if (s.class_any)
        aa = 0;
    if (rc >= 0) {
        int rp = add_proofs(&s);
        if (rp < 0)
            rc = rp;
    }
    if (rc == ATOLL_ERR_NOSPC) {
        /* RFC 2181 section 9: TC, and only the question (no partial
         * RRset); the client asks again over TCP. AA and NXDOMAIN stay
         * (as NSD). */
        if ((rc = start(&s, out, body, &m, &qv,
                        (uint16_t)(DNS_F_TC | (aa ? DNS_F_AA : 0) |
                                   s.rcode))))
            return rc;
        return finish_opt(&s, &m, lim, 0);
    }
    if (rc < 0)
        return rc;
    if (rc == DNS_R_NOERROR)
        add_additional(&s);
    uint16_t f = (uint16_t)(s.b.buf[2] << 8 | s.b.buf[3]);
    dns_build_flags(&s.b, (uint16_t)(f | (aa ? DNS_F_AA : 0) | (uint16_t)rc));
    return finish_opt(&s, &m, lim, 0);
}
