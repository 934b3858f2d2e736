/*
 * Helpers private to tenders/common.
 */
#ifndef ATOLL_TENDER_INTERNAL_H
#define ATOLL_TENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tender.h" /* tender_err */

/* A device name: 1..ATOLL_MFT_NAME_MAX characters from [A-Za-z0-9_.-]. */
bool tender_name_char_ok(char c);

#endif
