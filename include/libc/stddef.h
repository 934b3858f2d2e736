/* stddef.h: Atoll libc (x86_64 SysV LP64). */
#ifndef _ATOLL_STDDEF_H
#define _ATOLL_STDDEF_H

#include <sys/_types.h>

typedef __atoll_size_t size_t;
typedef __atoll_ptrdiff_t ptrdiff_t;
typedef __atoll_wchar_t wchar_t;

/* Alignment of the most strictly aligned scalar (long double: 16). */
typedef struct {
    long long __ll __attribute__((__aligned__(__alignof__(long long))));
    long double __ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;

#ifndef NULL
#define NULL ((void *)0)
#endif
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
