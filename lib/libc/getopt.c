/*
 * getopt, getopt_long, getopt_long_only: POSIX parsing (stop at the first
 * non-option, no permutation; a leading '+' or '-' in optstring is
 * skipped), GNU long options and glibc's messages on stderr. optind = 0
 * restarts from argv[1]. h_getopt.c compares with glibc given "+".
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt = '?';

static const char *nextchar; /* in a group of short options, or NULL */

struct parse {
    int argc;
    char *const *argv;
    const char *opts; /* after '+', '-' and ':' */
    int colon;        /* optstring began with ':': no messages */
};

static int missing(const struct parse *p)
{
    return p->colon ? ':' : '?';
}

static void say(const struct parse *p, const char *fmt, const char *what)
{
    if (opterr && !p->colon)
        fprintf(stderr, fmt, p->argv[0], what);
}

/* A long option: exact name, or an unambiguous prefix (several prefixes
 * with the same has_arg, flag and val count as one, as in glibc). */
static const struct option *find_long(const struct option *lo,
                                      const char *name, size_t len, int *idx,
                                      int *ambiguous)
{
    const struct option *found = NULL;

    *ambiguous = 0;
    for (int i = 0; lo[i].name != NULL; i++) {
        if (strncmp(lo[i].name, name, len) != 0)
            continue;
        if (strlen(lo[i].name) == len) {
            *idx = i;
            *ambiguous = 0;
            return &lo[i];
        }
        if (found == NULL) {
            found = &lo[i];
            *idx = i;
        } else if (found->has_arg != lo[i].has_arg ||
                   found->flag != lo[i].flag || found->val != lo[i].val) {
            *ambiguous = 1;
        }
    }
    return *ambiguous ? NULL : found;
}

static int do_long(const struct parse *p, const char *arg, const char *dash,
                   const struct option *lo, int *longindex)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    const struct option *o;
    int idx = 0, amb;
    char shown[128];

    snprintf(shown, sizeof(shown), "%s%.*s", dash, (int)len, arg);
    o = find_long(lo, arg, len, &idx, &amb);
    optind++;
    nextchar = NULL;
    if (o == NULL) {
        say(p, amb ? "%s: option '%s' is ambiguous\n"
                   : "%s: unrecognized option '%s'\n",
            amb ? shown : p->argv[optind - 1]);
        optopt = 0;
        return '?';
    }
    snprintf(shown, sizeof(shown), "%s%s", dash, o->name);
    optarg = NULL;
    if (eq != NULL) {
        if (o->has_arg == no_argument) {
            say(p, "%s: option '%s' doesn't allow an argument\n", shown);
            optopt = o->val;
            return '?';
        }
        optarg = (char *)(unsigned long)(eq + 1);
    } else if (o->has_arg == required_argument) {
        if (optind >= p->argc) {
            say(p, "%s: option '%s' requires an argument\n", shown);
            optopt = o->val;
            return missing(p);
        }
        optarg = p->argv[optind++];
    }
    if (longindex != NULL)
        *longindex = idx;
    if (o->flag != NULL) {
        *o->flag = o->val;
        return 0;
    }
    return o->val;
}

static int do_short(const struct parse *p)
{
    char c = *nextchar++, name[2] = {0, 0};
    const char *spec = c == ':' ? NULL : strchr(p->opts, c);

    name[0] = c;
    optarg = NULL;
    if (spec == NULL) {
        if (*nextchar == '\0') {
            optind++;
            nextchar = NULL;
        }
        say(p, "%s: invalid option -- '%s'\n", name);
        optopt = c;
        return '?';
    }
    if (spec[1] != ':') {
        if (*nextchar == '\0') {
            optind++;
            nextchar = NULL;
        }
        return c;
    }
    if (*nextchar != '\0') {
        optarg = (char *)(unsigned long)nextchar;
        optind++;
    } else if (spec[2] == ':') {
        optind++; /* optional argument: only in the same word */
    } else if (optind + 1 < p->argc) {
        optarg = p->argv[optind + 1];
        optind += 2;
    } else {
        optind++;
        nextchar = NULL;
        say(p, "%s: option requires an argument -- '%s'\n", name);
        optopt = c;
        return missing(p);
    }
    nextchar = NULL;
    return c;
}

static int parse(int argc, char *const argv[], const char *optstring,
                 const struct option *lo, int *longindex, int long_only)
{
    struct parse p = {argc, argv, optstring, 0};
    const char *arg;

    if (optind == 0) {
        optind = 1;
        nextchar = NULL;
    }
    if (*p.opts == '+' || *p.opts == '-')
        p.opts++;
    if (*p.opts == ':') {
        p.colon = 1;
        p.opts++;
    }
    optarg = NULL;
    if (nextchar != NULL && *nextchar != '\0')
        return do_short(&p);
    nextchar = NULL;
    if (optind >= argc || argv[optind] == NULL)
        return -1;
    arg = argv[optind];
    if (arg[0] != '-' || arg[1] == '\0')
        return -1;
    if (strcmp(arg, "--") == 0) {
        optind++;
        return -1;
    }
    if (lo != NULL && arg[1] == '-')
        return do_long(&p, arg + 2, "--", lo, longindex);
    /* getopt_long_only, as glibc: "-f" with f a short option is that
     * option; otherwise a long match (or ambiguity) wins, then a known
     * short option, else the word is an unrecognised long option. */
    if (lo != NULL && long_only &&
        (arg[2] != '\0' || strchr(optstring, arg[1]) == NULL)) {
        const char *eq = strchr(arg + 1, '=');
        size_t len = eq != NULL ? (size_t)(eq - arg - 1) : strlen(arg + 1);
        int idx, amb;

        /* The whole optstring, as glibc: "-:" counts as short. */
        if (find_long(lo, arg + 1, len, &idx, &amb) != NULL || amb ||
            strchr(optstring, arg[1]) == NULL)
            return do_long(&p, arg + 1, "-", lo, longindex);
    }
    nextchar = arg + 1;
    return do_short(&p);
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    return parse(argc, argv, optstring, NULL, NULL, 0);
}

int getopt_long(int argc, char *const argv[], const char *optstring,
                const struct option *longopts, int *longindex)
{
    return parse(argc, argv, optstring, longopts, longindex, 0);
}

int getopt_long_only(int argc, char *const argv[], const char *optstring,
                     const struct option *longopts, int *longindex)
{
    return parse(argc, argv, optstring, longopts, longindex, 1);
}
