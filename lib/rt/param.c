/*
 * Boot parameters: the command line split into --NAME=VALUE settings and
 * the application's argv, and the --help listing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Cut the next word out of *pos; NULL when none is left. */
static char *next_word(char **pos)
{
    char *p = *pos;
    char *w;

    while (is_space(*p))
        p++;
    if (*p == '\0')
        return NULL;
    w = p;
    while (*p != '\0' && !is_space(*p))
        p++;
    if (*p != '\0')
        *p++ = '\0';
    *pos = p;
    return w;
}

static const struct atoll_param *find(const struct atoll_param *const *params,
                                      size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(params[i]->name) == len &&
            memcmp(params[i]->name, name, len) == 0)
            return params[i];
    }
    return NULL;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Decimal, or hexadecimal after 0x; an optional sign; nothing else. */
static bool parse_int(const char *s, int64_t *out)
{
    const char *digits = s;
    char *end;
    long long v;
    int base = 10;

    if (*digits == '-' || *digits == '+')
        digits++;
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits += 2;
    }
    if (!((*digits >= '0' && *digits <= '9') ||
          (base == 16 && ((*digits >= 'a' && *digits <= 'f') ||
                          (*digits >= 'A' && *digits <= 'F')))))
        return false;
    errno = 0;
    v = strtoll(s, &end, base);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* Set p from the text value (NULL: the word had no "="). */
static bool set_value(const struct atoll_param *p, const char *value,
                      char *err, size_t errsize)
{
    const char *why;
    int64_t i;
    bool b;

    if (value == NULL && p->type != ATOLL_PTYPE_BOOL) {
        snprintf(err, errsize, "boot parameter --%s needs a value "
                 "(--%s=%s)", p->name, p->name,
                 p->metavar != NULL ? p->metavar : "...");
        return false;
    }
    switch (p->type) {
    case ATOLL_PTYPE_BOOL:
        if (value == NULL) {
            *p->u.b = true;
            return true;
        }
        if (!parse_bool(value, &b)) {
            snprintf(err, errsize, "boot parameter --%s: '%s' is not a "
                     "boolean (true or false)", p->name, value);
            return false;
        }
        *p->u.b = b;
        return true;
    case ATOLL_PTYPE_INT:
        if (!parse_int(value, &i)) {
            snprintf(err, errsize, "boot parameter --%s: '%s' is not an "
                     "integer", p->name, value);
            return false;
        }
        if (i < p->u.i.min || i > p->u.i.max) {
            snprintf(err, errsize, "boot parameter --%s: %lld is outside "
                     "%lld..%lld", p->name, (long long)i,
                     (long long)p->u.i.min, (long long)p->u.i.max);
            return false;
        }
        *p->u.i.value = i;
        return true;
    case ATOLL_PTYPE_STRING:
        why = p->u.s.check != NULL ? p->u.s.check(value) : NULL;
        if (why != NULL) {
            snprintf(err, errsize, "boot parameter --%s: '%s': %s", p->name,
                     value, why);
            return false;
        }
        *p->u.s.value = value;
        return true;
    }
    snprintf(err, errsize, "boot parameter --%s has an unknown type",
             p->name);
    return false;
}

/* Two descriptors with one name would make the command line ambiguous. */
static bool check_unique(const struct atoll_param *const *params, size_t n,
                         char *err, size_t errsize)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (strcmp(params[i]->name, params[j]->name) == 0) {
                snprintf(err, errsize, "boot parameter --%s is declared "
                         "twice", params[i]->name);
                return false;
            }
        }
    }
    return true;
}

/* A ported program's own options (--n 3) land here when given without the
 * "--" that ends the boot parameters: say so. The word is quoted at most
 * UNKNOWN_QUOTE_MAX bytes long so that the hint always fits. */
#define UNKNOWN_QUOTE_MAX 64
static void unknown_name(const char *w, char *err, size_t errsize)
{
    size_t len = strlen(w);
    int shown = len > UNKNOWN_QUOTE_MAX ? UNKNOWN_QUOTE_MAX : (int)len;

    snprintf(err, errsize, "unknown boot parameter '%.*s%s' (--help lists "
             "them; the program's own arguments go after --)", shown, w,
             len > UNKNOWN_QUOTE_MAX ? "..." : "");
}

