/*
 * The few facts the bindings take from the ACPI tables: the I/O APICs and
 * ISA interrupt overrides (MADT), the PM1a control block, PM timer and
 * hardware-reduced sleep register (FADT), and \_S5's SLP_TYPa (DSDT).
 * Everything is read once at boot; missing tables leave the defaults (one
 * I/O APIC at 0xfec00000 for GSIs 0-23, no PM timer, no S5).
 */
#include <stdint.h>

#include "virtio_boot.h"

struct virtio_acpi virtio_acpi;
static const uint8_t *dsdt_table;

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_revision, creator_id, creator_revision;
} __attribute__((packed));

static uint8_t rd8(const uint8_t *p) { return p[0]; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}
static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int sum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < len; i++)
        s = (uint8_t)(s + p[i]);
    return s == 0;
}

static int sig_eq(const void *p, const char *sig, unsigned n)
{
    const char *c = p;
    for (unsigned i = 0; i < n; i++)
        if (c[i] != sig[i])
            return 0;
    return 1;
}

/* Physical memory below 4 GiB is identity mapped (start.S); the empty asm
 * keeps the compiler from treating a small constant address as an
 * out-of-bounds object. */
static const uint8_t *phys(uint64_t addr)
{
    __asm__("" : "+r"(addr));
    return (const uint8_t *)(uintptr_t)addr;
}

/* Tables are identity mapped below 4 GiB; ignore anything else. */
static const uint8_t *table(uint64_t addr)
{
    const uint8_t *t = phys(addr);

    if (addr == 0 || addr >= 0xffff0000ull)
        return NULL;
    if (rd32(t + 4) < sizeof(struct sdt_header) || !sum_ok(t, rd32(t + 4)))
        return NULL;
    return t;
}

static uint64_t rsdp_scan(uint64_t from, uint64_t to)
{
    for (uint64_t a = from; a + 20 <= to; a += 16) {
        const uint8_t *p = phys(a);
        if (sig_eq(p, "RSD PTR ", 8) && sum_ok(p, 20))
            return a;
    }
    return 0;
}

static void madt(const uint8_t *t)
{
    uint32_t len = rd32(t + 4);

    virtio_acpi.nioapics = 0;
    for (uint32_t off = 44; off + 2 <= len; off += rd8(t + off + 1)) {
        const uint8_t *e = t + off;
        if (rd8(e + 1) < 2 || off + rd8(e + 1) > len)
            break;
        if (rd8(e) == 1 && rd8(e + 1) >= 12 &&
            virtio_acpi.nioapics < VIRTIO_IOAPICS_MAX) {
            struct virtio_ioapic *io =
                &virtio_acpi.ioapic[virtio_acpi.nioapics++];
            io->addr = rd32(e + 4);
            io->gsi_base = rd32(e + 8);
        } else if (rd8(e) == 2 && rd8(e + 1) >= 10 && rd8(e + 2) == 0 &&
                   rd8(e + 3) < 16 && rd32(e + 4) < 256) {
            virtio_acpi.isa_gsi[rd8(e + 3)] = (uint8_t)rd32(e + 4);
        }
    }
}

/* SLP_TYPa: the first element of the package named _S5_ in the DSDT. */
static void s5(const uint8_t *dsdt)
{
    uint32_t len = rd32(dsdt + 4);

    for (uint32_t i = 36; i + 8 < len; i++) {
        const uint8_t *p = dsdt + i;
        if (!sig_eq(p, "_S5_", 4) || p[4] != 0x12) /* PackageOp */
            continue;
        p += 5 + 1 + (p[5] >> 6); /* PkgLength, its extra bytes */
        p++;                      /* NumElements */
        if (p >= dsdt + len)
            return;
        /* BytePrefix and its byte; else ZeroOp (0), OneOp (1) or a
         * bare small value. */
        virtio_acpi.s5_typ = p[0] == 0x0a ? p[1] : p[0];
        return;
    }
}

static void fadt(const uint8_t *t)
{
    uint32_t len = rd32(t + 4);
    uint64_t dsdt = rd32(t + 40);

    virtio_acpi.pm1a_cnt = (uint16_t)rd32(t + 64);
    if (len >= 116) {
        uint32_t flags = rd32(t + 112);
        if (!(flags & (1u << 20))) { /* not HW_REDUCED_ACPI */
            virtio_acpi.pm_tmr = (uint16_t)rd32(t + 76);
            virtio_acpi.pm_tmr_32bit = (flags & (1u << 8)) != 0;
        }
    }
    if (len >= 148 && rd64(t + 140) != 0)
        dsdt = rd64(t + 140);
    if (len >= 256 && rd64(t + 248) != 0) {
        virtio_acpi.sleep_ctl = rd64(t + 248);
        virtio_acpi.sleep_ctl_io = rd8(t + 244) == 1;
    }
    const uint8_t *d = table(dsdt);
    if (d != NULL && sig_eq(d, "DSDT", 4)) {
        dsdt_table = d;
        s5(d);
    }
}

void virtio_acpi_init(uint64_t rsdp)
{
    const uint8_t *r;
    int xsdt;

    for (unsigned i = 0; i < 16; i++)
        virtio_acpi.isa_gsi[i] = (uint8_t)i;
    virtio_acpi.ioapic[0].addr = 0xfec00000u;
    virtio_acpi.ioapic[0].gsi_base = 0;
    virtio_acpi.nioapics = 1;

    if (rsdp == 0) {
        uint64_t ebda = (uint64_t)rd16(phys(0x40e)) << 4;
        if (ebda >= 0x80000 && ebda < 0xa0000)
            rsdp = rsdp_scan(ebda, ebda + 1024);
    }
    if (rsdp == 0)
        rsdp = rsdp_scan(0xe0000, 0x100000);
    if (rsdp == 0)
        return;
    r = phys(rsdp);
    xsdt = rd8(r + 15) >= 2 && rd64(r + 24) != 0;
    const uint8_t *sdt = table(xsdt ? rd64(r + 24) : rd32(r + 16));
    if (sdt == NULL)
        return;
    virtio_acpi.found = true;
    uint32_t n = (rd32(sdt + 4) - 36) / (xsdt ? 8 : 4);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = sdt + 36 + i * (xsdt ? 8 : 4);
        const uint8_t *t = table(xsdt ? rd64(e) : rd32(e));
        if (t == NULL)
            continue;
        if (sig_eq(t, "APIC", 4))
            madt(t);
        else if (sig_eq(t, "FACP", 4))
            fadt(t);
    }
}

const uint8_t *virtio_acpi_dsdt(size_t *len)
{
    if (dsdt_table == NULL)
        return NULL;
    *len = rd32(dsdt_table + 4);
    return dsdt_table;
}
