/* Building messages: sections in order, names compressed against the
 * names already written, a size limit that leaves the message whole. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

int dns_build_init(struct dns_builder *b, uint8_t *buf, size_t cap,
                   uint16_t id, uint16_t flags)
{
    if (cap < DNS_HEADER_LEN)
        return ATOLL_ERR_INVAL;
    b->buf = buf;
    b->cap = cap > 65535 ? 65535 : cap;
    b->len = DNS_HEADER_LEN;
    b->section = DNS_QD;
    b->ncomp = 0;
    memset(buf, 0, DNS_HEADER_LEN);
    put16(buf, id);
    put16(buf + 2, flags);
    return 0;
}

void dns_build_flags(struct dns_builder *b, uint16_t flags)
{
    put16(b->buf + 2, flags);
}

/* Whether the name written at msg offset off (already in the message, so
 * trusted: pointers only backwards) equals the wire name n. */
static int same_at(const uint8_t *msg, size_t off, const uint8_t *n)
{
    for (;;) {
        uint8_t c = msg[off];
        if ((c & 0xC0) == 0xC0) {
            off = (size_t)(c & 0x3F) << 8 | msg[off + 1];
            continue;
        }
        if (c != *n)
            return 0;
        if (c == 0)
            return 1;
        for (unsigned i = 1; i <= c; i++)
            if (lower(msg[off + i]) != lower(n[i]))
                return 0;
        off += 1u + c;
        n += 1u + c;
    }
}

/* Write name n at b->len, compressed if compress; no room: NOSPC and
 * nothing written (the table may have grown: callers roll it back). */
static int put_name(struct dns_builder *b, const uint8_t *n, int compress)
{
    size_t start = b->len;
    const uint8_t *s = n;
    while (*s) {
        if (compress) {
            for (unsigned i = 0; i < b->ncomp; i++) {
                if (!same_at(b->buf, b->comp[i], s))
                    continue;
                size_t head = (size_t)(s - n);
                if (b->cap - b->len < head + 2)
                    return ATOLL_ERR_NOSPC;
                memcpy(b->buf + b->len, n, head);
                put16(b->buf + b->len + head, (uint16_t)(0xC000 | b->comp[i]));
                goto remember;
            }
        }
        s += 1u + *s;
    }
    size_t l = (size_t)(s - n) + 1;
    if (b->cap - b->len < l)
        return ATOLL_ERR_NOSPC;
    memcpy(b->buf + b->len, n, l);
remember:
    /* Remember the labels written in full, for later names. */
    for (const uint8_t *p = n; p < s; p += 1u + *p) {
        size_t off = start + (size_t)(p - n);
        if (off >= 0x4000 || b->ncomp == DNS_COMP_MAX)
            break;
        b->comp[b->ncomp++] = (uint16_t)off;
    }
    b->len = start + (size_t)(s - n) + (*s ? 2 : 1);
    return 0;
}

static int put_bytes(struct dns_builder *b, const void *p, size_t n)
{
    if (b->cap - b->len < n)
        return ATOLL_ERR_NOSPC;
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    return 0;
}

static int enter(struct dns_builder *b, int sec)
{
    if (sec < b->section || sec > DNS_AR)
        return ATOLL_ERR_INVAL;
    unsigned cnt = (unsigned)(b->buf[4 + 2 * sec] << 8 | b->buf[5 + 2 * sec]);
    if (cnt == 65535)
        return ATOLL_ERR_NOSPC;
    b->section = sec;
    return 0;
}

static void count(struct dns_builder *b, int sec)
{
    uint8_t *c = b->buf + 4 + 2 * sec;
    put16(c, (uint16_t)((c[0] << 8 | c[1]) + 1));
}

int dns_build_question(struct dns_builder *b, const uint8_t *name,
                       uint16_t type, uint16_t rclass)
{
    int rc = enter(b, DNS_QD);
    if (rc)
        return rc;
    size_t len0 = b->len;
    uint16_t ncomp0 = b->ncomp;
    uint8_t tail[4];
    put16(tail, type);
    put16(tail + 2, rclass);
    if ((rc = put_name(b, name, 1)) || (rc = put_bytes(b, tail, 4))) {
        b->len = len0;
        b->ncomp = ncomp0;
        return rc;
    }
    count(b, DNS_QD);
    return 0;
}

/* The RDATA of rd, names compressed where the type allows. rd is made by
 * this library (dns_rdata_unpack or a zone): trusted. */
static int put_rdata(struct dns_builder *b, uint16_t type, const uint8_t *rd,
                     uint16_t rdlen)
{
    int rc = 0;
    size_t l;
    switch (type) {
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
        return put_name(b, rd, 1);
    case DNS_T_MX:
        if ((rc = put_bytes(b, rd, 2)))
            return rc;
        return put_name(b, rd + 2, 1);
    case DNS_T_SOA:
        l = dns_name_len(rd);
        if ((rc = put_name(b, rd, 1)) || (rc = put_name(b, rd + l, 1)))
            return rc;
        l += dns_name_len(rd + l);
        return put_bytes(b, rd + l, 20);
    default:
        return put_bytes(b, rd, rdlen);
    }
}

int dns_build_rr(struct dns_builder *b, enum dns_section sec,
                 const uint8_t *owner, uint16_t type, uint16_t rclass,
                 uint32_t ttl, const uint8_t *rd, uint16_t rdlen)
{
    if (sec == DNS_QD)
        return ATOLL_ERR_INVAL;
    int rc = enter(b, sec);
    if (rc)
        return rc;
    size_t len0 = b->len;
    uint16_t ncomp0 = b->ncomp;
    uint8_t fix[10];
    put16(fix, type);
    put16(fix + 2, rclass);
    put16(fix + 4, (uint16_t)(ttl >> 16));
    put16(fix + 6, (uint16_t)ttl);
    if ((rc = put_name(b, owner, 1)) || (rc = put_bytes(b, fix, 10)))
        goto undo;
    size_t at = b->len;
    if ((rc = put_rdata(b, type, rd, rdlen)))
        goto undo;
    put16(b->buf + at - 2, (uint16_t)(b->len - at));
    count(b, sec);
    return 0;
undo:
    b->len = len0;
    b->ncomp = ncomp0;
    return rc;
}

int dns_build_opt(struct dns_builder *b, uint16_t payload, uint8_t ext_rcode,
                  uint8_t version, int do_bit)
{
    static const uint8_t rd[1] = {0};
    uint32_t ttl = (uint32_t)ext_rcode << 24 | (uint32_t)version << 16 |
                   (do_bit ? 0x8000u : 0);
    return dns_build_rr(b, DNS_AR, (const uint8_t *)"", DNS_T_OPT, payload,
                        ttl, rd, 0);
}
