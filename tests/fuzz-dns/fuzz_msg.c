/*
 * Fuzz target: whole DNS messages (lib/dns msg.c, name.c, rdata.c,
 * build.c). A message dns_msg_parse accepts must walk to its end, every
 * RDATA must unpack, and the message rebuilt from what was read (names
 * compressed again) must parse to the same records; every name must come
 * back from its presentation form.
 */
#include <string.h>

#include <atoll/dns.h>
#include <atoll/err.h>

#include "fuzz_dns.h"

static uint8_t out[65535];
static uint8_t rd[65535];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct dns_msg m, m2;
    struct dns_msg_iter it, it2;
    struct dns_rr_view rr, rr2;
    struct dns_builder b;

    if (dns_msg_parse(&m, data, len) < 0)
        return 0;
    PROP(m.end == len);
    PROP(dns_build_init(&b, out, sizeof out, m.id, m.flags) == 0);
    dns_msg_iter_init(&m, &it);
    unsigned n = 0;
    int rc;
    while ((rc = dns_msg_next(&m, &it, &rr)) == 1) {
        n++;
        PROP(rr.owner[0] <= 63 && dns_name_len(rr.owner) <= DNS_NAME_MAX);
        /* Presentation form and back: the same bytes. */
        char txt[4 * DNS_NAME_MAX + 2];
        uint8_t back[DNS_NAME_MAX];
        dns_name_to_text(rr.owner, txt, sizeof txt);
        int bl = dns_name_from_text(txt, strlen(txt), NULL, back);
        PROP(bl == (int)dns_name_len(rr.owner) &&
             memcmp(back, rr.owner, (size_t)bl) == 0);
        if (rr.section == DNS_QD) {
            PROP(dns_build_question(&b, rr.owner, rr.type, rr.rclass) == 0);
            continue;
        }
        int l = dns_rdata_unpack(data, len, rr.rdata, rr.rdlen, rr.type, rd,
                                 sizeof rd);
        PROP(l >= 0);
        PROP(dns_rdata_check(rr.type, rd, (size_t)l) == 0);
        rc = dns_build_rr(&b, rr.section, rr.owner, rr.type, rr.rclass,
                          rr.ttl, rd, (uint16_t)l);
        PROP(rc == 0 || rc == ATOLL_ERR_NOSPC);
        if (rc)
            return 0; /* uncompressed RDATA can outgrow 64 KB */
    }
    PROP(rc == 0);
    PROP(n == (unsigned)m.count[0] + m.count[1] + m.count[2] + m.count[3]);

    /* The rebuilt message: the same records in the same order. */
    PROP(dns_msg_parse(&m2, out, b.len) == 0);
    PROP(memcmp(m2.count, m.count, sizeof m.count) == 0);
    PROP(m2.edns.present == m.edns.present &&
         m2.edns.do_bit == m.edns.do_bit);
    dns_msg_iter_init(&m, &it);
    dns_msg_iter_init(&m2, &it2);
    while (dns_msg_next(&m, &it, &rr) == 1) {
        PROP(dns_msg_next(&m2, &it2, &rr2) == 1);
        PROP(dns_name_eq(rr.owner, rr2.owner));
        PROP(rr.type == rr2.type && rr.rclass == rr2.rclass &&
             rr.ttl == rr2.ttl && rr.section == rr2.section);
        if (rr.section == DNS_QD)
            continue;
        static uint8_t rd2[65535];
        int l = dns_rdata_unpack(data, len, rr.rdata, rr.rdlen, rr.type, rd,
                                 sizeof rd);
        int l2 = dns_rdata_unpack(out, b.len, rr2.rdata, rr2.rdlen, rr2.type,
                                  rd2, sizeof rd2);
        PROP(fuzz_dns_same_rdata(rr.type, rd, (size_t)l, rd2, (size_t)l2));
    }
    return 0;
}
