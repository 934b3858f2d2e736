/* sys/types.h: Atoll libc, the few POSIX types guests use. */
#ifndef _ATOLL_SYS_TYPES_H
#define _ATOLL_SYS_TYPES_H

#include <sys/_types.h>

typedef __atoll_size_t size_t;
typedef __atoll_ssize_t ssize_t;
typedef __atoll_off_t off_t;
typedef __atoll_time_t time_t;
typedef unsigned int mode_t;
typedef int pid_t;

#endif
