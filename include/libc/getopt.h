/*
 * getopt.h: Atoll libc, getopt() and getopt_long(). Both follow POSIX:
 * option parsing stops at the first non-option argument (as glibc does
 * with POSIXLY_CORRECT set or an optstring starting with '+'); there is no
 * argument permutation. A leading '+' or '-' in optstring is accepted and
 * ignored. getopt_long adds GNU long options (--name, --name=value,
 * --name value, unambiguous prefixes) and getopt_long_only.
 */
#ifndef _ATOLL_GETOPT_H
#define _ATOLL_GETOPT_H

extern char *optarg;
extern int optind, opterr, optopt;

struct option {
    const char *name;
    int has_arg;
    int *flag;
    int val;
};

#define no_argument 0
#define required_argument 1
#define optional_argument 2

int getopt(int argc, char *const argv[], const char *optstring);
int getopt_long(int argc, char *const argv[], const char *optstring,
                const struct option *longopts, int *longindex);
int getopt_long_only(int argc, char *const argv[], const char *optstring,
                     const struct option *longopts, int *longindex);

#endif
