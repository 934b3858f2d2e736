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

/*
 * A boot parameter is a typed key given on the command line as
 * --NAME=VALUE (a bool also as --NAME, meaning true). Each one is declared
 * with ATOLL_PARAM, which puts a pointer to its descriptor in the
 * atoll_params section; the runtime finds them all there at boot:
 *
 *   static int64_t port = 7;
 *   static const struct atoll_param port_param = {
 *       .name = "port", .type = ATOLL_PARAM_INT, .help = "TCP port",
 *       .u.i = {&port, 1, 65535},
 *   };
 *   ATOLL_PARAM(port_param);
 *
 * The variable's value before boot is the default. --help lists every
 * parameter and exits 0; an unknown name, a malformed value or one out of
 * range prints one line and exits with status 2 before main runs.
 * Words that do not start with "--", and every word after "--", are the
 * application's argv.
 */
enum atoll_param_type {
    ATOLL_PARAM_BOOL,
    ATOLL_PARAM_INT,    /* int64_t within [min, max] */
    ATOLL_PARAM_STRING, /* const char *, optionally validated */
};

/* A string validator: NULL if value is acceptable, else why not. */
typedef const char *(*atoll_param_check_fn)(const char *value);

struct atoll_param {
    const char *name; /* without the leading "--" */
    enum atoll_param_type type;
    const char *help;
    const char *metavar; /* shown in --help instead of the type, or NULL */
    union {
        bool *b;
        struct {
            int64_t *value;
            int64_t min, max;
        } i;
        struct {
            const char **value;
            atoll_param_check_fn check; /* or NULL */
        } s;
    } u;
};

#define ATOLL_PARAM(desc)                                                  \
    static const struct atoll_param *const atoll_param_ptr_##desc          \
        __attribute__((used, section("atoll_params"))) = &(desc)

/* Every boot parameter of this image (in link order); *count gets their
 * number. */
const struct atoll_param *const *atoll_params_list(size_t *count);

/* Write p's current value as text (as --help shows it) into buf; returns
 * what snprintf returns. */
int atoll_param_format(const struct atoll_param *p, char *buf, size_t size);

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
 * handle; watching again replaces it. ATOLL_EINVAL for a handle >= 64. */
enum atoll_result atoll_loop_watch(atoll_handle_t handle, atoll_io_fn fn,
                                   void *arg);
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
