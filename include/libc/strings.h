/* strings.h: Atoll libc. Case-insensitive comparison is ASCII only. */
#ifndef _ATOLL_STRINGS_H
#define _ATOLL_STRINGS_H

#include <sys/_types.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, __atoll_size_t n);

#endif
