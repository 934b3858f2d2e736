/* Response rate limiting: a token bucket per (source prefix, response
 * class, name, type), direct-mapped on a keyed SipHash in the caller's
 * table. Credits are kept in billionths of a response so that a bucket
 * refills by elapsed_ns * rate with integer arithmetic. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <atoll/siphash.h>
#include <string.h>

#define UNIT 1000000000ull /* credit of one response */

enum { K_ANSWER = 1, K_REFERRAL, K_NODATA, K_NXDOMAIN, K_ERROR };

int dns_rrl_init(struct dns_rrl *r, void *mem, size_t size,
                 const struct dns_rrl_config *c)
{
    memset(r, 0, sizeof *r);
    if (!mem || (uintptr_t)mem % _Alignof(struct dns_rrl_bucket) ||
        size < sizeof(struct dns_rrl_bucket) || c->ipv4_prefix > 32 ||
        c->ipv6_prefix > 128)
        return ATOLL_ERR_INVAL;
    r->c = *c;
    r->tab = mem;
    r->n = size / sizeof(struct dns_rrl_bucket);
    memset(mem, 0, r->n * sizeof(struct dns_rrl_bucket));
    return 0;
}

/* Skip the name at *pos (compressed or not); 0 or a negative error. */
static int skip_name(const uint8_t *m, size_t len, size_t *pos,
                     uint8_t *name)
{
    return dns_name_unpack(m, len, pos, name, 1) < 0 ? ATOLL_ERR_FORMAT : 0;
}

/* The bucket's key: class, prefix, lower-cased name, type. Returns its
 * length in k, or a negative error for an unreadable response. */
static int bucket_key(const struct dns_rrl *r, const uint8_t *src,
                      size_t alen, const uint8_t *m, size_t len, uint8_t *k)
{
    uint8_t name[DNS_NAME_MAX], qname[DNS_NAME_MAX];
    size_t pos = DNS_HEADER_LEN, n = 0;
    unsigned bits = alen == 4 ? r->c.ipv4_prefix : r->c.ipv6_prefix;
    uint16_t qtype = 0;

    if (len < DNS_HEADER_LEN || (alen != 4 && alen != 16))
        return ATOLL_ERR_FORMAT;
    unsigned rcode = m[3] & 15, an = (unsigned)(m[6] << 8 | m[7]),
             ns = (unsigned)(m[8] << 8 | m[9]);
    qname[0] = 0;
    if (m[4] == 0 && m[5] == 1) {
        if (skip_name(m, len, &pos, qname) || pos + 4 > len)
            return ATOLL_ERR_FORMAT;
        qtype = (uint16_t)(m[pos] << 8 | m[pos + 1]);
        pos += 4;
    }
    const uint8_t *kname = qname;
    if (rcode == DNS_R_NOERROR && an)
        k[n++] = K_ANSWER;
    else if (rcode == DNS_R_NOERROR || rcode == DNS_R_NXDOMAIN) {
        /* The first authority record: a referral's NS or the SOA. */
        for (unsigned i = 0; i < an; i++) {
            if (skip_name(m, len, &pos, name) || pos + 10 > len)
                return ATOLL_ERR_FORMAT;
            pos += 10u + (size_t)(m[pos + 8] << 8 | m[pos + 9]);
        }
        uint16_t t = 0;
        name[0] = 0;
        if (ns) {
            if (skip_name(m, len, &pos, name) || pos + 2 > len)
                return ATOLL_ERR_FORMAT;
            t = (uint16_t)(m[pos] << 8 | m[pos + 1]);
        }
        if (rcode == DNS_R_NXDOMAIN) {
            k[n++] = K_NXDOMAIN;
            kname = name;
            qtype = 0;
        } else if (t == DNS_T_NS) {
            k[n++] = K_REFERRAL;
            kname = name;
            qtype = 0;
        } else {
            k[n++] = K_NODATA;
        }
    } else {
        k[n++] = K_ERROR;
        kname = (const uint8_t *)"";
        qtype = 0;
    }
    /* The source prefix: whole bytes, then the partial byte masked. */
    k[n++] = (uint8_t)alen;
    for (unsigned i = 0; i < alen; i++) {
        unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i
                                                              : 0;
        k[n++] = (uint8_t)(src[i] & (0xFF00u >> keep));
    }
    k[n++] = (uint8_t)(qtype >> 8);
    k[n++] = (uint8_t)qtype;
    size_t nl = dns_name_len(kname);
    for (size_t i = 0; i < nl; i++) {
        uint8_t c = kname[i];
        k[n++] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
    }
    return (int)n;
}

enum dns_rrl_action dns_rrl_check(struct dns_rrl *r, const uint8_t *src_addr,
                                  size_t addrlen, const uint8_t *response,
                                  size_t len, uint64_t now_ns)
{
    uint8_t k[4 + 16 + 2 + DNS_NAME_MAX];
    int kl;

    if (r->c.rate == 0 ||
        (kl = bucket_key(r, src_addr, addrlen, response, len, k)) < 0) {
        r->sent++;
        return DNS_RRL_SEND;
    }
    uint64_t h = atoll_siphash(r->c.key, k, (size_t)kl);
    struct dns_rrl_bucket *b = &r->tab[h % r->n];
    uint64_t full = (uint64_t)r->c.rate * UNIT;
    if (b->hash != h || b->last_ns == 0) {
        /* New, or another bucket's slot: start full. */
        b->hash = h;
        b->credit = full;
        b->limited = 0;
    } else if (now_ns > b->last_ns) {
        uint64_t dt = now_ns - b->last_ns;
        uint64_t add = dt >= UNIT ? full : dt * r->c.rate;
        b->credit = full - b->credit <= add ? full : b->credit + add;
    }
    b->last_ns = now_ns ? now_ns : 1;
    if (b->credit >= UNIT) {
        b->credit -= UNIT;
        r->sent++;
        return DNS_RRL_SEND;
    }
    b->limited++;
    if (r->c.slip && b->limited % r->c.slip == 0) {
        r->slipped++;
        return DNS_RRL_SLIP;
    }
    r->dropped++;
    return DNS_RRL_DROP;
}

int dns_rrl_slip(uint8_t *m, size_t len)
{
    uint8_t name[DNS_NAME_MAX];
    size_t pos = DNS_HEADER_LEN;

    if (len < DNS_HEADER_LEN || m[4] != 0 || m[5] != 1 ||
        dns_name_unpack(m, len, &pos, name, 0) < 0 || pos + 4 > len)
        return ATOLL_ERR_FORMAT;
    m[2] |= DNS_F_TC >> 8;
    memset(m + 6, 0, 6);
    return (int)(pos + 4);
}
