/*
 * The C test harness of check.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MAX_FAILS_SHOWN 12

char t_why[512];
int t_line;

static int argc_;
static char **argv_;
static int failed;
static void (*before_)(void), (*after_)(void);

void t_init(int argc, char **argv)
{
    argc_ = argc;
    argv_ = argv;
}

/* pattern picks name: equal, or a prefix of it when ending in '*'. */
static int matches(const char *pattern, size_t plen, const char *name)
{
    if (plen > 0 && pattern[plen - 1] == '*')
        return strncmp(pattern, name, plen - 1) == 0;
    return strlen(name) == plen && strncmp(pattern, name, plen) == 0;
}

int t_picked(const char *name)
{
    const char *f = getenv("TEST_FILTER");

    if (argc_ > 1) {
        for (int i = 1; i < argc_; i++)
            if (matches(argv_[i], strlen(argv_[i]), name))
                return 1;
        return 0;
    }
    if (f == NULL || f[strspn(f, " ,")] == '\0')
        return 1;
    while (*f != '\0') {
        size_t n;

        f += strspn(f, " ,");
        n = strcspn(f, " ,");
        if (n > 0 && matches(f, n, name))
            return 1;
        f += n;
    }
    return 0;
}

static void report(const char *name, const char *why)
{
    if (why == NULL) {
        printf("PASS: %s\n", name);
    } else {
        printf("FAIL: %s: %s\n", name, why);
        failed = 1;
    }
    fflush(stdout);
}

/* ---- cases that return a reason ---------------------------------------- */

void t_hooks(void (*before)(void), void (*after)(void))
{
    before_ = before;
    after_ = after;
}

void t_run_case(const char *name, const char *(*fn)(void))
{
    const char *why;

    if (!t_picked(name))
        return;
    t_why[0] = '\0';
    if (before_ != NULL)
        before_();
    why = fn();
    if (after_ != NULL)
        after_();
    report(name, why);
}

const char *t_whyf(const char *fmt, ...)
{
    char tmp[sizeof t_why];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    memcpy(t_why, tmp, sizeof t_why);
    return t_why;
}

/* ---- cases made of checks ---------------------------------------------- */

static const char *current;
static int current_picked, case_fails;

static void end_case(void)
{
    if (current != NULL && current_picked && case_fails == 0)
        report(current, NULL);
    current = NULL;
    case_fails = 0;
}

int t_case(const char *name)
{
    end_case();
    current = name;
    current_picked = t_picked(name);
    return current_picked;
}

static void fail(const char *fmt, va_list ap)
{
    if (current != NULL && !current_picked)
        return;
    case_fails++;
    failed = 1;
    if (case_fails > MAX_FAILS_SHOWN)
        return;
    printf("FAIL: %s: ", current != NULL ? current : "(no case)");
    vprintf(fmt, ap);
    if (case_fails == MAX_FAILS_SHOWN)
        printf(" (further failures of this case not shown)");
    printf("\n");
    fflush(stdout);
}

int t_ok(int cond, const char *fmt, ...)
{
    va_list ap;

    if (cond)
        return 1;
    va_start(ap, fmt);
    fail(fmt, ap);
    va_end(ap);
    return 0;
}

int t_str(const char *got, const char *want, const char *what)
{
    if (got == NULL || want == NULL)
        return t_ok(got == want, "%s: got %s, want %s", what,
                    got ? got : "NULL", want ? want : "NULL");
    return t_ok(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", what,
                got, want);
}

int t_mem(const void *got, unsigned long glen, const void *want,
          unsigned long wlen, const char *what)
{
    return t_ok(glen == wlen && memcmp(got, want, glen) == 0,
                "%s: got %lu bytes \"%.*s\", want %lu bytes \"%.*s\"", what,
                glen, (int)glen, (const char *)got, wlen, (int)wlen,
                (const char *)want);
}

int t_int(long long got, long long want, const char *what)
{
    return t_ok(got == want, "%s: got %lld, want %lld", what, got, want);
}

int t_uint(unsigned long long got, unsigned long long want, const char *what)
{
    return t_ok(got == want, "%s: got %llu, want %llu", what, got, want);
}

int t_finish(void)
{
    end_case();
    return failed;
}

/* ---- one-line cases ---------------------------------------------------- */

void t_check(const char *name, int cond, const char *why)
{
    if (t_picked(name))
        report(name, cond ? NULL : why);
}

void t_check_err(const char *name, int rc, const char *err,
                 const char *keyword)
{
    char why[400];

    if (rc == 0)
        snprintf(why, sizeof why, "accepted, expected an error with '%s'",
                 keyword);
    else
        snprintf(why, sizeof why, "message '%s' lacks '%s'", err, keyword);
    if (getenv("TEST_VERBOSE") != NULL)
        printf("  # %s\n", err);
    t_check(name, rc == -1 && strstr(err, keyword) != NULL &&
                      strchr(err, '\n') == NULL && err[0] != '\0',
            why);
}

void t_skip(const char *name, const char *why)
{
    if (!t_picked(name))
        return;
    printf("SKIP: %s: %s\n", name, why);
    fflush(stdout);
}

/* ---- helpers ----------------------------------------------------------- */

unsigned long long t_rand_next(unsigned long long *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

unsigned long long t_rand(void)
{
    static unsigned long long s = 0x9E3779B97F4A7C15ULL;

    return t_rand_next(&s);
}
