/*
 * Fuzz target: zone files (lib/dns zone.c, ztext.c, zcheck.c). Every
 * failure must come with a "zone:LINE: " message; a zone that loads must
 * be sorted, under its origin, with RDATA its type accepts, and each
 * record must survive a message built from it and parsed back, and an
 * AXFR of it (dns_axfr_*) in 512-byte messages must carry every record
 * once and the SOA twice, each message parsing.
 */
#include <string.h>

#include <atoll/dns.h>
#include <atoll/err.h>

#include "fuzz_dns.h"

static uint8_t mem[4 << 20];
static uint8_t msg[65535], rd[65535];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void axfr(const struct dns_zone *z)
{
    uint8_t q[512];
    struct dns_builder b;
    struct dns_axfr x;
    struct dns_msg m;
    size_t records = 0;
    long l;
    dns_build_init(&b, q, sizeof q, 9, 0);
    PROP(dns_build_question(&b, z->origin, DNS_T_AXFR, DNS_C_IN) == 0);
    PROP(dns_axfr_begin(&x, z, 1, q, b.len) == 0);
    while ((l = dns_axfr_next(&x, msg, 512)) > 0) {
        PROP(l <= 512 && dns_msg_parse(&m, msg, (size_t)l) == 0);
        PROP(m.count[DNS_AN] > 0 && m.id == 9);
        records += m.count[DNS_AN];
    }
    /* Only a record too big for 512 bytes stops it. */
    PROP(l == 0 || l == ATOLL_ERR_NOSPC);
    PROP(l != 0 || records == z->n + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const uint8_t origin[] = "\7example\3com";
    struct dns_arena a;
    struct dns_zone z;

    dns_arena_init(&a, mem, sizeof mem);
    int rc = dns_zone_load(&z, &a, "zone", (const char *)data, len, origin);
    if (rc < 0) {
        PROP(strncmp(z.err, "zone:", 5) == 0);
        PROP(z.err[5] >= '1' && z.err[5] <= '9');
        PROP(strstr(z.err, ": ") != NULL);
        return 0;
    }
    PROP(z.n >= 2);
    axfr(&z);
    for (size_t i = 0; i < z.n; i++) {
        const struct dns_rr *r = &z.rr[i];
        PROP(dns_name_is_sub(r->owner, z.origin));
        PROP(dns_rdata_check(r->type, r->rdata, r->rdlen) == 0);
        if (i > 0) {
            int c = dns_name_cmp(z.rr[i - 1].owner, r->owner);
            PROP(c < 0 || (c == 0 && z.rr[i - 1].type <= r->type));
        }
        struct dns_builder b;
        struct dns_msg m;
        struct dns_msg_iter it;
        struct dns_rr_view v;
        dns_build_init(&b, msg, sizeof msg, 1, DNS_F_QR);
        PROP(dns_build_question(&b, r->owner, r->type, DNS_C_IN) == 0);
        rc = dns_build_rr(&b, DNS_AN, r->owner, r->type, DNS_C_IN, r->ttl,
                          r->rdata, r->rdlen);
        PROP(rc == 0 || (rc == ATOLL_ERR_NOSPC && r->rdlen > 65000));
        if (rc)
            continue;
        PROP(dns_msg_parse(&m, msg, b.len) == 0);
        dns_msg_iter_init(&m, &it);
        PROP(dns_msg_next(&m, &it, &v) == 1);
        PROP(dns_msg_next(&m, &it, &v) == 1);
        int l = dns_rdata_unpack(msg, b.len, v.rdata, v.rdlen, v.type, rd,
                                 sizeof rd);
        PROP(fuzz_dns_same_rdata(r->type, r->rdata, r->rdlen, rd,
                                 (size_t)(l < 0 ? 0 : l)) && l >= 0);
    }
    return 0;
}
