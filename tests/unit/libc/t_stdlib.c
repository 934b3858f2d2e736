/*
 * stdlib.h (and the inttypes.h strtoimax/strtoumax, imaxabs, imaxdiv):
 * integer conversion with explicit expected values, qsort against a
 * reference insertion sort, bsearch, abs and div. h_stdlib.c compares the
 * strto* family and qsort with glibc on generated inputs.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"

void h_stdlib_compare(void);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* errno before each call: success must leave it alone (C11 7.22.1.4). */
#define ERRNO_CANARY 12345

struct sconv {
    const char *s;
    int base;
    long long want;
    int end; /* offset endptr must get */
    int err; /* errno afterwards: 0 for unchanged */
};

static const struct sconv signed_cases[] = {
    {"0", 10, 0, 1, 0},
    {"42", 10, 42, 2, 0},
    {" \t\n\v\f\r42xyz", 10, 42, 8, 0},
    {"+42", 10, 42, 3, 0},
    {"-42", 10, -42, 3, 0},
    {"  -0", 10, 0, 4, 0},
    {"", 10, 0, 0, 0},
    {"   ", 10, 0, 0, 0},
    {"-", 10, 0, 0, 0},
    {"+", 0, 0, 0, 0},
    {" -x", 16, 0, 0, 0},
    {"+-1", 10, 0, 0, 0},
    {"- 1", 10, 0, 0, 0},
    {"12 34", 10, 12, 2, 0},
    {"0x1f", 16, 31, 4, 0},
    {"0x1f", 0, 31, 4, 0},
    {"0X1F", 0, 31, 4, 0},
    {"0x1f", 10, 0, 1, 0},
    {"1f", 16, 31, 2, 0},
    {"0x", 16, 0, 1, 0},
    {"0x", 0, 0, 1, 0},
    {"0xg", 0, 0, 1, 0},
    {"0x0x1", 0, 0, 3, 0},
    {"-0x10", 0, -16, 5, 0},
    {" +0x10", 16, 16, 6, 0},
    {"010", 0, 8, 3, 0},
    {"08", 0, 0, 1, 0},
    {"0", 0, 0, 1, 0},
    {"00x1", 0, 0, 2, 0},
    {"010", 10, 10, 3, 0},
    {"777", 8, 511, 3, 0},
    {"778", 8, 63, 2, 0},
    {"101", 2, 5, 3, 0},
    {"102", 2, 2, 2, 0},
    {"0b101", 2, 0, 1, 0},
    {"2", 2, 0, 0, 0},
    {"zz", 36, 1295, 2, 0},
    {"ZZ", 36, 1295, 2, 0},
    {"Zz!", 36, 1295, 2, 0},
    {"z", 35, 0, 0, 0},
    {"y", 35, 34, 1, 0},
    {"12", 3, 5, 2, 0},
    {"9223372036854775807", 10, LLONG_MAX, 19, 0},
    {"9223372036854775808", 10, LLONG_MAX, 19, ERANGE},
    {"-9223372036854775808", 10, LLONG_MIN, 20, 0},
    {"-9223372036854775809", 10, LLONG_MIN, 20, ERANGE},
    {"99999999999999999999999999999x", 10, LLONG_MAX, 29, ERANGE},
    {"-99999999999999999999999999999", 10, LLONG_MIN, 30, ERANGE},
    {"18446744073709551616", 10, LLONG_MAX, 20, ERANGE},
    {"0x7fffffffffffffff", 0, LLONG_MAX, 18, 0},
    {"-0x8000000000000000", 0, LLONG_MIN, 19, 0},
    {"0x8000000000000000", 0, LLONG_MAX, 18, ERANGE},
    {"0000000000000000000000000000000001", 10, 1, 34, 0},
    {"777777777777777777777", 8, LLONG_MAX, 21, 0},
    {"1000000000000000000000", 8, LLONG_MAX, 22, ERANGE},
    {"1y2p0ij32e8e7", 36, LLONG_MAX, 13, 0},
    {"1y2p0ij32e8e8", 36, LLONG_MAX, 13, ERANGE},
    {"\xff" "1", 10, 0, 0, 0},
};