static enum rt_parse_result parse_line(const struct atoll_param *const *params,
                                       size_t n, char *line, const char *argv0,
                                       char **argv, int argv_max, int *argc,
                                       char *err, size_t errsize)
{
    char *pos = line;
    char *w;
    bool only_args = false;
    int nargs = 0;

    err[0] = '\0';
    if (!check_unique(params, n, err, errsize))
        return RT_PARSE_ERROR;
    if (argv_max < 2) {
        snprintf(err, errsize, "no room for the argument vector");
        return RT_PARSE_ERROR;
    }
    argv[nargs++] = (char *)argv0;
    /* --help wins over everything, even malformed settings before it. */
    for (const char *p = line; *p != '\0';) {
        size_t len;

        while (is_space(*p))
            p++;
        len = strcspn(p, " \t");
        if (len == 2 && memcmp(p, "--", 2) == 0)
            break;
        if (len == 6 && memcmp(p, "--help", 6) == 0)
            return RT_PARSE_HELP;
        p += len;
    }
    while ((w = next_word(&pos)) != NULL) {
        const struct atoll_param *p;
        const char *eq;
        size_t len;

        if (only_args || strncmp(w, "--", 2) != 0) {
            if (nargs >= argv_max - 1) {
                snprintf(err, errsize, "more than %d arguments",
                         argv_max - 2);
                return RT_PARSE_ERROR;
            }
            argv[nargs++] = w;
            continue;
        }
        if (w[2] == '\0') {
            only_args = true;
            continue;
        }
        eq = strchr(w + 2, '=');
        len = eq != NULL ? (size_t)(eq - (w + 2)) : strlen(w + 2);
        p = find(params, n, w + 2, len);
        if (p == NULL) {
            unknown_name(w, err, errsize);
            return RT_PARSE_ERROR;
        }
        if (!set_value(p, eq != NULL ? eq + 1 : NULL, err, errsize))
            return RT_PARSE_ERROR;
    }
    argv[nargs] = NULL;
    *argc = nargs;
    return RT_PARSE_OK;
}

enum rt_parse_result rt_params_parse(const struct atoll_param *const *params,
                                     size_t n, char *line, const char *argv0,
                                     char **argv, int argv_max, int *argc,
                                     char *err, size_t errsize)
{
    enum rt_parse_result r = parse_line(params, n, line, argv0, argv,
                                        argv_max, argc, err, errsize);

    /* The message quotes words of the command line, which may hold any
     * byte but NUL, space and tab: keep it one printable line. */
    if (r == RT_PARSE_ERROR)
        for (char *p = err; *p != '\0'; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    return r;
}

static const char *type_name(const struct atoll_param *p)
{
    if (p->metavar != NULL)
        return p->metavar;
    switch (p->type) {
    case ATOLL_PTYPE_BOOL:
        return "BOOL";
    case ATOLL_PTYPE_INT:
        return "INT";
    case ATOLL_PTYPE_STRING:
        return "STRING";
    }
    return "?";
}

int atoll_param_format(const struct atoll_param *p, char *buf, size_t size)
{
    switch (p->type) {
    case ATOLL_PTYPE_BOOL:
        return snprintf(buf, size, "%s", *p->u.b ? "true" : "false");
    case ATOLL_PTYPE_INT:
        return snprintf(buf, size, "%lld", (long long)*p->u.i.value);
    case ATOLL_PTYPE_STRING:
        if (*p->u.s.value == NULL || (*p->u.s.value)[0] == '\0')
            return snprintf(buf, size, "none");
        return snprintf(buf, size, "%s", *p->u.s.value);
    }
    return snprintf(buf, size, "?");
}

void atoll_params_help(const struct atoll_param *const *params, size_t n,
                       atoll_line_fn emit, void *arg)
{
    const struct atoll_param *last = NULL;
    char line[512];

    emit("Boot parameters (--NAME=VALUE; words without -- and all words "
         "after -- are the program's arguments):", arg);
    snprintf(line, sizeof line, "  %-24s %s", "--help",
             "print this list and stop");
    emit(line, arg);
    /* Print in name order without sorting in place: pick the smallest name
     * after the last one printed (n is small). */
    for (size_t k = 0; k < n; k++) {
        const struct atoll_param *next = NULL;
        char left[64], def[128], range[64] = "";

        for (size_t i = 0; i < n; i++) {
            const struct atoll_param *p = params[i];

            if (last != NULL && strcmp(p->name, last->name) <= 0)
                continue;
            if (next == NULL || strcmp(p->name, next->name) < 0)
                next = p;
        }
        if (next == NULL)
            break;
        snprintf(left, sizeof left, "--%s=%s", next->name, type_name(next));
        atoll_param_format(next, def, sizeof def);
        if (next->type == ATOLL_PTYPE_INT)
            snprintf(range, sizeof range, ", %lld..%lld",
                     (long long)next->u.i.min, (long long)next->u.i.max);
        snprintf(line, sizeof line, "  %-24s %s (default: %s%s)", left,
                 next->help != NULL ? next->help : "", def, range);
        emit(line, arg);
        last = next;
    }
}
