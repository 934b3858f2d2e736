/* RDATA in presentation form (zone files) to wire form, type by type. */
#include <atoll/dns.h>
#include <atoll/err.h>
#include <string.h>

/* The tokens of one record's RDATA and where the output goes. */
struct zt {
    const char *const *tok;
    const size_t *tlen;
    const uint8_t *quoted;
    int ntok, i;
    const uint8_t *origin;
    uint8_t *out;
    size_t cap, o;
    const char *err;
};

static const struct {
    const char *name;
    uint16_t type;
} types[] = {
    {"A", DNS_T_A}, {"NS", DNS_T_NS}, {"CNAME", DNS_T_CNAME},
    {"SOA", DNS_T_SOA}, {"PTR", DNS_T_PTR}, {"MX", DNS_T_MX},
    {"TXT", DNS_T_TXT}, {"AAAA", DNS_T_AAAA}, {"SRV", DNS_T_SRV},
    {"DNAME", DNS_T_DNAME}, {"DS", DNS_T_DS}, {"RRSIG", DNS_T_RRSIG},
    {"NSEC", DNS_T_NSEC}, {"DNSKEY", DNS_T_DNSKEY}, {"NSEC3", DNS_T_NSEC3},
    {"NSEC3PARAM", DNS_T_NSEC3PARAM}, {"SVCB", DNS_T_SVCB},
    {"HTTPS", DNS_T_HTTPS}, {"CAA", DNS_T_CAA},
};

static int ieq(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len && lit[i]; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c != lit[i])
            return 0;
    }
    return i == len && lit[i] == 0;
}

/* Decimal digits s[0..len) to *v, at most max. */
static int decimal(const char *s, size_t len, unsigned long max,
                   unsigned long *v)
{
    unsigned long x = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (unsigned long)(s[i] - '0');
        if (x > max)
            return -1;
    }
    *v = x;
    return 0;
}

int dns_type_from_text(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (ieq(s, len, types[i].name))
            return types[i].type;
    unsigned long v;
    if (len > 4 && ieq(s, 4, "TYPE") && decimal(s + 4, len - 4, 65535, &v) == 0)
        return (int)v;
    return -1;
}

static int fail(struct zt *z, const char *why)
{
    z->err = why;
    return ATOLL_ERR_FORMAT;
}

static int have(struct zt *z, const char *what)
{
    return z->i < z->ntok ? 0 : fail(z, what);
}

static int put(struct zt *z, const void *p, size_t n)
{
    if (n > z->cap - z->o)
        return fail(z, "RDATA too long");
    memcpy(z->out + z->o, p, n);
    z->o += n;
    return 0;
}

static int put_int(struct zt *z, unsigned long v, int bytes)
{
    uint8_t b[4];
    for (int k = 0; k < bytes; k++)
        b[k] = (uint8_t)(v >> (8 * (bytes - 1 - k)));
    return put(z, b, (size_t)bytes);
}

/* An unsigned field of bytes 1, 2 or 4. */
static int f_int(struct zt *z, int bytes, const char *what)
{
    unsigned long v;
    unsigned long max = bytes == 4 ? 0xFFFFFFFFul : (1ul << (8 * bytes)) - 1;
    if (have(z, what) || decimal(z->tok[z->i], z->tlen[z->i], max, &v))
        return fail(z, what);
    z->i++;
    return put_int(z, v, bytes);
}

/* A TTL-like period: seconds, or BIND's units (1w2d3h4m5s). */
static int period(const char *s, size_t len, unsigned long *v)
{
    unsigned long total = 0, cur = 0;
    int digits = 0, units = 0;
    if (decimal(s, len, 0xFFFFFFFFul, v) == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + (unsigned long)(c - '0');
            if (cur > 0xFFFFFFFFul)
                return -1;
            digits = 1;
            continue;
        }
        unsigned long mul;
        switch (c | 0x20) {
        case 's': mul = 1; break;
        case 'm': mul = 60; break;
        case 'h': mul = 3600; break;
        case 'd': mul = 86400; break;
        case 'w': mul = 604800; break;
        default: return -1;
        }
        if (!digits)
            return -1;
        total += cur * mul;
        if (total > 0xFFFFFFFFul)
            return -1;
        cur = 0;
        digits = 0;
        units = 1;
    }
    if (!units || digits)
        return -1;
    *v = total;
    return 0;
}

