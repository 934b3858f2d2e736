/*
 * lib/rt's internal interfaces: the pieces that start.c wires together and
 * that the host unit tests (tests/unit/rt/) drive directly.
 */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "atoll/rt.h"

/* ---- boot parameters (param.c) ---------------------------------------- */

enum rt_parse_result {
    RT_PARSE_OK,
    RT_PARSE_HELP,  /* --help was given: print atoll_params_help, exit 0 */
    RT_PARSE_ERROR, /* err holds one line: stop the boot with status 2 */
};

/*
 * Split line (modified in place; values and argv point into it) at spaces
 * and tabs. "--NAME=VALUE" and "--NAME" words set the parameters in
 * params[0..n); other words, and all words after "--", go to argv after
 * argv0. argv has room for argv_max pointers, the last of which is set to
 * NULL. If --help appears anywhere no value is changed.
 */
enum rt_parse_result rt_params_parse(const struct atoll_param *const *params,
                                     size_t n, char *line, const char *argv0,
                                     char **argv, int argv_max, int *argc,
                                     char *err, size_t errsize);

/* ---- timers (timer.c) ------------------------------------------------- */

/* Fire every timer due at now that was armed before this call started. */
void rt_timers_run(atoll_time_t now);

/* The earliest deadline of the armed timers; false if none is armed. */
bool rt_timers_next(atoll_time_t *deadline);

/* ---- heap (malloc.c) -------------------------------------------------- */

/* Put the global heap over atoll_heap_region() with a random secret. */
void rt_malloc_init(void);

/* Apply the --heap-check boot parameter. */
void rt_malloc_configure(void);

/* ---- logging (log.c) -------------------------------------------------- */

/* Record the boot time that log lines count from. */
void rt_log_init(void);

#endif
