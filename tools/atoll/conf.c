/*
 * unikernel.conf parser and resolver (see conf.h and
 * docs/unikernel-conf.md).
 */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define KEYS "name, sources, libraries, cflags, net, block"

static int conf_err(const struct conf *c, int line, char *err,
                    size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "PATH:LINE: message" into err; always -1. */
static int conf_err(const struct conf *c, int line, char *err,
                    size_t errsize, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errsize, "%s:%d: ", c->path, line);

    if (n < 0 || (size_t)n >= errsize)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

const char *conf_kind_name(enum conf_dev_kind kind)
{
    return kind == CONF_NET ? "net" : "block";
}

int conf_find_dev(const struct conf *c, const char *name)
{
    for (int i = 0; i < c->ndevs; i++)
        if (strcmp(c->devs[i].name, name) == 0)
            return i;
    return -1;
}

static void words_add(struct conf_words *ws, const char *word, int line)
{
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 8;
        ws->w = xrealloc(ws->w, ws->cap * sizeof *ws->w);
    }
    ws->w[ws->n].word = xstrdup(word);
    ws->w[ws->n].line = line;
    ws->n++;
}

static void words_free(struct conf_words *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i].word);
    free(ws->w);
    memset(ws, 0, sizeof *ws);
}

/* Device names: what the manifest and both tenders accept. */
static bool dev_name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '-';
}

/* The unikernel's name becomes a file name: dist/NAME.TARGET. */
static bool app_name_ok(const char *s)
{
    if (!isalnum((unsigned char)s[0]))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
            *s != '.')
            return false;
    return true;
}

static int parse_device(struct conf *c, enum conf_dev_kind kind,
                        char **words, int nwords, int line, char *err,
                        size_t errsize)
{
    const char *kn = conf_kind_name(kind);
    const char *name = words[1];
    int dup;

    if (nwords != 2)
        return conf_err(c, line, err, errsize, "'%s' takes one device name "
                        "('%s NAME')", kn, kn);
    if (strlen(name) > ATOLL_MFT_NAME_MAX)
        return conf_err(c, line, err, errsize, "%s device name '%.20s...' "
                        "is %zu characters long; the manifest allows at "
                        "most %d", kn, name, strlen(name),
                        ATOLL_MFT_NAME_MAX);
    for (const char *p = name; *p; p++)
        if (!dev_name_char(*p))
            return conf_err(c, line, err, errsize, "%s device name '%s' may "
                            "hold only letters, digits, '_' and '-'", kn,
                            name);
    dup = conf_find_dev(c, name);
    if (dup >= 0)
        return conf_err(c, line, err, errsize, "device name '%s' is already "
                        "declared on line %d (device names must be unique)",
                        name, c->devs[dup].line);
    if (c->ndevs == ATOLL_MFT_MAX_ENTRIES - 1)
        return conf_err(c, line, err, errsize, "more than %d devices",
                        ATOLL_MFT_MAX_ENTRIES - 1);
    c->devs[c->ndevs].kind = kind;
    snprintf(c->devs[c->ndevs].name, sizeof c->devs[c->ndevs].name, "%s",
             name);
    c->devs[c->ndevs].line = line;
    c->ndevs++;
    return 0;
}

/* Split line in place at blanks; returns the number of words (at most
 * max; more is reported as max + 1). */
static int split(char *line, char **words, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '\0')
            return n;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
               *p != '\n')
            p++;
        if (*p != '\0')
            *p++ = '\0';
    }
}

