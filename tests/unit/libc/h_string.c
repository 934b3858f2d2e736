/*
 * Built with the host's headers: Atoll's string functions against glibc's
 * on random strings over small alphabets (so that matches, partial matches
 * and repeated characters are common), on every pair of bytes for the
 * case-insensitive comparisons, and strerror's messages.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../lib/check.h"

void h_string_compare(void);

int alc_memcmp(const void *a, const void *b, size_t n);
int alc_strcmp(const char *a, const char *b);
int alc_strncmp(const char *a, const char *b, size_t n);
int alc_strcasecmp(const char *a, const char *b);
int alc_strncasecmp(const char *a, const char *b, size_t n);
char *alc_strstr(const char *h, const char *n);
char *alc_strpbrk(const char *s, const char *accept);
size_t alc_strspn(const char *s, const char *accept);
size_t alc_strcspn(const char *s, const char *reject);
char *alc_strchr(const char *s, int c);
char *alc_strrchr(const char *s, int c);
char *alc_strerror(int errnum);

#define ROUNDS 20000

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* A random string of up to max-1 characters drawn from alphabet. */
static void random_string(char *out, size_t max, const char *alphabet)
{
    size_t n = t_rand() % max, k = strlen(alphabet), i;

    for (i = 0; i < n; i++)
        out[i] = alphabet[t_rand() % k];
    out[n] = '\0';
}

static const char *const alphabets[] = {"a", "ab", "abc", "aB\x80\xff "};

static const char *pick_alphabet(void)
{
    return alphabets[t_rand() % (sizeof(alphabets) / sizeof(alphabets[0]))];
}

static long offset(const char *p, const char *base)
{
    return p == NULL ? -1 : (long)(p - base);
}

static void searches(void)
{
    char h[40], n[8];
    int i;

    t_case("string/glibc-strstr");
    for (i = 0; i < ROUNDS; i++) {
        const char *al = pick_alphabet();
        random_string(h, sizeof(h), al);
        random_string(n, sizeof(n), al);
        if (!t_ok(alc_strstr(h, n) == strstr(h, n),
                  "strstr(\"%s\", \"%s\"): at %ld, glibc at %ld", h, n,
                  offset(alc_strstr(h, n), h), offset(strstr(h, n), h)))
            break;
    }

    t_case("string/glibc-strspn-strcspn-strpbrk");
    for (i = 0; i < ROUNDS; i++) {
        const char *al = pick_alphabet();
        random_string(h, sizeof(h), al);
        random_string(n, sizeof(n), al);
        t_ok(alc_strspn(h, n) == strspn(h, n), "strspn(\"%s\", \"%s\")",
             h, n);
        t_ok(alc_strcspn(h, n) == strcspn(h, n), "strcspn(\"%s\", \"%s\")",
             h, n);
        if (!t_ok(alc_strpbrk(h, n) == strpbrk(h, n),
                  "strpbrk(\"%s\", \"%s\")", h, n))
            break;
    }

    t_case("string/glibc-strchr-strrchr");
    for (i = 0; i < ROUNDS / 10; i++) {
        /* C converts c to char: 0x100 + 'a' is 'a', -1 is 0xff. */
        static const int cs[] = {0, 'a', 'b', 'c', 'B', ' ', 'z', 0x80,
                                 0xff, -1, -128, 0x100, 0x100 + 'a',
                                 0x180, -256 + 'b'};
        size_t j;
        random_string(h, sizeof(h), pick_alphabet());
        for (j = 0; j < sizeof(cs) / sizeof(cs[0]); j++) {
            int c = cs[j];
            t_ok(alc_strchr(h, c) == strchr(h, c), "strchr(\"%s\", %d)", h,
                 c);
            t_ok(alc_strrchr(h, c) == strrchr(h, c), "strrchr(\"%s\", %d)",
                 h, c);
        }
    }
}

static void compares(void)
{
    char a[12], b[12];
    int i, x, y;

    t_case("string/glibc-compares");
    for (i = 0; i < ROUNDS; i++) {
        const char *al = pick_alphabet();
        size_t k;
        random_string(a, sizeof(a), al);
        random_string(b, sizeof(b), al);
        k = t_rand() % 14;
        t_ok(sign(alc_strcmp(a, b)) == sign(strcmp(a, b)),
             "strcmp(\"%s\", \"%s\")", a, b);
        t_ok(sign(alc_strncmp(a, b, k)) == sign(strncmp(a, b, k)),
             "strncmp(\"%s\", \"%s\", %zu)", a, b, k);
        k %= sizeof(a);
        t_ok(sign(alc_memcmp(a, b, k)) == sign(memcmp(a, b, k)),
             "memcmp(\"%s\", \"%s\", %zu)", a, b, k);
        t_ok(sign(alc_strcasecmp(a, b)) == sign(strcasecmp(a, b)),
             "strcasecmp(\"%s\", \"%s\")", a, b);
    }

    /* Every pair of characters, followed by a second pair of characters
     * so the comparison has to look past the first. */
    t_case("string/glibc-strcasecmp-bytes");
    for (x = 1; x < 256; x++)
    for (y = 1; y < 256; y++) {
        char s[3] = {(char)x, 'q', 0}, t[3] = {(char)y, 'Q', 0};
        t_ok(sign(alc_strcasecmp(s, t)) == sign(strcasecmp(s, t)),
             "strcasecmp bytes %#x %#x", x, y);
        t_ok(sign(alc_strncasecmp(s, t, 1)) == sign(strncasecmp(s, t, 1)),
             "strncasecmp bytes %#x %#x", x, y);
    }
}

static void errors(void)
{
    char want[64];
    int e, named = 0;

    /* A message, when there is one, is glibc's; the others are glibc's
     * "Unknown error N" too. */
    t_case("string/glibc-strerror");
    for (e = -300; e < 300; e++) {
        const char *ours = alc_strerror(e);
        if (strncmp(ours, "Unknown error ", 14) == 0) {
            snprintf(want, sizeof(want), "Unknown error %d", e);
            t_ok(strcmp(ours, want) == 0, "strerror(%d): \"%s\"", e, ours);
        } else {
            named++;
            t_ok(strcmp(ours, strerror(e)) == 0,
                 "strerror(%d): \"%s\", glibc \"%s\"", e, ours, strerror(e));
        }
    }
    t_ok(named >= 70, "only %d errno values have a message", named);
}

void h_string_compare(void)
{
    searches();
    compares();
    errors();
}
