/*
 * Unit tests for image validation and loading, on images built in memory.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "atoll/abi/hvt.h"
#include "atoll/abi/spt.h"
#include "../lib/check.h"
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
    t_check("good image accepted", rc == 0, err);
    if (rc != 0) {
        free(b);
        return;
    }
    t_check("entry", img.entry == IMG_TEXT_VADDR, "wrong entry");
    t_check("segments", img.nseg == 3 && img.seg[0].vaddr == IMG_TEXT_VADDR &&
                          img.seg[0].prot == (PROT_READ | PROT_EXEC) &&
                          img.seg[1].prot == PROT_READ &&
                          img.seg[2].prot == (PROT_READ | PROT_WRITE) &&
                          img.seg[2].memsz == 0x2000 &&
                          img.seg[2].filesz == 0x1000,
          "segment table differs from the image");
    t_check("kernel_end", img.kernel_end == IMG_END_VADDR, "wrong kernel_end");
    t_check("abi", img.abi_target == ATOLL_ABI_TARGET_HVT &&
                     img.abi_version == ATOLL_HVT_ABI_VERSION,
          "wrong ABI");
    t_check("manifest", img.mft != NULL && img.mft->entries == 3 &&
                          img.mft_size == ATOLL_MFT_SIZE(3) &&
                          strcmp(img.mft->e[1].name, "service") == 0 &&
                          img.mft->e[2].type == ATOLL_MFT_DEV_BLOCK_BASIC,
          "manifest differs from the image");

    uint8_t *mem = malloc(MEM);
    memset(mem, 0xee, MEM);
    tender_image_load(&img, b, (uintptr_t)mem);
    /* bss is left to the fresh (zero) mapping: untouched here. */
    int ok = memcmp(mem + IMG_TEXT_VADDR, b + IMG_TEXT_OFF, 0x1000) == 0 &&
             memcmp(mem + IMG_DATA_VADDR, b + IMG_DATA_OFF, 0x1000) == 0 &&
             mem[IMG_DATA_VADDR + 0x1000] == 0xee &&
             mem[IMG_DATA_VADDR + 0x1fff] == 0xee &&
             mem[IMG_TEXT_VADDR - 1] == 0xee && mem[IMG_END_VADDR] == 0xee;
    t_check("load copies the file bytes, nothing else", ok,
          "guest memory differs");
    free(mem);
    tender_image_free(&img);
    t_check("free clears", img.mft == NULL && img.nseg == 0, "not cleared");

    rc = parse(b, len, ATOLL_ABI_TARGET_SPT, ATOLL_SPT_ABI_VERSION, &img);
    t_check_err("hvt image on spt", rc, err, "built for hvt (ABI target 1), "
                                           "not spt");
    rc = parse(b, len, ATOLL_ABI_TARGET_HVT, 3, &img);
    t_check_err("wrong version named", rc, err,
              "hvt ABI version 2, this tender speaks version 3");
    rc = tender_image_parse(b, len, ATOLL_ABI_TARGET_HVT,
                            ATOLL_HVT_ABI_VERSION, ATOLL_HVT_GUEST_MIN_BASE,
                            IMG_END_VADDR - 0x1000, &img, err);
    t_check_err("memory too small for the image", rc, err,
              "segment 2 ends at 0x105000, beyond guest memory (0x104000)");
    free(b);
}

/* A PT_LOAD with only bss (filesz 0), as Solo5's linker scripts make, is
 * accepted like any other. */
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
    t_check("bss-only segment", rc == 0 && img.nseg == 3 &&
                                  img.seg[2].filesz == 0 &&
                                  img.seg[2].memsz == 0x2000,
          err);
    tender_image_free(&img);
    free(b);
}

/* Why a parse that had to fail with keyword went wrong, appended to why
 * as "; what: reason"; nothing if it failed as it should. */
static void refused(const char *what, int rc, const char *keyword,
                    char *why, size_t size)
{
    size_t used = strlen(why);

    if (getenv("TENDER_TEST_VERBOSE") != NULL)
        printf("  # %s: %s\n", what, err);
    if (rc == -1 && strstr(err, keyword) != NULL &&
        strchr(err, '\n') == NULL && err[0] != '\0')
        return;
    if (rc == 0)
        snprintf(why + used, size - used, "; %s: accepted, expected '%s'",
                 what, keyword);
    else
        snprintf(why + used, size - used, "; %s: message '%s' lacks '%s'",
                 what, err, keyword);
}

static uint32_t version_of(uint32_t target)
{
    return target == ATOLL_ABI_TARGET_HVT ? ATOLL_HVT_ABI_VERSION
                                          : ATOLL_SPT_ABI_VERSION;
}

/* The good in-memory image of target, with where things are in it. */
static uint8_t *good_image(uint32_t target, size_t *len, struct elfinfo *ei)
{
    struct img_spec spec = hvt_spec;
    char name[64];

    spec.target = target;
    spec.version = version_of(target);
    uint8_t *good = img_build(&spec, len);
    snprintf(name, sizeof name, "elfinfo understands the built %s image",
             tender_abi_target_name(target));
    t_check(name, elfinfo_get(good, *len, ei) == 0 && ei->mft_entries == 3,
          "elfinfo_get failed");
    return good;
}

/* One kind of damage on the image of one target: refused by a parser of
 * that target with the case's keyword, and by one of the other target
 * (naming the target when the problem lies after the ABI check). */
