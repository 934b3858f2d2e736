/* Parsing a whole message, bounded: every name, count and RDATA length is
 * checked against the bytes before anything is believed. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Read one entry at *pos of section sec into rr (the RDATA unchecked). */
static int read_entry(const struct dns_msg *m, size_t *pos, int sec,
                      struct dns_rr_view *rr)
{
    int l = dns_name_unpack(m->buf, m->len, pos, rr->owner, 1);
    if (l < 0)
        return l;
    size_t fixed = sec == DNS_QD ? 4 : 10;
    if (m->len - *pos < fixed)
        return ATOLL_ERR_FORMAT;
    const uint8_t *p = m->buf + *pos;
    rr->section = (enum dns_section)sec;
    rr->type = get16(p);
    rr->rclass = get16(p + 2);
    rr->ttl = 0;
    rr->rdata = *pos + fixed;
    rr->rdlen = 0;
    if (sec != DNS_QD) {
        rr->ttl = get32(p + 4);
        rr->rdlen = get16(p + 8);
        if (m->len - rr->rdata < rr->rdlen)
            return ATOLL_ERR_FORMAT;
    }
    *pos = rr->rdata + rr->rdlen;
    return 0;
}

void dns_msg_iter_init(const struct dns_msg *m, struct dns_msg_iter *it)
{
    it->pos = DNS_HEADER_LEN;
    it->section = 0;
    it->left = m->count[0];
}

int dns_msg_next(const struct dns_msg *m, struct dns_msg_iter *it,
                 struct dns_rr_view *rr)
{
    while (it->left == 0) {
        if (it->section == DNS_AR)
            return 0;
        it->section++;
        it->left = m->count[it->section];
    }
    if (read_entry(m, &it->pos, it->section, rr) < 0)
        return ATOLL_ERR_FORMAT;
    it->left--;
    return 1;
}

static int check_opt(struct dns_msg *m, const struct dns_rr_view *rr)
{
    if (rr->section != DNS_AR || m->edns.present || rr->owner[0] != 0)
        return ATOLL_ERR_FORMAT;
    struct dns_edns *e = &m->edns;
    e->present = 1;
    /* RFC 6891 section 6.2.5: below 512 is treated as 512. */
    e->payload = rr->rclass < 512 ? 512 : rr->rclass;
    e->ext_rcode = (uint8_t)(rr->ttl >> 24);
    e->version = (uint8_t)(rr->ttl >> 16);
    e->do_bit = (rr->ttl >> 15) & 1;
    e->rdata = rr->rdata;
    e->rdlen = rr->rdlen;
    return 0;
}

int dns_msg_parse(struct dns_msg *m, const uint8_t *buf, size_t len)
{
    memset(m, 0, sizeof *m);
    if (len < DNS_HEADER_LEN || len > 65535)
        return ATOLL_ERR_FORMAT;
    m->buf = buf;
    m->len = len;
    m->id = get16(buf);
    m->flags = get16(buf + 2);
    for (int i = 0; i < 4; i++)
        m->count[i] = get16(buf + 4 + 2 * i);

    /* Each entry takes at least 5 bytes: counts that lie about a short
     * message fail here before any walk. */
    unsigned long total = (unsigned long)m->count[0] + m->count[1] +
                          m->count[2] + m->count[3];
    if (total * 5 > len - DNS_HEADER_LEN)
        return ATOLL_ERR_FORMAT;

    struct dns_msg_iter it;
    struct dns_rr_view rr;
    int sec = -1, rc;
    dns_msg_iter_init(m, &it);
    for (;;) {
        size_t at = it.pos;
        rc = dns_msg_next(m, &it, &rr);
        if (rc <= 0)
            break;
        while (sec < (int)rr.section)
            m->section[++sec] = at;
        if (rr.section == DNS_QD)
            continue;
        if (rr.type == DNS_T_OPT && check_opt(m, &rr) < 0)
            return ATOLL_ERR_FORMAT;
        int l = dns_rdata_unpack(buf, len, rr.rdata, rr.rdlen, rr.type,
                                 NULL, 0);
        if (l < 0)
            return ATOLL_ERR_FORMAT;
    }
    if (rc < 0)
        return rc;
    while (sec < DNS_AR)
        m->section[++sec] = it.pos;
    m->end = it.pos;
    return m->end == len ? 0 : ATOLL_ERR_FORMAT;
}
