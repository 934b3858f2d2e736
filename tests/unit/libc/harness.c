/*
 * Host side of the libc unit tests: the PASS/FAIL protocol and the
 * platform ABI functions libc calls (console, clocks, exit, abort), which
 * here record what happened instead of stopping the program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/platform.h>

#include "t.h"

#define MAX_FAILS_SHOWN 12

static const char *current;
static int case_fails, total_fails;

static void end_case(void)
{
    if (current != NULL && case_fails == 0)
        printf("PASS: %s\n", current);
    current = NULL;
    case_fails = 0;
}

void t_case(const char *name)
{
    end_case();
    current = name;
}

static void fail(const char *fmt, va_list ap)
{
    case_fails++;
    total_fails++;
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
    return total_fails != 0;
}

/* ---- console -------------------------------------------------------- */

static char *cap;
static size_t cap_len, cap_size;
static int capturing, cap_calls;

void t_capture_start(void)
{
    capturing = 1;
    cap_len = 0;
    cap_calls = 0;
}

void t_capture_stop(void)
{
    capturing = 0;
}

const char *t_captured(unsigned long *len)
{
    if (cap == NULL) {
        cap_size = 64;
        cap = malloc(cap_size);
        if (cap == NULL)
            abort();
    }
    cap[cap_len] = '\0';
    if (len != NULL)
        *len = cap_len;
    return cap;
}

int t_console_calls(void)
{
    return cap_calls;
}

void atoll_console_write(const char *buf, size_t len)
{
    if (!capturing) {
        /* Not expected by any test: show it, marked, on stderr. */
        fprintf(stderr, "[console] %.*s", (int)len, buf);
        return;
    }
    cap_calls++;
    if (cap == NULL || cap_len + len + 1 > cap_size) {
        size_t size = cap_size ? cap_size : 64;
        while (cap_len + len + 1 > size)
            size *= 2;
        cap = realloc(cap, size);
        if (cap == NULL)
            abort();
        cap_size = size;
    }
    memcpy(cap + cap_len, buf, len);
    cap_len += len;
}

/* ---- clocks --------------------------------------------------------- */

static atoll_time_t wall_ns, mono_ns;

void t_set_clocks(unsigned long long wall, unsigned long long mono)
{
    wall_ns = wall;
    mono_ns = mono;
}

unsigned long long t_mono(void)
{
    return mono_ns;
}

atoll_time_t atoll_clock_wall(void)
{
    return wall_ns;
}

atoll_time_t atoll_clock_monotonic(void)
{
    return mono_ns;
}

static atoll_time_t yield_step;
static int yield_calls;

void t_set_yield_step(unsigned long long step)
{
    yield_step = step;
    yield_calls = 0;
}

int t_yield_calls(void)
{
    return yield_calls;
}

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    yield_calls++;
    if (ready != NULL)
        *ready = 0;
    if (deadline <= mono_ns)
        return;
    if (yield_step != 0 && deadline - mono_ns > yield_step)
        mono_ns += yield_step;
    else
        mono_ns = deadline;
}

/* ---- entropy -------------------------------------------------------- */

static unsigned char entropy_first = 0x5a;
static int entropy_calls;

void t_set_entropy(unsigned char first)
{
    entropy_first = first;
    entropy_calls = 0;
}

int t_entropy_calls(void)
{
    return entropy_calls;
}

void atoll_entropy(void *buf, size_t len)
{
    unsigned char *p = buf;

    entropy_calls++;
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(entropy_first + i);
}

/* ---- exit and abort ------------------------------------------------- */

static jmp_buf catcher;
static int catching, exit_status;

int t_catch(void (*fn)(void *), void *arg, int *status)
{
    int how;

    catching = 1;
    how = setjmp(catcher);
    if (how == 0)
        fn(arg);
    catching = 0;
    if (how == 1 && status != NULL)
        *status = exit_status;
    return how;
}

_Noreturn void atoll_exit(int status)
{
    if (!catching) {
        fprintf(stderr, "atoll_exit(%d) outside t_catch\n", status);
        exit(99);
    }
    exit_status = status;
    longjmp(catcher, 1);
}

_Noreturn void atoll_abort(void)
{
    if (!catching) {
        fprintf(stderr, "atoll_abort() outside t_catch\n");
        exit(98);
    }
    longjmp(catcher, 2);
}

/* ---- random --------------------------------------------------------- */

unsigned long long t_rand(void)
{
    static unsigned long long s = 0x9E3779B97F4A7C15ULL;

    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1DULL;
}
