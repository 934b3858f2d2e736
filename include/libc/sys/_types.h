/*
 * Internal: the basic types every Atoll libc header shares, spelled for the
 * x86_64 System V LP64 ABI. They are written out rather than taken from the
 * compiler's __*_TYPE__ macros because gcc and clang disagree on the
 * int_fast types; these follow the glibc choices so objects built by either
 * compiler (and the host's libraries) agree.
 */
#ifndef _ATOLL_SYS__TYPES_H
#define _ATOLL_SYS__TYPES_H

#if !defined(__x86_64__) || !defined(__LP64__)
#error "Atoll libc headers describe the x86_64 LP64 ABI only"
#endif

typedef unsigned long __atoll_size_t;
typedef long __atoll_ssize_t;
typedef long __atoll_ptrdiff_t;
typedef int __atoll_wchar_t;
typedef long __atoll_time_t;
typedef long __atoll_off_t;

#endif
