/*
 * The pure parts of the virtio drivers, tested on the host
 * (tests/unit/virtio): feature choice, the command line's
 * virtio_mmio.device= entries, and the device-to-manifest binding plan.
 */
#include "virtio_bind.h"
#include "virtio_dev.h"

bool virtio_features_choose(uint64_t offered, uint64_t want, bool modern,
                            uint64_t *accepted, const char **why)
{
    uint64_t v1 = 1ull << VIRTIO_F_VERSION_1;

    *why = NULL;
    want &= ~v1;
    if (modern) {
        if (!(offered & v1)) {
            *why = "a modern transport without VIRTIO_F_VERSION_1";
            return false;
        }
        want |= v1;
    } else {
        want &= 0xffffffffull; /* legacy: 32 feature bits */
    }
    *accepted = offered & want;
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static int digit(char c, unsigned base)
{
    int v = -1;

    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    return v >= 0 && (unsigned)v < base ? v : -1;
}

/* An unsigned number at *s (decimal, or hexadecimal after 0x), advancing
 * *s; false if there is none or it overflows 64 bits. */
static bool number(const char **s, uint64_t *out)
{
    const char *p = *s;
    unsigned base = 10;
    uint64_t v = 0;
    int d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit(p[2], 16) >= 0) {
        base = 16;
        p += 2;
    }
    if (digit(*p, base) < 0)
        return false;
    for (; (d = digit(*p, base)) >= 0; p++) {
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
    }
    *s = p;
    *out = v;
    return true;
}

static bool starts(const char *s, const char *prefix)
{
    while (*prefix != '\0')
        if (*s++ != *prefix++)
            return false;
    return true;
}

/* SIZE[KMG]@BASE:IRQ[:ID] ending at a space or the end; false if not. */
static bool mmio_entry(const char *p, struct virtio_mmio_entry *e)
{
    uint64_t size, base, irq, id;

    if (!number(&p, &size))
        return false;
    unsigned shift = *p == 'K' || *p == 'k' ? 10
                     : *p == 'M' || *p == 'm' ? 20
                     : *p == 'G' || *p == 'g' ? 30
                                              : 0;
    if (shift != 0) {
        p++;
        if (size > (UINT64_MAX >> shift))
            return false;
        size <<= shift;
    }
    if (*p++ != '@' || !number(&p, &base) || *p++ != ':' ||
        !number(&p, &irq))
        return false;
    if (*p == ':' && (p++, !number(&p, &id)))
        return false;
    if (*p != '\0' && !is_space(*p))
        return false;
    if (size == 0 || base + size < base || irq > 0xffffffffu)
        return false;
    *e = (struct virtio_mmio_entry){.size = size, .base = base,
                                    .irq = (unsigned)irq};
    return true;
}

unsigned virtio_mmio_parse(const char *cmdline, struct virtio_mmio_entry *e,
                           unsigned max)
{
    static const char key[] = "virtio_mmio.device=";
    unsigned n = 0;
    const char *p = cmdline;

    while (*p != '\0') {
        while (is_space(*p))
            p++;
        struct virtio_mmio_entry one;
        if (starts(p, key) && mmio_entry(p + sizeof key - 1, &one)) {
            if (n < max)
                e[n] = one;
            n++;
        }
        while (*p != '\0' && !is_space(*p))
            p++;
    }
    return n;
}

/* ---- binding ------------------------------------------------------------ */

/* The next NAME:INDEX item of a spec at *s; false at the end. */
static bool spec_item(const char **s, const char **name, size_t *len,
                      uint64_t *index, bool *ok)
{
    const char *p = *s;

    *ok = true;
    if (*p == '\0')
        return false;
    *name = p;
    while (*p != '\0' && *p != ':' && *p != ',')
        p++;
    *len = (size_t)(p - *name);
    if (*len == 0 || *len > ATOLL_MFT_NAME_MAX || *p != ':') {
        *ok = false;
        return true;
    }
    p++;
    if (!number(&p, index) || *index >= VIRTIO_DEVS_MAX ||
        (*p != '\0' && *p != ',')) {
        *ok = false;
        return true;
    }
    if (*p == ',')
        p++;
    if (*p == '\0' && p[-1] == ',') {
        *ok = false; /* a trailing comma */
        return true;
    }
    *s = p;
    return true;
}

const char *virtio_bind_check(const char *spec)
{
    const char *name;
    size_t len;
    uint64_t index;
    bool ok;
    const char *p = spec;

    while (spec_item(&p, &name, &len, &index, &ok))
        if (!ok)
            return "expected NAME:INDEX[,NAME:INDEX...] with INDEX below 16";
    return NULL;
}

static bool name_is(const char *entry, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (entry[i] != name[i])
            return false;
    return entry[len] == '\0';
}

/* The device index spec assigns to name, or -1. */
static int spec_lookup(const char *spec, const char *name)
{
    const char *n;
    size_t len;
    uint64_t index;
    bool ok;
    const char *p = spec;
    int found = -1;

    while (spec_item(&p, &n, &len, &index, &ok)) {
        if (!ok)
            return -1;
        if (name_is(name, n, len))
            found = (int)index; /* the last one wins, as for parameters */
    }
    return found;
}

