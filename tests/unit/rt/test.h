/*
 * A minimal harness for lib/rt's host unit tests. A case is a function
 * returning NULL on success or a reason; RUN prints the PASS:/FAIL: line.
 */
#ifndef RT_TEST_H
#define RT_TEST_H

#include <stdio.h>

#define T_STR2(x) #x
#define T_STR(x) T_STR2(x)

/* Fail the current case when cond is false. */
#define T_ASSERT(cond)                                                     \
    do {                                                                   \
        if (!(cond))                                                       \
            return "line " T_STR(__LINE__) ": " #cond;                     \
    } while (0)

extern int t_failed;

#define RUN(fn)                                                            \
    do {                                                                   \
        const char *why_ = fn();                                           \
        if (why_ == NULL) {                                                \
            printf("PASS: %s\n", #fn);                                     \
        } else {                                                           \
            printf("FAIL: %s: %s\n", #fn, why_);                           \
            t_failed++;                                                    \
        }                                                                  \
        fflush(stdout);                                                    \
    } while (0)

#define T_DEFINE_FAILED int t_failed

#endif
