/*
 * The fake platform of fake.h.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"

/* ---- clocks ----------------------------------------------------------- */

atoll_time_t t_now;
static atoll_time_t wall_ns;

void t_set_clocks(unsigned long long wall, unsigned long long mono)
{
    wall_ns = wall;
    t_now = mono;
}

unsigned long long t_mono(void)
{
    return t_now;
}

atoll_time_t atoll_clock_wall(void)
{
    return wall_ns;
}

atoll_time_t atoll_clock_monotonic(void)
{
    return t_now;
}

/* ---- yield ------------------------------------------------------------ */

static atoll_time_t yield_step;
static int yield_calls;
static void (*yield_fn)(atoll_time_t, atoll_handle_set_t *);

void t_set_yield_step(unsigned long long step)
{
    yield_step = step;
    yield_calls = 0;
}

int t_yield_calls(void)
{
    return yield_calls;
}

void t_set_yield(void (*fn)(atoll_time_t deadline, atoll_handle_set_t *ready))
{
    yield_fn = fn;
}

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    yield_calls++;
    if (yield_fn != NULL) {
        yield_fn(deadline, ready);
        return;
    }
    if (ready != NULL)
        *ready = 0;
    if (deadline <= t_now)
        return;
    if (deadline == UINT64_MAX) {
        /* No device here can end such a wait: the test would hang. */
        fprintf(stderr, "atoll_yield: a wait with no deadline, and "
                        "nothing will ever happen\n");
        abort();
    }
    if (yield_step != 0 && deadline - t_now > yield_step)
        t_now += yield_step;
    else
        t_now = deadline;
}

/* ---- entropy ---------------------------------------------------------- */

static unsigned long long entropy_state = 0x1234567;
static int entropy_pattern, entropy_calls;
static unsigned char entropy_first;

void t_seed_entropy(unsigned long long seed)
{
    entropy_state = seed;
    entropy_pattern = 0;
    entropy_calls = 0;
}

void t_set_entropy(unsigned char first)
{
    entropy_first = first;
    entropy_pattern = 1;
    entropy_calls = 0;
}

int t_entropy_calls(void)
{
    return entropy_calls;
}

void atoll_entropy(void *buf, size_t len)
{
    unsigned char *b = buf;

    entropy_calls++;
    for (size_t i = 0; i < len; i++) {
        if (entropy_pattern) {
            b[i] = (unsigned char)(entropy_first + i);
            continue;
        }
        entropy_state = entropy_state * 6364136223846793005ull +
                        1442695040888963407ull;
        b[i] = (unsigned char)(entropy_state >> 56);
    }
}

/* ---- console ---------------------------------------------------------- */

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

/* Room for len more bytes and a NUL. */
static void cap_reserve(size_t len)
{
    size_t size = cap_size ? cap_size : 64;

    if (cap != NULL && cap_len + len + 1 <= cap_size)
        return;
    while (cap_len + len + 1 > size)
        size *= 2;
    cap = realloc(cap, size);
    if (cap == NULL)
        abort();
    cap_size = size;
}

const char *t_captured(unsigned long *len)
{
    cap_reserve(0);
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
    cap_reserve(len);
    memcpy(cap + cap_len, buf, len);
    cap_len += len;
}

/* ---- exit and abort --------------------------------------------------- */

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
