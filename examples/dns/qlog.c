/* The query log (--log=debug): one line per query,
 *   dns: udp 10.0.0.1:40000 www.example.com. A -> NOERROR aa 96 bytes
 * and the question's type, which decides whether a TCP query is a zone
 * transfer. */
#include <stdio.h>
#include <string.h>

#include "atoll/rt.h"

#include "server.h"

static const char *const rcodes[16] = {
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
};

/* lib/dns names types only from text to number: the common ones here. */
static const char *type_name(int t, char *buf, size_t cap)
{
    static const struct {
        uint16_t type;
        const char *name;
    } names[] = {
        {DNS_T_A, "A"}, {DNS_T_NS, "NS"}, {DNS_T_CNAME, "CNAME"},
        {DNS_T_SOA, "SOA"}, {DNS_T_PTR, "PTR"}, {DNS_T_MX, "MX"},
        {DNS_T_TXT, "TXT"}, {DNS_T_AAAA, "AAAA"}, {DNS_T_SRV, "SRV"},
        {DNS_T_DNAME, "DNAME"}, {DNS_T_DS, "DS"}, {DNS_T_DNSKEY, "DNSKEY"},
        {DNS_T_NSEC, "NSEC"}, {DNS_T_HTTPS, "HTTPS"}, {DNS_T_CAA, "CAA"},
        {DNS_T_AXFR, "AXFR"}, {DNS_T_IXFR, "IXFR"}, {DNS_T_ANY, "ANY"},
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].type == t)
            return names[i].name;
    snprintf(buf, cap, "TYPE%d", t);
    return buf;
}

int srv_question(const uint8_t *q, size_t qlen, uint8_t *name,
                 uint16_t *qclass)
{
    size_t pos = DNS_HEADER_LEN;

    if (qlen < DNS_HEADER_LEN || (q[2] & 0x80) || q[4] != 0 || q[5] != 1)
        return -1;
    if (dns_name_unpack(q, qlen, &pos, name, 1) < 0 || qlen - pos < 4)
        return -1;
    if (qclass != NULL)
        *qclass = (uint16_t)(q[pos + 2] << 8 | q[pos + 3]);
    return q[pos] << 8 | q[pos + 1];
}

void srv_log_query(const char *proto, atoll_ip4_t src, uint16_t sport,
                   const uint8_t *q, size_t qlen, const uint8_t *r,
                   long rlen, const char *note)
{
    uint8_t name[DNS_NAME_MAX];
    char addr[ATOLL_IP4_STRLEN], text[DNS_NAME_MAX * 4 + 1], tbuf[12];
    const char *rc = "-";
    int t = srv_question(q, qlen, name, NULL);

    if (t < 0)
        snprintf(text, sizeof text, "(malformed, %zu bytes)", qlen);
    else
        dns_name_to_text(name, text, sizeof text);
    if (rlen >= DNS_HEADER_LEN) {
        rc = rcodes[r[3] & 15];
        if (rc == NULL)
            rc = "RCODE?";
    }
    atoll_log(ATOLL_LOG_DEBUG, "dns: %s %s:%u %s %s -> %s%s%s %ld bytes%s%s",
              proto, atoll_ip4_format(src, addr), sport, text,
              t < 0 ? "-" : type_name(t, tbuf, sizeof tbuf), rc,
              rlen >= DNS_HEADER_LEN && (r[2] & (DNS_F_AA >> 8)) ? " aa" : "",
              rlen >= DNS_HEADER_LEN && (r[2] & (DNS_F_TC >> 8)) ? " tc" : "",
              rlen < 0 ? 0 : rlen, note[0] ? " " : "", note);
}
