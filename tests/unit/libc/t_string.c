/*
 * string.h and strings.h: every function against a plain byte-by-byte
 * reference (copies, fills, overlaps at every alignment) and explicit
 * corner cases. h_string.c compares the search and comparison functions
 * and strerror with glibc.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../lib/check.h"

void h_string_compare(void);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define GUARD 0xA5

static unsigned char src[256], dst[256], ref[256];

static void fill_random(unsigned char *p, size_t n)
{
    while (n-- > 0)
        *p++ = (unsigned char)t_rand();
}

/* Every length 0..100 at every pair of alignments 0..15. */
static void memcpy_all(void)
{
    size_t so, d_o, n;

    t_case("string/memcpy");
    for (so = 0; so < 16; so++)
    for (d_o = 0; d_o < 16; d_o++)
    for (n = 0; n <= 100; n++) {
        void *r;
        fill_random(src, sizeof(src));
        memset(dst, GUARD, sizeof(dst));
        memset(ref, GUARD, sizeof(ref));
        for (size_t i = 0; i < n; i++)
            ref[d_o + i] = src[so + i];
        r = memcpy(dst + d_o, src + so, n);
        if (!t_ok(r == dst + d_o, "memcpy returned %p, not dst", r) ||
            !t_ok(memcmp(dst, ref, sizeof(dst)) == 0,
                  "memcpy src+%zu -> dst+%zu, %zu bytes: wrong bytes "
                  "(inside or around the copy)", so, d_o, n))
            return;
    }
}

/* Source and destination overlap by every distance -24..24, at every
 * alignment, for lengths 0..80: the result must be what copying through a
 * temporary buffer gives. */
static void memmove_overlap(void)
{
    unsigned char tmp[256];
    size_t base, n;
    int dist;

    t_case("string/memmove-overlap");
    for (base = 24; base < 40; base++)
    for (dist = -24; dist <= 24; dist++)
    for (n = 0; n <= 80; n++) {
        size_t s = base, d = (size_t)((long)base + dist);
        void *r;
        fill_random(dst, sizeof(dst));
        memcpy(ref, dst, sizeof(ref));
        for (size_t i = 0; i < n; i++)
            tmp[i] = ref[s + i];
        for (size_t i = 0; i < n; i++)
            ref[d + i] = tmp[i];
        r = memmove(dst + d, dst + s, n);
        if (!t_ok(r == dst + d, "memmove returned %p, not dst", r) ||
            !t_ok(memcmp(dst, ref, sizeof(dst)) == 0,
                  "memmove from %zu to %zu, %zu bytes: wrong bytes", s, d,
                  n))
            return;
    }
    /* Same pointer: a no-op. */
    fill_random(dst, sizeof(dst));
    memcpy(ref, dst, sizeof(ref));
    memmove(dst + 3, dst + 3, 100);
    t_ok(memcmp(dst, ref, sizeof(dst)) == 0, "memmove onto itself");
}

