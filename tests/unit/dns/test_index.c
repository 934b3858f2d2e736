/*
 * Host unit tests of lib/dns's exact-name index (index.c): for every name
 * of a zone (owners, empty non-terminals at several depths, wildcards,
 * glue, escaped bytes) and for names that are not there (children,
 * siblings, other cases of the letters), dns_zone_find gives what a
 * binary search of the sorted records gives: the position where the name
 * sorts if a record lies at or below it, else -1. A zone of 5,000 more
 * names makes the table probe past collisions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/dns.h"
#include "atoll/err.h"
#include "../../../lib/dns/dns_internal.h"
#include "../../lib/check.h"

static uint8_t mem[1 << 21];
static struct dns_zone zone;

static const char small_zone[] =
    "$ORIGIN example.\n$TTL 60\n"
    "@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
    "a.b.c.d.deep A 192.0.2.2\nx.c.d.deep A 192.0.2.3\nd.deep TXT \"d\"\n"
    "*.wild A 192.0.2.4\nWWW A 192.0.2.5\nwww AAAA ::1\n"
    "sub NS ns.sub\nns.sub A 192.0.2.6\nz.y.sub A 192.0.2.7\n"
    "a\\.b A 192.0.2.8\n\\000.esc A 192.0.2.9\nq.\\255.esc A 192.0.2.10\n";

/* The reference: where n sorts (a binary search with dns_name_cmp, as
 * answering found names before the index), if the record there lies at
 * or below n; else -1. */
static long scan(const struct dns_zone *z, const uint8_t *n)
{
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dns_name_cmp(z->rr[mid].owner, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < z->n && dns_name_is_sub(z->rr[lo].owner, n) ? (long)lo : -1;
}

static void flip_case(uint8_t *n)
{
    for (size_t p = 0; n[p]; p += 1u + n[p])
        for (unsigned i = 1; i <= n[p]; i++)
            if ((n[p + i] | 32) >= 'a' && (n[p + i] | 32) <= 'z')
                n[p + i] ^= 32;
}

/* Every owner, each of its ancestors, each in the other case, a child
 * and a sibling of each: dns_zone_find agrees with the scan. Returns the
 * number of names that exist (found), after *checked names. */
static int agree(const struct dns_zone *z, int *checked)
{
    int found = 0;
    int al = dns_name_labels(z->origin);
    for (size_t i = 0; i < z->n; i++) {
        const uint8_t *o = z->rr[i].owner;
        int ol = dns_name_labels(o);
        for (int drop = 0; drop <= ol - al; drop++) {
            const uint8_t *a = o;
            for (int k = 0; k < drop; k++)
                a += 1u + *a;
            uint8_t v[4][DNS_NAME_MAX + 4];
            size_t len = dns_name_len(a);
            memcpy(v[0], a, len);
            memcpy(v[1], a, len);
            flip_case(v[1]);
            v[2][0] = 2; /* a child: "zz." name */
            v[2][1] = v[2][2] = 'z';
            memcpy(v[2] + 3, a, len);
            memcpy(v[3], a, len); /* a sibling: the first byte changed */
            if (drop < ol - al)
                v[3][1] = (uint8_t)(v[3][1] ^ 0x40);
            for (int k = 0; k < 4; k++) {
                if (dns_name_len(v[k]) > DNS_NAME_MAX)
                    continue;
                long want = scan(z, v[k]), got = dns_zone_find(z, v[k]);
                char text[1100];
                dns_name_to_text(v[k], text, sizeof text);
                if (!t_ok(got == want, "%s: %ld, the scan says %ld", text, got,
                          want))
                    return found;
                found += got >= 0;
                (*checked)++;
            }
        }
    }
    return found;
}

static int load(const char *text, size_t len)
{
    struct dns_arena a;
    uint8_t o[DNS_NAME_MAX];
    dns_name_from_text("example.", 8, NULL, o);
    dns_arena_init(&a, mem, sizeof mem);
    return dns_zone_load(&zone, &a, "t.zone", text, len, o);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);

    if (t_case("index_small_zone")) {
        int rc = load(small_zone, strlen(small_zone)), checked = 0;
        t_int(rc, 0, zone.err);
        int found = agree(&zone, &checked);
        printf("# %d names asked, %d found\n", checked, found);
        t_ok(found > 40, "%d found", found);
        /* The empty non-terminals are there, where their subtree starts. */
        static const char *const ents[] = {"b.c.d.deep.example.",
                                           "c.d.deep.example.", "deep.example.",
                                           "y.sub.example.", "esc.example.",
                                           "\\255.esc.example."};
        for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
            uint8_t n[DNS_NAME_MAX];
            dns_name_from_text(ents[k], strlen(ents[k]), NULL, n);
            long f = dns_zone_find(&zone, n);
            t_ok(f >= 0 && !dns_name_eq(zone.rr[f].owner, n) &&
                     dns_name_is_sub(zone.rr[f].owner, n),
                 "%s: %ld", ents[k], f);
        }
        /* Names that are not there, also beside existing ones. */
        static const char *const none[] = {"e.deep.example.", "deep.sub2.",
                                           "wild2.example.", "c.deep.example.",
                                           "x.ns1.example.", "w.example."};
        for (size_t k = 0; k < sizeof none / sizeof none[0]; k++) {
            uint8_t n[DNS_NAME_MAX];
            dns_name_from_text(none[k], strlen(none[k]), NULL, n);
            t_ok(dns_zone_find(&zone, n) == -1, "%s found", none[k]);
        }
    }
    if (t_case("index_5000_names")) {
        size_t cap = 1 << 19, o = 0;
        char *text = malloc(cap);
        o += (size_t)snprintf(text + o, cap - o,
                              "$TTL 60\n@ SOA a. b. 1 2 3 4 5\n@ NS a.\n");
        for (int k = 0; k < 5000; k++) /* names at depths 1 to 4 */
            o += (size_t)snprintf(text + o, cap - o, "h%d%s A 10.0.%d.%d\n",
                                  k, k % 4 == 0   ? ""
                                     : k % 4 == 1 ? ".g1"
                                     : k % 4 == 2 ? ".f.g2"
                                                  : ".e.f.g3",
                                  (k >> 8) & 255, k & 255);
        int rc = load(text, o), checked = 0;
        t_int(rc, 0, zone.err);
        int found = agree(&zone, &checked);
        printf("# %d names asked, %d found, %zu slots\n", checked, found,
               zone.index_mask + 1);
        t_ok(found >= 2 * 5000, "%d found", found);
        /* At most 3/4 full: 5,000 owners and 6 non-terminals. */
        t_ok((zone.index_mask + 1) * 3 >= 5007 * 4, "%zu slots",
             zone.index_mask + 1);
        free(text);
    }
    if (t_case("index_hash_case")) {
        uint8_t a[DNS_NAME_MAX], b[DNS_NAME_MAX], c[DNS_NAME_MAX];
        dns_name_from_text("Www.ExAmple.", 12, NULL, a);
        dns_name_from_text("wWW.eXaMPLE.", 12, NULL, b);
        dns_name_from_text("wwx.example.", 12, NULL, c);
        t_ok(dns_name_hash(a) == dns_name_hash(b), "case changes the hash");
        t_ok(dns_name_hash(a) != dns_name_hash(c), "www and wwx alike");
    }
    return t_finish();
}