static const struct {
    const char *s;
    int base;
    unsigned long long want;
    int end;
    int err;
} unsigned_cases[] = {
    {"18446744073709551615", 10, ULLONG_MAX, 20, 0},
    {"18446744073709551616", 10, ULLONG_MAX, 20, ERANGE},
    {"99999999999999999999999", 0, ULLONG_MAX, 23, ERANGE},
    {"-1", 10, ULLONG_MAX, 2, 0},
    {"-18446744073709551615", 10, 1, 21, 0},
    {"-18446744073709551616", 10, ULLONG_MAX, 21, ERANGE},
    {"0xffffffffffffffff", 0, ULLONG_MAX, 18, 0},
    {"0x10000000000000000", 0, ULLONG_MAX, 19, ERANGE},
    {"1777777777777777777777", 8, ULLONG_MAX, 22, 0},
    {"2000000000000000000000", 8, ULLONG_MAX, 22, ERANGE},
    {"1111111111111111111111111111111111111111111111111111111111111111", 2,
     ULLONG_MAX, 64, 0},
    {"11111111111111111111111111111111111111111111111111111111111111111",
     2, ULLONG_MAX, 65, ERANGE},
    {"3w5e11264sgsf", 36, ULLONG_MAX, 13, 0},
    {"3w5e11264sgsg", 36, ULLONG_MAX, 13, ERANGE},
    {"  +7", 10, 7, 4, 0},
    {"-", 10, 0, 0, 0},
    {"-0x", 0, 0, 2, 0},
};

static void strto_signed(void)
{
    size_t i;
    char *end;
    long long v;

    t_case("stdlib/strtol-strtoll-strtoimax");
    for (i = 0; i < ARRAY_LEN(signed_cases); i++) {
        const struct sconv *c = &signed_cases[i];
        int want_errno = c->err ? c->err : ERRNO_CANARY;

        errno = ERRNO_CANARY;
        end = NULL;
        v = strtoll(c->s, &end, c->base);
        t_ok(v == c->want && end == c->s + c->end && errno == want_errno,
             "strtoll(\"%s\", %d) = %lld end +%ld errno %d; want %lld +%d %d",
             c->s, c->base, v, (long)(end - c->s), errno, c->want, c->end,
             want_errno);

        errno = ERRNO_CANARY;
        end = NULL;
        v = strtol(c->s, &end, c->base); /* long is long long (LP64) */
        t_ok(v == c->want && end == c->s + c->end && errno == want_errno,
             "strtol(\"%s\", %d) = %lld end +%ld errno %d", c->s, c->base,
             v, (long)(end - c->s), errno);

        errno = ERRNO_CANARY;
        end = NULL;
        v = strtoimax(c->s, &end, c->base);
        t_ok(v == c->want && end == c->s + c->end && errno == want_errno,
             "strtoimax(\"%s\", %d) = %lld end +%ld errno %d", c->s,
             c->base, v, (long)(end - c->s), errno);

        /* A NULL endptr is allowed. */
        errno = ERRNO_CANARY;
        t_ok(strtoll(c->s, NULL, c->base) == c->want && errno == want_errno,
             "strtoll(\"%s\", NULL, %d)", c->s, c->base);
    }
}

