/*
 * Built with the host's headers: getopt, getopt_long and getopt_long_only
 * against glibc's in POSIX mode (optstring starting with '+', which is
 * how glibc parses under POSIXLY_CORRECT) on generated argument vectors.
 */
#include <getopt.h>
#include <string.h>

#include "../../lib/check.h"

void h_getopt_compare(void);

struct alc_option {
    const char *name;
    int has_arg;
    int *flag;
    int val;
};
extern char *alc_optarg;
extern int alc_optind, alc_opterr, alc_optopt;
int alc_getopt(int argc, char *const argv[], const char *optstring);
int alc_getopt_long(int argc, char *const argv[], const char *optstring,
                    const struct alc_option *lo, int *idx);
int alc_getopt_long_only(int argc, char *const argv[], const char *optstring,
                         const struct alc_option *lo, int *idx);

#define ROUNDS 50000
#define N(a) (sizeof(a) / sizeof((a)[0]))

static int flag_a, flag_b;

static const struct option glibc_lo[] = {
    {"alpha", no_argument, NULL, 'A'}, {"alpine", no_argument, NULL, 'P'},
    {"beta", required_argument, NULL, 'B'},
    {"gamma", optional_argument, NULL, 'G'},
    {"flag", no_argument, &flag_b, 7}, {"bx", no_argument, NULL, 'b'},
    {"a", no_argument, NULL, 'Z'}, {NULL, 0, NULL, 0}};
static const struct alc_option our_lo[] = {
    {"alpha", no_argument, NULL, 'A'}, {"alpine", no_argument, NULL, 'P'},
    {"beta", required_argument, NULL, 'B'},
    {"gamma", optional_argument, NULL, 'G'},
    {"flag", no_argument, &flag_a, 7}, {"bx", no_argument, NULL, 'b'},
    {"a", no_argument, NULL, 'Z'}, {NULL, 0, NULL, 0}};

static const char *const words[] = {
    "-a", "-b", "-bval", "-c", "-cval", "-abc", "-acb", "-x", "--", "-",
    "file", "--alpha", "--alpha=1", "--beta", "--beta=2", "--al", "--alp",
    "--alph", "--be", "--gamma", "--gamma=3", "--g", "--unknown", "-:",
    "--flag", "--fl=1", "val", "-alpha", "-beta", "-be=x", "-gamma=q",
    "-bx", "--bx", "-fl", "-ab", "--a", "-a=1", "--=x", "---"};
static const char *const optstrings[] = {"+ab:c::", "+:ab:c::", "+abc:",
                                         "+b:a", "+:"};

static int same(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void h_getopt_compare(void)
{
    int fails = 0;

    t_case("getopt/vs glibc (POSIX mode)");
    alc_opterr = 0;
    opterr = 0;
    for (int r = 0; r < ROUNDS && fails < 10; r++) {
        char *va[10], *vb[10];
        char store[10][16];
        int argc = 1 + (int)(t_rand() % 8), mode = (int)(t_rand() % 3);
        const char *os = optstrings[t_rand() % N(optstrings)];

        va[0] = vb[0] = "prog";
        for (int i = 1; i < argc; i++) {
            strcpy(store[i], words[t_rand() % N(words)]);
            va[i] = vb[i] = store[i];
        }
        va[argc] = vb[argc] = NULL;
        alc_optind = 0;
        optind = 0;
        for (int step = 0; step < 12; step++) {
            int ia = -1, ib = -1, ra, rb;
            flag_a = flag_b = 0;
            if (mode == 0) {
                ra = alc_getopt(argc, va, os);
                rb = getopt(argc, vb, os);
            } else if (mode == 1) {
                ra = alc_getopt_long(argc, va, os, our_lo, &ia);
                rb = getopt_long(argc, vb, os, glibc_lo, &ib);
            } else {
                ra = alc_getopt_long_only(argc, va, os, our_lo, &ia);
                rb = getopt_long_only(argc, vb, os, glibc_lo, &ib);
            }
            if (!t_ok(ra == rb && alc_optind == optind &&
                          same(alc_optarg, optarg) && flag_a == flag_b &&
                          (ra == '?' ? alc_optopt == optopt : 1) &&
                          (ra == '?' || ra == ':' || ia == ib),
                      "mode %d \"%s\" argc %d [%s %s %s %s] step %d: ours "
                      "%d ind %d arg %s opt %d idx %d; glibc %d ind %d arg "
                      "%s opt %d idx %d", mode, os, argc,
                      argc > 1 ? vb[1] : "", argc > 2 ? vb[2] : "",
                      argc > 3 ? vb[3] : "", argc > 4 ? vb[4] : "", step, ra,
                      alc_optind, alc_optarg ? alc_optarg : "NULL",
                      alc_optopt, ia, rb, optind, optarg ? optarg : "NULL",
                      optopt, ib)) {
                fails++;
                break;
            }
            if (ra == -1)
                break;
        }
    }
}
