/*
 * struct atoll_hvt_boot_info and what follows it at 0x10000: the manifest
 * (as attached, without the host descriptors), the command line area and
 * the Atoll extension block right after it.
 */
#include <stdio.h>
#include <string.h>

#include "hvt.h"

int hvt_bootinfo_build(struct hvt *hvt, const struct tender_image *img,
                       int argc, char **argv, char *err)
{
    uint64_t bi_gpa = ATOLL_HVT_BOOT_INFO_BASE;
    uint64_t mft_gpa = bi_gpa + sizeof(struct atoll_hvt_boot_info);
    uint64_t cmd_gpa = mft_gpa + ((img->mft_size + 7) & ~(uint64_t)7);
    uint64_t ext_gpa = cmd_gpa + ATOLL_HVT_CMDLINE_SIZE;

    if (ext_gpa + sizeof(struct atoll_ext) > HVT_BOOT_AREA_END) {
        snprintf(err, TENDER_ERR_SIZE, "manifest too large for boot area");
        return -1;
    }
    if (tender_cmdline((char *)hvt->mem + cmd_gpa, ATOLL_HVT_CMDLINE_SIZE,
                       argc, argv, err) != 0)
        return -1;

    struct atoll_mft *mft = (struct atoll_mft *)(hvt->mem + mft_gpa);
    memcpy(mft, hvt->mft, img->mft_size);
    /* The guest has no use for the tender's descriptors. */
    for (uint32_t i = 0; i < mft->entries; i++)
        mft->e[i].b.data = 0;

    struct atoll_hvt_boot_info bi = {
        .mem_size = hvt_guest_top(hvt),
        .kernel_end = img->kernel_end,
        .cpu_cycle_freq = hvt->tsc_hz,
        .cmdline = cmd_gpa,
        .mft = mft_gpa,
        .host_features = hvt->net_ring_gpa ? ATOLL_HVT_FEATURE_RING_IO : 0,
        .guest_features = 0,
        .net_ring = hvt->net_ring_gpa,
    };
    memcpy(hvt->mem + bi_gpa, &bi, sizeof bi);
    struct atoll_ext *ext = (struct atoll_ext *)(hvt->mem + ext_gpa);
    tender_ext_init(ext, hvt->ext_features);
    if (hvt->ext_features & ATOLL_EXT_F_NET_VNET)
        ext->net_vnet = hvt->net_vnet;
    return 0;
}
