/*
 * A minimal harness for the storage unit tests: a case returns NULL on
 * success or a reason; RUN prints its PASS:/FAIL: line.
 */
#ifndef STORAGE_T_H
#define STORAGE_T_H

#include <stdio.h>

#define T_STR2(x) #x
#define T_STR(x) T_STR2(x)

extern int t_failed;
extern char t_why[512];

/* Fail the current case when cond is false. */
#define T_ASSERT(cond)                                                     \
    do {                                                                   \
        if (!(cond))                                                       \
            return "line " T_STR(__LINE__) ": " #cond;                     \
    } while (0)

/* Fail with a formatted reason. */
#define T_FAILF(...)                                                       \
    do {                                                                   \
        snprintf(t_why, sizeof t_why, "line " T_STR(__LINE__) ": "         \
                 __VA_ARGS__);                                             \
        return t_why;                                                      \
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

#define T_DEFINE                                                           \
    int t_failed;                                                          \
    char t_why[512]

#endif