static int f_period(struct zt *z, const char *what)
{
    unsigned long v;
    if (have(z, what) || period(z->tok[z->i], z->tlen[z->i], &v))
        return fail(z, what);
    z->i++;
    return put_int(z, v, 4);
}

static int f_name(struct zt *z, const char *what)
{
    uint8_t n[DNS_NAME_MAX];
    if (have(z, what) || z->quoted[z->i])
        return fail(z, what);
    int l = dns_name_from_text(z->tok[z->i], z->tlen[z->i], z->origin, n);
    if (l < 0)
        return fail(z, what);
    z->i++;
    return put(z, n, (size_t)l);
}

static int ip4(const char *s, size_t len, uint8_t a[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t j = i;
        while (j < len && s[j] != '.')
            j++;
        unsigned long v;
        if (j - i > 3 || decimal(s + i, j - i, 255, &v))
            return -1;
        a[k] = (uint8_t)v;
        if (k < 3 && j == len)
            return -1;
        i = j + 1;
    }
    return i == len + 1 ? 0 : -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 4291 section 2.2 text, "::" and a trailing IPv4 part included. */
static int ip6(const char *s, size_t len, uint8_t a[16])
{
    uint16_t w[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return -1;
    }
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != ':' && s[j] != '.')
            j++;
        if (j < len && s[j] == '.') { /* the last 32 bits as IPv4 */
            uint8_t v4[4];
            if (n > 6 || ip4(s + i, len - i, v4))
                return -1;
            w[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
            w[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
            i = len;
            break;
        }
        if (j == i || j - i > 4 || n == 8)
            return -1;
        unsigned v = 0;
        for (size_t k = i; k < j; k++) {
            int h = hexval(s[k]);
            if (h < 0)
                return -1;
            v = v << 4 | (unsigned)h;
        }
        w[n++] = (uint16_t)v;
        i = j;
        if (i == len)
            break;
        i++; /* the ':' */
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return -1;
            gap = n;
            i++;
        } else if (i == len) {
            return -1; /* a trailing single ':' */
        }
    }
    if (gap < 0 ? n != 8 : n > 7)
        return -1;
    int z = 8 - n;
    for (int k = 0, o = 0; k < 8; k++) {
        uint16_t v = 0;
        if (gap >= 0 && k >= gap && k < gap + z)
            v = 0;
        else
            v = w[o++];
        a[2 * k] = (uint8_t)(v >> 8);
        a[2 * k + 1] = (uint8_t)v;
    }
    return 0;
}

/* Token bytes with \X and \DDD decoded into out (cap); the length or -1. */
static int unescape(const char *s, size_t len, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c == '\\') {
            if (++i >= len)
                return -1;
            if (s[i] >= '0' && s[i] <= '9') {
                unsigned long v;
                if (i + 3 > len || decimal(s + i, 3, 255, &v))
                    return -1;
                c = (uint8_t)v;
                i += 2;
            } else {
                c = (uint8_t)s[i];
            }
        }
        if (o == cap)
            return -1;
        out[o++] = c;
    }
    return (int)o;
}

/* One <character-string>. */
static int f_cstr(struct zt *z, const char *what)
{
    uint8_t b[256];
    if (have(z, what))
        return fail(z, what);
    int l = unescape(z->tok[z->i], z->tlen[z->i], b + 1, 255);
    if (l < 0)
        return fail(z, "character string longer than 255 bytes or bad escape");
    b[0] = (uint8_t)l;
    z->i++;
    return put(z, b, 1u + (size_t)l);
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The remaining tokens as one base64 text (RFC 4648, padded). */
static int f_base64(struct zt *z, const char *what)
{
    unsigned acc = 0;
    int bits = 0, pad = 0;
    size_t chars = 0;
    if (have(z, what))
        return fail(z, what);
    for (; z->i < z->ntok; z->i++) {
        for (size_t k = 0; k < z->tlen[z->i]; k++) {
            char c = z->tok[z->i][k];
            chars++;
            if (c == '=') {
                pad++;
                continue;
            }
            int v = b64val(c);
            if (v < 0 || pad)
                return fail(z, "bad base64");
            acc = (acc << 6 | (unsigned)v) & 0xFFFFFF;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                uint8_t byte = (uint8_t)(acc >> bits);
                if (put(z, &byte, 1))
                    return ATOLL_ERR_FORMAT;
            }
        }
    }
    if (chars % 4 || pad > 2 || (acc & ((1u << bits) - 1)))
        return fail(z, "bad base64");
    return 0;
}

