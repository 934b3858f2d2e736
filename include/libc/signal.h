/*
 * signal.h: Atoll libc. A unikernel has no signals: nothing delivers one
 * from outside, and a guest fault ends the unikernel (the tender reports
 * it). signal() records a handler and raise() runs it synchronously in the
 * caller (as C11 allows); raise() of a signal left at SIG_DFL ends the
 * unikernel with abort() for SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE and
 * SIGTRAP and with exit(128 + sig) for the others, SIG_IGN ignores it.
 * kill() and the mask calls fail with ENOSYS.
 */
#ifndef _ATOLL_SIGNAL_H
#define _ATOLL_SIGNAL_H

#include <sys/types.h>

typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);
typedef unsigned long sigset_t;

#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

/* Linux numbers, so values printed or compared elsewhere mean the same. */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define NSIG 65
#define _NSIG NSIG

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* The previous handler; SIG_ERR with EINVAL for a bad number, SIGKILL or
 * SIGSTOP. */
void (*signal(int sig, void (*handler)(int)))(int);
/* 0 after the handler returned (or the signal was ignored); -1 with
 * EINVAL for a bad number. */
int raise(int sig);
/* Always -1 with ENOSYS: there are no other processes. */
int kill(pid_t pid, int sig);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
/* Always -1 with ENOSYS: nothing to mask. */
int sigprocmask(int how, const sigset_t *restrict set,
                sigset_t *restrict old);

#endif
