/*
 * Host tests of what atoll-hvt writes into guest memory before the guest
 * runs (tenders/hvt/bootinfo.c, the real file): the boot info, the
 * manifest copy, the command line and the extension block, in guest
 * memory that ends right at the end of the boot area, with a PROT_NONE
 * guard page after it, so a write past the area crashes the test (and
 * ASan reports it). The largest manifest and the longest command line
 * must fit, one byte more must be refused, and the guest's copy of the
 * manifest must not carry the tender's descriptors. No KVM needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../lib/check.h"
#include "hvt.h"

#define PAGE 4096u
#define MEM HVT_BOOT_AREA_END /* guest memory ends with the boot area */

static struct hvt hvt;
static char err[TENDER_ERR_SIZE];

static void mem_setup(void)
{
    uint8_t *m = mmap(NULL, MEM + PAGE, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m, MEM, PROT_READ | PROT_WRITE) != 0) {
        perror("mmap");
        exit(1);
    }
    hvt.mem = m;
    hvt.mem_size = MEM;
}

/* A manifest with n devices (n + 1 entries), each with host fd 1000 + i. */
static struct atoll_mft *mft_make(uint32_t n, size_t *size)
{
    *size = ATOLL_MFT_SIZE(n + 1);
    struct atoll_mft *m = calloc(1, *size);
    m->version = ATOLL_MFT_VERSION;
    m->entries = n + 1;
    m->e[0].type = ATOLL_MFT_RESERVED_FIRST;
    for (uint32_t i = 1; i <= n; i++) {
        m->e[i].type = ATOLL_MFT_DEV_BLOCK_BASIC;
        snprintf(m->e[i].name, ATOLL_MFT_NAME_SIZE, "d%u", i);
        m->e[i].b.hostfd = (int)(1000 + i);
        m->e[i].attached = true;
    }
    return m;
}

/* Words that join into a command line of total bytes: runs of 'a' with a
 * space every 100th byte (never the last), split at the spaces. */
static char **words(size_t total, int *argc)
{
    static char *argv[2 * ATOLL_HVT_CMDLINE_SIZE / 100 + 2];
    static char buf[2 * ATOLL_HVT_CMDLINE_SIZE];
    int n = 0;
    for (size_t i = 0; i < total; i++)
        buf[i] = i % 100 == 99 && i + 1 < total ? '\0' : 'a';
    buf[total] = '\0';
    for (size_t i = 0; i < total; i += strlen(buf + i) + 1)
        argv[n++] = buf + i;
    argv[n] = NULL;
    *argc = n;
    return argv;
}

