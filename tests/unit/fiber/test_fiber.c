/*
 * Host unit tests of lib/fiber: spawn and run, yield order, a fiber's end
 * (its stack freed: LeakSanitizer would report it), wait and wake, waits
 * with deadlines on the fake platform's clock, the main program waiting,
 * stacks (alignment, their own locals, the minimum size used deep), and
 * MXCSR and the x87 control word kept per fiber across switches. Built
 * under ASan and UBSan: lib/fiber tells AddressSanitizer about each stack
 * switch (__sanitizer_start_switch_fiber), so no part is built without it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"
#include "atoll/fiber.h"

/* Letters the fibers append, in the order they ran. */
static char trail[128];
static size_t ntrail;

static void note(char c)
{
    if (ntrail < sizeof trail - 1)
        trail[ntrail++] = c;
    trail[ntrail] = '\0';
}

static void reset(void)
{
    ntrail = 0;
    trail[0] = '\0';
    t_now = 1000000000;
}

static void note_arg(void *arg)
{
    note(*(const char *)arg);
}

static const char *spawn_and_run(void)
{
    static const char a = 'a', b = 'b', c = 'c';

    T_ASSERT(atoll_fiber_count() == 0);
    T_ASSERT(atoll_fiber_spawn(note_arg, (void *)&a, 0) != NULL);
    T_ASSERT(atoll_fiber_spawn(note_arg, (void *)&b, 0) != NULL);
    T_ASSERT(atoll_fiber_spawn(note_arg, (void *)&c, 0) != NULL);
    T_ASSERT(atoll_fiber_count() == 3);
    T_ASSERT(ntrail == 0); /* none runs before the scheduler gets to it */
    atoll_fiber_run();
    if (strcmp(trail, "abc") != 0)
        T_FAILF("ran in the order '%s', want 'abc'", trail);
    T_ASSERT(atoll_fiber_count() == 0);
    return NULL;
}

/* Three turns each, yielding between them. */
static void turns(void *arg)
{
    for (int i = 0; i < 3; i++) {
        note(*(const char *)arg);
        atoll_fiber_yield();
    }
}

static const char *yield_takes_turns(void)
{
    static const char a = 'a', b = 'b';

    atoll_fiber_spawn(turns, (void *)&a, 0);
    atoll_fiber_spawn(turns, (void *)&b, 0);
    atoll_fiber_run();
    if (strcmp(trail, "ababab") != 0)
        T_FAILF("ran '%s', want 'ababab'", trail);
    return NULL;
}

/* A fiber that spawns another and ends before it runs. */
static int children;

static void child(void *arg)
{
    (void)arg;
    if (children++ == 0)
        note('c');
}

static void parent(void *arg)
{
    (void)arg;
    note('p');
    if (atoll_fiber_spawn(child, NULL, 0) == NULL)
        note('!');
    note('P');
}

static const char *end_and_spawn_from_fiber(void)
{
    children = 0;
    atoll_fiber_spawn(parent, NULL, 0);
    atoll_fiber_run();
    if (strcmp(trail, "pPc") != 0)
        T_FAILF("ran '%s', want 'pPc'", trail);
    T_ASSERT(atoll_fiber_count() == 0);
    /* Many short fibers: every stack is freed (LeakSanitizer at exit). */
    for (int i = 0; i < 200; i++)
        T_ASSERT(atoll_fiber_spawn(child, NULL, 0) != NULL);
    atoll_fiber_run();
    T_ASSERT(children == 1 + 200 && atoll_fiber_count() == 0);
    return NULL;
}

static struct atoll_fiber *sleeper;
static bool woke;

static void wait_forever(void *arg)
{
    (void)arg;
    sleeper = atoll_fiber_current();
    note('w');
    woke = atoll_fiber_wait(UINT64_MAX);
    note('W');
}

static void waker(void *arg)
{
    (void)arg;
    note('k');
    atoll_fiber_wake(sleeper);
    atoll_fiber_wake(sleeper); /* twice: nothing more */
    note('K');
}

