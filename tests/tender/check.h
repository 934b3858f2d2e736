/*
 * The PASS:/FAIL: protocol for the tender unit tests.
 */
#ifndef ATOLL_TEST_CHECK_H
#define ATOLL_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed;

/* One case: cond true is a pass; why explains a failure. */
static inline void check(const char *name, int cond, const char *why)
{
    if (cond) {
        printf("PASS: %s\n", name);
    } else {
        printf("FAIL: %s: %s\n", name, why);
        check_failed = 1;
    }
}

/* A call returned -1 with a one-line message containing keyword. */
static inline void check_err(const char *name, int rc, const char *err,
                             const char *keyword)
{
    char why[400];

    if (rc == 0)
        snprintf(why, sizeof why, "accepted, expected an error with '%s'",
                 keyword);
    else
        snprintf(why, sizeof why, "message '%s' lacks '%s'", err, keyword);
    if (getenv("TENDER_TEST_VERBOSE") != NULL)
        printf("  # %s\n", err);
    check(name, rc == -1 && strstr(err, keyword) != NULL &&
                    strchr(err, '\n') == NULL && err[0] != '\0',
          why);
}

#endif
