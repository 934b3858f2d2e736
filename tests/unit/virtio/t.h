/*
 * A minimal harness for the virtio unit tests: a case returns NULL on
 * success or a reason; RUN prints its PASS:/FAIL: line.
 */
#ifndef VIRTIO_T_H
#define VIRTIO_T_H

#include <stdio.h>

#define T_STR2(x) #x
#define T_STR(x) T_STR2(x)

extern int t_failed;

/* Fail the current case when cond is false. */
#define T_ASSERT(cond)                                                     \
    do {                                                                   \
        if (!(cond))                                                       \
            return "line " T_STR(__LINE__) ": " #cond;                     \
    } while (0)

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

#endif
