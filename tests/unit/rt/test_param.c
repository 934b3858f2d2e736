/*
 * Host unit tests of boot-parameter parsing and the --help listing
 * (lib/rt/param.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/rt/rt_internal.h"
#include "../../lib/check.h"

static bool flag;
static int64_t port;
static const char *level;
static const char *name;

static const char *check_level(const char *v)
{
    return strcmp(v, "low") == 0 || strcmp(v, "high") == 0 ? NULL
                                                           : "not low or high";
}

static const struct atoll_param p_flag = {
    .name = "flag", .type = ATOLL_PTYPE_BOOL, .help = "a switch",
    .u.b = &flag,
};
static const struct atoll_param p_port = {
    .name = "port", .type = ATOLL_PTYPE_INT, .help = "a port",
    .u.i = {&port, 1, 65535},
};
static const struct atoll_param p_level = {
    .name = "level", .type = ATOLL_PTYPE_STRING, .help = "a level",
    .metavar = "LEVEL", .u.s = {&level, check_level},
};
static const struct atoll_param p_name = {
    .name = "name", .type = ATOLL_PTYPE_STRING, .help = "a name",
    .u.s = {&name, NULL},
};
static const struct atoll_param *const params[] = {&p_port, &p_flag,
                                                   &p_name, &p_level};
#define NPARAMS (sizeof params / sizeof params[0])

static char line[256];
static char err[256];
static char *argv[8];
static int argc;

static void reset(void)
{
    flag = false;
    port = 7;
    level = "low";
    name = NULL;
    argc = -1;
    memset(argv, 0, sizeof argv);
}

static enum rt_parse_result parse(const char *cmdline)
{
    reset();
    snprintf(line, sizeof line, "%s", cmdline);
    return rt_params_parse(params, NPARAMS, line, "app", argv, 8, &argc,
                           err, sizeof err);
}

static const char *empty_line(void)
{
    T_ASSERT(parse("") == RT_PARSE_OK);
    T_ASSERT(argc == 1 && strcmp(argv[0], "app") == 0 && argv[1] == NULL);
    T_ASSERT(port == 7 && !flag && strcmp(level, "low") == 0);
    T_ASSERT(parse("   \t  ") == RT_PARSE_OK && argc == 1);
    return NULL;
}

static const char *values_and_args(void)
{
    T_ASSERT(parse("one --port=8080 two\t--flag --level=high --name=x=y")
             == RT_PARSE_OK);
    T_ASSERT(port == 8080 && flag && strcmp(level, "high") == 0);
    T_ASSERT(strcmp(name, "x=y") == 0);
    T_ASSERT(argc == 3 && strcmp(argv[1], "one") == 0 &&
             strcmp(argv[2], "two") == 0 && argv[3] == NULL);
    return NULL;
}

static const char *double_dash_ends_params(void)
{
    T_ASSERT(parse("--port=9 -- --port=10 --help -x") == RT_PARSE_OK);
    T_ASSERT(port == 9 && argc == 4);
    T_ASSERT(strcmp(argv[1], "--port=10") == 0);
    T_ASSERT(strcmp(argv[2], "--help") == 0);
    T_ASSERT(strcmp(argv[3], "-x") == 0);
    return NULL;
}

static const char *booleans(void)
{
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    char buf[64];

    for (size_t i = 0; i < 4; i++) {
        snprintf(buf, sizeof buf, "--flag=%s", yes[i]);
        T_ASSERT(parse(buf) == RT_PARSE_OK && flag);
        snprintf(buf, sizeof buf, "--flag --flag=%s", no[i]);
        T_ASSERT(parse(buf) == RT_PARSE_OK && !flag);
    }
    T_ASSERT(parse("--flag=maybe") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "--flag") && strstr(err, "maybe"));
    T_ASSERT(parse("--flag=") == RT_PARSE_ERROR);
    return NULL;
}

static const char *integers(void)
{
    T_ASSERT(parse("--port=0x50") == RT_PARSE_OK && port == 80);
    T_ASSERT(parse("--port=+22") == RT_PARSE_OK && port == 22);
    T_ASSERT(parse("--port=65535") == RT_PARSE_OK && port == 65535);
    T_ASSERT(parse("--port=65536") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "65536 is outside 1..65535") != NULL);
    T_ASSERT(parse("--port=0") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port=-1") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port=12ab") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "'12ab' is not an integer") != NULL);
    T_ASSERT(parse("--port=") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port=0x") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port= 5") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port=99999999999999999999") == RT_PARSE_ERROR);
    T_ASSERT(parse("--port") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "needs a value") != NULL);
    return NULL;
}

static const char *strings_checked(void)
{
    T_ASSERT(parse("--level=medium") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "--level") && strstr(err, "not low or high"));
    T_ASSERT(parse("--level") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "--level=LEVEL") != NULL);
    T_ASSERT(parse("--name=") == RT_PARSE_OK && strcmp(name, "") == 0);
    return NULL;
}

static const char *unknown_names(void)
{
    T_ASSERT(parse("--no-such-parameter=1") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "unknown boot parameter '--no-such-parameter=1'"));
    /* A prefix of a real name is not that name. */
    T_ASSERT(parse("--por=1") == RT_PARSE_ERROR);
    T_ASSERT(parse("--portx=1") == RT_PARSE_ERROR);
    T_ASSERT(parse("--=1") == RT_PARSE_ERROR);
    return NULL;
}