static void strto_unsigned(void)
{
    size_t i;
    char *end;
    unsigned long long v;

    t_case("stdlib/strtoul-strtoull-strtoumax");
    for (i = 0; i < ARRAY_LEN(unsigned_cases); i++) {
        const char *s = unsigned_cases[i].s;
        int base = unsigned_cases[i].base;
        unsigned long long want = unsigned_cases[i].want;
        const char *want_end = s + unsigned_cases[i].end;
        int want_errno = unsigned_cases[i].err ? unsigned_cases[i].err
                                               : ERRNO_CANARY;

        errno = ERRNO_CANARY;
        v = strtoull(s, &end, base);
        t_ok(v == want && end == want_end && errno == want_errno,
             "strtoull(\"%s\", %d) = %llu end +%ld errno %d", s, base, v,
             (long)(end - s), errno);
        errno = ERRNO_CANARY;
        v = strtoul(s, &end, base);
        t_ok(v == want && end == want_end && errno == want_errno,
             "strtoul(\"%s\", %d) = %llu end +%ld errno %d", s, base, v,
             (long)(end - s), errno);
        errno = ERRNO_CANARY;
        v = strtoumax(s, &end, base);
        t_ok(v == want && end == want_end && errno == want_errno,
             "strtoumax(\"%s\", %d) = %llu end +%ld errno %d", s, base, v,
             (long)(end - s), errno);
    }
}

static void strto_bad_base(void)
{
    static const int bases[] = {-1, 1, 37, 100, INT_MIN};
    size_t i;

    t_case("stdlib/strtol-bad-base");
    for (i = 0; i < ARRAY_LEN(bases); i++) {
        char *end = NULL;
        errno = 0;
        t_int(strtol("11", &end, bases[i]), 0, "strtol value");
        t_int(errno, EINVAL, "strtol errno");
        errno = 0;
        t_uint(strtoull("11", NULL, bases[i]), 0, "strtoull value");
        t_int(errno, EINVAL, "strtoull errno");
    }
}

static void ato(void)
{
    t_case("stdlib/atoi-atol-atoll");
    t_int(atoi("42"), 42, "atoi");
    t_int(atoi("  -17abc"), -17, "atoi stops at junk");
    t_int(atoi("abc"), 0, "atoi no digits");
    t_int(atoi(""), 0, "atoi empty");
    t_int(atoi("0x10"), 0, "atoi is base 10");
    t_int(atoi("010"), 10, "atoi ignores a leading 0");
    t_int(atoi("2147483647"), INT_MAX, "atoi INT_MAX");
    t_int(atoi("-2147483648"), INT_MIN, "atoi INT_MIN");
    /* Undefined in C; stdlib.h documents clamping. */
    t_int(atoi("2147483648"), INT_MAX, "atoi clamps high");
    t_int(atoi("-99999999999999999999"), INT_MIN, "atoi clamps low");
    t_int(atol("-9223372036854775808"), LONG_MIN, "atol LONG_MIN");
    t_int(atoll(" +9223372036854775807"), LLONG_MAX, "atoll LLONG_MAX");
    t_int(atoll("12e3"), 12, "atoll stops at e");
}

static void abs_div(void)
{
    t_case("stdlib/abs-div");
    t_int(abs(0), 0, "abs 0");
    t_int(abs(-5), 5, "abs -5");
    t_int(abs(5), 5, "abs 5");
    t_int(abs(INT_MIN + 1), INT_MAX, "abs INT_MIN+1");
    t_int(labs(LONG_MIN + 1), LONG_MAX, "labs");
    t_int(llabs(-LLONG_MAX), LLONG_MAX, "llabs");
    t_int(imaxabs(-3), 3, "imaxabs");
    {
        /* Quotients truncate toward zero; quot*d + rem == n. */
        static const int nd[][2] = {{7, 2},   {-7, 2},      {7, -2},
                                    {-7, -2}, {0, 5},       {6, 3},
                                    {1, 7},   {INT_MIN, 1}, {INT_MAX, -1},
                                    {INT_MIN, 2}};
        size_t i;
        for (i = 0; i < ARRAY_LEN(nd); i++) {
            int n = nd[i][0], d = nd[i][1];
            div_t r = div(n, d);
            ldiv_t lr = ldiv(n, d);
            lldiv_t llr = lldiv(n, d);
            imaxdiv_t ir = imaxdiv(n, d);
            long long tq = (long long)n / d, tr = (long long)n % d;
            t_ok(r.quot == tq && r.rem == tr,
                 "div(%d, %d) = {%d, %d}", n, d, r.quot, r.rem);
            t_ok(lr.quot == tq && lr.rem == tr, "ldiv(%d, %d)", n, d);
            t_ok(llr.quot == tq && llr.rem == tr, "lldiv(%d, %d)", n, d);
            t_ok(ir.quot == tq && ir.rem == tr, "imaxdiv(%d, %d)", n, d);
        }
        t_int(div(-7, 2).quot, -3, "div(-7, 2) quotient");
        t_int(div(-7, 2).rem, -1, "div(-7, 2) remainder");
        t_int(lldiv(LLONG_MIN, -2).quot, LLONG_MIN / -2, "lldiv LLONG_MIN");
    }
}