/* Hex digits over the tokens from z->i (all of them, or just one). */
static int f_hex(struct zt *z, int all, const char *what)
{
    int hi = -1;
    if (have(z, what))
        return fail(z, what);
    int last = all ? z->ntok : z->i + 1;
    for (; z->i < last; z->i++) {
        for (size_t k = 0; k < z->tlen[z->i]; k++) {
            int v = hexval(z->tok[z->i][k]);
            if (v < 0)
                return fail(z, "bad hex digit");
            if (hi < 0) {
                hi = v;
                continue;
            }
            uint8_t b = (uint8_t)(hi << 4 | v);
            hi = -1;
            if (put(z, &b, 1))
                return ATOLL_ERR_FORMAT;
        }
    }
    return hi < 0 ? 0 : fail(z, "odd number of hex digits");
}

/* An NSEC3 salt: "-" for none, else hex, with its length byte. */
static int f_salt(struct zt *z)
{
    if (have(z, "missing salt"))
        return ATOLL_ERR_FORMAT;
    size_t at = z->o;
    if (put(z, "", 1))
        return ATOLL_ERR_FORMAT;
    if (z->tlen[z->i] == 1 && z->tok[z->i][0] == '-') {
        z->i++;
        return 0;
    }
    if (f_hex(z, 0, "bad salt"))
        return ATOLL_ERR_FORMAT;
    if (z->o - at - 1 > 255)
        return fail(z, "salt longer than 255 bytes");
    z->out[at] = (uint8_t)(z->o - at - 1);
    return 0;
}

/* RFC 4648 base32hex, no padding, with a length byte. */
static int f_base32hex(struct zt *z)
{
    if (have(z, "missing next hashed owner"))
        return ATOLL_ERR_FORMAT;
    size_t at = z->o;
    unsigned acc = 0;
    int bits = 0;
    if (put(z, "", 1))
        return ATOLL_ERR_FORMAT;
    const char *s = z->tok[z->i];
    for (size_t k = 0; k < z->tlen[z->i]; k++) {
        char c = (char)(s[k] | 0x20);
        int v = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'v' ? c - 'a' + 10 : -1;
        if (v < 0)
            return fail(z, "bad base32hex");
        acc = (acc << 5 | (unsigned)v) & 0xFFF; /* 7 bits left + 5 */
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            uint8_t b = (uint8_t)(acc >> bits);
            if (put(z, &b, 1))
                return ATOLL_ERR_FORMAT;
        }
    }
    size_t n = z->o - at - 1;
    if (n == 0 || n > 255 || (acc & ((1u << bits) - 1)))
        return fail(z, "bad base32hex");
    z->out[at] = (uint8_t)n;
    z->i++;
    return 0;
}

