/*
 * lib/kv's in-memory index (index.c): a hash table from key to the
 * position of its latest record.
 */
#ifndef KV_INDEX_H
#define KV_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kv_ent {
    uint64_t pos;  /* position of the key's PUT (or DEL) record */
    uint32_t vlen;
    uint32_t hash; /* low bits of the key's hash */
    uint8_t klen;
    bool del;      /* in a transaction's table: the key is deleted */
    uint8_t key[];
};

/* Open addressing with linear probing and backward-shift deletion. */
struct kv_table {
    struct kv_ent **slot;
    size_t mask; /* capacity - 1, capacity a power of two */
    size_t count;
    uint64_t key[2];
};

int tab_init(struct kv_table *t, const uint64_t key[2]);
void tab_free(struct kv_table *t);
/* Drop every entry, keep the table. */
void tab_clear(struct kv_table *t);
struct kv_ent *tab_get(const struct kv_table *t, const void *key,
                       size_t klen);
/* Insert or update key; ATOLL_ERR_NOMEM on failure. */
int tab_set(struct kv_table *t, const void *key, size_t klen, uint64_t pos,
            uint32_t vlen, bool del);
/* Remove key if present. */
void tab_del(struct kv_table *t, const void *key, size_t klen);

#endif
