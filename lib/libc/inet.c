/*
 * Internet address conversions (arpa/inet.h, netinet/in.h) with glibc's
 * results; h_inet.c compares them with glibc's on generated addresses.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

uint32_t htonl(uint32_t x)
{
    return __builtin_bswap32(x);
}

uint16_t htons(uint16_t x)
{
    return __builtin_bswap16(x);
}

uint32_t ntohl(uint32_t x)
{
    return __builtin_bswap32(x);
}

uint16_t ntohs(uint16_t x)
{
    return __builtin_bswap16(x);
}

/* Four decimal parts 0..255, no leading zeros, nothing after. */
static int pton4(const char *s, uint8_t out[4])
{
    int part = 0;

    for (;;) {
        unsigned v = 0;
        int digits = 0;

        while (*s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0)
                return 0; /* leading zero */
            v = v * 10 + (unsigned)(*s++ - '0');
            if (v > 255)
                return 0;
            digits++;
        }
        if (digits == 0)
            return 0;
        out[part++] = (uint8_t)v;
        if (part == 4)
            return *s == '\0';
        if (*s++ != '.')
            return 0;
    }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 4291 2.2: groups of 1 to 4 hex digits, one "::", an optional
 * dotted IPv4 tail in place of the last two groups. */
static int pton6(const char *s, uint8_t out[16])
{
    uint8_t buf[16] = {0};
    int n = 0, gap = -1;

    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        s++;
    }
    while (*s != '\0') {
        const char *start = s;
        unsigned v = 0;
        int digits = 0, h;

        if (*s == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            s++;
            if (*s == '\0')
                break;
            continue;
        }
        while ((h = hexval(*s)) >= 0) {
            if (++digits > 4)
                return 0;
            v = v << 4 | (unsigned)h;
            s++;
        }
        if (*s == '.' && n <= 12) {
            if (pton4(start, buf + n) != 1)
                return 0;
            n += 4;
            break;
        }
        if (digits == 0 || n > 14)
            return 0;
        buf[n++] = (uint8_t)(v >> 8);
        buf[n++] = (uint8_t)v;
        if (*s == ':') {
            s++;
            if (*s == '\0')
                return 0;
        } else if (*s != '\0') {
            return 0;
        }
    }
    if (gap >= 0) {
        int tail = n - gap;

        if (n == 16)
            return 0;
        memmove(buf + 16 - tail, buf + gap, (size_t)tail);
        memset(buf + gap, 0, (size_t)(16 - n));
    } else if (n != 16) {
        return 0;
    }
    memcpy(out, buf, 16);
    return 1;
}

int inet_pton(int af, const char *restrict src, void *restrict dst)
{
    uint8_t a[16];

    if (af == AF_INET) {
        if (!pton4(src, a))
            return 0;
        memcpy(dst, a, 4);
        return 1;
    }
    if (af == AF_INET6)
        return pton6(src, dst);
    errno = EAFNOSUPPORT;
    return -1;
}

static const char *copy_out(const char *tmp, char *dst, socklen_t size)
{
    size_t len = strlen(tmp);

    if (len >= size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, tmp, len + 1);
    return dst;
}

static void ntop6(const uint8_t *a, char *out)
{
    unsigned w[8];
    int best = -1, best_len = 0, i;
    char *p = out;

    for (i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (i = 0; i < 8;) {
        int j = i;

        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    if (best_len < 2)
        best = -1;
    for (i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best)
                *p++ = ':';
            continue;
        }
        if (i != 0)
            *p++ = ':';
        /* glibc: ::a.b.c.d and ::ffff:a.b.c.d */
        if (i == 6 && best == 0 &&
            (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
            p += sprintf(p, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
            break;
        }
        p += sprintf(p, "%x", w[i]);
    }
    if (best >= 0 && best + best_len == 8)
        *p++ = ':';
    *p = '\0';
}

const char *inet_ntop(int af, const void *restrict src, char *restrict dst,
                      socklen_t size)
{
    char tmp[INET6_ADDRSTRLEN];
    const uint8_t *a = src;

    if (af == AF_INET) {
        sprintf(tmp, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        return copy_out(tmp, dst, size);
    }
    if (af == AF_INET6) {
        ntop6(a, tmp);
        return copy_out(tmp, dst, size);
    }
    errno = EAFNOSUPPORT;
    return NULL;
}

/* One part of an inet_aton address: decimal, 0octal or 0xhex, at most
 * max. Returns the character after it, or NULL. */
static const char *aton_part(const char *s, unsigned long max,
                             unsigned long *v)
{
    unsigned long base = 10, x = 0;
    int digits = 0, h;

    if (!isdigit((unsigned char)*s))
        return NULL;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0') {
        base = 8;
        s++;
        digits = 1; /* "0" alone is zero */
    }
    while ((h = hexval(*s)) >= 0 && (unsigned long)h < base) {
        x = x * base + (unsigned long)h;
        if (x > max)
            return NULL;
        digits++;
        s++;
    }
    *v = x;
    /* Like strtoul: "0x" with no hex digit is the number 0 before 'x'. */
    if (digits == 0)
        return s - 1;
    return s;
}

int inet_aton(const char *cp, struct in_addr *inp)
{
    unsigned long parts[4], v;
    const char *s = cp;
    int n = 0;
    uint32_t addr;

    for (;;) {
        s = aton_part(s, 0xffffffffUL, &v);
        if (s == NULL)
            return 0;
        parts[n++] = v;
        if (*s != '.' || n == 4)
            break;
        s++;
    }
    if (*s != '\0' && !isspace((unsigned char)*s))
        return 0;
    /* The last part fills the bytes the others left. */
    addr = 0;
    for (int i = 0; i < n - 1; i++) {
        if (parts[i] > 255)
            return 0;
        addr |= (uint32_t)parts[i] << (24 - 8 * i);
    }
    if (parts[n - 1] > (0xffffffffUL >> (8 * (n - 1))))
        return 0;
    addr |= (uint32_t)parts[n - 1];
    if (inp != NULL)
        inp->s_addr = htonl(addr);
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;

    return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
    static char buf[INET_ADDRSTRLEN];
    const uint8_t *a = (const uint8_t *)&in.s_addr;

    sprintf(buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
}