/* ---- qsort ---------------------------------------------------------- */

static size_t elem_size;
static const unsigned char *arr_lo, *arr_hi;
static unsigned long ncompares;
static int bad_pointer;

/* Compares whole elements bytewise: a total order, so the sorted result
 * is unique even though qsort is not stable. Also checks that qsort only
 * ever hands over element starts inside the array. */
static int cmp_bytes(const void *a, const void *b)
{
    const unsigned char *p = a, *q = b;

    ncompares++;
    if (p < arr_lo || p >= arr_hi || (size_t)(p - arr_lo) % elem_size ||
        q < arr_lo || q >= arr_hi || (size_t)(q - arr_lo) % elem_size)
        bad_pointer = 1;
    return memcmp(a, b, elem_size);
}

/* Reference: insertion sort by the same order. */
static void insertion_sort(unsigned char *a, size_t n, size_t size)
{
    unsigned char tmp[64];
    size_t i, j;

    for (i = 1; i < n; i++) {
        memcpy(tmp, a + i * size, size);
        for (j = i; j > 0 && memcmp(a + (j - 1) * size, tmp, size) > 0; j--)
            memcpy(a + j * size, a + (j - 1) * size, size);
        memcpy(a + j * size, tmp, size);
    }
}

/* 0: random bytes; 1: two values per byte (many equal elements);
 * 2: already sorted; 3: reverse sorted; 4: all equal. */
static void make_array(unsigned char *a, size_t n, size_t size, int kind)
{
    size_t i;

    for (i = 0; i < n * size; i++)
        a[i] = kind == 1 ? (unsigned char)(t_rand() & 1)
               : kind == 4 ? 7
                           : (unsigned char)t_rand();
    if (kind == 2 || kind == 3) {
        insertion_sort(a, n, size);
        if (kind == 3)
            for (i = 0; i < n / 2; i++) {
                unsigned char tmp[64];
                memcpy(tmp, a + i * size, size);
                memcpy(a + i * size, a + (n - 1 - i) * size, size);
                memcpy(a + (n - 1 - i) * size, tmp, size);
            }
    }
}

static void qsort_vs_reference(void)
{
    static const size_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 24, 64};
    size_t si, n;
    int kind;

    t_case("stdlib/qsort");
    for (si = 0; si < ARRAY_LEN(sizes); si++)
    for (n = 0; n <= 70; n++)
    for (kind = 0; kind < 5; kind++) {
        size_t size = sizes[si], bytes = n * size;
        /* Odd offset into the allocation: no alignment to rely on. */
        unsigned char *mem = malloc(bytes + 1), *a = mem + 1;
        unsigned char *want = malloc(bytes + 1);

        make_array(a, n, size, kind);
        memcpy(want, a, bytes);
        insertion_sort(want, n, size);
        elem_size = size;
        arr_lo = a;
        arr_hi = a + bytes;
        bad_pointer = 0;
        qsort(a, n, size, cmp_bytes);
        t_ok(!bad_pointer, "qsort(n=%zu, size=%zu, kind %d) passed a "
             "pointer that is no element of the array", n, size, kind);
        if (!t_ok(memcmp(a, want, bytes) == 0,
                  "qsort(n=%zu, size=%zu, kind %d): not sorted", n, size,
                  kind)) {
            free(mem);
            free(want);
            return;
        }
        free(mem);
        free(want);
    }
}

