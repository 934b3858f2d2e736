/*
 * The fake platform of the host test programs (fake.c): the platform ABI
 * functions a library calls (include/atoll/platform.h), here recording
 * what happened and under the test's control: clocks, entropy, console
 * capture, yield, exit and abort. fakelog.c adds lib/rt's log and panic
 * for programs built without lib/rt; fakenet.h is a capturing network
 * device, fakeblk.h a block device in memory.
 *
 * Includable by tests built against Atoll's own libc headers too.
 */
#ifndef ATOLL_TESTS_FAKE_H
#define ATOLL_TESTS_FAKE_H

#include "atoll/platform.h"

/* ---- clocks ----------------------------------------------------------- */

/* What atoll_clock_monotonic returns (nanoseconds); tests move it. */
extern atoll_time_t t_now;
/* Set what atoll_clock_wall and atoll_clock_monotonic return. */
void t_set_clocks(unsigned long long wall, unsigned long long mono);
unsigned long long t_mono(void);

/* ---- yield ------------------------------------------------------------ */

/* By default atoll_yield moves the monotonic clock to its deadline, or by
 * at most step nanoseconds when step is not 0 (an early return, as when a
 * frame arrives); a yield without a deadline aborts (nothing could end
 * it). Calls since the last t_set_yield_step. */
void t_set_yield_step(unsigned long long step);
int t_yield_calls(void);
/* Let fn serve atoll_yield instead (NULL: the default again). */
void t_set_yield(void (*fn)(atoll_time_t deadline, atoll_handle_set_t *ready));

/* ---- entropy ---------------------------------------------------------- */

/* atoll_entropy gives a deterministic stream: by default a linear
 * congruential generator from 0x1234567 (t_seed_entropy starts it again
 * from seed); after t_set_entropy, the byte first plus the offset in each
 * call. Calls since the last t_set_entropy or t_seed_entropy. */
void t_seed_entropy(unsigned long long seed);
void t_set_entropy(unsigned char first);
int t_entropy_calls(void);

/* ---- console ---------------------------------------------------------- */

/* Capture what atoll_console_write writes from now (outside a capture it
 * goes to stderr, marked "[console]"). */
void t_capture_start(void);
void t_capture_stop(void);
/* Bytes written since t_capture_start; a NUL-terminated copy. */
const char *t_captured(unsigned long *len);
/* Calls to atoll_console_write since t_capture_start. */
int t_console_calls(void);

/* ---- log (fakelog.c) -------------------------------------------------- */

/* With on, every log level is enabled and each line is also written to
 * the console as "LEVEL: text" (so t_capture_start sees it). */
void t_log_console(int on);

/* ---- exit and abort --------------------------------------------------- */

/* Run fn(arg) and catch atoll_exit/atoll_abort. Returns 0 if fn returned,
 * 1 after atoll_exit (status in *status), 2 after atoll_abort. */
int t_catch(void (*fn)(void *), void *arg, int *status);

#endif
