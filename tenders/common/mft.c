/*
 * Manifest validation. The manifest comes from the image and is untrusted:
 * every field is checked before the tender or the guest relies on it.
 */
#include <string.h>

#include "internal.h"
#include "tender.h"

const char *tender_abi_target_name(uint32_t target)
{
    switch (target) {
    case ATOLL_ABI_TARGET_HVT:
        return "hvt";
    case ATOLL_ABI_TARGET_SPT:
        return "spt";
    case ATOLL_ABI_TARGET_VIRTIO:
        return "virtio";
    case ATOLL_ABI_TARGET_MUEN:
        return "muen";
    case ATOLL_ABI_TARGET_GENODE:
        return "genode";
    case ATOLL_ABI_TARGET_XEN:
        return "xen";
    default:
        return "unknown";
    }
}

/* The name of entry i: terminated, and for i > 0 non-empty and made of
 * allowed characters. */
static int check_name(const struct atoll_mft_entry *e, unsigned i, char *err)
{
    size_t n = strnlen(e->name, sizeof e->name);

    if (n == sizeof e->name)
        return tender_err(err, "manifest entry %u: name is not NUL-terminated "
                          "within %d bytes", i, ATOLL_MFT_NAME_SIZE);
    if (i == 0)
        return 0;
    if (n == 0)
        return tender_err(err, "manifest entry %u: name is empty", i);
    for (size_t k = 0; k < n; k++)
        if (!tender_name_char_ok(e->name[k]))
            return tender_err(err, "manifest entry %u: name has a character "
                              "other than letters, digits, '_', '-', '.'", i);
    return 0;
}

static int check_entry(const struct atoll_mft *mft, unsigned i, char *err)
{
    const struct atoll_mft_entry *e = &mft->e[i];
    uint8_t attached;

    if (check_name(e, i, err) < 0)
        return -1;
    if (i == 0) {
        if (e->type != ATOLL_MFT_RESERVED_FIRST || e->name[0] != '\0')
            return tender_err(err, "manifest entry 0 is not the reserved "
                              "entry (empty name, reserved type)");
    } else if (e->type != ATOLL_MFT_DEV_BLOCK_BASIC &&
               e->type != ATOLL_MFT_DEV_NET_BASIC) {
        return tender_err(err, "manifest entry %u ('%s'): unknown device "
                          "type %u", i, e->name, e->type);
    }
    for (unsigned k = 1; k < i; k++)
        if (strcmp(mft->e[k].name, e->name) == 0)
            return tender_err(err, "manifest entries %u and %u have the same "
                              "name '%s'", k, i, e->name);
    /* Read the byte, not the bool: any value but 0 is an untrusted bool
     * that would be undefined behaviour to load as one. */
    memcpy(&attached, &e->attached, 1);
    if (attached != 0 && i == 0)
        return tender_err(err, "manifest entry 0 is already marked attached");
    if (attached != 0)
        return tender_err(err, "manifest entry %u ('%s') is already marked "
                          "attached", i, e->name);
    return 0;
}

int tender_mft_validate(const struct atoll_mft *mft, size_t mft_size,
                        char *err)
{
    if (mft_size < sizeof *mft)
        return tender_err(err, "manifest of %zu bytes is too small for its "
                          "header", mft_size);
    if (mft->version != ATOLL_MFT_VERSION)
        return tender_err(err, "manifest version %u, this tender speaks "
                          "version %d", mft->version, ATOLL_MFT_VERSION);
    if (mft->entries < 1)
        return tender_err(err, "manifest has no entries (entry 0 is "
                          "required)");
    if (mft->entries > ATOLL_MFT_MAX_ENTRIES)
        return tender_err(err, "manifest has %u entries, at most %d allowed",
                          mft->entries, ATOLL_MFT_MAX_ENTRIES);
    if (mft_size != ATOLL_MFT_SIZE(mft->entries))
        return tender_err(err, "manifest size %zu does not match its %u "
                          "entries (want %zu)", mft_size, mft->entries,
                          ATOLL_MFT_SIZE(mft->entries));
    for (unsigned i = 0; i < mft->entries; i++)
        if (check_entry(mft, i, err) < 0)
            return -1;
    return 0;
}