/* A type bitmap (RFC 4034 section 4.1.2) from the remaining mnemonics. */
static int f_types(struct zt *z)
{
    uint8_t win[34];
    int cur = -1;
    uint16_t prev = 0;
    int any = 0;
    /* Types sorted and deduplicated by repeated minimum search: at most
     * 256 tokens, so the quadratic walk stays small. */
    for (;;) {
        long best = 65536;
        for (int k = z->i; k < z->ntok; k++) {
            int t = dns_type_from_text(z->tok[k], z->tlen[k]);
            if (t < 0)
                return fail(z, "unknown type in the type bitmap");
            if ((!any || t > prev) && t < best)
                best = t;
        }
        if (best == 65536)
            break;
        int w = (int)(best >> 8);
        if (w != cur) {
            if (cur >= 0 && put(z, win, 2u + win[1]))
                return ATOLL_ERR_FORMAT;
            memset(win, 0, sizeof win);
            win[0] = (uint8_t)w;
            cur = w;
        }
        int bit = (int)(best & 255);
        win[2 + bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
        if (win[1] < bit / 8 + 1)
            win[1] = (uint8_t)(bit / 8 + 1);
        prev = (uint16_t)best;
        any = 1;
    }
    z->i = z->ntok;
    if (cur >= 0 && put(z, win, 2u + win[1]))
        return ATOLL_ERR_FORMAT;
    return 0;
}

/* YYYYMMDDHHmmSS (RFC 4034 section 3.2) or seconds, as serial time. */
static int f_time(struct zt *z, const char *what)
{
    if (have(z, what))
        return ATOLL_ERR_FORMAT;
    const char *s = z->tok[z->i];
    unsigned long v;
    if (z->tlen[z->i] != 14) {
        if (decimal(s, z->tlen[z->i], 0xFFFFFFFFul, &v))
            return fail(z, what);
        z->i++;
        return put_int(z, v, 4);
    }
    unsigned long f[6];
    static const uint8_t w[6] = {4, 2, 2, 2, 2, 2};
    for (int k = 0, at = 0; k < 6; at += w[k++])
        if (decimal(s + at, w[k], 9999, &f[k]))
            return fail(z, what);
    if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
        f[4] > 59 || f[5] > 60 || f[0] < 1970)
        return fail(z, what);
    /* Days from 1970-01-01 (the civil-from-days inverse, proleptic
     * Gregorian), then seconds modulo 2^32 as serial arithmetic wants. */
    long y = (long)f[0] - (f[1] <= 2);
    long era = y / 400, yoe = y - era * 400;
    long mp = ((long)f[1] + 9) % 12;
    long doy = (153 * mp + 2) / 5 + (long)f[2] - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    unsigned long long secs = (unsigned long long)days * 86400 +
                              f[3] * 3600 + f[4] * 60 + f[5];
    z->i++;
    return put_int(z, (unsigned long)(secs & 0xFFFFFFFFull), 4);
}

static int svc_key(const char *s, size_t len)
{
    static const char *const names[] = {"mandatory", "alpn",
        "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint"};
    for (int k = 0; k < 7; k++)
        if (strlen(names[k]) == len && memcmp(s, names[k], len) == 0)
            return k;
    unsigned long v;
    if (len > 3 && memcmp(s, "key", 3) == 0 &&
        decimal(s + 3, len - 3, 65534, &v) == 0)
        return (int)v;
    return -1;
}

/* The value of one SvcParam (RFC 9460 appendix A, without the \, escape
 * of value lists) in wire form at z->out. */
static int svc_value(struct zt *z, int key, const uint8_t *v, size_t n)
{
    size_t i = 0;
    if (key == 2) /* no-default-alpn */
        return n ? fail(z, "no-default-alpn takes no value") : 0;
    if (key == 3) {
        unsigned long p;
        if (decimal((const char *)v, n, 65535, &p))
            return fail(z, "bad port");
        return put_int(z, p, 2);
    }
    if (key == 5) { /* ech: base64 of one token */
        const char *tok = (const char *)v;
        struct zt sub = *z;
        sub.tok = &tok;
        sub.tlen = &n;
        sub.ntok = 1;
        sub.i = 0;
        int rc = f_base64(&sub, "bad ech");
        z->o = sub.o;
        z->err = sub.err;
        return rc;
    }
    if (key > 6) /* keyNNNNN: opaque */
        return put(z, v, n);
    if (n == 0)
        return fail(z, "SvcParam needs a value");
    while (i <= n) {
        size_t j = i;
        while (j < n && v[j] != ',')
            j++;
        const char *item = (const char *)v + i;
        size_t il = j - i;
        if (key == 0) {
            int k = svc_key(item, il);
            if (k < 0 || put_int(z, (unsigned long)k, 2))
                return fail(z, "bad mandatory key");
        } else if (key == 1) {
            uint8_t l = (uint8_t)il;
            if (il == 0 || il > 255 || put(z, &l, 1) || put(z, item, il))
                return fail(z, "bad alpn");
        } else if (key == 4) {
            uint8_t a[4];
            if (ip4(item, il, a) || put(z, a, 4))
                return fail(z, "bad ipv4hint");
        } else {
            uint8_t a[16];
            if (ip6(item, il, a) || put(z, a, 16))
                return fail(z, "bad ipv6hint");
        }
        i = j + 1;
    }
    return 0;
}

