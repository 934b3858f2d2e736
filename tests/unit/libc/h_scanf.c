/*
 * Built with the host's headers: sscanf against glibc's on generated
 * formats (two conversions from a list, literals, a final %n) and inputs
 * (numbers at the limits, signs, prefixes, white space, set characters,
 * decimal and hex floats, infinities, NaNs and dangling exponents).
 */
#include <stdio.h>
#include <string.h>

#include "../../lib/check.h"

void h_scanf_compare(void);

int alc_sscanf(const char *str, const char *fmt, ...);

#define ROUNDS 200000

static const char *const specs[] = {
    "d", "i", "u", "o", "x", "X", "hhd", "hd", "ld", "lld", "hhu", "hu",
    "jd", "zu", "td", "3d", "1d", "2i", "4x", "*d", "*x", "c", "3c", "s",
    "5s", "*s", "[a-c]", "[^,]", "[]a]", "[^]]", "2[0-9]", "[a-]", "p",
    "%", "n", "i", "lu", "llx", "*[^x]", "10s", "2c", "lli", "Lu",
    "f", "lf", "le", "lg", "la", "e", "g", "a", "E", "5lf", "3f", "*lf",
    "1lf", "2lf", "4la"};
static const char *const pieces[] = {
    " ", "  ", "\t", "\n", "-", "+", "0", "0x", "0X", "12", "7", "077",
    "0x1F", "-0", "abc", "a", "b", "c", "x", ",", "]", "-", "9",
    "2147483647", "2147483648", "-2147483649", "4294967296",
    "18446744073709551615", "18446744073709551616", ".", "e", "E+", "1.5",
    "inf", "INFINITY", "infin", "nan", "nan(1)", "0x1p", "p3", "1e400",
    "-.", "1e-400", "0.1", "e-7", "0x.8", "3.25e2",
    "99999999999999999999999", "-9223372036854775808", "ff", "%", "z"};
static const char *const lits[] = {"", "", "", " ", ",", "x", "%%", "a",
                                   " , "};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void make(char *fmt, char *in)
{
    sprintf(fmt, "%s%%%s%s%%%s%s%%n", lits[t_rand() % N(lits)],
            specs[t_rand() % N(specs)], lits[t_rand() % N(lits)],
            specs[t_rand() % N(specs)], lits[t_rand() % N(lits)]);
    in[0] = '\0';
    for (int i = (int)(t_rand() % 6); i > 0; i--)
        strcat(in, pieces[t_rand() % N(pieces)]);
}

void h_scanf_compare(void)
{
    int fails = 0;

    t_case("scanf/sscanf vs glibc");
    for (int r = 0; r < ROUNDS && fails < 12; r++) {
        char fmt[64], in[160];
        union {
            long long ll;
            char s[200];
        } a[3], b[3];
        int ra, rb;

        make(fmt, in);
        memset(a, 0x5c, sizeof(a));
        memset(b, 0x5c, sizeof(b));
        ra = alc_sscanf(in, fmt, &a[0], &a[1], &a[2]);
        rb = sscanf(in, fmt, &b[0], &b[1], &b[2]);
        if (!t_ok(ra == rb && memcmp(a, b, sizeof(a)) == 0,
                  "sscanf(\"%s\", \"%s\"): ours %d [%llx %llx %llx], glibc "
                  "%d [%llx %llx %llx]", in, fmt, ra, a[0].ll, a[1].ll,
                  a[2].ll, rb, b[0].ll, b[1].ll, b[2].ll))
            fails++;
    }
}
