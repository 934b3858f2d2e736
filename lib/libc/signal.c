/*
 * Signals without a kernel (see include/libc/signal.h): signal() keeps a
 * handler per number and raise() calls it in the caller. Nothing else
 * raises a signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

static void (*handlers[NSIG])(int);

static int valid(int sig)
{
    return sig > 0 && sig < NSIG;
}

void (*signal(int sig, void (*handler)(int)))(int)
{
    void (*old)(int);

    if (!valid(sig) || sig == SIGKILL || sig == SIGSTOP) {
        errno = EINVAL;
        return SIG_ERR;
    }
    old = handlers[sig];
    handlers[sig] = handler;
    return old;
}

/* The default action of a signal nobody handles. */
static void deliver_default(int sig)
{
    switch (sig) {
    case SIGCHLD:
    case SIGCONT:
    case SIGURG:
    case SIGWINCH:
        return; /* ignored by default, as on Linux */
    case SIGABRT:
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
    case SIGTRAP:
    case SIGQUIT:
    case SIGSYS:
        abort();
    default:
        _Exit(128 + sig);
    }
}

int raise(int sig)
{
    void (*h)(int);

    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    h = handlers[sig];
    if (h == SIG_IGN)
        return 0;
    if (h == SIG_DFL) {
        deliver_default(sig);
        return 0;
    }
    /* The handler stays installed (glibc's BSD semantics), not reset to
     * SIG_DFL as SysV signal() does. */
    h(sig);
    return 0;
}

int kill(pid_t pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = ENOSYS;
    return -1;
}

int sigemptyset(sigset_t *set)
{
    *set = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    *set = ~(sigset_t)0;
    return 0;
}

static int bit(int sig, sigset_t *mask)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *mask = (sigset_t)1 << (sig - 1);
    return 0;
}

int sigaddset(sigset_t *set, int sig)
{
    sigset_t m;

    if (bit(sig, &m) != 0)
        return -1;
    *set |= m;
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    sigset_t m;

    if (bit(sig, &m) != 0)
        return -1;
    *set &= ~m;
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    sigset_t m;

    if (bit(sig, &m) != 0)
        return -1;
    return (*set & m) != 0;
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
    (void)how;
    (void)set;
    (void)old;
    errno = ENOSYS;
    return -1;
}