/* SvcParams key[=value] in any order, written sorted by key. */
static int f_svcparams(struct zt *z)
{
    long prev = -1;
    int first = z->i;
    for (;;) { /* each round writes the smallest key above prev */
        long best = 65536;
        int at = -1, twice = 0;
        for (int k = first; k < z->ntok; k++) {
            if (z->quoted[k]) { /* the value of a "key=" before it */
                if (k == first || z->quoted[k - 1] || z->tlen[k - 1] == 0 ||
                    z->tok[k - 1][z->tlen[k - 1] - 1] != '=')
                    return fail(z, "quoted SvcParam value without a key");
                continue;
            }
            const char *s = z->tok[k];
            size_t kl = 0;
            while (kl < z->tlen[k] && s[kl] != '=')
                kl++;
            int key = svc_key(s, kl);
            if (key < 0)
                return fail(z, "unknown SvcParam key");
            if (key > prev && key < best) {
                best = key;
                at = k;
                twice = 0;
            } else if (key == best) {
                twice = 1;
            }
        }
        if (at < 0)
            break;
        if (twice)
            return fail(z, "SvcParam key given twice");
        const char *s = z->tok[at];
        size_t len = z->tlen[at], kl = 0;
        while (kl < len && s[kl] != '=')
            kl++;
        const char *val = kl < len ? s + kl + 1 : s + len;
        size_t vl = kl < len ? len - kl - 1 : 0;
        if (kl < len && vl == 0 && at + 1 < z->ntok && z->quoted[at + 1]) {
            val = z->tok[at + 1];
            vl = z->tlen[at + 1];
        }
        uint8_t raw[1024];
        int rl = unescape(val, vl, raw, sizeof raw);
        if (rl < 0)
            return fail(z, "bad SvcParam value");
        size_t hdr = z->o;
        if (put_int(z, (unsigned long)best, 2) || put_int(z, 0, 2))
            return ATOLL_ERR_FORMAT;
        if (svc_value(z, (int)best, raw, (size_t)rl))
            return ATOLL_ERR_FORMAT;
        size_t n = z->o - hdr - 4;
        z->out[hdr + 2] = (uint8_t)(n >> 8);
        z->out[hdr + 3] = (uint8_t)n;
        prev = best;
    }
    z->i = z->ntok;
    return 0;
}

/* RFC 3597: \# LENGTH HEX... */
static int generic(struct zt *z)
{
    unsigned long n;
    z->i = 1;
    if (have(z, "\\# needs a length") ||
        decimal(z->tok[1], z->tlen[1], 65535, &n))
        return fail(z, "bad \\# length");
    z->i = 2;
    if (n == 0)
        return z->ntok == 2 ? 0 : fail(z, "\\# 0 with data after it");
    if (f_hex(z, 1, "missing \\# data"))
        return ATOLL_ERR_FORMAT;
    return z->o == n ? 0 : fail(z, "\\# length does not match the data");
}

