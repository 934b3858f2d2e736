/* Wire-format names: decompression with bounds, comparison, text form. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

int dns_name_unpack(const uint8_t *msg, size_t len, size_t *pos,
                    uint8_t *out, int allow_ptr)
{
    size_t p = *pos, o = 0;
    size_t after = 0; /* where the name as written ends, once a pointer */
    int hops = 0;

    for (;;) {
        if (p >= len)
            return ATOLL_ERR_FORMAT;
        uint8_t c = msg[p];
        if ((c & 0xC0) == 0xC0) {
            if (!allow_ptr || p + 1 >= len || ++hops > DNS_PTR_HOPS_MAX)
                return ATOLL_ERR_FORMAT;
            size_t to = (size_t)(c & 0x3F) << 8 | msg[p + 1];
            if (hops == 1)
                after = p + 2;
            /* Only backwards, so no loop and no forward reference. */
            if (to >= p)
                return ATOLL_ERR_FORMAT;
            p = to;
            continue;
        }
        if (c & 0xC0) /* 0x40 and 0x80: extended and reserved labels */
            return ATOLL_ERR_FORMAT;
        if (p + 1 + c > len || o + 1 + c > DNS_NAME_MAX)
            return ATOLL_ERR_FORMAT;
        memcpy(out + o, msg + p, 1u + c);
        o += 1u + c;
        p += 1u + c;
        if (c == 0)
            break;
    }
    *pos = hops ? after : p;
    return (int)o;
}

size_t dns_name_len(const uint8_t *n)
{
    size_t l = 0;
    while (n[l])
        l += 1u + n[l];
    return l + 1;
}

int dns_name_labels(const uint8_t *n)
{
    int k = 0;
    for (; *n; n += 1u + *n)
        k++;
    return k;
}

/* One pass, label by label: the first difference ends it (answering
 * compares many names that differ early). */
int dns_name_eq(const uint8_t *a, const uint8_t *b)
{
    for (;;) {
        uint8_t l = *a;
        if (l != *b)
            return 0;
        if (l == 0)
            return 1;
        for (unsigned i = 1; i <= l; i++)
            if (lower(a[i]) != lower(b[i]))
                return 0;
        a += 1u + l;
        b += 1u + l;
    }
}

/* Offsets of the labels of n, at most 128. */
static int label_offsets(const uint8_t *n, uint8_t off[128])
{
    int k = 0;
    for (size_t p = 0; n[p]; p += 1u + n[p])
        off[k++] = (uint8_t)p;
    return k;
}

int dns_name_cmp(const uint8_t *a, const uint8_t *b)
{
    uint8_t oa[128], ob[128];
    int ka = label_offsets(a, oa), kb = label_offsets(b, ob);
    while (ka > 0 && kb > 0) {
        const uint8_t *la = a + oa[--ka], *lb = b + ob[--kb];
        unsigned n = la[0] < lb[0] ? la[0] : lb[0];
        for (unsigned i = 1; i <= n; i++) {
            int d = lower(la[i]) - lower(lb[i]);
            if (d)
                return d;
        }
        if (la[0] != lb[0])
            return la[0] - lb[0];
    }
    return ka - kb;
}

int dns_name_is_sub(const uint8_t *n, const uint8_t *sub)
{
    int kn = dns_name_labels(n), ks = dns_name_labels(sub);
    if (kn < ks)
        return 0;
    while (kn-- > ks)
        n += 1u + *n;
    return dns_name_eq(n, sub);
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

int dns_name_from_text(const char *s, size_t len, const uint8_t *origin,
                       uint8_t *out)
{
    size_t o = 0, lab = 0, i = 0;
    int absolute = 0;

    if (len == 1 && s[0] == '@') {
        if (!origin)
            return ATOLL_ERR_FORMAT;
        size_t l = dns_name_len(origin);
        memcpy(out, origin, l);
        return (int)l;
    }
    if (len == 0)
        return ATOLL_ERR_FORMAT;
    if (len == 1 && s[0] == '.') {
        out[0] = 0;
        return 1;
    }
    out[0] = 0;
    while (i < len) {
        char c = s[i++];
        if (c == '.') {
            if (out[lab] == 0) /* empty label: "a..b" or ".a" */
                return ATOLL_ERR_FORMAT;
            if (i == len) {
                absolute = 1;
                break;
            }
            lab = ++o;
            if (o >= DNS_NAME_MAX)
                return ATOLL_ERR_FORMAT;
            out[lab] = 0;
            continue;
        }
        uint8_t v = (uint8_t)c;
        if (c == '\\') {
            if (i >= len)
                return ATOLL_ERR_FORMAT;
            if (digit(s[i])) {
                if (i + 3 > len || !digit(s[i + 1]) || !digit(s[i + 2]))
                    return ATOLL_ERR_FORMAT;
                unsigned d = (unsigned)(s[i] - '0') * 100 +
                             (unsigned)(s[i + 1] - '0') * 10 +
                             (unsigned)(s[i + 2] - '0');
                if (d > 255)
                    return ATOLL_ERR_FORMAT;
                v = (uint8_t)d;
                i += 3;
            } else {
                v = (uint8_t)s[i++];
            }
        }
        if (out[lab] == DNS_LABEL_MAX || o + 2 >= DNS_NAME_MAX)
            return ATOLL_ERR_FORMAT;
        out[++o] = v;
        out[lab]++;
    }
    o++; /* past the last label */
    if (!absolute) {
        if (!origin)
            return ATOLL_ERR_FORMAT;
        size_t l = dns_name_len(origin);
        if (o + l > DNS_NAME_MAX)
            return ATOLL_ERR_FORMAT;
        memcpy(out + o, origin, l);
        return (int)(o + l);
    }
    if (o + 1 > DNS_NAME_MAX)
        return ATOLL_ERR_FORMAT;
    out[o] = 0;
    return (int)(o + 1);
}
