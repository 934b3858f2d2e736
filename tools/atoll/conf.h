/*
 * unikernel.conf: the one file an application writes besides its sources
 * (docs/unikernel-conf.md describes the format and every key).
 *
 * conf_parse reads the file and checks everything that depends on the file
 * alone (keys, names, devices); conf_resolve then checks it against the
 * disk and the Atoll tree (a name is present, sources exist, libraries
 * are known and built). Errors are one line, "FILE:LINE: message", in err.
 */
#ifndef ATOLL_TOOL_CONF_H
#define ATOLL_TOOL_CONF_H

#include <stddef.h>

#include "atoll/abi/mft.h"
#include "tree.h"
#include "util.h"

#define CONF_ERR_SIZE 512
#define CONF_NAME_MAX 64 /* characters in the unikernel's name */

enum conf_dev_kind { CONF_NET, CONF_BLOCK };

struct conf_dev {
    enum conf_dev_kind kind;
    char name[ATOLL_MFT_NAME_SIZE];
    int line;
};

/* A word of a list key, with the line it came from. */
struct conf_word {
    char *word;
    int line;
};

struct conf_words {
    struct conf_word *w;
    size_t n, cap;
};

struct conf {
    char *path;  /* as given to conf_parse */
    char *dir;   /* folder of path; sources are relative to it */
    int lines;   /* number of lines in the file */
    char *name;  /* NULL if no name line */
    int name_line;
    struct conf_words sources;   /* patterns */
    struct conf_words libraries; /* as written, rt and libc included */
    struct conf_words cflags;
    struct conf_dev devs[ATOLL_MFT_MAX_ENTRIES - 1]; /* entry 0 is reserved */
    int ndevs;

    /* Filled by conf_resolve. */
    struct strv srcs;     /* source files, relative to dir, sorted, unique */
    struct strv libs;     /* libraries beyond rt and libc, in order */
    struct strv archives; /* their archives, then rt.a and libc.a */
};

int conf_parse(struct conf *c, const char *path, char *err, size_t errsize);
int conf_resolve(struct conf *c, const struct tree *t, char *err,
                 size_t errsize);
void conf_free(struct conf *c);

const char *conf_kind_name(enum conf_dev_kind kind);
/* Index of the device called name, or -1. */
int conf_find_dev(const struct conf *c, const char *name);

#endif