/* A ported program's own option given before "--" is refused with a hint,
 * which a long word does not push out of the message. */
static const char *unknown_name_hint(void)
{
    char word[201];

    T_ASSERT(parse("--n 3") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "unknown boot parameter '--n' (--help lists them; "
                         "the program's own arguments go after --)") != NULL);
    T_ASSERT(parse("-- --n 3") == RT_PARSE_OK && argc == 3 &&
             strcmp(argv[1], "--n") == 0 && strcmp(argv[2], "3") == 0);
    memset(word, 'x', sizeof word - 1);
    word[0] = word[1] = '-';
    word[sizeof word - 1] = '\0';
    T_ASSERT(parse(word) == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "'--xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxxxxxxxxxxxxxx...' (") != NULL);
    T_ASSERT(strstr(err, "arguments go after --)") != NULL);
    return NULL;
}

/* Words may hold any byte but NUL, space and tab; the error quoting one
 * must still be a single printable line. */
static const char *error_is_one_line(void)
{
    static const char *const bad[] = {
        "--na\nme=1", "--port=1\r\n", "--level=\x1b[2Jx", "--flag=\x7f",
        "--port=\x01", "x\v--he\blp",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_ASSERT(parse(bad[i]) == RT_PARSE_ERROR || i == 5);
        if (i == 5) {
            /* Only space and tab separate words: "x\v--he\blp" is one. */
            T_ASSERT(argc == 2);
            continue;
        }
        T_ASSERT(err[0] != '\0');
        for (const char *p = err; *p != '\0'; p++)
            T_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
    }
    T_ASSERT(parse("--na\nme=1") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "unknown boot parameter '--na?me=1'") != NULL);
    return NULL;
}

static const char *help_wins(void)
{
    T_ASSERT(parse("--port=5 --help") == RT_PARSE_HELP);
    T_ASSERT(port == 7); /* nothing applied */
    T_ASSERT(parse("--bogus --help") == RT_PARSE_HELP);
    T_ASSERT(parse("x --help=1") == RT_PARSE_ERROR);
    return NULL;
}

static const char *too_many_args(void)
{
    T_ASSERT(parse("a b c d e f") == RT_PARSE_OK && argc == 7);
    T_ASSERT(argv[7] == NULL);
    T_ASSERT(parse("a b c d e f g") == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "more than 6 arguments") != NULL);
    return NULL;
}

/* The longest command line a tender passes (8191 bytes) holds at most
 * 4096 words; lib/rt/start.c's argv (8192 / 2 + 2 entries) takes them all
 * with argv[0] and the final NULL. */
static const char *many_words(void)
{
    enum { WORDS = 4096, ARGV_MAX = 8192 / 2 + 2 };
    static char big[2 * WORDS];
    static char *big_argv[ARGV_MAX];
    int n = -1;

    for (int i = 0; i < WORDS; i++) {
        big[2 * i] = (char)('a' + i % 26);
        big[2 * i + 1] = ' ';
    }
    big[2 * WORDS - 1] = '\0';
    T_ASSERT(strlen(big) == 8191);
    reset();
    T_ASSERT(rt_params_parse(params, NPARAMS, big, "app", big_argv, ARGV_MAX,
                             &n, err, sizeof err) == RT_PARSE_OK);
    T_ASSERT(n == WORDS + 1 && big_argv[WORDS + 1] == NULL);
    T_ASSERT(strcmp(big_argv[1], "a") == 0);
    T_ASSERT(strcmp(big_argv[WORDS], "n") == 0); /* 'a' + 4095 % 26 */
    /* One entry fewer: refused, not overrun. The parse cut the words. */
    for (int i = 0; i < WORDS; i++)
        big[2 * i + 1] = ' ';
    big[2 * WORDS - 1] = '\0';
    T_ASSERT(rt_params_parse(params, NPARAMS, big, "app", big_argv,
                             ARGV_MAX - 1, &n, err, sizeof err) ==
             RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "more than 4095 arguments") != NULL);
    return NULL;
}

static const char *duplicate_names(void)
{
    const struct atoll_param *const dup[] = {&p_port, &p_flag, &p_port};

    reset();
    snprintf(line, sizeof line, "x");
    T_ASSERT(rt_params_parse(dup, 3, line, "app", argv, 8, &argc, err,
                             sizeof err) == RT_PARSE_ERROR);
    T_ASSERT(strstr(err, "--port is declared twice") != NULL);
    return NULL;
}

static char help_text[2048];

static void collect(const char *text, void *arg)
{
    int *lines = arg;

    (*lines)++;
    strncat(help_text, text, sizeof help_text - strlen(help_text) - 2);
    strcat(help_text, "\n");
}

