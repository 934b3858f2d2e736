/* AXFR out (RFC 5936): a zone's records, SOA first and last, in as few
 * TCP messages as the caller's buffer allows. The zone array is already
 * in canonical order, so the body is one walk over it without the SOA. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

enum { AX_SOA1, AX_BODY, AX_SOA2, AX_OVER, AX_ERROR };

static int apex_soa(const struct dns_zone *z, size_t *at)
{
    for (size_t i = 0; i < z->n; i++) {
        const struct dns_rr *r = &z->rr[i];
        if (r->type == DNS_T_SOA && dns_name_eq(r->owner, z->origin)) {
            *at = i;
            return 1;
        }
    }
    return 0;
}

int dns_axfr_begin(struct dns_axfr *x, const struct dns_zone *zones,
                   size_t nzones, const uint8_t *query, size_t len)
{
    struct dns_msg m;
    struct dns_msg_iter it;
    struct dns_rr_view q;

    memset(x, 0, sizeof *x);
    x->state = AX_OVER;
    if (len < DNS_HEADER_LEN || (query[2] & 0x80))
        return ATOLL_ERR_FORMAT;
    x->state = AX_ERROR;
    x->id = (uint16_t)(query[0] << 8 | query[1]);
    x->rcode = DNS_R_FORMERR;
    if (dns_msg_parse(&m, query, len) < 0 || DNS_OPCODE(m.flags) != 0 ||
        m.count[DNS_QD] != 1 || m.count[DNS_AN])
        return DNS_R_FORMERR;
    dns_msg_iter_init(&m, &it);
    if (dns_msg_next(&m, &it, &q) != 1)
        return DNS_R_FORMERR;
    memcpy(x->qname, q.owner, dns_name_len(q.owner));
    x->qtype = q.type;
    /* An IXFR query carries the client's SOA in authority (RFC 1995
     * section 3); an AXFR query has nothing there. */
    if ((q.type != DNS_T_AXFR && q.type != DNS_T_IXFR) ||
        (m.count[DNS_NS] && q.type != DNS_T_IXFR))
        return DNS_R_FORMERR;
    x->rcode = DNS_R_NOTAUTH;
    if (q.rclass != DNS_C_IN)
        return DNS_R_NOTAUTH;
    for (size_t i = 0; i < nzones; i++) {
        if (!dns_name_eq(zones[i].origin, q.owner) ||
            !apex_soa(&zones[i], &x->soa))
            continue;
        x->zone = &zones[i];
        x->rcode = 0;
        x->state = AX_SOA1;
        return 0;
    }
    return DNS_R_NOTAUTH;
}

/* One record into the message; NOSPC leaves it as it was. */
static int put(struct dns_builder *b, const struct dns_rr *r)
{
    return dns_build_rr(b, DNS_AN, r->owner, r->type, DNS_C_IN, r->ttl,
                        r->rdata, r->rdlen);
}

long dns_axfr_next(struct dns_axfr *x, uint8_t *out, size_t cap)
{
    struct dns_builder b;
    uint16_t flags = DNS_F_QR;
    int rc;

    if (x->state == AX_OVER)
        return 0;
    if (cap > 65535)
        cap = 65535;
    if (x->state == AX_ERROR) {
        x->state = AX_OVER;
        flags |= x->rcode;
    } else {
        flags |= DNS_F_AA;
    }
    if ((rc = dns_build_init(&b, out, cap, x->id, flags)))
        return rc;
    /* qtype 0: no question could be read, so none is echoed (a made-up
     * root question would not match the client's). */
    if (x->msgs == 0 && x->qtype != 0 &&
        (rc = dns_build_question(&b, x->qname, x->qtype, DNS_C_IN)))
        return rc;
    x->msgs++;
    if (x->state == AX_OVER)
        return (long)b.len;
    const struct dns_zone *z = x->zone;
    unsigned added = 0;
    for (;;) {
        const struct dns_rr *r;
        if (x->state == AX_BODY && x->next == x->soa)
            x->next++;
        if (x->state == AX_BODY && x->next >= z->n)
            x->state = AX_SOA2;
        if (x->state == AX_OVER)
            break;
        r = x->state == AX_BODY ? &z->rr[x->next] : &z->rr[x->soa];
        rc = put(&b, r);
        if (rc == ATOLL_ERR_NOSPC && added)
            break;
        if (rc)
            return rc;
        added++;
        if (x->state == AX_SOA1)
            x->state = AX_BODY;
        else if (x->state == AX_BODY)
            x->next++;
        else
            x->state = AX_OVER;
    }
    return (long)b.len;
}
