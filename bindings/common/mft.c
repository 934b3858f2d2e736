/*
 * The manifest as the tender left it in guest memory, and which of its
 * devices the application has acquired.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bindings.h"

static const struct atoll_mft *mft;
static uint32_t nentries;
static atoll_handle_set_t acquired;

void bind_mft_init(const struct atoll_mft *m)
{
    mft = m;
    acquired = 0;
    /* The tender validated the manifest; still never index past the ABI's
     * limit, which also keeps every handle below 64. */
    nentries = 0;
    if (m != NULL && m->version == ATOLL_MFT_VERSION)
        nentries = m->entries <= ATOLL_MFT_MAX_ENTRIES ? m->entries
                                                       : ATOLL_MFT_MAX_ENTRIES;
}

static bool name_eq(const char *a, const char *b)
{
    size_t i;

    for (i = 0; i < ATOLL_MFT_NAME_SIZE && a[i] != '\0'; i++)
        if (a[i] != b[i])
            return false;
    return i < ATOLL_MFT_NAME_SIZE && b[i] == '\0';
}

enum atoll_result bind_mft_acquire(const char *name, uint32_t type,
                                   atoll_handle_t *handle)
{
    if (name == NULL || handle == NULL)
        return ATOLL_EINVAL;
    /* Entry 0 is reserved. */
    for (uint32_t i = 1; i < nentries; i++) {
        const struct atoll_mft_entry *e = &mft->e[i];

        if (e->type != type || !name_eq(e->name, name))
            continue;
        if (!e->attached || (acquired & (1ull << i)) != 0)
            return ATOLL_EUNSPEC;
        acquired |= 1ull << i;
        *handle = i;
        return ATOLL_OK;
    }
    return ATOLL_ENOENT;
}

const struct atoll_mft_entry *bind_mft_get(atoll_handle_t handle,
                                           uint32_t type)
{
    if (handle >= nentries || (acquired & (1ull << handle)) == 0)
        return NULL;
    if (mft->e[handle].type != type)
        return NULL;
    return &mft->e[handle];
}

const struct atoll_mft_entry *bind_mft_entry(atoll_handle_t handle)
{
    return handle < nentries ? &mft->e[handle] : NULL;
}

atoll_handle_set_t bind_mft_net_set(void)
{
    atoll_handle_set_t set = 0;

    for (uint32_t i = 1; i < nentries; i++)
        if ((acquired & (1ull << i)) != 0 &&
            mft->e[i].type == ATOLL_MFT_DEV_NET_BASIC)
            set |= 1ull << i;
    return set;
}
