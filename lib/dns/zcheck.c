/* The checks of a loaded zone, over its sorted records: in canonical
 * order every name's descendants follow it, so one pass finds the data
 * below a delegation or a DNAME. */
#include "dns_internal.h"
#include <atoll/err.h>

static int bad(struct dns_zone *z, const char *file, const struct dns_rr *r,
               const char *what, const uint8_t *n1, const uint8_t *n2)
{
    char msg[160];
    dns_errf(msg, sizeof msg, what, n1, n2);
    dns_errf(z->err, sizeof z->err, "%s:%u: %s", file, r->line, msg);
    return ATOLL_ERR_FORMAT;
}

/* What may sit at a delegation point: the cut's NS, the parent's DS and
 * DNSSEC records, and addresses (glue for a name server named so). */
static int at_cut_ok(uint16_t t)
{
    return t == DNS_T_NS || t == DNS_T_DS || t == DNS_T_RRSIG ||
           t == DNS_T_NSEC || t == DNS_T_A || t == DNS_T_AAAA;
}

int dns_zone_check(struct dns_zone *z, const char *file)
{
    const uint8_t *apex = z->origin;
    const struct dns_rr *soa = NULL, *cut = NULL, *dname = NULL;
    int apex_ns = 0;

    for (size_t i = 0; i < z->n;) {
        /* One owner: records i..j-1. */
        size_t j = i;
        int cname = 0, other = 0, ns = 0, dn = 0;
        const struct dns_rr *cn = NULL;
        while (j < z->n && dns_name_eq(z->rr[j].owner, z->rr[i].owner)) {
            const struct dns_rr *r = &z->rr[j++];
            if (r->type == DNS_T_CNAME) {
                if (cname++)
                    return bad(z, file, r, "more than one CNAME at %n", r->owner,
                               NULL);
                cn = r;
            } else if (r->type != DNS_T_RRSIG && r->type != DNS_T_NSEC) {
                other = 1;
            }
            ns |= r->type == DNS_T_NS;
            dn |= r->type == DNS_T_DNAME;
            if (r->type == DNS_T_SOA) {
                if (!dns_name_eq(r->owner, apex))
                    return bad(z, file, r, "SOA at %n, not at the apex %n",
                               r->owner, apex);
                if (soa)
                    return bad(z, file, r, "a second SOA at %n", r->owner,
                               NULL);
                soa = r;
            }
        }
        const struct dns_rr *first = &z->rr[i];
        if (cname && other)
            return bad(z, file, cn, "CNAME beside other data at %n",
                       first->owner, NULL);
        int is_apex = dns_name_eq(first->owner, apex);
        if (cut && dns_name_is_sub(first->owner, cut->owner)) {
            for (size_t k = i; k < j; k++)
                if (z->rr[k].type != DNS_T_A && z->rr[k].type != DNS_T_AAAA)
                    return bad(z, file, &z->rr[k],
                               "%n is below the delegation at %n (only glue "
                               "addresses may be)", first->owner, cut->owner);
        } else {
            cut = NULL;
            if (dname && dns_name_is_sub(first->owner, dname->owner))
                return bad(z, file, first, "%n is below the DNAME at %n",
                           first->owner, dname->owner);
            dname = NULL;
            if (ns && !is_apex) {
                cut = first;
                for (size_t k = i; k < j; k++)
                    if (!at_cut_ok(z->rr[k].type))
                        return bad(z, file, &z->rr[k],
                                   "data beside the delegation at %n",
                                   first->owner, NULL);
            }
            if (dn)
                dname = first;
        }
        apex_ns |= ns && is_apex;
        i = j;
    }
    if (!soa) {
        dns_errf(z->err, sizeof z->err, "%s:1: no SOA record at the apex %n",
                 file, apex);
        return ATOLL_ERR_FORMAT;
    }
    if (!apex_ns) {
        dns_errf(z->err, sizeof z->err, "%s:%u: no NS records at the apex %n",
                 file, soa->line, apex);
        return ATOLL_ERR_FORMAT;
    }
    return 0;
}
