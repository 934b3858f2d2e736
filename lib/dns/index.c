/* The exact-name index of a zone: an open-addressing hash table (linear
 * probing, at most 3/4 full) over every name that exists in the zone, its
 * owners and its empty non-terminals, built once when the zone is loaded.
 * Answering then finds a node with one hash and about one comparison
 * instead of a binary search of dns_name_cmp calls (a quarter of the
 * server's time at high query rates). The sorted array stays the order
 * for the NSEC and NSEC3 walks.
 *
 * A slot names its name without storing it: the position of the name's
 * first record in the sorted array (for an empty non-terminal, of the
 * first record below it: where the name would sort) and how many labels
 * to drop from that record's owner to get the name. 16 more bits of the
 * hash skip most slots of other names without reading the records. */
#include "dns_internal.h"
#include <atoll/err.h>

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

uint32_t dns_name_hash(const uint8_t *n)
{
    uint32_t h = 2166136261u; /* FNV-1a over the lowercased wire form */
    size_t len = dns_name_len(n);
    for (size_t i = 0; i < len; i++)
        h = (h ^ lower(n[i])) * 16777619u;
    h ^= h >> 16; /* then mixed, so that the low bits depend on all */
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
}

static const uint8_t *drop_labels(const uint8_t *n, unsigned k)
{
    while (k-- > 0)
        n += 1u + *n;
    return n;
}

static void put(struct dns_zone *z, const uint8_t *name, size_t pos,
                unsigned drop)
{
    uint32_t h = dns_name_hash(name);
    size_t i = h & z->index_mask;
    while (z->index[i].pos1)
        i = (i + 1) & z->index_mask;
    z->index[i].pos1 = (uint32_t)(pos + 1);
    z->index[i].tag = (uint16_t)(h >> 16);
    z->index[i].drop = (uint8_t)drop;
}

/* Every name of the zone once, put in the table (or only counted when
 * the table is NULL). In canonical order a name's descendants follow it,
 * so an ancestor of owner o has been seen exactly when the previous
 * owner is that ancestor or lies below it: o's ancestors are walked up
 * to there (or to the apex). */
static size_t names(struct dns_zone *z)
{
    size_t count = 0;
    int al = dns_name_labels(z->origin);
    const uint8_t *prev = NULL;
    for (size_t i = 0; i < z->n; i++) {
        const uint8_t *o = z->rr[i].owner;
        if (prev && dns_name_eq(prev, o))
            continue;
        int ol = dns_name_labels(o);
        for (int drop = 0; drop <= ol - al; drop++) {
            const uint8_t *a = drop_labels(o, (unsigned)drop);
            if (drop > 0 && prev && dns_name_is_sub(prev, a))
                break;
            if (z->index)
                put(z, a, i, (unsigned)drop);
            count++;
        }
        prev = o;
    }
    return count;
}

int dns_zone_index(struct dns_zone *z, struct dns_arena *a)
{
    size_t want, slots = 4;

    z->index = NULL;
    want = names(z);
    if (z->n >= 0xFFFFFFFFu || want > SIZE_MAX / 8)
        return ATOLL_ERR_NOMEM;
    while (slots < want + want / 3 + 1)
        slots *= 2;
    struct dns_index_slot *t =
        dns_arena_alloc(a, slots * sizeof *t, _Alignof(struct dns_index_slot));
    if (!t)
        return ATOLL_ERR_NOMEM;
    for (size_t i = 0; i < slots; i++)
        t[i] = (struct dns_index_slot){0, 0, 0, 0};
    z->index = t;
    z->index_mask = slots - 1;
    names(z);
    return 0;
}

long dns_zone_find(const struct dns_zone *z, const uint8_t *n)
{
    if (!z->index)
        return -1;
    uint32_t h = dns_name_hash(n);
    uint16_t tag = (uint16_t)(h >> 16);
    for (size_t i = h & z->index_mask; z->index[i].pos1;
         i = (i + 1) & z->index_mask) {
        const struct dns_index_slot *s = &z->index[i];
        if (s->tag != tag)
            continue;
        if (dns_name_eq(drop_labels(z->rr[s->pos1 - 1].owner, s->drop), n))
            return (long)(s->pos1 - 1);
    }
    return -1;
}
