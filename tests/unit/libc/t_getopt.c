/* getopt and getopt_long: explicit cases and glibc's messages; h_getopt.c
 * compares with glibc in POSIX mode on generated argument vectors. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

void h_getopt_compare(void);

static void cases(void)
{
    char *argv[] = {"prog", "-a", "-bVAL", "-c", "x", "--long=1", "file",
                    "-a", NULL};
    static const struct option lo[] = {{"long", required_argument, NULL, 'L'},
                                       {NULL, 0, NULL, 0}};
    int idx = -1;

    t_case("getopt/cases");
    optind = 0;
    t_int(getopt_long(8, argv, "ab:c:", lo, &idx), 'a', "-a");
    t_int(getopt_long(8, argv, "ab:c:", lo, &idx), 'b', "-bVAL");
    t_str(optarg, "VAL", "attached argument");
    t_int(getopt_long(8, argv, "ab:c:", lo, &idx), 'c', "-c x");
    t_str(optarg, "x", "separate argument");
    t_int(getopt_long(8, argv, "ab:c:", lo, &idx), 'L', "--long=1");
    t_str(optarg, "1", "long argument");
    t_int(idx, 0, "longindex");
    t_int(getopt_long(8, argv, "ab:c:", lo, &idx), -1, "stops at file");
    t_int(optind, 6, "optind at the first operand (no permutation)");
}

static void messages(void)
{
    char *argv[] = {"prog", "-x", "-b", NULL};
    char *argv2[] = {"prog", "--nope", NULL};
    static const struct option lo[] = {{"yes", no_argument, NULL, 'y'},
                                       {NULL, 0, NULL, 0}};
    unsigned long len;

    t_case("getopt/messages");
    optind = 0;
    opterr = 1;
    t_capture_start();
    t_int(getopt(3, argv, "b:"), '?', "invalid");
    t_int(optopt, 'x', "optopt");
    t_int(getopt(3, argv, "b:"), '?', "missing argument");
    optind = 0;
    t_int(getopt_long(2, argv2, "", lo, NULL), '?', "unknown long");
    optind = 0;
    t_int(getopt(3, argv, ":b:"), '?', "colon: invalid still '?'");
    t_int(getopt(3, argv, ":b:"), ':', "colon: missing is ':'");
    t_capture_stop();
    t_str(t_captured(&len),
          "prog: invalid option -- 'x'\n"
          "prog: option requires an argument -- 'b'\n"
          "prog: unrecognized option '--nope'\n",
          "glibc's wording; none with ':'");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    cases();
    messages();
    h_getopt_compare();
    return t_finish();
}