void virtio_bind_plan(const struct atoll_mft *mft, uint32_t mft_type,
                      unsigned ndev, const char *spec, int *plan)
{
    bool taken[VIRTIO_DEVS_MAX] = {false};
    uint32_t n = mft->entries <= ATOLL_MFT_MAX_ENTRIES ? mft->entries
                                                       : ATOLL_MFT_MAX_ENTRIES;

    if (ndev > VIRTIO_DEVS_MAX)
        ndev = VIRTIO_DEVS_MAX;
    if (virtio_bind_check(spec) != NULL)
        spec = ""; /* lib/rt refuses it with one line before main */
    for (uint32_t i = 0; i < n; i++)
        plan[i] = VIRTIO_BIND_NONE;
    /* Entries the spec names get their device first... */
    for (uint32_t i = 1; i < n; i++) {
        if (mft->e[i].type != mft_type)
            continue;
        int want = spec_lookup(spec, mft->e[i].name);
        if (want < 0)
            continue;
        if ((unsigned)want >= ndev || taken[want]) {
            plan[i] = VIRTIO_BIND_MISSING;
            continue;
        }
        plan[i] = want;
        taken[want] = true;
    }
    /* ...then the others take the remaining devices in order. */
    unsigned next = 0;
    for (uint32_t i = 1; i < n; i++) {
        if (mft->e[i].type != mft_type || plan[i] != VIRTIO_BIND_NONE)
            continue;
        while (next < ndev && taken[next])
            next++;
        if (next == ndev) {
            plan[i] = VIRTIO_BIND_MISSING;
            continue;
        }
        plan[i] = (int)next;
        taken[next] = true;
    }
}

void virtio_cmdline_param(const char *cmdline, const char *name, char *buf,
                          unsigned size)
{
    const char *p = cmdline;
    size_t nl = 0;

    if (size == 0)
        return;
    while (name[nl] != '\0')
        nl++;
    buf[0] = '\0';
    while (*p != '\0') {
        while (is_space(*p))
            p++;
        const char *w = p;
        while (*p != '\0' && !is_space(*p))
            p++;
        size_t wl = (size_t)(p - w);
        if (wl == 2 && w[0] == '-' && w[1] == '-')
            return; /* the application's words follow */
        if (wl < 2 || w[0] != '-' || w[1] != '-' || !starts(w + 2, name))
            continue;
        const char *v = w + 2 + nl;
        if (v >= p || *v != '=')
            continue;
        v++;
        size_t vl = (size_t)(p - v);
        if (vl >= size) {
            buf[0] = '\0';
            continue;
        }
        for (size_t i = 0; i < vl; i++)
            buf[i] = v[i];
        buf[vl] = '\0';
    }
}

/* ---- virtio-mmio devices in an ACPI DSDT ---------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Where pat (n bytes) next occurs in [p, end), or NULL. */
static const uint8_t *find(const uint8_t *p, const uint8_t *end,
                           const uint8_t *pat, size_t n)
{
    for (; p + n <= end; p++) {
        size_t i = 0;
        while (i < n && p[i] == pat[i])
            i++;
        if (i == n)
            return p;
    }
    return NULL;
}

unsigned virtio_acpi_mmio_parse(const uint8_t *dsdt, size_t len,
                                struct virtio_mmio_entry *e, unsigned max)
{
    /* AML: a string "LNRO0005" (prefix 0x0d); Memory32Fixed (0x86, length
     * 9: read/write, base, size); Extended Interrupt (0x89, length 6:
     * flags, one interrupt, the GSI). */
    static const uint8_t hid[] = {0x0d, 'L', 'N', 'R', 'O', '0',
                                  '0',  '0', '5', 0x00};
    static const uint8_t mem[] = {0x86, 0x09, 0x00};
    static const uint8_t irq[] = {0x89, 0x06, 0x00};
    const uint8_t *end = dsdt + len, *p = dsdt;
    unsigned n = 0;

    while ((p = find(p, end, hid, sizeof hid)) != NULL) {
        p += sizeof hid;
        /* This device's descriptors come before the next device's _HID
         * and within a few dozen bytes (_UID, _CCA, _CRS). */
        const uint8_t *next = find(p, end, hid, sizeof hid);
        const uint8_t *lim = next != NULL ? next : end;
        if (lim - p > 256)
            lim = p + 256;
        const uint8_t *m = find(p, lim, mem, sizeof mem);
        if (m == NULL || lim - m < 12)
            continue;
        const uint8_t *q = find(m + 12, lim, irq, sizeof irq);
        if (q == NULL || lim - q < 9 || q[4] != 1)
            continue;
        struct virtio_mmio_entry one = {
            .base = le32(m + 4), .size = le32(m + 8), .irq = le32(q + 5)};
        if (one.size == 0)
            continue;
        if (n < max)
            e[n] = one;
        n++;
    }
    return n;
}
