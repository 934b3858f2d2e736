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

typedef unsigned int useconds_t;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);

/* Always 1 (getppid: 0): a unikernel is one program. */
pid_t getpid(void);
pid_t getppid(void);
/* Always 0: the console is not a terminal (ENOTTY for 0-2, else EBADF). */
int isatty(int fd);
/* Stop the whole unikernel (every fiber and handler) for that long, on the
 * monotonic clock; they always return 0 (nothing interrupts them). */
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);

/* POSIX getopt (see getopt.h). */
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);

#endif
