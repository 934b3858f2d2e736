/*
 * The in-memory index: a hash table from key to record position. Open
 * addressing with linear probing; deletion shifts later entries back so
 * no tombstones accumulate. Grows at 3/4 full.
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/err.h"
#include "atoll/siphash.h"
#include "index.h"

#define TAB_MIN 64

int tab_init(struct kv_table *t, const uint64_t key[2])
{
    t->slot = calloc(TAB_MIN, sizeof *t->slot);
    if (t->slot == NULL)
        return ATOLL_ERR_NOMEM;
    t->mask = TAB_MIN - 1;
    t->count = 0;
    t->key[0] = key[0];
    t->key[1] = key[1];
    return 0;
}

void tab_clear(struct kv_table *t)
{
    if (t->slot == NULL)
        return;
    for (size_t i = 0; i <= t->mask; i++) {
        free(t->slot[i]);
        t->slot[i] = NULL;
    }
    t->count = 0;
}

void tab_free(struct kv_table *t)
{
    tab_clear(t);
    free(t->slot);
    t->slot = NULL;
}

static size_t find(const struct kv_table *t, const void *key, size_t klen,
                   uint32_t h)
{
    size_t i = h & t->mask;
    for (;;) {
        const struct kv_ent *e = t->slot[i];
        if (e == NULL ||
            (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0))
            return i;
        i = (i + 1) & t->mask;
    }
}

struct kv_ent *tab_get(const struct kv_table *t, const void *key,
                       size_t klen)
{
    uint32_t h = (uint32_t)atoll_siphash(t->key, key, klen);
    return t->slot[find(t, key, klen, h)];
}

static int grow(struct kv_table *t)
{
    size_t ncap = (t->mask + 1) * 2;
    struct kv_ent **ns = calloc(ncap, sizeof *ns);

    if (ns == NULL)
        return ATOLL_ERR_NOMEM;
    for (size_t i = 0; i <= t->mask; i++) {
        struct kv_ent *e = t->slot[i];
        if (e == NULL)
            continue;
        size_t j = e->hash & (ncap - 1);
        while (ns[j] != NULL)
            j = (j + 1) & (ncap - 1);
        ns[j] = e;
    }
    free(t->slot);
    t->slot = ns;
    t->mask = ncap - 1;
    return 0;
}

int tab_set(struct kv_table *t, const void *key, size_t klen, uint64_t pos,
            uint32_t vlen, bool del)
{
    uint32_t h = (uint32_t)atoll_siphash(t->key, key, klen);
    size_t i = find(t, key, klen, h);
    struct kv_ent *e = t->slot[i];

    if (e == NULL) {
        if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
            if (grow(t) != 0)
                return ATOLL_ERR_NOMEM;
            i = find(t, key, klen, h);
        }
        e = malloc(sizeof *e + klen);
        if (e == NULL)
            return ATOLL_ERR_NOMEM;
        e->hash = h;
        e->klen = (uint8_t)klen;
        memcpy(e->key, key, klen);
        t->slot[i] = e;
        t->count++;
    }
    e->pos = pos;
    e->vlen = vlen;
    e->del = del;
    return 0;
}

void tab_del(struct kv_table *t, const void *key, size_t klen)
{
    uint32_t h = (uint32_t)atoll_siphash(t->key, key, klen);
    size_t i = find(t, key, klen, h), j;

    if (t->slot[i] == NULL)
        return;
    free(t->slot[i]);
    t->slot[i] = NULL;
    t->count--;
    /* Move back every entry of the run after i that may sit in the hole:
     * one whose home slot is not cyclically within (i, j]. */
    for (j = (i + 1) & t->mask; t->slot[j] != NULL; j = (j + 1) & t->mask) {
        size_t home = t->slot[j]->hash & t->mask;
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            t->slot[i] = t->slot[j];
            t->slot[j] = NULL;
            i = j;
        }
    }
}