static int fields(struct zt *z, uint16_t type)
{
    uint8_t a[16];
    switch (type) {
    case DNS_T_A:
        if (have(z, "missing address") ||
            ip4(z->tok[0], z->tlen[0], a))
            return fail(z, "bad IPv4 address");
        z->i++;
        return put(z, a, 4);
    case DNS_T_AAAA:
        if (have(z, "missing address") ||
            ip6(z->tok[0], z->tlen[0], a))
            return fail(z, "bad IPv6 address");
        z->i++;
        return put(z, a, 16);
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR: case DNS_T_DNAME:
        return f_name(z, "bad or missing name");
    case DNS_T_SOA:
        if (f_name(z, "bad SOA MNAME") || f_name(z, "bad SOA RNAME") ||
            f_int(z, 4, "bad SOA serial"))
            return ATOLL_ERR_FORMAT;
        for (int k = 0; k < 4; k++)
            if (f_period(z, "bad SOA timer"))
                return ATOLL_ERR_FORMAT;
        return 0;
    case DNS_T_MX:
        if (f_int(z, 2, "bad MX preference"))
            return ATOLL_ERR_FORMAT;
        return f_name(z, "bad MX exchange");
    case DNS_T_TXT:
        do
            if (f_cstr(z, "missing text"))
                return ATOLL_ERR_FORMAT;
        while (z->i < z->ntok);
        return 0;
    case DNS_T_SRV:
        for (int k = 0; k < 3; k++)
            if (f_int(z, 2, "bad SRV number"))
                return ATOLL_ERR_FORMAT;
        return f_name(z, "bad SRV target");
    case DNS_T_CAA: {
        if (f_int(z, 1, "bad CAA flags") || have(z, "missing CAA tag"))
            return ATOLL_ERR_FORMAT;
        size_t tl = z->tlen[z->i];
        const char *t = z->tok[z->i];
        for (size_t k = 0; k < tl; k++)
            if (!((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z')
                  || (t[k] >= '0' && t[k] <= '9')))
                return fail(z, "bad CAA tag");
        if (tl == 0 || tl > 255 || put_int(z, tl, 1) || put(z, t, tl))
            return fail(z, "bad CAA tag");
        z->i++;
        if (have(z, "missing CAA value"))
            return ATOLL_ERR_FORMAT;
        uint8_t v[1024];
        int vl = unescape(z->tok[z->i], z->tlen[z->i], v, sizeof v);
        if (vl < 0)
            return fail(z, "bad CAA value");
        z->i++;
        return put(z, v, (size_t)vl);
    }
    case DNS_T_SVCB: case DNS_T_HTTPS:
        if (f_int(z, 2, "bad SvcPriority") || f_name(z, "bad TargetName"))
            return ATOLL_ERR_FORMAT;
        return f_svcparams(z);
    case DNS_T_DS:
        if (f_int(z, 2, "bad DS key tag") || f_int(z, 1, "bad algorithm") ||
            f_int(z, 1, "bad digest type"))
            return ATOLL_ERR_FORMAT;
        return f_hex(z, 1, "missing digest");
    case DNS_T_DNSKEY:
        if (f_int(z, 2, "bad DNSKEY flags") || f_int(z, 1, "bad protocol") ||
            f_int(z, 1, "bad algorithm"))
            return ATOLL_ERR_FORMAT;
        return f_base64(z, "missing public key");
    case DNS_T_RRSIG: {
        if (have(z, "missing type covered"))
            return ATOLL_ERR_FORMAT;
        int t = dns_type_from_text(z->tok[0], z->tlen[0]);
        if (t < 0 || put_int(z, (unsigned long)t, 2))
            return fail(z, "bad type covered");
        z->i++;
        if (f_int(z, 1, "bad algorithm") || f_int(z, 1, "bad labels") ||
            f_int(z, 4, "bad original TTL") ||
            f_time(z, "bad signature expiration") ||
            f_time(z, "bad signature inception") ||
            f_int(z, 2, "bad key tag") || f_name(z, "bad signer name"))
            return ATOLL_ERR_FORMAT;
        return f_base64(z, "missing signature");
    }
    case DNS_T_NSEC:
        if (f_name(z, "bad next domain name"))
            return ATOLL_ERR_FORMAT;
        return f_types(z);
    case DNS_T_NSEC3:
        if (f_int(z, 1, "bad hash algorithm") || f_int(z, 1, "bad flags") ||
            f_int(z, 2, "bad iterations") || f_salt(z) || f_base32hex(z))
            return ATOLL_ERR_FORMAT;
        return f_types(z);
    case DNS_T_NSEC3PARAM:
        if (f_int(z, 1, "bad hash algorithm") || f_int(z, 1, "bad flags") ||
            f_int(z, 2, "bad iterations"))
            return ATOLL_ERR_FORMAT;
        return f_salt(z);
    default:
        return fail(z, "unknown type needs the \\# form");
    }
}

int dns_rdata_from_text(uint16_t type, const char *const *tok,
                        const size_t *tlen, const uint8_t *quoted, int ntok,
                        const uint8_t *origin, uint8_t *out, size_t cap,
                        const char **err)
{
    struct zt z = {tok, tlen, quoted, ntok, 0, origin, out, cap, 0, NULL};
    int rc;
    if (ntok > 0 && !quoted[0] && tlen[0] == 2 && tok[0][0] == '\\' &&
        tok[0][1] == '#')
        rc = generic(&z);
    else
        rc = fields(&z, type);
    if (rc == 0 && z.i < ntok)
        rc = fail(&z, "extra data after the record");
    if (rc == 0 && dns_rdata_check(type, out, z.o) < 0)
        rc = fail(&z, "RDATA malformed for its type");
    *err = z.err ? z.err : "bad RDATA";
    return rc < 0 ? rc : (int)z.o;
}
