/*
 * The store object outside its operations: freeing it and reading its
 * statistics, for kv.c (close, the API) and recover.c (check) alike.
 */
#include <stdlib.h>

#include "store.h"

void kv_free(struct atoll_kv *kv)
{
    tab_free(&kv->live);
    tab_free(&kv->pend);
    free(kv->wbuf);
    free(kv->rblk);
    free(kv->scratch);
    free(kv);
}

void atoll_kv_stats(struct atoll_kv *kv, struct atoll_kv_stats *st)
{
    *st = kv->st;
    st->keys = kv->live.count;
    st->live_bytes = kv->live_bytes;
    st->log_bytes = kv->head - kv->tail;
    st->data_size = kv->data_size;
    st->max_value = kv->max_value;
    st->block_size = kv->bs;
    st->store_id = kv->store_id;
    st->commits = kv->commit_seq;
    st->head = kv->head;
    st->tail = kv->tail;
}