/* Heapsort's bound: at most about 2 n log2 n comparisons, whatever the
 * input (a naive quicksort would go quadratic on some of these). */
static void qsort_comparisons(void)
{
    const size_t n = 20000;
    unsigned *a = malloc(n * sizeof(*a));
    unsigned long limit = 0;
    size_t i, m;
    int kind;

    t_case("stdlib/qsort-n-log-n");
    for (m = n; m > 1; m /= 2)
        limit += 3 * n; /* 3 n floor(log2 n) */
    for (kind = 0; kind < 5; kind++) {
        for (i = 0; i < n; i++)
            a[i] = kind == 0   ? (unsigned)t_rand()
                   : kind == 1 ? (unsigned)i
                   : kind == 2 ? (unsigned)(n - i)
                   : kind == 3 ? 5u
                               : (unsigned)(i % 2 ? i : n - i); /* organ */
        elem_size = sizeof(*a);
        arr_lo = (const unsigned char *)a;
        arr_hi = (const unsigned char *)(a + n);
        ncompares = 0;
        bad_pointer = 0;
        qsort(a, n, sizeof(*a), cmp_bytes);
        t_ok(ncompares <= limit, "input kind %d: %lu comparisons for %zu "
             "elements (limit %lu)", kind, ncompares, n, limit);
        t_ok(!bad_pointer, "input kind %d: bad pointer", kind);
    }
    free(a);
}

/* ---- bsearch -------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct entry {
    const char *name;
    int value;
};

/* The key comes first and may be of another type than the elements. */
static int cmp_name_entry(const void *key, const void *elem)
{
    return strcmp(key, ((const struct entry *)elem)->name);
}

static void bsearch_all(void)
{
    int a[41];
    int n, i, k;

    t_case("stdlib/bsearch");
    for (n = 0; n <= 41; n++) {
        for (i = 0; i < n; i++)
            a[i] = 2 * i;
        for (k = -2; k <= 2 * n + 1; k++) {
            int *r = bsearch(&k, a, (size_t)n, sizeof(a[0]), cmp_int);
            if (k >= 0 && k < 2 * n && k % 2 == 0)
                t_ok(r == &a[k / 2], "n=%d key %d: found %p, want %p", n, k,
                     (void *)r, (void *)&a[k / 2]);
            else
                t_ok(r == NULL, "n=%d key %d: found absent key", n, k);
        }
    }
    {
        /* Duplicates: any equal element will do. */
        static const int d[] = {1, 1, 1, 2, 2, 3, 3, 3, 3};
        for (k = 0; k <= 4; k++) {
            const int *r = bsearch(&k, d, ARRAY_LEN(d), sizeof(d[0]),
                                   cmp_int);
            if (k >= 1 && k <= 3)
                t_ok(r != NULL && *r == k, "duplicates: key %d", k);
            else
                t_ok(r == NULL, "duplicates: absent key %d", k);
        }
    }
    {
        static const struct entry e[] = {
            {"alpha", 1}, {"beta", 2}, {"delta", 4}, {"gamma", 3}};
        const struct entry *r;
        r = bsearch("delta", e, ARRAY_LEN(e), sizeof(e[0]), cmp_name_entry);
        t_ok(r != NULL && r->value == 4, "key of another type");
        r = bsearch("epsilon", e, ARRAY_LEN(e), sizeof(e[0]),
                    cmp_name_entry);
        t_ok(r == NULL, "absent key of another type");
    }
}

static void environment(void)
{
    t_case("stdlib/getenv");
    t_ok(getenv("PATH") == NULL, "getenv PATH");
    t_ok(getenv("") == NULL, "getenv empty name");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    strto_signed();
    strto_unsigned();
    strto_bad_base();
    ato();
    abs_div();
    qsort_vs_reference();
    qsort_comparisons();
    bsearch_all();
    environment();
    h_stdlib_compare();
    return t_finish();
}
