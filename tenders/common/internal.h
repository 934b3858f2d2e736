/*
 * Helpers private to tenders/common.
 */
#ifndef ATOLL_TENDER_INTERNAL_H
#define ATOLL_TENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* Format one sentence into err[TENDER_ERR_SIZE]; always returns -1. */
int tender_err(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A device name: 1..ATOLL_MFT_NAME_MAX characters from [A-Za-z0-9_.-]. */
bool tender_name_char_ok(char c);

#endif
