/*
 * The libc unit tests' reporting and host hooks. Implemented in harness.c
 * with the host's headers; included by tests built against include/libc,
 * so it uses no library types.
 */
#ifndef ATOLL_TESTS_UNIT_LIBC_T_H
#define ATOLL_TESTS_UNIT_LIBC_T_H

#define T_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

/* Start a case (ends the one before). It prints "PASS: name" at its end
 * unless a check failed; each failed check prints "FAIL: name: ...". */
void t_case(const char *name);
/* Record a failure unless cond holds; returns cond. */
int t_ok(int cond, const char *fmt, ...) T_PRINTF(2, 3);
int t_str(const char *got, const char *want, const char *what);
/* got/want byte strings that may hold NULs. */
int t_mem(const void *got, unsigned long glen, const void *want,
          unsigned long wlen, const char *what);
int t_int(long long got, long long want, const char *what);
int t_uint(unsigned long long got, unsigned long long want, const char *what);
/* End the last case; the exit status for main (non-zero if any failed). */
int t_finish(void);

/* Console (atoll_console_write) capture. */
void t_capture_start(void);
void t_capture_stop(void);
/* Bytes written since t_capture_start; NUL-terminated copy. */
const char *t_captured(unsigned long *len);
/* Calls to atoll_console_write since t_capture_start. */
int t_console_calls(void);

/* Run fn(arg) and catch atoll_exit/atoll_abort. Returns 0 if fn returned,
 * 1 after atoll_exit (status in *status), 2 after atoll_abort. */
int t_catch(void (*fn)(void *), void *arg, int *status);

/* What atoll_clock_wall / atoll_clock_monotonic return (nanoseconds). */
void t_set_clocks(unsigned long long wall, unsigned long long mono);
unsigned long long t_mono(void);

/* atoll_yield moves the monotonic clock to its deadline, or by at most
 * step nanoseconds when step is not 0 (an early return, as when a frame
 * arrives). Calls since the last t_set_yield_step. */
void t_set_yield_step(unsigned long long step);
int t_yield_calls(void);

/* atoll_entropy fills with this byte plus the offset (0x5a at start);
 * calls since the last t_set_entropy. */
void t_set_entropy(unsigned char first);
int t_entropy_calls(void);

/* A deterministic pseudo-random generator (xorshift64*). */
unsigned long long t_rand(void);

#endif
