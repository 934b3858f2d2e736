/* strings.h: Atoll libc. Case-insensitive comparison is ASCII only. */
#ifndef _ATOLL_STRINGS_H
#define _ATOLL_STRINGS_H

#include <sys/_types.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, __atoll_size_t n);
/* 1 + the index of the lowest set bit; 0 for 0. */
int ffs(int i);
int ffsl(long i);
int ffsll(long long i);

#endif
