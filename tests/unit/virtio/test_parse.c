/*
 * The pure parts of the virtio drivers (bindings/virtio/virtio_parse.c):
 * feature choice, virtio_mmio.device= entries, the binding plan of
 * devices to manifest entries and its boot parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../bindings/virtio/virtio_bind.h"
#include "../../../bindings/virtio/virtio_dev.h"
#include "../../lib/check.h"

static const char *features(void)
{
    uint64_t acc;
    const char *why;
    uint64_t v1 = 1ull << VIRTIO_F_VERSION_1;

    /* Only what is both offered and implemented. */
    T_ASSERT(virtio_features_choose(0xf0 | v1 | (1ull << 40), 0x3c, true,
                                    &acc, &why));
    T_ASSERT(acc == (0x30 | v1) && why == NULL);
    /* Modern without VERSION_1: refused. */
    T_ASSERT(!virtio_features_choose(0xff, 0xff, true, &acc, &why));
    T_ASSERT(why != NULL);
    /* Legacy: never VERSION_1, never a bit above 31. */
    T_ASSERT(virtio_features_choose(0xffffffffffffffffull,
                                    v1 | (1ull << 35) | 0x21, false, &acc,
                                    &why));
    T_ASSERT(acc == 0x21);
    return NULL;
}

static const char *mmio_entries(void)
{
    struct virtio_mmio_entry e[4];
    const char *line =
        "console=ttyS0 virtio_mmio.device=512@0xfeb00e00:12 --x=1 "
        "virtio_mmio.device=4K@0xd0000000:5:3 virtio_mmio.device=1M@4096:7"
        "  virtio_mmio.device=0x200@0xfeb00c00:11";

    T_ASSERT(virtio_mmio_parse(line, e, 4) == 4);
    T_ASSERT(e[0].size == 512 && e[0].base == 0xfeb00e00 && e[0].irq == 12);
    T_ASSERT(e[1].size == 4096 && e[1].base == 0xd0000000 && e[1].irq == 5);
    T_ASSERT(e[2].size == 1048576 && e[2].base == 4096 && e[2].irq == 7);
    T_ASSERT(e[3].size == 0x200 && e[3].base == 0xfeb00c00 && e[3].irq == 11);
    /* More entries than room: counted, not written past max. */
    T_ASSERT(virtio_mmio_parse(line, e, 1) == 4);
    /* Malformed ones are skipped. */
    static const char *const bad[] = {
        "virtio_mmio.device=", "virtio_mmio.device=512",
        "virtio_mmio.device=512@0x100", "virtio_mmio.device=512@0x100:",
        "virtio_mmio.device=512@0x100:5x", "virtio_mmio.device=0@0x100:5",
        "virtio_mmio.device=512@0xfffffffffffffff0:5",
        "virtio_mmio.device=99999999999999999999@1:5",
        "virtio_mmio.device=16G@0x100:4294967296",
        "virtio_mmio.device=16T@0x100:5", "xvirtio_mmio.device=512@1:5",
        "virtio_mmio.device=512@1:5:", "virtio_mmio.device=0x@1:5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (virtio_mmio_parse(bad[i], e, 4) != 0)
            return bad[i];
    T_ASSERT(virtio_mmio_parse("", e, 4) == 0);
    return NULL;
}

/* A manifest with entries of both kinds. */
static struct atoll_mft *manifest(const char *const *names,
                                  const uint32_t *types, unsigned n)
{
    struct atoll_mft *m = calloc(1, ATOLL_MFT_SIZE(n + 1));
    m->version = ATOLL_MFT_VERSION;
    m->entries = n + 1;
    m->e[0].type = ATOLL_MFT_RESERVED_FIRST;
    for (unsigned i = 0; i < n; i++) {
        strcpy(m->e[i + 1].name, names[i]);
        m->e[i + 1].type = types[i];
    }
    return m;
}

static const char *bind_plan(void)
{
    const uint32_t N = ATOLL_MFT_DEV_NET_BASIC, B = ATOLL_MFT_DEV_BLOCK_BASIC;
    const char *names[] = {"service", "storage", "admin", "logs", "extra"};
    uint32_t types[] = {N, B, N, B, N};
    struct atoll_mft *m = manifest(names, types, 5);
    int p[6];

    /* Declaration order, device discovery order. */
    virtio_bind_plan(m, N, 3, "", p);
    T_ASSERT(p[0] == VIRTIO_BIND_NONE && p[1] == 0 && p[2] == VIRTIO_BIND_NONE
             && p[3] == 1 && p[4] == VIRTIO_BIND_NONE && p[5] == 2);
    virtio_bind_plan(m, B, 2, "", p);
    T_ASSERT(p[1] == VIRTIO_BIND_NONE && p[2] == 0 && p[4] == 1);
    /* Fewer devices than entries: the last go without. */
    virtio_bind_plan(m, N, 1, "", p);
    T_ASSERT(p[1] == 0 && p[3] == VIRTIO_BIND_MISSING &&
             p[5] == VIRTIO_BIND_MISSING);
    /* A chosen one first, the others in order around it. */
    virtio_bind_plan(m, N, 3, "admin:0", p);
    T_ASSERT(p[3] == 0 && p[1] == 1 && p[5] == 2);
    virtio_bind_plan(m, N, 3, "extra:0,service:2", p);
    T_ASSERT(p[5] == 0 && p[1] == 2 && p[3] == 1);
    /* A device that does not exist, or twice the same one. */
    virtio_bind_plan(m, N, 2, "service:5", p);
    T_ASSERT(p[1] == VIRTIO_BIND_MISSING && p[3] == 0 && p[5] == 1);
    virtio_bind_plan(m, N, 3, "service:1,admin:1", p);
    T_ASSERT(p[1] == 1 && p[3] == VIRTIO_BIND_MISSING && p[5] == 0);
    /* A name of the other kind or no entry at all changes nothing. */
    virtio_bind_plan(m, N, 3, "storage:2,nosuch:1", p);
    T_ASSERT(p[1] == 0 && p[3] == 1 && p[5] == 2);
    /* An invalid spec is taken as empty. */
    virtio_bind_plan(m, N, 3, "admin:x", p);
    T_ASSERT(p[1] == 0 && p[3] == 1 && p[5] == 2);
    free(m);
    return NULL;
}

static const char *bind_check(void)
{
    static const char *const good[] = {"", "a:0", "service:15",
                                       "a:1,b:0", "x-y_z:0x3"};
    static const char *const bad[] = {"a", "a:", ":1", "a:16", "a:1,",
                                      "a:1,,b:2", "a:1b", ",a:1", "a:-1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (virtio_bind_check(good[i]) != NULL)
            return good[i];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (virtio_bind_check(bad[i]) == NULL)
            return bad[i];
    return NULL;
}

static const char *cmdline_param(void)
{
    char buf[32];

    virtio_cmdline_param("--ipv4=1.2.3.4/24 --virtio.net=a:1 x", "virtio.net",
                         buf, sizeof buf);
    T_ASSERT(strcmp(buf, "a:1") == 0);
    /* The last one wins; a longer name with the same start is not it. */
    virtio_cmdline_param("--virtio.net=a:1 --virtio.netx=b:2 "
                         "--virtio.net=c:3", "virtio.net", buf, sizeof buf);
    T_ASSERT(strcmp(buf, "c:3") == 0);
    /* After "--" the words are the application's. */
    virtio_cmdline_param("--virtio.net=a:1 -- --virtio.net=b:2", "virtio.net",
                         buf, sizeof buf);
    T_ASSERT(strcmp(buf, "a:1") == 0);
    virtio_cmdline_param("--virtio.net", "virtio.net", buf, sizeof buf);
    T_ASSERT(buf[0] == '\0');
    virtio_cmdline_param("", "virtio.net", buf, sizeof buf);
    T_ASSERT(buf[0] == '\0');
    /* Too long for buf: nothing. */
    virtio_cmdline_param("--virtio.net=abcdefgh:1", "virtio.net", buf, 8);
    T_ASSERT(buf[0] == '\0');
    return NULL;
}

/* AML of one QEMU microvm virtio-mmio device, as its DSDT has it:
 * Device (VRnn) { _HID "LNRO0005", _UID, _CCA, _CRS { Memory32Fixed
 * (ReadWrite, base, size), Interrupt (Consumer, Level, ActiveHigh,
 * Exclusive) { gsi } } }. */
static size_t aml_device(uint8_t *p, uint32_t base, uint32_t size,
                         uint32_t gsi, unsigned idx)
{
    uint8_t crs[] = {
        0x86, 0x09, 0x00, 0x01, (uint8_t)base, (uint8_t)(base >> 8),
        (uint8_t)(base >> 16), (uint8_t)(base >> 24), (uint8_t)size,
        (uint8_t)(size >> 8), (uint8_t)(size >> 16), (uint8_t)(size >> 24),
        0x89, 0x06, 0x00, 0x09, 0x01, (uint8_t)gsi, (uint8_t)(gsi >> 8),
        (uint8_t)(gsi >> 16), (uint8_t)(gsi >> 24), 0x79, 0x00};
    size_t n = 0;
    uint8_t head[] = {0x5b, 0x82, 0x3f, 'V', 'R', (uint8_t)('0' + idx / 10),
                      (uint8_t)('0' + idx % 10), 0x08, '_', 'H', 'I', 'D',
                      0x0d, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0x00,
                      0x08, '_', 'U', 'I', 'D', 0x0a, (uint8_t)idx,
                      0x08, '_', 'C', 'C', 'A', 0x01,
                      0x08, '_', 'C', 'R', 'S', 0x11, 0x1a, 0x0a,
                      (uint8_t)sizeof crs};
    memcpy(p, head, sizeof head);
    n += sizeof head;
    memcpy(p + n, crs, sizeof crs);
    return n + sizeof crs;
}

static const char *acpi_mmio(void)
{
    uint8_t aml[1024];
    struct virtio_mmio_entry e[4];
    size_t n = 0;

    memset(aml, 0x5a, sizeof aml);
    n += 36; /* the table header, then other objects */
    n += aml_device(aml + n, 0xfeb02e00, 0x200, 47, 23);
    n += 17;
    n += aml_device(aml + n, 0xfeb02c00, 0x200, 46, 22);
    T_ASSERT(virtio_acpi_mmio_parse(aml, n, e, 4) == 2);
    T_ASSERT(e[0].base == 0xfeb02e00 && e[0].size == 0x200 && e[0].irq == 47);
    T_ASSERT(e[1].base == 0xfeb02c00 && e[1].size == 0x200 && e[1].irq == 46);
    T_ASSERT(virtio_acpi_mmio_parse(aml, n, e, 1) == 2);
    /* Cut inside the second device's _CRS: only the first. */
    T_ASSERT(virtio_acpi_mmio_parse(aml, n - 5, e, 4) == 1);
    /* A device whose _CRS lacks the interrupt is skipped, and does not
     * lend the next device's interrupt. */
    size_t m = 36 + aml_device(aml + 36, 0xd0000000, 0x1000, 5, 1);
    aml[m - 11] = 0x00; /* the 0x89 of its interrupt */
    m += aml_device(aml + m, 0xfeb02a00, 0x200, 45, 21);
    T_ASSERT(virtio_acpi_mmio_parse(aml, m, e, 4) == 1);
    T_ASSERT(e[0].base == 0xfeb02a00 && e[0].irq == 45);
    /* No device, an empty table. */
    memset(aml, 0, sizeof aml);
    T_ASSERT(virtio_acpi_mmio_parse(aml, sizeof aml, e, 4) == 0);
    T_ASSERT(virtio_acpi_mmio_parse(aml, 0, e, 4) == 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(acpi_mmio);
    RUN(features);
    RUN(mmio_entries);
    RUN(bind_plan);
    RUN(bind_check);
    RUN(cmdline_param);
    return t_finish();
}
