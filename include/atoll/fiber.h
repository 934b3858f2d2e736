/*
 * lib/fiber: fibers, small coroutines with their own stacks, scheduled
 * cooperatively on the one vCPU together with the runtime's event loop.
 * A fiber runs until it waits (for an event, a deadline, or another
 * fiber's turn); then the next ready fiber runs, and when none is ready
 * the event loop does, which makes fibers ready again. Code in a fiber
 * reads like blocking code: lib/net's blocking calls are built on this.
 *
 * The main program is a fiber too (the one atoll_fiber_current returns
 * before any other runs): when it waits, the event loop and the other
 * fibers run until it is woken.
 *
 * Stacks come from the heap; the platform ABI has no page protection, so
 * there are no guard pages: a canary at the bottom of each stack is
 * checked at every switch and a fiber that overran it stops the
 * unikernel with a panic. Handlers and timer callbacks must not wait.
 */
#ifndef ATOLL_FIBER_H
#define ATOLL_FIBER_H

#include <stdbool.h>
#include <stddef.h>

#include "atoll/platform.h"

struct atoll_fiber;
typedef void (*atoll_fiber_fn)(void *arg);

#define ATOLL_FIBER_STACK_DEFAULT (64 * 1024)
#define ATOLL_FIBER_STACK_MIN (8 * 1024)

/* Start fn(arg) in a new fiber with a stack of stack_size bytes (0: the
 * default; at least ATOLL_FIBER_STACK_MIN). It first runs when the
 * scheduler gets to it; it ends when fn returns, and is freed then. NULL
 * if out of memory. */
struct atoll_fiber *atoll_fiber_spawn(atoll_fiber_fn fn, void *arg,
                                      size_t stack_size);

/* The fiber running now (the main program's when no other is). */
struct atoll_fiber *atoll_fiber_current(void);

/* Let the other ready fibers run and the event loop poll, then
 * continue. */
void atoll_fiber_yield(void);

/* Wait until atoll_fiber_wake or the monotonic clock reaches deadline
 * (UINT64_MAX: no deadline). True if woken, false at the deadline. Wakes
 * may be spurious: callers check what they wait for and wait again. */
bool atoll_fiber_wait(atoll_time_t deadline);

/* Make a waiting fiber ready; nothing if it is not waiting. Allowed from
 * anywhere: other fibers, handlers, timer callbacks. */
void atoll_fiber_wake(struct atoll_fiber *f);

/* Wait ns nanoseconds. */
void atoll_fiber_sleep(atoll_time_t ns);

/* Run fibers and the event loop until every spawned fiber has ended. */
void atoll_fiber_run(void);

/* Fibers spawned and not yet ended. */
size_t atoll_fiber_count(void);

#endif