static void mutate_one(const struct mutation *m, uint32_t target,
                       const uint8_t *good, size_t len,
                       const struct elfinfo *ei, char *why, size_t size)
{
    const char *tn = tender_abi_target_name(target);
    uint32_t other = target == ATOLL_ABI_TARGET_HVT ? ATOLL_ABI_TARGET_SPT
                                                    : ATOLL_ABI_TARGET_HVT;
    struct tender_image img;
    char what[64];
    size_t blen = len;
    uint8_t *b = malloc(len);

    memcpy(b, good, len);
    if (m->apply(b, &blen, ei) < 0) {
        size_t used = strlen(why);
        snprintf(why + used, size - used,
                 "; %s image: mutation does not apply", tn);
        free(b);
        return;
    }
    /* An exact-size copy, so ASan sees any read past the end. */
    uint8_t *exact = malloc(blen ? blen : 1);
    memcpy(exact, b, blen);
    int rc = parse(exact, blen, target, version_of(target), &img);
    snprintf(what, sizeof what, "%s image on %s", tn, tn);
    refused(what, rc, m->keyword, why, size);
    if (rc == 0)
        tender_image_free(&img);
    rc = parse(exact, blen, other, version_of(other), &img);
    snprintf(what, sizeof what, "%s image on %s", tn,
             tender_abi_target_name(other));
    refused(what, rc, m->stage == 'E' ? m->keyword : "built for", why, size);
    if (rc == 0)
        tender_image_free(&img);
    free(exact);
    free(b);
}

/* One line per kind of damage, standing for four parses: the hvt and the
 * spt image, each on both targets. A FAIL names every parse that went
 * wrong. */
static void test_mutations(void)
{
    size_t hlen, slen;
    struct elfinfo hi, si;
    uint8_t *hvt = good_image(ATOLL_ABI_TARGET_HVT, &hlen, &hi);
    uint8_t *spt = good_image(ATOLL_ABI_TARGET_SPT, &slen, &si);

    for (int i = 0; i < nmutations; i++) {
        const struct mutation *m = &mutations[i];
        char name[96], why[1200] = "";
        mutate_one(m, ATOLL_ABI_TARGET_HVT, hvt, hlen, &hi, why, sizeof why);
        mutate_one(m, ATOLL_ABI_TARGET_SPT, spt, slen, &si, why, sizeof why);
        snprintf(name, sizeof name, "%s: refused (hvt and spt image, each "
                 "on both targets)", m->name);
        t_check(name, why[0] == '\0', why + 2);
    }
    free(hvt);
    free(spt);
}

/* The ABI note's PT_NOTE moved to rodata + 0x800 and followed there by
 * an Atoll request note of descsz bytes asking for features. */
static uint8_t *with_request(size_t *len, uint32_t descsz, uint32_t features)
{
    uint8_t *b = img_build(&hvt_spec, len);
    uint8_t *at = b + IMG_RODATA_OFF + 0x800;
    struct atoll_ext_request_note rn = {
        .n_namesz = sizeof(ATOLL_EXT_NOTE_NAME), .n_descsz = descsz,
        .n_type = ATOLL_NOTE_TYPE_REQUEST, .n_name = ATOLL_EXT_NOTE_NAME,
        .r = {.features = features},
    };
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    size_t at_ph;

    memcpy(at, b + IMG_RODATA_OFF, sizeof(struct atoll_abi_note));
    memcpy(at + sizeof(struct atoll_abi_note), &rn, sizeof rn);
    memcpy(&eh, b, sizeof eh);
    at_ph = eh.e_phoff + IMG_PH_ABI * sizeof ph;
    memcpy(&ph, b + at_ph, sizeof ph);
    ph.p_offset += 0x800;
    ph.p_vaddr += 0x800;
    ph.p_paddr += 0x800;
    ph.p_filesz = ph.p_memsz = sizeof(struct atoll_abi_note) + sizeof rn;
    memcpy(b + at_ph, &ph, sizeof ph);
    return b;
}

/* Atoll request notes after the ABI note: their features are read (the
 * image asks for ATOLL_EXT_F_NET_VNET); one of another size is refused;
 * an image without one asks for nothing. */
static void test_request_note(void)
{
    struct tender_image img;
    size_t len;
    uint8_t *b = with_request(&len, sizeof(struct atoll_ext_request),
                              ATOLL_EXT_F_NET_VNET);
    int rc = parse(b, len, ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION, &img);

    t_check("request note read", rc == 0 &&
                                      img.ext_request == ATOLL_EXT_F_NET_VNET,
            rc != 0 ? err : "features not read");
    if (rc == 0)
        tender_image_free(&img);
    free(b);
    b = with_request(&len, 4, ATOLL_EXT_F_NET_VNET);
    rc = parse(b, len, ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION, &img);
    t_check_err("request note of the wrong size refused", rc, err,
                "request note");
    if (rc == 0)
        tender_image_free(&img);
    free(b);
    b = img_build(&hvt_spec, &len);
    rc = parse(b, len, ATOLL_ABI_TARGET_HVT, ATOLL_HVT_ABI_VERSION, &img);
    t_check("no request note, nothing asked", rc == 0 && img.ext_request == 0,
            rc != 0 ? err : "features asked");
    if (rc == 0)
        tender_image_free(&img);
    free(b);
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    test_good();
    test_bss_segment();
    test_request_note();
    test_mutations();
    return t_finish();
}
