/* RDATA of the known types: checked field by field, names decompressed
 * where RFC 3597 section 4 lets a receiver do so. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

struct rdr {
    const uint8_t *msg;
    size_t end; /* end of the RDATA */
    size_t p;
    uint8_t *out;
    size_t cap, o;
};

static int r_bytes(struct rdr *r, size_t n)
{
    if (n > r->end - r->p)
        return ATOLL_ERR_FORMAT;
    if (r->out) {
        if (n > r->cap - r->o)
            return ATOLL_ERR_NOSPC;
        memcpy(r->out + r->o, r->msg + r->p, n);
    }
    r->p += n;
    r->o += n;
    return 0;
}

static int r_name(struct rdr *r, int allow_ptr)
{
    uint8_t n[DNS_NAME_MAX];
    int l = dns_name_unpack(r->msg, r->end, &r->p, n, allow_ptr);
    if (l < 0)
        return l;
    if (r->out) {
        if ((size_t)l > r->cap - r->o)
            return ATOLL_ERR_NOSPC;
        memcpy(r->out + r->o, n, (size_t)l);
    }
    r->o += (size_t)l;
    return 0;
}

/* A <character-string>: a length byte and that many bytes, length >= min. */
static int r_cstr(struct rdr *r, unsigned min)
{
    if (r->p >= r->end || r->msg[r->p] < min)
        return ATOLL_ERR_FORMAT;
    return r_bytes(r, 1u + r->msg[r->p]);
}

static int r_rest(struct rdr *r, size_t min)
{
    if (r->end - r->p < min)
        return ATOLL_ERR_FORMAT;
    return r_bytes(r, r->end - r->p);
}

/* RFC 4034 section 4.1.2: windows in increasing order, 1..32 bytes each. */
static int r_bitmap(struct rdr *r)
{
    int last = -1;
    while (r->p < r->end) {
        if (r->end - r->p < 2)
            return ATOLL_ERR_FORMAT;
        int win = r->msg[r->p];
        unsigned n = r->msg[r->p + 1];
        if (win <= last || n < 1 || n > 32)
            return ATOLL_ERR_FORMAT;
        last = win;
        int rc = r_bytes(r, 2u + n);
        if (rc)
            return rc;
    }
    return 0;
}

/* RFC 9460 SvcParams: keys in strictly increasing order. */
static int r_svcparams(struct rdr *r)
{
    long last = -1;
    while (r->p < r->end) {
        if (r->end - r->p < 4)
            return ATOLL_ERR_FORMAT;
        const uint8_t *q = r->msg + r->p;
        long key = q[0] << 8 | q[1];
        size_t n = (size_t)(q[2] << 8 | q[3]);
        if (key <= last)
            return ATOLL_ERR_FORMAT;
        last = key;
        int rc = r_bytes(r, 4 + n);
        if (rc)
            return rc;
    }
    return 0;
}

#define TRY(x)              \
    do {                    \
        int rc_ = (x);      \
        if (rc_)            \
            return rc_;     \
    } while (0)

static int walk(struct rdr *r, uint16_t type, int ptr)
{
    switch (type) {
    case DNS_T_A:
        return r_bytes(r, 4);
    case DNS_T_AAAA:
        return r_bytes(r, 16);
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
        return r_name(r, ptr);
    case DNS_T_SOA:
        TRY(r_name(r, ptr));
        TRY(r_name(r, ptr));
        return r_bytes(r, 20);
    case DNS_T_MX:
        TRY(r_bytes(r, 2));
        return r_name(r, ptr);
    case DNS_T_TXT:
        do
            TRY(r_cstr(r, 0));
        while (r->p < r->end);
        return 0;
    case DNS_T_SRV: /* RFC 3597: a receiver should decompress SRV too */
        TRY(r_bytes(r, 6));
        return r_name(r, ptr);
    case DNS_T_CAA:
        TRY(r_bytes(r, 1));
        TRY(r_cstr(r, 1));
        return r_rest(r, 0);
    case DNS_T_DNAME:
        return r_name(r, 0);
    case DNS_T_SVCB: case DNS_T_HTTPS:
        TRY(r_bytes(r, 2));
        TRY(r_name(r, 0));
        return r_svcparams(r);
    case DNS_T_DS: case DNS_T_DNSKEY:
        TRY(r_bytes(r, 4));
        return r_rest(r, 1); /* digest, public key */
    case DNS_T_RRSIG:
        TRY(r_bytes(r, 18));
        TRY(r_name(r, 0));
        return r_rest(r, 1);
    case DNS_T_NSEC:
        TRY(r_name(r, 0));
        return r_bitmap(r);
    case DNS_T_NSEC3:
        TRY(r_bytes(r, 4));
        TRY(r_cstr(r, 0));
        TRY(r_cstr(r, 1));
        return r_bitmap(r);
    case DNS_T_NSEC3PARAM:
        TRY(r_bytes(r, 4));
        return r_cstr(r, 0);
    case DNS_T_OPT: /* options: code, length, data */
        while (r->p < r->end) {
            if (r->end - r->p < 4)
                return ATOLL_ERR_FORMAT;
            size_t n = (size_t)(r->msg[r->p + 2] << 8 | r->msg[r->p + 3]);
            TRY(r_bytes(r, 4 + n));
        }
        return 0;
    default:
        return r_rest(r, 0);
    }
}

int dns_rdata_unpack(const uint8_t *msg, size_t len, size_t off,
                     uint16_t rdlen, uint16_t type, uint8_t *out, size_t cap)
{
    if (off > len || rdlen > len - off)
        return ATOLL_ERR_FORMAT;
    struct rdr r = {msg, off + rdlen, off, out, cap, 0};
    TRY(walk(&r, type, 1));
    if (r.p != r.end)
        return ATOLL_ERR_FORMAT;
    return (int)r.o;
}

int dns_rdata_check(uint16_t type, const uint8_t *rd, size_t rdlen)
{
    /* No output buffer: the walk only checks (r_bytes, r_name). */
    struct rdr r = {rd, rdlen, 0, NULL, 0, 0};
    TRY(walk(&r, type, 0));
    return r.p == r.end ? 0 : ATOLL_ERR_FORMAT;
}

int dns_type_compressible(uint16_t type)
{
    return type == DNS_T_NS || type == DNS_T_CNAME || type == DNS_T_PTR ||
           type == DNS_T_SOA || type == DNS_T_MX;
}