static const char *help_listing(void)
{
    int lines = 0;
    const char *f, *l, *n, *p;

    reset();
    port = 443;
    help_text[0] = '\0';
    atoll_params_help(params, NPARAMS, collect, &lines);
    T_ASSERT(lines == 2 + (int)NPARAMS);
    f = strstr(help_text, "--flag=BOOL");
    l = strstr(help_text, "--level=LEVEL");
    n = strstr(help_text, "--name=STRING");
    p = strstr(help_text, "--port=INT");
    T_ASSERT(f && l && n && p);
    T_ASSERT(f < l && l < n && n < p); /* sorted by name */
    T_ASSERT(strstr(help_text, "a port (default: 443, 1..65535)") != NULL);
    T_ASSERT(strstr(help_text, "a name (default: none)") != NULL);
    T_ASSERT(strstr(help_text, "a switch (default: false)") != NULL);
    return NULL;
}

static const char *format_values(void)
{
    char buf[8];

    reset();
    T_ASSERT(atoll_param_format(&p_port, buf, sizeof buf) == 1);
    T_ASSERT(strcmp(buf, "7") == 0);
    name = "a-long-value";
    T_ASSERT(atoll_param_format(&p_name, buf, sizeof buf) == 12);
    T_ASSERT(strcmp(buf, "a-long-") == 0);
    return NULL;
}

/* The one-line declarations: each defines its variable with the default
 * and a descriptor, whose address lands in the atoll_params section. */
ATOLL_PARAM_INT(m_count, "m-count", 5, -3, 9, "macro int");
ATOLL_PARAM_BOOL(m_on, "m-on", true, "macro bool");
ATOLL_PARAM_STRING(m_text, "m-text", "abc", "TEXT", "macro string");
ATOLL_PARAM_STRING_CHECKED(m_level, "m-level", "low", check_level, "LEVEL",
                           "macro checked");

extern const struct atoll_param *const __start_atoll_params[];
extern const struct atoll_param *const __stop_atoll_params[];

static const char *declared_by_macros(void)
{
    const struct atoll_param *const *list = __start_atoll_params;
    size_t n = (size_t)(__stop_atoll_params - __start_atoll_params);
    const struct atoll_param *i = &m_count_atoll_param;
    const struct atoll_param *b = &m_on_atoll_param;
    const struct atoll_param *s = &m_text_atoll_param;
    const struct atoll_param *c = &m_level_atoll_param;

    T_ASSERT(n == 4);
    T_ASSERT(m_count == 5 && m_on && strcmp(m_text, "abc") == 0 &&
             strcmp(m_level, "low") == 0);
    T_ASSERT(strcmp(i->name, "m-count") == 0 && i->type == ATOLL_PTYPE_INT &&
             strcmp(i->help, "macro int") == 0 && i->metavar == NULL &&
             i->u.i.value == &m_count && i->u.i.min == -3 &&
             i->u.i.max == 9);
    T_ASSERT(strcmp(b->name, "m-on") == 0 && b->type == ATOLL_PTYPE_BOOL &&
             strcmp(b->help, "macro bool") == 0 && b->u.b == &m_on);
    T_ASSERT(strcmp(s->name, "m-text") == 0 &&
             s->type == ATOLL_PTYPE_STRING &&
             strcmp(s->metavar, "TEXT") == 0 &&
             strcmp(s->help, "macro string") == 0 &&
             s->u.s.value == &m_text && s->u.s.check == NULL);
    T_ASSERT(strcmp(c->name, "m-level") == 0 &&
             c->type == ATOLL_PTYPE_STRING &&
             strcmp(c->metavar, "LEVEL") == 0 &&
             strcmp(c->help, "macro checked") == 0 &&
             c->u.s.value == &m_level && c->u.s.check == check_level);
    snprintf(line, sizeof line, "--m-count=-3 --m-on=false --m-text=x "
             "--m-level=high arg");
    T_ASSERT(rt_params_parse(list, n, line, "app", argv, 8, &argc, err,
                             sizeof err) == RT_PARSE_OK);
    T_ASSERT(m_count == -3 && !m_on && strcmp(m_text, "x") == 0 &&
             strcmp(m_level, "high") == 0 && argc == 2);
    snprintf(line, sizeof line, "--m-count=10");
    T_ASSERT(rt_params_parse(list, n, line, "app", argv, 8, &argc, err,
                             sizeof err) == RT_PARSE_ERROR);
    snprintf(line, sizeof line, "--m-level=mid");
    T_ASSERT(rt_params_parse(list, n, line, "app", argv, 8, &argc, err,
                             sizeof err) == RT_PARSE_ERROR);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(empty_line);
    RUN(values_and_args);
    RUN(double_dash_ends_params);
    RUN(booleans);
    RUN(integers);
    RUN(strings_checked);
    RUN(unknown_names);
    RUN(unknown_name_hint);
    RUN(error_is_one_line);
    RUN(help_wins);
    RUN(too_many_args);
    RUN(many_words);
    RUN(duplicate_names);
    RUN(help_listing);
    RUN(format_values);
    RUN(declared_by_macros);
    return t_finish();
}
