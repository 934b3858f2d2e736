/* The process-flavoured unistd.h calls, answered for a unikernel. */
#include <errno.h>
#include <unistd.h>

/* One program, one "process". */
pid_t getpid(void)
{
    return 1;
}

pid_t getppid(void)
{
    return 0;
}

/* The console is a log, not a terminal: programs should not send it
 * terminal control sequences or wait for interactive input. */
int isatty(int fd)
{
    errno = fd >= 0 && fd <= 2 ? ENOTTY : EBADF;
    return 0;
}
