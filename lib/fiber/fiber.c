/*
 * Fibers: stacks, the run queue, waiting with deadlines, and the loop
 * that runs fibers between rounds of the runtime's event loop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/fiber.h"
#include "atoll/rt.h"

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif

#ifdef FIBER_ASAN
/* AddressSanitizer must be told when the stack changes. */
void __sanitizer_start_switch_fiber(void **fake_stack_save,
                                    const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
                                     const void **bottom_old,
                                     size_t *size_old);
#endif

void atoll_fiber_switch(void **save_sp, void *next_sp);
void atoll_fiber_start(void);

/*
 * A switch frame (switch.S): MXCSR, the x87 control word and 2 bytes of
 * padding, six callee-saved registers, the return address. In a new
 * fiber's first frame they hold the default control word and MXCSR (what
 * the bindings set at boot), %rbx = fiber_entry, and the return address
 * is atoll_fiber_start.
 */
#define FIBER_FRAME_FPU 8
#define FIBER_FRAME_REGS 6
#define FRAME_MXCSR 0 /* offsets in the frame's first 8 bytes */
#define FRAME_FCW 4
#define FCW_DEFAULT 0x037f /* 64-bit precision, round to nearest, masked */
#define MXCSR_DEFAULT 0x1f80 /* round to nearest, exceptions masked */

enum fiber_state { F_READY, F_RUNNING, F_WAITING, F_DONE };

#define CANARY_WORDS 8

struct atoll_fiber {
    void *sp;
    uint8_t *stack; /* NULL for the main program */
    size_t size;
    atoll_fiber_fn fn;
    void *arg;
    enum fiber_state state;
    bool woken;
    struct atoll_fiber *next; /* run queue */
    struct atoll_timer timer;
#ifdef FIBER_ASAN
    void *fake_stack;
    const void *asan_bottom; /* the main program's: learnt at its first */
    size_t asan_size;        /* switch to a fiber */
#endif
};

static struct atoll_fiber main_fiber = {.state = F_RUNNING};
static struct atoll_fiber *current = &main_fiber;
static struct atoll_fiber *runq, *runq_tail;
static struct atoll_fiber *zombie; /* ended; freed off its own stack */
static size_t alive;
static uint64_t canary_value;
static struct atoll_timer kick;
#ifdef FIBER_ASAN
static struct atoll_fiber *switched_from;

static void asan_arrived(void *fake_stack)
{
    const void *bottom;
    size_t size;

    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (switched_from == &main_fiber && main_fiber.asan_bottom == NULL) {
        main_fiber.asan_bottom = bottom;
        main_fiber.asan_size = size;
    }
}
#endif

static void push(struct atoll_fiber *f)
{
    f->next = NULL;
    if (runq_tail != NULL)
        runq_tail->next = f;
    else
        runq = f;
    runq_tail = f;
}

static struct atoll_fiber *pop(void)
{
    struct atoll_fiber *f = runq;

    if (f != NULL) {
        runq = f->next;
        if (runq == NULL)
            runq_tail = NULL;
        f->next = NULL;
    }
    return f;
}

static void canary_check(const struct atoll_fiber *f)
{
    const uint64_t *w = (const uint64_t *)f->stack;

    for (int i = 0; i < CANARY_WORDS; i++)
        if (w[i] != canary_value)
            atoll_panic("fiber %p overflowed its stack of %zu bytes",
                        (const void *)f, f->size);
}

static void reap(void)
{
    if (zombie != NULL && zombie != current) {
        free(zombie->stack); /* the fiber's struct lives in it too */
        zombie = NULL;
    }
}

/* Switch from the current fiber to next. */
static void switch_to(struct atoll_fiber *next)
{
    struct atoll_fiber *prev = current;

    if (prev->stack != NULL && prev->state != F_DONE)
        canary_check(prev);
    current = next;
    next->state = F_RUNNING;
#ifdef FIBER_ASAN
    switched_from = prev;
    __sanitizer_start_switch_fiber(prev->state == F_DONE ? NULL
                                                         : &prev->fake_stack,
                                   next->asan_bottom, next->asan_size);
#endif
    atoll_fiber_switch(&prev->sp, next->sp);
#ifdef FIBER_ASAN
    asan_arrived(prev->fake_stack);
#endif
    reap();
}

/* The current fiber stops running: the next ready one runs, or the main
 * program (which runs the event loop) when none is. */
static void schedule(void)
{
    struct atoll_fiber *next = pop();

    if (next == NULL)
        next = &main_fiber;
    if (next != current)
        switch_to(next);
}

static void fiber_entry(void)
{
    struct atoll_fiber *self = current;

#ifdef FIBER_ASAN
    asan_arrived(NULL);
#endif
    reap();
    self->fn(self->arg);
    atoll_timer_cancel(&self->timer);
    self->state = F_DONE;
    alive--;
    zombie = self;
    schedule();
    atoll_panic("fiber: an ended fiber ran again");
}

