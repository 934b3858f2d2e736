/*
 * Built with the host's headers: Atoll's inet_pton, inet_ntop, inet_aton
 * and inet_addr against glibc's on generated addresses and strings.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/check.h"

void h_inet_compare(void);

int alc_inet_pton(int af, const char *src, void *dst);
const char *alc_inet_ntop(int af, const void *src, char *dst,
                          unsigned size);
int alc_inet_aton(const char *cp, struct in_addr *inp);
in_addr_t alc_inet_addr(const char *cp);

#define ROUNDS 200000

static char *put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n + 1);
    return p + n;
}

/* A string near the IPv6 grammar: groups of 0 to 5 hex digits, colons
 * single and double, sometimes a dotted tail or a stray character. */
static void make6(char *out)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    static const char *const seps[] = {":", ":", ":", ":", "::", ":::", "."};
    static const char *const tails[] = {"", "", "", "1.2.3.4",
                                        "255.255.255.255", "01.2.3.4",
                                        "1.2.3", "1.2.3.4.5", "256.1.1.1",
                                        "%", " ", "g", ":"};
    int groups = (int)(t_rand() % 10), i;
    char *p = out;

    if (t_rand() % 4 == 0)
        p = put(p, t_rand() % 2 ? "::" : ":");
    for (i = 0; i < groups; i++) {
        int digits = (int)(t_rand() % 6);
        if (t_rand() % 8 == 0)
            digits = (int)(t_rand() % 2) + 4;
        if (t_rand() % 3 == 0)
            digits = digits ? 1 : 0;
        for (int d = 0; d < digits; d++)
            *p++ = t_rand() % 3 == 0 ? '0' : hex[t_rand() % 22];
        *p = '\0';
        if (i + 1 < groups)
            p = put(p, seps[t_rand() % (t_rand() % 6 ? 4 : 7)]);
    }
    if (t_rand() % 5 == 0)
        p = put(p, t_rand() % 2 ? "::" : ":");
    p = put(p, tails[t_rand() % 13]);
}

static void make4(char *out)
{
    static const char *const parts[] = {"0", "1", "9", "10", "99", "100",
                                        "255", "256", "00", "01", "0x1",
                                        "0xff", "0x100", "07", "08", "010",
                                        "4294967295", "4294967296", "65535",
                                        "16777215", "16777216", "", "x",
                                        "0x", "0X1f", "1 ", "1\t", "-1",
                                        "+1", " 1", "1a"};
    int n = (int)(t_rand() % 6), i;
    char *p = out;

    *p = '\0';
    for (i = 0; i < n; i++) {
        p = put(p, parts[t_rand() % (sizeof(parts) / sizeof(parts[0]))]);
        if (i + 1 < n)
            p = put(p, t_rand() % 10 ? "." : "..");
    }
    if (t_rand() % 8 == 0)
        p = put(p, t_rand() % 2 ? " junk" : ".");
}

static void compare_pton(void)
{
    char s[128];
    int fails = 0;

    t_case("inet/pton6 vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        unsigned char a[16], b[16];
        int ga, gb;
        make6(s);
        memset(a, 0xee, sizeof(a));
        memset(b, 0xee, sizeof(b));
        ga = alc_inet_pton(AF_INET6, s, a);
        gb = inet_pton(AF_INET6, s, b);
        if (!t_ok(ga == gb && memcmp(a, b, 16) == 0,
                  "\"%s\": ours %d, glibc %d", s, ga, gb))
            fails++;
    }
    t_case("inet/pton4 vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        unsigned char a[4], b[4];
        int ga, gb;
        make4(s);
        memset(a, 0xee, sizeof(a));
        memset(b, 0xee, sizeof(b));
        ga = alc_inet_pton(AF_INET, s, a);
        gb = inet_pton(AF_INET, s, b);
        if (!t_ok(ga == gb && memcmp(a, b, 4) == 0,
                  "\"%s\": ours %d, glibc %d", s, ga, gb))
            fails++;
    }
    t_case("inet/aton and inet_addr vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        struct in_addr a = {0xeeeeeeee}, b = {0xeeeeeeee};
        int ga, gb;
        make4(s);
        ga = alc_inet_aton(s, &a);
        gb = inet_aton(s, &b);
        if (!t_ok(ga == gb && a.s_addr == b.s_addr &&
                      alc_inet_addr(s) == inet_addr(s),
                  "\"%s\": ours %d %08x, glibc %d %08x", s, ga, a.s_addr, gb,
                  b.s_addr))
            fails++;
    }
}

static void compare_ntop(void)
{
    int fails = 0;

    t_case("inet/ntop6 vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        unsigned char a[16];
        char x[64], y[64];
        const char *gx, *gy;
        unsigned size = 46;

        for (int i = 0; i < 8; i++) {
            unsigned w = (unsigned)t_rand();
            switch (t_rand() % 4) {
            case 0:
            case 1:
                w = 0;
                break;
            case 2:
                w &= 0xf << (4 * (t_rand() % 4));
                break;
            }
            a[2 * i] = (unsigned char)(w >> 8);
            a[2 * i + 1] = (unsigned char)w;
        }
        if (t_rand() % 8 == 0) { /* mapped / compatible forms */
            memset(a, 0, 10);
            a[10] = a[11] = t_rand() % 2 ? 0xff : 0;
        }
        if (t_rand() % 16 == 0)
            size = (unsigned)(t_rand() % 40);
        gx = alc_inet_ntop(AF_INET6, a, x, size);
        gy = inet_ntop(AF_INET6, a, y, size);
        if (!t_ok((gx == NULL) == (gy == NULL) &&
                      (gx == NULL || strcmp(x, y) == 0),
                  "size %u: ours \"%s\", glibc \"%s\"", size,
                  gx ? x : "NULL", gy ? y : "NULL")) {
            fails++;
            continue;
        }
        if (gx != NULL) {
            unsigned char back[16];
            t_ok(alc_inet_pton(AF_INET6, x, back) == 1 &&
                     memcmp(back, a, 16) == 0,
                 "\"%s\" does not parse back", x);
        }
    }
}

void h_inet_compare(void)
{
    compare_pton();
    compare_ntop();
}