static int parse_line(struct conf *c, char *text, int line, char *err,
                      size_t errsize)
{
    enum { MAXW = 256 };
    char *words[MAXW];
    int n = split(text, words, MAXW);
    const char *key;
    struct conf_words *list = NULL;

    if (n == 0 || words[0][0] == '#')
        return 0;
    if (n > MAXW)
        return conf_err(c, line, err, errsize, "more than %d words on one "
                        "line; split them over several lines", MAXW - 1);
    key = words[0];
    if (strcmp(key, "name") == 0) {
        if (n != 2)
            return conf_err(c, line, err, errsize, "'name' takes one word "
                            "('name NAME')");
        if (c->name != NULL)
            return conf_err(c, line, err, errsize, "'name' given twice "
                            "(first on line %d)", c->name_line);
        if (!app_name_ok(words[1]) || strlen(words[1]) > CONF_NAME_MAX)
            return conf_err(c, line, err, errsize, "name '%s': use 1-%d "
                            "letters, digits, '.', '_' or '-', starting with "
                            "a letter or digit", words[1], CONF_NAME_MAX);
        c->name = xstrdup(words[1]);
        c->name_line = line;
        return 0;
    }
    if (strcmp(key, "net") == 0)
        return parse_device(c, CONF_NET, words, n, line, err, errsize);
    if (strcmp(key, "block") == 0)
        return parse_device(c, CONF_BLOCK, words, n, line, err, errsize);
    if (strcmp(key, "sources") == 0)
        list = &c->sources;
    else if (strcmp(key, "libraries") == 0)
        list = &c->libraries;
    else if (strcmp(key, "cflags") == 0)
        list = &c->cflags;
    else
        return conf_err(c, line, err, errsize, "unknown key '%s' (keys: %s)",
                        key, KEYS);
    if (n < 2)
        return conf_err(c, line, err, errsize, "'%s' needs at least one "
                        "value", key);
    for (int i = 1; i < n; i++)
        words_add(list, words[i], line);
    return 0;
}

int conf_parse(struct conf *c, const char *path, char *err, size_t errsize)
{
    FILE *f;
    char *text = NULL;
    size_t cap = 0;
    int rc = 0;

    memset(c, 0, sizeof *c);
    c->path = xstrdup(path);
    c->dir = path_dirname(path);
    f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errsize, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    for (ssize_t len; rc == 0 && (len = getline(&text, &cap, f)) >= 0;) {
        c->lines++;
        if (strlen(text) != (size_t)len)
            rc = conf_err(c, c->lines, err, errsize, "NUL byte in the line "
                          "(not a text file?)");
        else
            rc = parse_line(c, text, c->lines, err, errsize);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errsize, "%s: read error: %s", path, strerror(errno));
        rc = -1;
    }
    free(text);
    fclose(f);
    return rc;
}

static bool is_source(const char *path)
{
    const char *dot = strrchr(path_basename(path), '.');

    return dot != NULL && (strcmp(dot, ".c") == 0 || strcmp(dot, ".S") == 0);
}

