/*
 * Unit tests for image validation and loading, on images built in memory.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "atoll/abi/hvt.h"
#include "atoll/abi/spt.h"
#include "check.h"
#include "imgbuild.h"
#include "mutate.h"
#include "tender.h"

#define MEM (4u << 20)

static char err[TENDER_ERR_SIZE];

static const struct img_spec hvt_spec = {
    .target = ATOLL_ABI_TARGET_HVT, .version = ATOLL_HVT_ABI_VERSION,
    .ndev = 2,
    .dev = {{"service", ATOLL_MFT_DEV_NET_BASIC},
            {"storage", ATOLL_MFT_DEV_BLOCK_BASIC}},
};

static int parse(const uint8_t *b, size_t len, uint32_t target,
                 uint32_t version, struct tender_image *img)
{
    return tender_image_parse(b, len, target, version,
                              ATOLL_HVT_GUEST_MIN_BASE, MEM, img, err);
}

static void test_good(void)
{
    struct tender_image img;
    size_t len;
    uint8_t *b = img_build(&hvt_spec, &len);
    int rc = parse(b, len, ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION, &img);
    check("good image accepted", rc == 0, err);
    if (rc != 0) {
        free(b);
        return;
    }
    check("entry", img.entry == IMG_TEXT_VADDR, "wrong entry");
    check("segments", img.nseg == 3 && img.seg[0].vaddr == IMG_TEXT_VADDR &&
                          img.seg[0].prot == (PROT_READ | PROT_EXEC) &&
                          img.seg[1].prot == PROT_READ &&
                          img.seg[2].prot == (PROT_READ | PROT_WRITE) &&
                          img.seg[2].memsz == 0x2000 &&
                          img.seg[2].filesz == 0x1000,
          "segment table differs from the image");
    check("kernel_end", img.kernel_end == IMG_END_VADDR, "wrong kernel_end");
    check("abi", img.abi_target == ATOLL_ABI_TARGET_HVT &&
                     img.abi_version == ATOLL_HVT_ABI_VERSION,
          "wrong ABI");
    check("manifest", img.mft != NULL && img.mft->entries == 3 &&
                          img.mft_size == ATOLL_MFT_SIZE(3) &&
                          strcmp(img.mft->e[1].name, "service") == 0 &&
                          img.mft->e[2].type == ATOLL_MFT_DEV_BLOCK_BASIC,
          "manifest differs from the image");

    uint8_t *mem = malloc(MEM);
    memset(mem, 0xee, MEM);
    tender_image_load(&img, b, mem);
    int ok = memcmp(mem + IMG_TEXT_VADDR, b + IMG_TEXT_OFF, 0x1000) == 0 &&
             memcmp(mem + IMG_DATA_VADDR, b + IMG_DATA_OFF, 0x1000) == 0 &&
             mem[IMG_DATA_VADDR + 0x1000] == 0 &&
             mem[IMG_DATA_VADDR + 0x1fff] == 0 &&
             mem[IMG_TEXT_VADDR - 1] == 0xee && mem[IMG_END_VADDR] == 0xee;
    check("load copies segments and zeroes bss, nothing else", ok,
          "guest memory differs");
    free(mem);
    tender_image_free(&img);
    check("free clears", img.mft == NULL && img.nseg == 0, "not cleared");

    rc = parse(b, len, ATOLL_ABI_TARGET_SPT, ATOLL_SPT_ABI_VERSION, &img);
    check_err("hvt image on spt", rc, err, "built for hvt (ABI target 1), "
                                           "not spt");
    rc = parse(b, len, ATOLL_ABI_TARGET_HVT, 3, &img);
    check_err("wrong version named", rc, err,
              "hvt ABI version 2, this tender speaks version 3");
    rc = tender_image_parse(b, len, ATOLL_ABI_TARGET_HVT,
                            ATOLL_HVT_ABI_VERSION, ATOLL_HVT_GUEST_MIN_BASE,
                            IMG_END_VADDR - 0x1000, &img, err);
    check_err("memory too small for the image", rc, err,
              "segment 2 ends at 0x105000, beyond guest memory (0x104000)");
    free(b);
}

/* A PT_LOAD with only bss (filesz 0), as Solo5's linker scripts make, is
 * loaded (and zeroed) like any other. */
static void test_bss_segment(void)
{
    struct tender_image img;
    size_t len;
    uint8_t *b = img_build(&hvt_spec, &len);
    Elf64_Phdr ph;
    memcpy(&ph, b + 64 + IMG_PH_DATA * sizeof ph, sizeof ph);
    ph.p_filesz = 0;
    memcpy(b + 64 + IMG_PH_DATA * sizeof ph, &ph, sizeof ph);
    int rc = parse(b, len, ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION, &img);
    check("bss-only segment", rc == 0 && img.nseg == 3 &&
                                  img.seg[2].filesz == 0 &&
                                  img.seg[2].memsz == 0x2000,
          err);
    tender_image_free(&img);
    free(b);
}

static void test_mutations(uint32_t target, uint32_t version)
{
    struct img_spec spec = hvt_spec;
    size_t len;
    spec.target = target;
    spec.version = version;
    uint8_t *good = img_build(&spec, &len);
    struct elfinfo ei;
    check("elfinfo understands the built image",
          elfinfo_get(good, len, &ei) == 0 && ei.mft_entries == 3,
          "elfinfo_get failed");
    for (int i = 0; i < nmutations; i++) {
        const struct mutation *m = &mutations[i];
        size_t blen = len;
        uint8_t *b = malloc(len);
        struct tender_image img;
        char name[96];
        memcpy(b, good, len);
        snprintf(name, sizeof name, "%s %s",
                 tender_abi_target_name(target), m->name);
        if (m->apply(b, &blen, &ei) < 0) {
            check(name, 0, "mutation does not apply to the built image");
            free(b);
            continue;
        }
        /* An exact-size copy, so ASan sees any read past the end. */
        uint8_t *exact = malloc(blen ? blen : 1);
        memcpy(exact, b, blen);
        int rc = parse(exact, blen, target, version, &img);
        check_err(name, rc, err, m->keyword);
        if (rc == 0)
            tender_image_free(&img);
        /* The other target refuses it too, naming the target when the
         * problem lies after the ABI check. */
        uint32_t other = target == ATOLL_ABI_TARGET_HVT ? ATOLL_ABI_TARGET_SPT
                                                        : ATOLL_ABI_TARGET_HVT;
        rc = parse(exact, blen, other, 2, &img);
        snprintf(name, sizeof name, "%s %s on the other target",
                 tender_abi_target_name(target), m->name);
        check_err(name, rc, err, m->stage == 'E' ? m->keyword : "built for");
        if (rc == 0)
            tender_image_free(&img);
        free(exact);
        free(b);
    }
    free(good);
}

int main(void)
{
    test_good();
    test_bss_segment();
    test_mutations(ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION);
    test_mutations(ATOLL_ABI_TARGET_SPT, ATOLL_SPT_ABI_VERSION);
    return check_failed;
}
