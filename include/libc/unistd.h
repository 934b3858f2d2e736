/*
 * unistd.h: Atoll libc, the descriptor calls foreign code expects. A
 * unikernel has no files: descriptor 0 reads as end-of-file, 1 and 2 write
 * to the console, every other descriptor is EBADF.
 */
#ifndef _ATOLL_UNISTD_H
#define _ATOLL_UNISTD_H

#include <sys/types.h>

#ifndef NULL
#define NULL ((void *)0)
#endif
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);

#endif
