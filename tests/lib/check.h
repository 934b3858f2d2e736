/*
 * The C test harness of every host test program: named cases, checks, a
 * filter to run some cases only, and the PASS:/FAIL:/SKIP: lines that
 * tests/run.sh counts.
 *
 * A program's cases are picked by the names on its command line
 * (t_init), else by TEST_FILTER (names separated by spaces or commas);
 * a name ending in '*' picks every case starting with the rest. With
 * neither, every case runs.
 *
 * Three ways to write a case, one report:
 *   RUN(fn)          fn returns NULL on success or a reason (T_ASSERT,
 *                    T_FAILF, T_CHECK); an unpicked fn is not called.
 *   t_case(name)     starts a case checked by t_ok/t_int/... until the
 *                    next t_case; it passes unless a check failed. An
 *                    unpicked case still runs but reports nothing (it
 *                    returns 0 so that a body may return at once).
 *   t_check(name, cond, why)  a one-line case.
 *
 * Built with the host's headers (check.c), this header uses no library
 * type, so tests compiled against Atoll's own libc headers include it too.
 */
#ifndef ATOLL_TESTS_CHECK_H
#define ATOLL_TESTS_CHECK_H

#define T_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))
#define T_STR2(x) #x
#define T_STR(x) T_STR2(x)

/* Take the case names given to the program (argv[1..]); optional. */
void t_init(int argc, char **argv);
/* Whether the filter picks the case name. */
int t_picked(const char *name);
/* The exit status for main: 1 if any check failed, else 0. */
int t_finish(void);

/* ---- cases that return a reason ---------------------------------------- */

/* The reason of a failed T_FAILF or T_CHECK; t_line is the line of the
 * last T_CHECK. */
extern char t_why[512];
extern int t_line;

/* Run fn as the case name: its PASS:/FAIL: line. */
void t_run_case(const char *name, const char *(*fn)(void));
#define RUN(fn) t_run_case(#fn, fn)
/* Called before and after each RUN case (either may be NULL). */
void t_hooks(void (*before)(void), void (*after)(void));

/* Format a reason into t_why (the arguments may point into t_why). */
const char *t_whyf(const char *fmt, ...) T_PRINTF(1, 2);

/* Fail the current case when cond is false. */
#define T_ASSERT(cond)                                                     \
    do {                                                                   \
        if (!(cond))                                                       \
            return "line " T_STR(__LINE__) ": " #cond;                     \
    } while (0)

/* Fail with a formatted reason. */
#define T_FAILF(...) return t_whyf("line " T_STR(__LINE__) ": " __VA_ARGS__)

/* Fail with the reason of a helper that returned one. */
#define T_CHECK(expr)                                                      \
    do {                                                                   \
        t_line = __LINE__;                                                 \
        const char *why_c_ = (expr);                                       \
        if (why_c_ != 0)                                                   \
            return t_whyf("line %d: %s", __LINE__, why_c_);                \
    } while (0)

/* ---- cases made of checks ---------------------------------------------- */

/* Start a case (ends the one before); returns whether it is picked. */
int t_case(const char *name);
/* Record a failure of the current case unless cond holds; returns cond. */
int t_ok(int cond, const char *fmt, ...) T_PRINTF(2, 3);
int t_str(const char *got, const char *want, const char *what);
/* got/want byte strings that may hold NULs. */
int t_mem(const void *got, unsigned long glen, const void *want,
          unsigned long wlen, const char *what);
int t_int(long long got, long long want, const char *what);
int t_uint(unsigned long long got, unsigned long long want, const char *what);

/* ---- one-line cases ---------------------------------------------------- */

/* A case of its own: PASS if cond, else FAIL with why. */
void t_check(const char *name, int cond, const char *why);
/* A call that returned rc with the message err must have failed (-1)
 * with a one-line, non-empty message containing keyword. With
 * TEST_VERBOSE set the message is printed as a comment. */
void t_check_err(const char *name, int rc, const char *err,
                 const char *keyword);
void t_skip(const char *name, const char *why);

/* ---- helpers ----------------------------------------------------------- */

/* A deterministic pseudo-random generator (xorshift64*) over *state
 * (never 0), and one over a state of its own. */
unsigned long long t_rand_next(unsigned long long *state);
unsigned long long t_rand(void);

#endif
