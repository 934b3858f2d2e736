/*
 * Built with the host's headers: every ctype class and case mapping of
 * Atoll's libc against glibc's "C" locale (the test never calls
 * setlocale) for EOF and every unsigned char value.
 */
#include <ctype.h>
#include <stdio.h>

#include "../../lib/check.h"

void h_ctype_compare(void);

int alc_isalnum(int c);
int alc_isalpha(int c);
int alc_isblank(int c);
int alc_iscntrl(int c);
int alc_isdigit(int c);
int alc_isgraph(int c);
int alc_islower(int c);
int alc_isprint(int c);
int alc_ispunct(int c);
int alc_isspace(int c);
int alc_isupper(int c);
int alc_isxdigit(int c);
int alc_isascii(int c);
int alc_tolower(int c);
int alc_toupper(int c);

/* glibc's are macros; wrap them to take their addresses. */
#define WRAP(name) \
    static int g_##name(int c) { return name(c); }
WRAP(isalnum) WRAP(isalpha) WRAP(isblank) WRAP(iscntrl) WRAP(isdigit)
WRAP(isgraph) WRAP(islower) WRAP(isprint) WRAP(ispunct) WRAP(isspace)
WRAP(isupper) WRAP(isxdigit) WRAP(isascii) WRAP(tolower) WRAP(toupper)

static const struct {
    const char *name;
    int (*ours)(int);
    int (*glibc)(int);
    int is_class; /* 1: compare truth values; 0: compare results */
} fns[] = {
#define F(name, cls) {#name, alc_##name, g_##name, cls}
    F(isalnum, 1), F(isalpha, 1), F(isblank, 1), F(iscntrl, 1),
    F(isdigit, 1), F(isgraph, 1), F(islower, 1), F(isprint, 1),
    F(ispunct, 1), F(isspace, 1), F(isupper, 1), F(isxdigit, 1),
    F(isascii, 1), F(tolower, 0), F(toupper, 0),
#undef F
};

void h_ctype_compare(void)
{
    size_t k;
    int c;

    t_case("ctype/glibc-all-values");
    for (k = 0; k < sizeof(fns) / sizeof(fns[0]); k++)
        for (c = EOF; c < 256; c++) {
            int a = fns[k].ours(c), b = fns[k].glibc(c);
            if (fns[k].is_class)
                t_ok(!a == !b, "%s(%d): %d, glibc %d", fns[k].name, c, a, b);
            else
                t_ok(a == b, "%s(%d): %d, glibc %d", fns[k].name, c, a, b);
        }
}
