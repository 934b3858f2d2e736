/*
 * ctype.h: h_ctype.c compares every class and case mapping with glibc's
 * "C" locale for EOF and 0..255. Here: the classes' defining members, and
 * what ctype.h promises beyond C for other arguments (no class, unchanged).
 */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>

#include "../../lib/check.h"

void h_ctype_compare(void);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int (*const classes[])(int) = {
    isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower,
    isprint, ispunct, isspace, isupper, isxdigit, isascii,
};
static const char *const class_names[] = {
    "isalnum", "isalpha", "isblank", "iscntrl", "isdigit", "isgraph",
    "islower", "isprint", "ispunct", "isspace", "isupper", "isxdigit",
    "isascii",
};

static void members(void)
{
    const char *p;

    t_case("ctype/members");
    for (p = "0123456789"; *p; p++)
        t_ok(isdigit(*p) && isxdigit(*p) && isalnum(*p) && !isalpha(*p),
             "digit %c", *p);
    for (p = "abcdefABCDEF"; *p; p++)
        t_ok(isxdigit(*p), "hex digit %c", *p);
    t_ok(!isxdigit('g') && !isxdigit('G'), "g is no hex digit");
    for (p = " \t\n\v\f\r"; *p; p++)
        t_ok(isspace(*p), "space %#x", *p);
    t_ok(isblank(' ') && isblank('\t') && !isblank('\n'), "isblank");
    t_ok(iscntrl(0) && iscntrl(31) && iscntrl(127) && !iscntrl(' '),
         "iscntrl");
    t_ok(isprint(' ') && !isgraph(' ') && isgraph('~') && !isprint(127),
         "isprint/isgraph");
    for (p = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"; *p; p++)
        t_ok(ispunct(*p), "punctuation %c", *p);
    t_int(toupper('a'), 'A', "toupper a");
    t_int(toupper('z'), 'Z', "toupper z");
    t_int(tolower('A'), 'a', "tolower A");
    t_int(tolower('['), '[', "tolower [");
    t_int(toupper('{'), '{', "toupper {");
    t_int(toupper('`'), '`', "toupper `");
}

/* EOF, values of a signed char other than EOF, and values past
 * UCHAR_MAX: in no class, unchanged by the case mappings. */
static void outside(void)
{
    static const int vals[] = {-1 /* EOF */, -2, -128, -129, 256, 256 + 'a',
                               256 + '0', 1000, INT_MIN, INT_MAX};
    size_t i, k;

    t_case("ctype/outside-unsigned-char");
    for (i = 0; i < ARRAY_LEN(vals); i++) {
        for (k = 0; k < ARRAY_LEN(classes); k++)
            t_ok(classes[k](vals[i]) == 0, "%s(%d) is true", class_names[k],
                 vals[i]);
        t_int(tolower(vals[i]), vals[i], "tolower outside");
        t_int(toupper(vals[i]), vals[i], "toupper outside");
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    members();
    outside();
    h_ctype_compare();
    return t_finish();
}