static const char *wait_and_wake(void)
{
    woke = false;
    atoll_fiber_spawn(wait_forever, NULL, 0);
    atoll_fiber_spawn(waker, NULL, 0);
    atoll_fiber_run();
    if (strcmp(trail, "wkKW") != 0)
        T_FAILF("ran '%s', want 'wkKW'", trail);
    T_ASSERT(woke);
    /* Waking a fiber that does not wait does nothing. */
    atoll_fiber_wake(atoll_fiber_current());
    T_ASSERT(atoll_fiber_count() == 0);
    return NULL;
}

static atoll_time_t waited_until;

static void wait_5ms(void *arg)
{
    atoll_time_t deadline = atoll_clock_monotonic() + 5000000;

    (void)arg;
    woke = atoll_fiber_wait(deadline);
    waited_until = atoll_clock_monotonic();
}

static void sleep_2ms(void *arg)
{
    (void)arg;
    atoll_fiber_sleep(2000000);
    note('s');
}

static const char *deadlines(void)
{
    atoll_time_t start = t_now;

    woke = true;
    atoll_fiber_spawn(wait_5ms, NULL, 0);
    atoll_fiber_spawn(sleep_2ms, NULL, 0);
    atoll_fiber_run();
    T_ASSERT(!woke); /* the deadline came, not a wake */
    if (waited_until < start + 5000000)
        T_FAILF("woke %llu ns after the start, before the 5 ms deadline",
                (unsigned long long)(waited_until - start));
    T_ASSERT(strcmp(trail, "s") == 0);
    /* The clock moved only as far as the last deadline. */
    T_ASSERT(t_now == start + 5000000);
    return NULL;
}

static struct atoll_fiber *main_program;

static void wake_main(void *arg)
{
    (void)arg;
    note('f');
    atoll_fiber_wake(main_program);
}

/* The main program waits by running the others until it is woken. */
static const char *main_waits(void)
{
    atoll_time_t start = t_now;

    main_program = atoll_fiber_current();
    atoll_fiber_spawn(wake_main, NULL, 0);
    T_ASSERT(atoll_fiber_wait(start + 1000000000));
    T_ASSERT(strcmp(trail, "f") == 0 && t_now == start);
    /* Nobody to wake it: the deadline ends the wait. */
    T_ASSERT(!atoll_fiber_wait(start + 3000000));
    T_ASSERT(t_now == start + 3000000);
    T_ASSERT(atoll_fiber_count() == 0);
    return NULL;
}

/* ---- stacks ------------------------------------------------------------ */

static uintptr_t local_at[2];
static int misaligned;

static void where(void *arg)
{
    int *slot = arg;

    /* The ABI's alignment: %rsp is 16-byte aligned at each call, so the
     * frame pointer (pushed %rbp, built with -fno-omit-frame-pointer) is
     * too. (A local's address would not show it: ASan realigns frames.) */
    if (((uintptr_t)__builtin_frame_address(0) & 15) != 0)
        misaligned++;
    local_at[*slot] = (uintptr_t)&slot;
    atoll_fiber_yield();
    /* Still this fiber's own: the other's run did not touch it. */
    if (local_at[*slot] != (uintptr_t)&slot)
        misaligned += 100;
}

/* Recursion that uses about depth * 512 bytes of stack. */
static unsigned deep(unsigned depth)
{
    volatile unsigned char frame[480];

    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (unsigned char)(depth + i);
    if (depth == 0)
        return frame[7];
    return deep(depth - 1) + frame[depth % sizeof frame];
}

static void use_stack(void *arg)
{
    unsigned *out = arg;

    *out = deep(8); /* a few KiB of a minimum-size stack */
}

static const char *stacks(void)
{
    static int slot0 = 0, slot1 = 1;
    unsigned got = 0;

    misaligned = 0;
    atoll_fiber_spawn(where, &slot0, 0);
    atoll_fiber_spawn(where, &slot1, ATOLL_FIBER_STACK_MIN + 3);
    atoll_fiber_run();
    T_ASSERT(misaligned == 0);
    /* Each fiber has a stack of its own, at least the minimum apart. */
    uintptr_t d = local_at[0] > local_at[1] ? local_at[0] - local_at[1]
                                            : local_at[1] - local_at[0];
    if (d < ATOLL_FIBER_STACK_MIN)
        T_FAILF("locals of two fibers %zu bytes apart", (size_t)d);
    /* A size below the minimum is raised to it. */
    T_ASSERT(atoll_fiber_spawn(use_stack, &got, 1) != NULL);
    atoll_fiber_run();
    T_ASSERT(got == deep(8));
    return NULL;
}

