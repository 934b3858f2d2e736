/*
 * Built with the host's headers: memmem, strsep, strcasestr, strchrnul,
 * strerror_r (XSI), ffs* against glibc on generated strings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../lib/check.h"

void h_strmore_compare(void);

void *alc_memmem(const void *h, size_t hl, const void *n, size_t nl);
char *alc_strsep(char **sp, const char *delim);
char *alc_strcasestr(const char *h, const char *n);
char *alc_strchrnul(const char *s, int c);
int alc_strerror_r(int errnum, char *buf, size_t len);
char *alc_strerror(int errnum);
int alc_ffs(int i);
int alc_ffsl(long i);
int alc_ffsll(long long i);
/* glibc's XSI variant, whatever _GNU_SOURCE selects. */
int __xpg_strerror_r(int errnum, char *buf, size_t len);

#define ROUNDS 100000

/* Short strings over a tiny alphabet, so matches are common. */
static size_t make(char *s, size_t max)
{
    static const char alpha[] = "aAbB,; \0";
    size_t n = (size_t)(t_rand() % (max + 1));

    for (size_t i = 0; i < n; i++)
        s[i] = alpha[t_rand() % 8];
    return n;
}

static void compare_search(void)
{
    char h[40], n[8];
    int fails = 0;

    t_case("strmore/memmem strcasestr strchrnul vs glibc");
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        size_t hl = make(h, 32), nl = make(n, 4);
        void *a = alc_memmem(h, hl, n, nl), *b = memmem(h, hl, n, nl);
        char *x, *y;
        if (!t_ok(a == b, "memmem: hlen %zu nlen %zu: %td vs %td", hl, nl,
                  a ? (char *)a - h : -1, b ? (char *)b - h : -1))
            fails++;
        h[hl] = '\0';
        n[nl] = '\0';
        x = alc_strcasestr(h, n);
        y = strcasestr(h, n);
        if (!t_ok(x == y, "strcasestr(\"%s\", \"%s\"): %td vs %td", h, n,
                  x ? x - h : -1, y ? y - h : -1))
            fails++;
        x = alc_strchrnul(h, n[0]);
        y = strchrnul(h, n[0]);
        if (!t_ok(x == y, "strchrnul(\"%s\", %d)", h, n[0]))
            fails++;
    }
}

static void compare_strsep(void)
{
    int fails = 0;

    t_case("strmore/strsep vs glibc");
    for (int r = 0; r < ROUNDS / 10 && fails < 10; r++) {
        char a[40], b[40], d[4], *pa = a, *pb = b;
        size_t n = make(a, 32), dn = make(d, 3);
        a[n] = '\0';
        d[dn] = '\0';
        memcpy(b, a, n + 1);
        for (int k = 0; k < 40; k++) {
            char *ta = alc_strsep(&pa, d), *tb = strsep(&pb, d);
            if (!t_ok((ta ? ta - a : -1) == (tb ? tb - b : -1) &&
                          (pa ? pa - a : -1) == (pb ? pb - b : -1),
                      "strsep token %d of \"%s\" by \"%s\"", k, b, d)) {
                fails++;
                break;
            }
            if (ta == NULL)
                break;
        }
        t_ok(memcmp(a, b, n + 1) == 0, "strsep leaves the same bytes");
    }
}

static void compare_errors(void)
{
    t_case("strmore/strerror_r vs glibc's XSI variant");
    for (int e = -3; e < 140; e++) {
        /* Only where both libraries have the same message (Atoll's table
         * leaves out the errnos it never sets). */
        if (strcmp(alc_strerror(e), strerror(e)) != 0)
            continue;
        for (size_t len = 0; len < 60; len += 7) {
            char a[64], b[64];
            int ra, rb;
            memset(a, 'x', sizeof(a));
            memset(b, 'x', sizeof(b));
            ra = alc_strerror_r(e, a, len);
            rb = __xpg_strerror_r(e, b, len);
            t_ok(ra == rb && memcmp(a, b, sizeof(a)) == 0,
                 "errno %d len %zu: ours %d \"%.*s\", glibc %d \"%.*s\"", e,
                 len, ra, (int)len, a, rb, (int)len, b);
        }
    }
}

static void compare_ffs(void)
{
    t_case("strmore/ffs vs glibc");
    for (int r = 0; r < ROUNDS; r++) {
        long long v = (long long)t_rand();
        v &= (long long)(~0ULL << (t_rand() % 64));
        if (t_rand() % 50 == 0)
            v = 0;
        if (!t_ok(alc_ffs((int)v) == ffs((int)v) &&
                      alc_ffsl((long)v) == ffsl((long)v) &&
                      alc_ffsll(v) == ffsll(v),
                  "ffs(%llx)", (unsigned long long)v))
            break;
    }
}

void h_strmore_compare(void)
{
    compare_search();
    compare_strsep();
    compare_errors();
    compare_ffs();
}
