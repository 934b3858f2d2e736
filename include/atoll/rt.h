/*
 * The Atoll runtime (lib/rt): what every unikernel gets above the platform
 * ABI — panic, logging, boot parameters, timers and the event loop. The heap
 * is behind the standard malloc family (lib/rt/malloc.c, include/atoll/heap.h).
 *
 * Boot sequence (atoll_rt_start, called by the bindings): set up the heap,
 * parse the command line into boot parameters and argv, then call
 * main(argc, argv) and exit with what it returns.
 */
#ifndef ATOLL_RT_H
#define ATOLL_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/err.h"
#include "atoll/param.h"
#include "atoll/platform.h"

/* ---- panic ------------------------------------------------------------ */

/* Print "panic: MESSAGE" on the console and abort (tender exit 255). */
_Noreturn void atoll_panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* ---- logging ---------------------------------------------------------- */

enum atoll_log_level {
    ATOLL_LOG_ERROR = 0,
    ATOLL_LOG_WARN = 1,
    ATOLL_LOG_INFO = 2,
    ATOLL_LOG_DEBUG = 3,
};

/*
 * Print "[SECONDS.MICROS] LEVEL: MESSAGE" on the console when level is at
 * or below the current level (boot parameter --log, default info). A
 * missing final newline is added.
 */
void atoll_log(enum atoll_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void atoll_vlog(enum atoll_log_level level, const char *fmt, va_list ap);

/* Whether a message at level would be printed (to skip costly formatting). */
bool atoll_log_enabled(enum atoll_log_level level);
void atoll_log_set_level(enum atoll_log_level level);

/* ---- boot parameters -------------------------------------------------- */

/* Declared with ATOLL_PARAM_INT, ATOLL_PARAM_BOOL, ATOLL_PARAM_STRING and
 * ATOLL_PARAM_STRING_CHECKED, set from the command line before main runs:
 * see atoll/param.h. */

/* The name argv[0] carries; an application may define it (weak default
 * "unikernel"). */
extern const char atoll_app_name[];

/* ---- timers ----------------------------------------------------------- */

struct atoll_timer;
typedef void (*atoll_timer_fn)(struct atoll_timer *t, void *arg);

/* Owned by the caller (often inside a larger struct); fields are private.
 * Zero-initialise before first use, or call atoll_timer_init. */
struct atoll_timer {
    atoll_time_t deadline;
    uint64_t seq;
    atoll_timer_fn fn;
    void *arg;
    struct atoll_timer *child, *sibling, *prev; /* pairing heap links */
    bool armed;
};

void atoll_timer_init(struct atoll_timer *t);

/*
 * Call fn(t, arg) from the event loop once the monotonic clock reaches
 * deadline (absolute nanoseconds). Re-arming an armed timer moves it.
 * Timers with the same deadline fire in the order they were armed.
 */
void atoll_timer_arm(struct atoll_timer *t, atoll_time_t deadline,
                     atoll_timer_fn fn, void *arg);

/* Disarm; harmless on a timer that is not armed. */
void atoll_timer_cancel(struct atoll_timer *t);

bool atoll_timer_armed(const struct atoll_timer *t);

/* ---- event loop ------------------------------------------------------- */

/* Called when an acquired net device has frames to read. */
typedef void (*atoll_io_fn)(atoll_handle_t handle, void *arg);

/* Call fn(handle, arg) whenever handle is readable. One watcher per
 * handle; watching again replaces it. 0, or ATOLL_ERR_INVAL for a handle
 * >= 64 or no fn. */
int atoll_loop_watch(atoll_handle_t handle, atoll_io_fn fn, void *arg);
void atoll_loop_unwatch(atoll_handle_t handle);

/*
 * Run expired timers and ready watchers, sleeping in atoll_yield until the
 * nearest timer deadline between rounds. Returns when atoll_loop_stop is
 * called, or when no timer is armed and nothing is watched.
 */
void atoll_loop_run(void);

/* One round: run expired timers, then wait for I/O at most until deadline
 * (or the nearest timer) and run the ready watchers. */
void atoll_loop_once(atoll_time_t deadline);

/* Make atoll_loop_run return after the current round. */
void atoll_loop_stop(void);

#endif