struct atoll_fiber *atoll_fiber_spawn(atoll_fiber_fn fn, void *arg,
                                      size_t stack_size)
{
    struct atoll_fiber *f;
    uintptr_t top;
    void **sp;

    if (stack_size == 0)
        stack_size = ATOLL_FIBER_STACK_DEFAULT;
    if (stack_size < ATOLL_FIBER_STACK_MIN)
        stack_size = ATOLL_FIBER_STACK_MIN;
    stack_size = (stack_size + 15) & ~(size_t)15;
    /* One block: the canary at the bottom, the stack, the fiber's own
     * struct at the top, where a stack growing down past its end cannot
     * reach it. */
    uint8_t *block = malloc(stack_size + ((sizeof *f + 15) & ~(size_t)15));
    if (block == NULL)
        return NULL;
    f = (struct atoll_fiber *)(block + stack_size);
    memset(f, 0, sizeof *f);
    f->stack = block;
    if (canary_value == 0) {
        atoll_entropy(&canary_value, sizeof canary_value);
        canary_value |= 1;
    }
    for (int i = 0; i < CANARY_WORDS; i++)
        ((uint64_t *)f->stack)[i] = canary_value;
    f->size = stack_size;
#ifdef FIBER_ASAN
    f->asan_bottom = f->stack;
    f->asan_size = stack_size;
#endif
    f->fn = fn;
    f->arg = arg;
    atoll_timer_init(&f->timer);
    /* The first switch restores the frame built here and returns into
     * atoll_fiber_start (with the stack 16-byte aligned), which calls
     * fiber_entry (from %rbx). */
    top = ((uintptr_t)f->stack + stack_size) & ~(uintptr_t)15;
    sp = (void **)top;
    *--sp = (void *)(uintptr_t)atoll_fiber_start;
    *--sp = NULL;                             /* %rbp: ends backtraces */
    *--sp = (void *)(uintptr_t)fiber_entry; /* %rbx */
    for (int i = 2; i < FIBER_FRAME_REGS; i++)
        *--sp = NULL;
    uint8_t *fpu = (uint8_t *)sp - FIBER_FRAME_FPU;
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memset(fpu, 0, FIBER_FRAME_FPU);
    memcpy(fpu + FRAME_FCW, &fcw, sizeof fcw);
    memcpy(fpu + FRAME_MXCSR, &mxcsr, sizeof mxcsr);
    f->sp = fpu;
    f->state = F_READY;
    alive++;
    push(f);
    return f;
}

struct atoll_fiber *atoll_fiber_current(void)
{
    return current;
}

size_t atoll_fiber_count(void)
{
    return alive;
}

/* One round: run the fibers that are ready now (those made ready
 * meanwhile wait for the next round, after the event loop has had a
 * turn); from the main program only. */
static void run_ready(void)
{
    struct atoll_fiber *f, *last = runq_tail;

    while (last != NULL && (f = pop()) != NULL) {
        switch_to(f);
        if (f == last)
            break;
    }
}

static void kick_fn(struct atoll_timer *t, void *arg)
{
    (void)t;
    (void)arg;
}

void atoll_fiber_wake(struct atoll_fiber *f)
{
    if (f->state != F_WAITING)
        return;
    f->woken = true;
    f->state = F_READY;
    if (f != &main_fiber)
        push(f);
    /* Woken from a timer callback, the loop would otherwise sleep until
     * its next deadline before the fiber could run: an expired timer
     * makes it poll instead. */
    if (!atoll_timer_armed(&kick))
        atoll_timer_arm(&kick, 0, kick_fn, NULL);
}

static void deadline_fn(struct atoll_timer *t, void *arg)
{
    struct atoll_fiber *f = arg;

    (void)t;
    if (f->state != F_WAITING)
        return;
    f->state = F_READY;
    if (f != &main_fiber)
        push(f);
    if (!atoll_timer_armed(&kick))
        atoll_timer_arm(&kick, 0, kick_fn, NULL);
}

bool atoll_fiber_wait(atoll_time_t deadline)
{
    struct atoll_fiber *self = current;

    self->woken = false;
    self->state = F_WAITING;
    if (deadline != UINT64_MAX)
        atoll_timer_arm(&self->timer, deadline, deadline_fn, self);
    if (self != &main_fiber) {
        schedule();
    } else {
        /* The main program waits by running everything else. */
        for (;;) {
            run_ready();
            if (main_fiber.state != F_WAITING)
                break;
            /* Fibers still ready: poll, do not sleep. */
            atoll_loop_once(runq != NULL ? 0 : deadline);
        }
        main_fiber.state = F_RUNNING;
    }
    atoll_timer_cancel(&self->timer);
    return self->woken;
}

void atoll_fiber_yield(void)
{
    if (current == &main_fiber) {
        run_ready();
        return;
    }
    /* Back to the main program: the other ready fibers run, and the event
     * loop polls, before this one continues. */
    current->state = F_READY;
    push(current);
    switch_to(&main_fiber);
}

void atoll_fiber_sleep(atoll_time_t ns)
{
    atoll_time_t now = atoll_clock_monotonic();
    atoll_time_t deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;

    while (atoll_clock_monotonic() < deadline)
        atoll_fiber_wait(deadline);
}

void atoll_fiber_run(void)
{
    while (alive > 0) {
        run_ready();
        if (alive == 0)
            break;
        atoll_loop_once(runq != NULL ? 0 : UINT64_MAX);
    }
    reap();
}
