/*
 * Write the seed corpora of lib/dns's fuzz targets:
 *   fuzz-dns-seeds DIR   -> DIR/zone/seedNNN (zone files) and
 *                           DIR/msg/seedNNN (messages built by lib/dns
 *                           from those zones' records), DIR/answer/seedNNN
 *                           (queries for those records)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <atoll/dns.h>

static const char *const zones[] = {
    "$ORIGIN example.com.\n$TTL 1h\n"
    "@ IN SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )\n"
    "  NS ns1\n  NS ns2.example.com.\n  MX 10 mail\n"
    "ns1 A 192.0.2.1\nns2 300 IN AAAA 2001:db8::2\n"
    "www IN 600 A 192.0.2.10 ; comment\n"
    "  TXT \"hello \\\"quoted\\\" world\" unquoted\n"
    "a\\.b CNAME www\n\\065scii TXT \"\\065\\066\"\n"
    "_sip._udp SRV 1 2 5060 sip\n@ CAA 0 issue \"ca.example.net\"\n"
    "svc SVCB 1 svc-target alpn=\"h2,h3\" port=8443 mandatory=port\n"
    "@ HTTPS 1 . ipv6hint=2001:db8::1 ipv4hint=192.0.2.1,192.0.2.2 "
    "ech=AQID key7=abc\n"
    "dn DNAME example.net.\nsub NS ns.sub\n  DS 12345 13 2 3A0B5C1D0E2F\n"
    "ns.sub A 192.0.2.53\n@ DNSKEY 257 3 13 ( AQID\n BA== )\n"
    "www RRSIG A 13 3 600 20300101000000 20200101000000 12345 example.com. "
    "AQIDBAU=\n@ NSEC www A NS SOA MX RRSIG NSEC DNSKEY\n"
    "@ NSEC3PARAM 1 0 0 -\n"
    "hash NSEC3 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG\n"
    "x TYPE65280 \\# 4 0A000001\ny A \\# 4 0A000002\nptr PTR www\n",

    "$TTL 60\n@ SOA a.example.com. b.example.com. 1 2 3 4 5\n@ NS a\n"
    "a A 10.0.0.1\n* TXT wildcard\nc CNAME a\n",

    "example.com. 60 IN SOA a b 1 1h 1d 1w 30m\nexample.com. 60 IN NS a\n"
    "a.example.com. 60 IN A 10.0.0.1\n",
};

static int write_file(const char *dir, const char *sub, int k,
                      const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof path, "%s/%s/seed%03d", dir, sub, k);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        return -1;
    return 0;
}

static uint8_t mem[1 << 20];

int main(int argc, char **argv)
{
    static uint8_t msg[4096];
    int nmsg = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz-dns-seeds DIR\n");
        return 2;
    }
    for (size_t k = 0; k < sizeof zones / sizeof zones[0]; k++) {
        if (write_file(argv[1], "zone", (int)k, zones[k], strlen(zones[k])))
            return 1;
        struct dns_arena a;
        struct dns_zone z;
        dns_arena_init(&a, mem, sizeof mem);
        if (dns_zone_load(&z, &a, "seed", zones[k], strlen(zones[k]),
                          (const uint8_t *)"\7example\3com") < 0) {
            fprintf(stderr, "fuzz-dns-seeds: %s\n", z.err);
            return 1;
        }
        /* One answer per record, then all of them in one message. */
        struct dns_builder all;
        dns_build_init(&all, msg, sizeof msg, 0, DNS_F_QR | DNS_F_AA);
        for (size_t i = 0; i < z.n; i++) {
            static uint8_t one[1024];
            struct dns_builder b;
            const struct dns_rr *r = &z.rr[i];
            dns_build_init(&b, one, sizeof one, (uint16_t)i,
                           DNS_F_QR | DNS_F_AA | DNS_F_RD);
            dns_build_question(&b, r->owner, r->type, DNS_C_IN);
            dns_build_rr(&b, DNS_AN, r->owner, r->type, DNS_C_IN, r->ttl,
                         r->rdata, r->rdlen);
            dns_build_opt(&b, 1232, 0, 0, (int)(i & 1));
            if (write_file(argv[1], "msg", nmsg++, one, b.len))
                return 1;
            /* The same name and type asked, for fuzz_answer. */
            dns_build_init(&b, one, sizeof one, (uint16_t)i, DNS_F_RD);
            dns_build_question(&b, r->owner, r->type, DNS_C_IN);
            if (i & 2)
                dns_build_opt(&b, 1232, 0, 0, (int)(i & 1));
            if (write_file(argv[1], "answer", nmsg, one, b.len))
                return 1;
            dns_build_rr(&all, DNS_AN, r->owner, r->type,
                         DNS_C_IN, r->ttl, r->rdata, r->rdlen);
        }
        if (write_file(argv[1], "msg", nmsg++, msg, all.len))
            return 1;
    }
    printf("fuzz-dns-seeds: %d messages, %zu zones\n", nmsg,
           sizeof zones / sizeof zones[0]);
    return 0;
}