/* ---- MXCSR and the x87 control word ------------------------------------- */

#define MXCSR_DEFAULT 0x1f80
#define FCW_DEFAULT 0x037f
#define MXCSR_DOWN 0x3f80 /* round down */
#define MXCSR_ZERO 0x7f80 /* round toward zero */
#define FCW_SINGLE 0x007f /* 24-bit precision */
#define FCW_UP 0x0b7f     /* round up */

static unsigned get_mxcsr(void)
{
    unsigned v;

    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void set_mxcsr(unsigned v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static unsigned get_fcw(void)
{
    unsigned short v;

    __asm__ volatile("fnstcw %0" : "=m"(v));
    return v;
}

static void set_fcw(unsigned v)
{
    unsigned short w = (unsigned short)v;

    __asm__ volatile("fldcw %0" : : "m"(w));
}

/* What each fiber saw: at its start and after each of its yields. */
struct modes {
    unsigned mxcsr, fcw;
    unsigned start_mxcsr, start_fcw;
    unsigned bad; /* turns on which its modes had changed */
};

static void own_modes(void *arg)
{
    struct modes *m = arg;

    m->start_mxcsr = get_mxcsr() & 0xffc0; /* control bits, no flags */
    m->start_fcw = get_fcw();
    set_mxcsr(m->mxcsr);
    set_fcw(m->fcw);
    for (int i = 0; i < 3; i++) {
        atoll_fiber_yield();
        if ((get_mxcsr() & 0xffc0) != m->mxcsr || get_fcw() != m->fcw)
            m->bad++;
    }
}

static const char *fpu_modes_per_fiber(void)
{
    struct modes a = {.mxcsr = MXCSR_DOWN, .fcw = FCW_SINGLE};
    struct modes b = {.mxcsr = MXCSR_ZERO, .fcw = FCW_UP};
    unsigned main_mxcsr = get_mxcsr(), main_fcw = get_fcw();

    atoll_fiber_spawn(own_modes, &a, 0);
    atoll_fiber_spawn(own_modes, &b, 0);
    atoll_fiber_run();
    /* A new fiber starts with the defaults, whatever ran before it. */
    T_ASSERT(a.start_mxcsr == MXCSR_DEFAULT && a.start_fcw == FCW_DEFAULT);
    T_ASSERT(b.start_mxcsr == MXCSR_DEFAULT && b.start_fcw == FCW_DEFAULT);
    if (a.bad != 0 || b.bad != 0)
        T_FAILF("modes changed across switches: %u and %u turns", a.bad,
                b.bad);
    /* The main program's own are back. */
    T_ASSERT(get_mxcsr() == main_mxcsr && get_fcw() == main_fcw);
    /* The main program's modes, changed, are not a new fiber's. */
    set_mxcsr(MXCSR_ZERO);
    set_fcw(FCW_SINGLE);
    a.bad = 0;
    atoll_fiber_spawn(own_modes, &a, 0);
    atoll_fiber_run();
    bool main_kept = (get_mxcsr() & 0xffc0) == MXCSR_ZERO &&
                     get_fcw() == FCW_SINGLE;
    set_mxcsr(main_mxcsr);
    set_fcw(main_fcw);
    T_ASSERT(main_kept);
    T_ASSERT(a.start_mxcsr == MXCSR_DEFAULT && a.start_fcw == FCW_DEFAULT);
    T_ASSERT(a.bad == 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    t_hooks(reset, NULL);
    RUN(spawn_and_run);
    RUN(yield_takes_turns);
    RUN(end_and_spawn_from_fiber);
    RUN(wait_and_wake);
    RUN(deadlines);
    RUN(main_waits);
    RUN(stacks);
    RUN(fpu_modes_per_fiber);
    return t_finish();
}