static void test_fits(void)
{
    struct tender_image img;
    size_t size;
    memset(&img, 0, sizeof img);
    img.mft = mft_make(ATOLL_MFT_MAX_ENTRIES - 1, &size);
    img.mft_size = size;
    img.kernel_end = 0x400000;
    hvt.mft = img.mft;
    hvt.tsc_hz = 1000000000;
    hvt.ext_features = ATOLL_EXT_F_BLOCK_FLUSH;
    memset(hvt.mem, 0x5a, MEM);

    int argc;
    char **argv = words(ATOLL_HVT_CMDLINE_SIZE - 1, &argc);
    int rc = hvt_bootinfo_build(&hvt, &img, argc, argv, err);
    t_check("64 entries and an 8191-byte command line fit the boot area",
          rc == 0, err);
    if (rc != 0)
        return;

    struct atoll_hvt_boot_info bi;
    memcpy(&bi, hvt.mem + ATOLL_HVT_BOOT_INFO_BASE, sizeof bi);
    t_check("boot info: memory size, kernel end, TSC frequency",
          bi.mem_size == MEM && bi.kernel_end == 0x400000 &&
              bi.cpu_cycle_freq == 1000000000 && bi.net_ring == 0,
          "wrong fields");
    t_check("boot info: manifest and command line inside the boot area",
          bi.mft >= ATOLL_HVT_BOOT_INFO_BASE + sizeof bi &&
              bi.mft + size <= bi.cmdline &&
              bi.cmdline + ATOLL_HVT_CMDLINE_SIZE <= MEM,
          "pointer outside");
    const char *cmd = (const char *)hvt.mem + bi.cmdline;
    t_check("the command line is 8191 bytes and NUL-terminated",
          strnlen(cmd, ATOLL_HVT_CMDLINE_SIZE) == ATOLL_HVT_CMDLINE_SIZE - 1,
          "wrong length");
    struct atoll_mft *g = (struct atoll_mft *)(hvt.mem + bi.mft);
    int clean = g->entries == ATOLL_MFT_MAX_ENTRIES;
    for (uint32_t i = 0; clean && i < g->entries; i++)
        clean = g->e[i].b.data == 0 &&
                strcmp(g->e[i].name, img.mft->e[i].name) == 0;
    t_check("the guest's manifest copy has no host descriptors", clean,
          "a descriptor or name differs");
    t_check("the tender's own manifest keeps its descriptors",
          img.mft->e[1].b.hostfd == 1001, "changed");
    struct atoll_ext ext;
    memcpy(&ext, hvt.mem + bi.cmdline + ATOLL_HVT_CMDLINE_SIZE, sizeof ext);
    t_check("the extension block follows the command line area",
          ext.magic == ATOLL_EXT_MAGIC && ext.version == ATOLL_EXT_VERSION &&
              ext.features == ATOLL_EXT_F_BLOCK_FLUSH,
          "wrong block");
    int low = 1;
    for (uint32_t i = 0; i < ATOLL_HVT_BOOT_INFO_BASE; i++)
        low &= hvt.mem[i] == 0x5a;
    t_check("nothing written below the boot info", low, "memory changed");

    /* One byte more than the guest can receive. */
    memset(hvt.mem, 0x5a, MEM);
    argv = words(ATOLL_HVT_CMDLINE_SIZE, &argc);
    t_check_err("an 8192-byte command line is refused",
              hvt_bootinfo_build(&hvt, &img, argc, argv, err), err,
              "longer than the 8191");
    free(img.mft);
}

/* The net devices with virtio-net headers go into the extension block
 * with ATOLL_EXT_F_NET_VNET, and only with it. */
static void test_vnet(void)
{
    static const struct { uint32_t features; uint64_t want; } c[] = {
        {ATOLL_EXT_F_BLOCK_FLUSH | ATOLL_EXT_F_NET_VNET, 0x6},
        {ATOLL_EXT_F_BLOCK_FLUSH, 0},
    };
    struct tender_image img;
    size_t size;
    memset(&img, 0, sizeof img);
    img.mft = mft_make(3, &size);
    img.mft_size = size;
    img.kernel_end = 0x400000;
    hvt.mft = img.mft;
    hvt.net_vnet = 0x6;
    for (size_t i = 0; i < 2; i++) {
        char *argv[] = {NULL};
        hvt.ext_features = c[i].features;
        int rc = hvt_bootinfo_build(&hvt, &img, 0, argv, err);
        struct atoll_hvt_boot_info bi;
        struct atoll_ext ext;
        memcpy(&bi, hvt.mem + ATOLL_HVT_BOOT_INFO_BASE, sizeof bi);
        memcpy(&ext, hvt.mem + bi.cmdline + ATOLL_HVT_CMDLINE_SIZE,
               sizeof ext);
        t_check(i == 0 ? "offloads granted: net_vnet in the extension block"
                       : "offloads not granted: net_vnet 0",
                rc == 0 && ext.features == c[i].features &&
                    ext.net_vnet == c[i].want,
                "wrong block");
    }
    hvt.net_vnet = 0;
    free(img.mft);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    mem_setup();
    test_fits();
    test_vnet();
    return t_finish();
}