static void memset_all(void)
{
    static const int values[] = {0, 1, 0x7f, 0x80, 0xff, 0x1ab, -1, -256};
    size_t o, n, v;

    t_case("string/memset");
    for (v = 0; v < ARRAY_LEN(values); v++)
    for (o = 0; o < 16; o++)
    for (n = 0; n <= 100; n++) {
        void *r;
        memset(ref, GUARD, sizeof(ref));
        for (size_t i = 0; i < n; i++)
            ref[o + i] = (unsigned char)values[v];
        /* Fill dst by hand: memset is what is under test. */
        for (size_t i = 0; i < sizeof(dst); i++)
            dst[i] = GUARD;
        r = memset(dst + o, values[v], n);
        if (!t_ok(r == dst + o, "memset returned %p, not dst", r) ||
            !t_ok(memcmp(dst, ref, sizeof(dst)) == 0,
                  "memset(dst+%zu, %#x, %zu): wrong bytes", o, values[v],
                  n))
            return;
    }
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void memcmp_memchr(void)
{
    unsigned char a[64], b[64];
    size_t i, n;

    t_case("string/memcmp");
    t_int(memcmp("abc", "abd", 0), 0, "length 0");
    t_int(memcmp("abc", "abc", 3), 0, "equal");
    t_int(sign(memcmp("abc", "abd", 3)), -1, "less");
    t_int(sign(memcmp("abd", "abc", 3)), 1, "greater");
    t_int(sign(memcmp("a\x80", "a\x7f", 2)), 1, "bytes compare unsigned");
    t_int(sign(memcmp("\0a", "\0b", 2)), -1, "NULs are ordinary bytes");
    /* A difference at each position, in each direction, at odd offsets. */
    for (n = 1; n < 40; n++)
    for (i = 0; i < n; i++) {
        fill_random(a, sizeof(a));
        memcpy(b, a, sizeof(b));
        a[3 + i] = 0x10;
        b[3 + i] = 0xf0;
        t_int(sign(memcmp(a + 3, b + 3, n)), -1, "difference at i (a<b)");
        t_int(sign(memcmp(b + 3, a + 3, n)), 1, "difference at i (a>b)");
        t_int(memcmp(a + 3, b + 3, i), 0, "difference just past n");
    }

    t_case("string/memchr-memrchr");
    {
        static const char s[] = "abcabc\0xyz\xff";
        const size_t len = sizeof(s) - 1;
        t_ok(memchr(s, 'a', len) == s, "memchr first");
        t_ok(memchr(s, 'c', len) == s + 2, "memchr c");
        t_ok(memchr(s, 'z', len) == s + 9, "memchr past a NUL");
        t_ok(memchr(s, 'q', len) == NULL, "memchr absent");
        t_ok(memchr(s, 'a', 0) == NULL, "memchr length 0");
        t_ok(memchr(s, 'c', 2) == NULL, "memchr stops at n");
        t_ok(memchr(s, 0x100 + 'b', len) == s + 1,
             "memchr converts c to unsigned char");
        t_ok(memchr(s, -1, len) == s + 10, "memchr -1 finds 0xff");
        t_ok(memchr(s, '\0', len) == s + 6, "memchr NUL");
        t_ok(memrchr(s, 'a', len) == s + 3, "memrchr last");
        t_ok(memrchr(s, 'a', 3) == s, "memrchr within n");
        t_ok(memrchr(s, 'x', len) == s + 7, "memrchr x");
        t_ok(memrchr(s, 'q', len) == NULL, "memrchr absent");
        t_ok(memrchr(s, 'a', 0) == NULL, "memrchr length 0");
        t_ok(memrchr(s, 0x1ff, len) == s + 10, "memrchr 0x1ff finds 0xff");
    }
}

static void lengths_copies(void)
{
    char buf[32], *r;
    size_t i;

    t_case("string/strlen-strnlen");
    t_uint(strlen(""), 0, "strlen empty");
    t_uint(strlen("hello"), 5, "strlen");
    t_uint(strlen("ab\0cd"), 2, "strlen stops at NUL");
    t_uint(strlen("\xff\x80"), 2, "strlen high bytes");
    t_uint(strnlen("hello", 3), 3, "strnlen bounded");
    t_uint(strnlen("hello", 5), 5, "strnlen exact");
    t_uint(strnlen("hello", 99), 5, "strnlen long bound");
    t_uint(strnlen("hello", 0), 0, "strnlen 0");
    {
        /* strnlen must not read past maxlen: no NUL inside these bytes. */
        char *p = malloc(4);
        memcpy(p, "abcd", 4);
        t_uint(strnlen(p, 4), 4, "strnlen unterminated");
        free(p);
    }

    t_case("string/strcpy-stpcpy");
    memset(buf, 'X', sizeof(buf));
    r = strcpy(buf, "abc");
    t_ok(r == buf, "strcpy returns dst");
    t_mem(buf, 5, "abc\0X", 5, "strcpy bytes");
    r = stpcpy(buf, "hello");
    t_ok(r == buf + 5, "stpcpy returns the end");
    t_str(buf, "hello", "stpcpy text");
    r = stpcpy(stpcpy(buf, "ab"), "cd");
    t_str(buf, "abcd", "stpcpy chained");
    r = strcpy(buf, "");
    t_int(buf[0], 0, "strcpy empty");

    t_case("string/strncpy-padding");
    for (i = 0; i <= 12; i++) {
        char want[16];
        size_t k;
        memset(buf, 'X', sizeof(buf));
        r = strncpy(buf, "hello", i);
        t_ok(r == buf, "strncpy returns dst");
        /* The first i bytes: the source, then NULs up to exactly i. */
        for (k = 0; k < sizeof(want); k++)
            want[k] = k < i ? (k < 5 ? "hello"[k] : '\0') : 'X';
        t_mem(buf, sizeof(want), want, sizeof(want), "strncpy n=0..12");
    }
    memset(buf, 'X', sizeof(buf));
    strncpy(buf, "", 4);
    t_mem(buf, 5, "\0\0\0\0X", 5, "strncpy empty source pads");
    memset(buf, 'X', sizeof(buf));
    strncpy(buf, "ab\0cd", 5);
    t_mem(buf, 6, "ab\0\0\0X", 6, "strncpy stops at the source's NUL");

    t_case("string/strlcpy-strlcat");
    memset(buf, 'X', sizeof(buf));
    t_uint(strlcpy(buf, "hello", 4), 5, "strlcpy truncating returns strlen");
    t_mem(buf, 5, "hel\0X", 5, "strlcpy truncates and terminates");
    t_uint(strlcpy(buf, "hi", sizeof(buf)), 2, "strlcpy fits");
    t_str(buf, "hi", "strlcpy text");
    memset(buf, 'X', sizeof(buf));
    t_uint(strlcpy(buf, "hello", 0), 5, "strlcpy size 0");
    t_int(buf[0], 'X', "strlcpy size 0 writes nothing");
    t_uint(strlcpy(buf, "hello", 1), 5, "strlcpy size 1");
    t_int(buf[0], 0, "strlcpy size 1 writes the NUL only");
    strcpy(buf, "ab");
    t_uint(strlcat(buf, "cdef", 5), 6, "strlcat truncating");
    t_str(buf, "abcd", "strlcat truncated text");
    strcpy(buf, "ab");
    t_uint(strlcat(buf, "cd", sizeof(buf)), 4, "strlcat fits");
    t_str(buf, "abcd", "strlcat text");
    memcpy(buf, "abcd", 4); /* no NUL within size */
    t_uint(strlcat(buf, "xyz", 4), 7, "strlcat unterminated dst");
    t_mem(buf, 4, "abcd", 4, "strlcat leaves unterminated dst alone");
    strcpy(buf, "abc");
    t_uint(strlcat(buf, "xyz", 4), 6, "strlcat full dst");
    t_str(buf, "abc", "strlcat full dst text");

    t_case("string/strcat-strncat");
    strcpy(buf, "ab");
    r = strcat(buf, "cd");
    t_ok(r == buf, "strcat returns dst");
    t_str(buf, "abcd", "strcat");
    strcat(buf, "");
    t_str(buf, "abcd", "strcat empty");
    memset(buf, 'X', sizeof(buf));
    strcpy(buf, "ab");
    r = strncat(buf, "cdef", 2);
    t_ok(r == buf, "strncat returns dst");
    t_mem(buf, 6, "abcd\0X", 6, "strncat n < strlen terminates");
    strncat(buf, "ef", 10);
    t_str(buf, "abcdef", "strncat n > strlen");
    strncat(buf, "gh", 0);
    t_str(buf, "abcdef", "strncat n = 0");
    {
        /* strncat reads at most n bytes of src: src need not be
         * terminated. */
        char *p = malloc(3);
        memcpy(p, "xyz", 3);
        strncat(buf, p, 3);
        t_str(buf, "abcdefxyz", "strncat unterminated src");
        free(p);
    }

    t_case("string/strdup-strndup");
    r = strdup("hello");
    t_str(r, "hello", "strdup");
    free(r);
    r = strdup("");
    t_str(r, "", "strdup empty");
    free(r);
    r = strndup("hello", 3);
    t_str(r, "hel", "strndup truncates");
    free(r);
    r = strndup("hi", 10);
    t_str(r, "hi", "strndup short");
    free(r);
    {
        char *p = malloc(4);
        memcpy(p, "abcd", 4);
        r = strndup(p, 4);
        t_str(r, "abcd", "strndup unterminated");
        free(r);
        free(p);
    }
}

static void compares(void)
{
    t_case("string/strcmp-strncmp");
    t_int(strcmp("", ""), 0, "strcmp empty");
    t_int(strcmp("abc", "abc"), 0, "strcmp equal");
    t_int(sign(strcmp("abc", "abd")), -1, "strcmp less");
    t_int(sign(strcmp("abc", "ab")), 1, "strcmp longer");
    t_int(sign(strcmp("ab", "abc")), -1, "strcmp shorter");
    t_int(sign(strcmp("\xff", "a")), 1, "strcmp unsigned");
    t_int(sign(strcmp("a", "\x80")), -1, "strcmp unsigned 2");
    t_int(strncmp("abcx", "abcy", 3), 0, "strncmp bounded");
    t_int(sign(strncmp("abcx", "abcy", 4)), -1, "strncmp at n");
    t_int(strncmp("abc", "xyz", 0), 0, "strncmp 0");
    t_int(strncmp("ab\0x", "ab\0y", 4), 0, "strncmp stops at NUL");
    t_int(sign(strncmp("ab", "abc", 5)), -1, "strncmp shorter");
    t_int(sign(strncmp("\x80", "\x7f", 1)), 1, "strncmp unsigned");

    t_case("string/strcasecmp");
    t_int(strcasecmp("Hello", "hELLO"), 0, "strcasecmp equal");
    t_int(sign(strcasecmp("abc", "ABD")), -1, "strcasecmp less");
    t_int(sign(strcasecmp("ABC", "ab")), 1, "strcasecmp longer");
    t_int(sign(strcasecmp("[", "a")), -1, "strcasecmp folds to lower");
    t_int(sign(strcasecmp("\xc0", "\xe0")), -1, "strcasecmp ASCII only");
    t_int(strncasecmp("HTTP/1.1", "http/1.0", 7), 0, "strncasecmp bounded");
    t_int(sign(strncasecmp("HTTP/1.1", "http/1.0", 8)), 1, "strncasecmp n");
    t_int(strncasecmp("a", "b", 0), 0, "strncasecmp 0");
}

static void searches(void)
{
    static const char s[] = "hello, world";
    char *r;

    t_case("string/strchr-strrchr");
    t_ok(strchr(s, 'o') == s + 4, "strchr first");
    t_ok(strchr(s, 'h') == s, "strchr at start");
    t_ok(strchr(s, 'd') == s + 11, "strchr at end");
    t_ok(strchr(s, 'z') == NULL, "strchr absent");
    t_ok(strchr(s, '\0') == s + 12, "strchr NUL finds the terminator");
    t_ok(strchr("", '\0') != NULL, "strchr NUL of empty");
    t_ok(strchr("", 'a') == NULL, "strchr of empty");
    t_ok(strchr(s, 0x100 + 'w') == s + 7, "strchr converts c to char");
    t_ok(strchr("a\xe9z", 0xe9) != NULL, "strchr high byte as int");
    t_ok(strrchr(s, 'o') == s + 8, "strrchr last");
    t_ok(strrchr(s, 'h') == s, "strrchr only at start");
    t_ok(strrchr(s, 'z') == NULL, "strrchr absent");
    t_ok(strrchr(s, '\0') == s + 12, "strrchr NUL");
    t_ok(strrchr("", 'a') == NULL, "strrchr of empty");

    t_case("string/strstr");
    t_ok(strstr(s, "") == s, "strstr empty needle");
    t_ok(strstr("", "") != NULL, "strstr empty in empty");
    t_ok(strstr("", "a") == NULL, "strstr in empty");
    t_ok(strstr(s, "world") == s + 7, "strstr at end");
    t_ok(strstr(s, "hello") == s, "strstr at start");
    t_ok(strstr(s, "worlds") == NULL, "strstr runs past the end");
    t_ok(strstr(s, "o") == s + 4, "strstr one char");
    t_ok(strstr("aaab", "aab") != NULL &&
             strcmp(strstr("aaab", "aab"), "aab") == 0,
         "strstr after a partial match");
    t_ok(strstr("abababc", "ababc") != NULL &&
             strcmp(strstr("abababc", "ababc"), "ababc") == 0,
         "strstr overlapping partial");
    t_ok(strstr("ab", "abc") == NULL, "strstr needle longer");

    t_case("string/strspn-strcspn-strpbrk");
    t_uint(strspn("abcabd", "abc"), 5, "strspn");
    t_uint(strspn("abc", ""), 0, "strspn empty set");
    t_uint(strspn("", "abc"), 0, "strspn empty string");
    t_uint(strspn("aaa", "a"), 3, "strspn whole string");
    t_uint(strspn("\xff\x80x", "\x80\xff"), 2, "strspn high bytes");
    t_uint(strcspn("abc;def", ";,"), 3, "strcspn");
    t_uint(strcspn("abc", ""), 3, "strcspn empty set");
    t_uint(strcspn("", "x"), 0, "strcspn empty string");
    t_uint(strcspn("abc", "c"), 2, "strcspn at end");
    t_uint(strcspn("a\xffz", "\xff"), 1, "strcspn high byte");
    t_ok(strpbrk(s, ", ") == s + 5, "strpbrk");
    t_ok(strpbrk(s, "xyz") == NULL, "strpbrk none");
    t_ok(strpbrk(s, "") == NULL, "strpbrk empty set");
    t_ok(strpbrk("", "a") == NULL, "strpbrk empty string");
    t_ok(strpbrk(s, "dh") == s, "strpbrk earliest, not first in set");

    t_case("string/strtok");
    {
        char line[] = ",,a,,bc;d,,";
        char *save = (char *)1;
        r = strtok_r(line, ",;", &save);
        t_str(r, "a", "strtok_r first skips leading delimiters");
        r = strtok_r(NULL, ",;", &save);
        t_str(r, "bc", "strtok_r empty fields skipped");
        r = strtok_r(NULL, ",;", &save);
        t_str(r, "d", "strtok_r last");
        t_mem(line, sizeof(line), ",,a\0,bc\0d\0,", sizeof(line),
              "strtok_r writes one NUL per token end");
        t_ok(strtok_r(NULL, ",;", &save) == NULL, "strtok_r end");
        t_ok(strtok_r(NULL, ",;", &save) == NULL, "strtok_r stays ended");
    }
    {
        char line[] = "key=value; x";
        char *save;
        t_str(strtok_r(line, "=", &save), "key", "delimiters change 1");
        t_str(strtok_r(NULL, ";", &save), "value", "delimiters change 2");
        t_str(strtok_r(NULL, "", &save), " x", "empty delimiter set");
        t_ok(strtok_r(NULL, "", &save) == NULL, "after empty set");
    }
    {
        char empty[] = "", only[] = ";;;", one[] = "word";
        char *save;
        t_ok(strtok_r(empty, ";", &save) == NULL, "strtok_r empty string");
        t_ok(strtok_r(only, ";", &save) == NULL, "strtok_r only delimiters");
        t_str(strtok_r(one, ";", &save), "word", "strtok_r one token");
        t_ok(strtok_r(NULL, ";", &save) == NULL, "strtok_r after one");
    }
    {
        /* strtok keeps its own state; two strings in turn. */
        char a[] = "1 2", b[] = "x";
        t_str(strtok(a, " "), "1", "strtok 1");
        t_str(strtok(NULL, " "), "2", "strtok 2");
        t_ok(strtok(NULL, " ") == NULL, "strtok end");
        t_ok(strtok(NULL, " ") == NULL, "strtok stays ended");
        t_str(strtok(b, " "), "x", "strtok new string");
        t_ok(strtok(NULL, " ") == NULL, "strtok new string end");
    }
}

static void errors(void)
{
    /* Every value errno.h names (h_string.c checks the text against
     * glibc's for each message that is not "Unknown error"). */
    static const int named[] = {
        EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF,
        ECHILD, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV,
        ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY, EFBIG, ENOSPC,
        ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK, ENAMETOOLONG,
        ENOLCK, ENOSYS, ENOTEMPTY, ELOOP, ENOMSG, ENODATA, ETIME, EPROTO,
        EBADMSG, EOVERFLOW, EILSEQ, ENOTSOCK, EDESTADDRREQ, EMSGSIZE,
        EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT, EOPNOTSUPP, EAFNOSUPPORT,
        EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ENETRESET,
        ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ETIMEDOUT,
        ECONNREFUSED, EHOSTDOWN, EHOSTUNREACH, EALREADY, EINPROGRESS,
        ECANCELED,
    };
    size_t i;

    t_case("string/strerror");
    for (i = 0; i < ARRAY_LEN(named); i++)
        t_ok(strncmp(strerror(named[i]), "Unknown", 7) != 0,
             "errno %d, named in errno.h, has no message", named[i]);
    t_str(strerror(0), "Success", "strerror 0");
    t_str(strerror(ENOENT), "No such file or directory", "ENOENT");
    t_str(strerror(ERANGE), "Numerical result out of range", "ERANGE");
    t_str(strerror(ECONNREFUSED), "Connection refused", "ECONNREFUSED");
    t_str(strerror(-1), "Unknown error -1", "negative");
    t_str(strerror(15), "Unknown error 15", "a gap in the table");
    t_str(strerror(100000), "Unknown error 100000", "past the table");
    t_str(strerror(INT32_MIN), "Unknown error -2147483648", "INT_MIN");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    memcpy_all();
    memmove_overlap();
    memset_all();
    memcmp_memchr();
    lengths_copies();
    compares();
    searches();
    errors();
    h_string_compare();
    return t_finish();
}