static bool has_glob_chars(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* dir with glob's special characters escaped, and a trailing '/'. */
static char *glob_escape_dir(const char *dir)
{
    char *out = xmalloc(2 * strlen(dir) + 2), *o = out;

    for (const char *p = dir; *p; p++) {
        if (strchr("*?[]\\", *p) != NULL)
            *o++ = '\\';
        *o++ = *p;
    }
    *o++ = '/';
    *o = '\0';
    return out;
}

/* Add the files pattern (a path or a glob, relative to c->dir) names. */
static int add_sources(struct conf *c, const char *pattern, int line,
                       char *err, size_t errsize)
{
    bool absolute = pattern[0] == '/';
    char *prefix = absolute ? xstrdup("") : glob_escape_dir(c->dir);
    char *full = xasprintf("%s%s", prefix, pattern);
    size_t plen = absolute ? 0 : strlen(c->dir) + 1;
    glob_t g;
    int rc;

    free(prefix);
    rc = glob(full, GLOB_NOCHECK, NULL, &g);
    free(full);
    if (rc != 0) {
        globfree(&g);
        return conf_err(c, line, err, errsize, "sources '%s': cannot expand "
                        "the pattern", pattern);
    }
    size_t matched = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        const char *rel = p + plen;

        if (!is_file(p)) {
            if (has_glob_chars(pattern) && is_dir(p))
                continue;
            globfree(&g);
            if (has_glob_chars(pattern))
                return conf_err(c, line, err, errsize, "sources '%s' "
                                "matches no file", pattern);
            return conf_err(c, line, err, errsize, "source '%s' does not "
                            "exist", pattern);
        }
        if (!is_source(p)) {
            if (has_glob_chars(pattern))
                continue;
            globfree(&g);
            return conf_err(c, line, err, errsize, "source '%s' is not a C "
                            "(.c) or assembler (.S) file", pattern);
        }
        matched++;
        if (!strv_has(&c->srcs, rel))
            strv_add(&c->srcs, rel);
    }
    globfree(&g);
    if (matched == 0)
        return conf_err(c, line, err, errsize, "sources '%s' matches no .c "
                        "or .S file", pattern);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int conf_resolve(struct conf *c, const struct tree *t, char *err,
                 size_t errsize)
{
    int end = c->lines > 0 ? c->lines : 1;
    char why[CONF_ERR_SIZE];

    strv_free(&c->srcs);
    strv_free(&c->libs);
    strv_free(&c->archives);
    if (c->name == NULL)
        return conf_err(c, end, err, errsize, "no 'name' line at the end of "
                        "the file; the unikernel needs one, e.g. 'name "
                        "hello'");
    if (c->sources.n == 0) {
        /* The default: every .c file beside unikernel.conf. */
        if (add_sources(c, "*.c", end, err, errsize) != 0)
            return conf_err(c, end, err, errsize, "no 'sources' line and no "
                            "*.c file beside the file; add 'sources FILES'");
    }
    for (size_t i = 0; i < c->sources.n; i++)
        if (add_sources(c, c->sources.w[i].word, c->sources.w[i].line, err,
                        errsize) != 0)
            return -1;
    if (c->srcs.n > 1)
        qsort(c->srcs.v, c->srcs.n, sizeof *c->srcs.v, cmp_str);

    /* The libraries named, then those they need (tree_library_deps): a
     * need is reported on the line of the last library named. */
    struct strv want = {0};
    for (size_t i = 0; i < c->libraries.n; i++)
        if (!strv_has(&want, c->libraries.w[i].word))
            strv_add(&want, c->libraries.w[i].word);
    for (size_t i = 0; i < want.n; i++) {
        const char *name = want.v[i];
        char *archive;

        if (strcmp(name, "rt") == 0 || strcmp(name, "libc") == 0 ||
            strv_has(&c->libs, name))
            continue;
        archive = tree_library(t, name, why, sizeof why);
        if (archive == NULL) {
            int line = c->libraries.w[c->libraries.n - 1].line;

            for (size_t k = 0; k < c->libraries.n; k++)
                if (strcmp(c->libraries.w[k].word, name) == 0) {
                    line = c->libraries.w[k].line;
                    break;
                }
            strv_free(&want);
            return conf_err(c, line, err, errsize, "%s", why);
        }
        strv_add(&c->libs, name);
        strv_add(&c->archives, archive);
        free(archive);
        tree_library_deps(t, name, &want);
    }
    strv_free(&want);
    /* The runtime and the C library come last and always. */
    static const char *const implied[] = {"rt", "libc"};
    for (size_t i = 0; i < 2; i++) {
        char *archive = tree_library(t, implied[i], why, sizeof why);

        if (archive == NULL)
            return conf_err(c, end, err, errsize, "implied library: %s", why);
        strv_add(&c->archives, archive);
        free(archive);
    }
    return 0;
}

void conf_free(struct conf *c)
{
    free(c->path);
    free(c->dir);
    free(c->name);
    words_free(&c->sources);
    words_free(&c->libraries);
    words_free(&c->cflags);
    strv_free(&c->srcs);
    strv_free(&c->libs);
    strv_free(&c->archives);
    memset(c, 0, sizeof *c);
}
