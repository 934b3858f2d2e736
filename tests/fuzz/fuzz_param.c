/*
 * libFuzzer target: arbitrary bytes as the command line of lib/rt's boot
 * parameter parser (lib/rt/param.c), then the --help listing. Besides the
 * sanitizers' checks, the result is compared with a plain re-split of the
 * same line: the application's argv must be exactly the words that are not
 * settings, every accepted value must be in range and validated, --help must
 * change nothing and list one line per parameter, and every error must be
 * one non-empty printable line.
 *
 * Input: byte 0 picks the size of argv (as little as 2 entries, to reach
 * the "too many arguments" path), the rest is the line (at most 8191
 * bytes, as a tender passes; a NUL ends it early).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/rt/rt_internal.h"

#define LINE_MAX_LEN 8191
#define ARGV_FULL (8192 / 2 + 2) /* what lib/rt/start.c gives */

static bool flag;
static int64_t num;
static const char *word;
static const char *pick;

static const char *check_pick(const char *v)
{
    return strcmp(v, "a") == 0 || strcmp(v, "bb") == 0 ? NULL : "not a or bb";
}

static const struct atoll_param p_flag = {
    .name = "flag", .type = ATOLL_PTYPE_BOOL, .help = "a switch",
    .u.b = &flag,
};
static const struct atoll_param p_num = {
    .name = "num", .type = ATOLL_PTYPE_INT, .help = "a number",
    .u.i = {&num, -5, 1000000},
};
static const struct atoll_param p_word = {
    .name = "word", .type = ATOLL_PTYPE_STRING, .help = "any word",
    .u.s = {&word, NULL},
};
static const struct atoll_param p_pick = {
    .name = "pick", .type = ATOLL_PTYPE_STRING, .help = "a or bb",
    .metavar = "CHOICE", .u.s = {&pick, check_pick},
};
static const struct atoll_param *const params[] = {&p_word, &p_flag, &p_num,
                                                   &p_pick};
#define NPARAMS (sizeof params / sizeof params[0])

static const char *const default_word = "dflt";
static const char *const default_pick = "a";

static char line[LINE_MAX_LEN + 1];
static char orig[LINE_MAX_LEN + 1];
static char *argv[ARGV_FULL];

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void check_err(const char *err, size_t size)
{
    if (memchr(err, '\0', size) == NULL || err[0] == '\0')
        abort();
    for (const char *p = err; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort();
}

/* The words of orig that must end up in argv (after argv[0]), in order,
 * compared one by one with argv[1..argc). */
static void check_argv(int argc)
{
    const char *p = orig;
    bool only_args = false;
    int k = 1;

    for (;;) {
        size_t len;

        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        len = strcspn(p, " \t");
        if (!only_args && len == 2 && memcmp(p, "--", 2) == 0) {
            only_args = true;
        } else if (only_args || len < 2 || memcmp(p, "--", 2) != 0) {
            if (k >= argc || strlen(argv[k]) != len ||
                memcmp(argv[k], p, len) != 0)
                abort();
            /* argv points into the line it was given. */
            if (argv[k] < line || argv[k] >= line + sizeof line)
                abort();
            k++;
        }
        p += len;
    }
    if (k != argc || argv[argc] != NULL)
        abort();
}

static void emit(const char *text, void *arg)
{
    size_t *lines = arg;

    if (strlen(text) >= 512 || strchr(text, '\n') != NULL)
        abort();
    (*lines)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    int argv_max, argc = -1;
    size_t n, lines = 0;
    enum rt_parse_result r;

    if (size == 0)
        return 0;
    argv_max = data[0] < 0x80 ? 2 + data[0] % 16 : ARGV_FULL;
    data++;
    size--;
    n = size < LINE_MAX_LEN ? size : LINE_MAX_LEN;
    memcpy(line, data, n);
    line[n] = '\0';
    memcpy(orig, line, n + 1);

    flag = false;
    num = 7;
    word = default_word;
    pick = default_pick;
    memset(argv, 0xa5, sizeof argv);
    r = rt_params_parse(params, NPARAMS, line, "app", argv, argv_max, &argc,
                        err, sizeof err);
    switch (r) {
    case RT_PARSE_OK:
        if (argc < 1 || argc > argv_max - 1 || strcmp(argv[0], "app") != 0)
            abort();
        check_argv(argc);
        if (num < -5 || num > 1000000)
            abort();
        if (word != default_word &&
            (word < line || word >= line + sizeof line))
            abort();
        if (pick != default_pick && check_pick(pick) != NULL)
            abort();
        break;
    case RT_PARSE_HELP:
        if (flag || num != 7 || word != default_word || pick != default_pick)
            abort();
        break;
    case RT_PARSE_ERROR:
        check_err(err, sizeof err);
        break;
    default:
        abort();
    }
    /* As at boot: --help lists the defaults (the values are unchanged). */
    if (r != RT_PARSE_HELP)
        return 0;
    atoll_params_help(params, NPARAMS, emit, &lines);
    if (lines != NPARAMS + 2)
        abort();
    return 0;
}
