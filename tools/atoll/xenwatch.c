/*
 * atoll run on Xen: `xl create -F -c` with its output (the guest's console
 * on stdout, xl's messages on stderr) passed on as it comes, and atoll
 * run's exit status read from it, as xl exits 0 whatever the guest did:
 *  - xl says "Domain N has shut down, reason code K" on stderr: K 0 is
 *    poweroff (atoll_exit), 3 crash (abort, a panic, a CPU exception;
 *    bindings/xen/exit.c);
 *  - a poweroff with a status other than 0 has "atoll: exit status N" as
 *    the console's last line (bindings/xen/exit.c says it just before the
 *    shutdown). Only the last line that is not blank counts, so the same
 *    words printed earlier by the unikernel do not.
 * SIGINT, SIGTERM and SIGHUP destroy the domain (xl destroy NAME); atoll
 * run then exits with 128 + the signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define SHUTDOWN_POWEROFF 0
#define SHUTDOWN_CRASH 3
#define CRASH_STATUS 255 /* as an abort on the other targets */
#define DRAIN_MS 2000    /* for the console's last bytes after xl ended */

/* One of xl's outputs: passed on to out, its current line kept. */
struct stream {
    int fd; /* -1 once at its end */
    int out;
    bool console;
    char line[160];
    size_t n;
    bool cut; /* the line is longer than line[] */
};

struct watch {
    int exit_status; /* of the console's last line, 0 if not an exit line */
    int reason;      /* xl's last shutdown reason code, -1: none */
};

static volatile sig_atomic_t got_signal;

static void note_signal(int sig)
{
    got_signal = sig;
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = note_signal};

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The number at s (1..255 for an exit status, any for a reason code)
 * with nothing after it but blanks when whole; -1 if none. */
static int number_at(const char *s, bool whole)
{
    long v = 0;
    const char *p = s;

    for (; *p >= '0' && *p <= '9' && v < 100000; p++)
        v = v * 10 + (*p - '0');
    if (p == s || v >= 100000)
        return -1;
    if (whole && p[strspn(p, " \t")] != '\0')
        return -1;
    return (int)v;
}

static void on_line(struct watch *w, struct stream *s)
{
    static const char exit_words[] = "atoll: exit status ";
    static const char reason_words[] = "has shut down, reason code ";
    char *l = s->line;

    s->line[s->n] = '\0';
    if (s->n > 0 && l[s->n - 1] == '\r')
        l[s->n - 1] = '\0';
    if (s->console) {
        if (l[strspn(l, " \t")] == '\0' && !s->cut)
            return; /* blank: the last line is still the one before */
        int v = -1;
        if (!s->cut && strncmp(l, exit_words, strlen(exit_words)) == 0)
            v = number_at(l + strlen(exit_words), true);
        w->exit_status = v >= 1 && v <= 255 ? v : 0;
        return;
    }
    const char *r = strstr(l, reason_words);
    if (r != NULL && number_at(r + strlen(reason_words), false) >= 0)
        w->reason = number_at(r + strlen(reason_words), false);
}

static void put_all(int fd, const char *b, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, b, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return; /* (the output is gone: keep watching) */
        b += k;
        n -= (size_t)k;
    }
}

/* Read what is there; at the end, the last partial line counts too. */
static void pump(struct watch *w, struct stream *s)
{
    char buf[4096];
    ssize_t n = read(s->fd, buf, sizeof buf);

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (s->n > 0 || s->cut)
            on_line(w, s);
        close(s->fd);
        s->fd = -1;
        return;
    }
    put_all(s->out, buf, (size_t)n);
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            on_line(w, s);
            s->n = 0;
            s->cut = false;
        } else if (s->n + 1 < sizeof s->line) {
            s->line[s->n++] = buf[i];
        } else {
            s->cut = true;
        }
    }
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* xl with stdout and stderr on the pipes' write ends; 0 or -1. */
static pid_t start_xl(char *const *argv, const int out[2], const int err[2])
{
    pid_t parent = getpid();
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent || dup2(out[1], STDOUT_FILENO) < 0 ||
        dup2(err[1], STDERR_FILENO) < 0)
        _exit(EXIT_FAIL);
    execvp(argv[0], argv);
    fprintf(stderr, "atoll run: cannot start %s: %s (on a Xen dom0, "
            "Debian's xen-utils package has it)\n", argv[0],
            strerror(errno));
    _exit(EXIT_FAIL);
}

/* xl destroy NAME, quietly (the domain may be gone already), not to be
 * stopped by a second ^C or the rest of a signal sent to the group. */
static void destroy(const char *xl, const char *name)
{
    pid_t pid = fork();
    int ws;

    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        sigset_t stop;

        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGHUP);
        sigprocmask(SIG_BLOCK, &stop, NULL);

        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execlp(xl, xl, "destroy", name, (char *)NULL);
        _exit(EXIT_FAIL);
    }
    while (pid > 0 && waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
}

static int outcome(const struct watch *w, int ws)
{
    if (got_signal != 0)
        return 128 + got_signal;
    if (w->reason == SHUTDOWN_POWEROFF)
        return w->exit_status;
    if (w->reason == SHUTDOWN_CRASH) {
        fprintf(stderr, "atoll run: the guest crashed (shutdown reason "
                "crash: an abort, a panic or a fault; its console says "
                "which)\n");
        return CRASH_STATUS;
    }
    if (w->reason >= 0) {
        fprintf(stderr, "atoll run: the guest shut down with reason code "
                "%d, not poweroff or crash\n", w->reason);
        return EXIT_FAIL;
    }
    if (WIFSIGNALED(ws)) {
        fprintf(stderr, "atoll run: xl was killed by signal %d\n",
                WTERMSIG(ws));
        return 128 + WTERMSIG(ws);
    }
    fprintf(stderr, "atoll run: xl ended (exit status %d) and said no "
            "shutdown of the guest\n", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    return EXIT_FAIL;
}

int xen_watch(char *const *argv, const char *name)
{
    int out[2], err[2], ws = 0;
    struct watch w = {.exit_status = 0, .reason = -1};
    bool reaped = false, destroyed = false;
    long long until = 0;

    if (pipe2(out, O_CLOEXEC) != 0) {
        fprintf(stderr, "atoll run: pipe: %s\n", strerror(errno));
        return EXIT_FAIL;
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
        fprintf(stderr, "atoll run: pipe: %s\n", strerror(errno));
        close(out[0]);
        close(out[1]);
        return EXIT_FAIL;
    }
    catch_signals();
    pid_t pid = start_xl(argv, out, err);
    close(out[1]);
    close(err[1]);
    struct stream s[2] = {
        {.fd = out[0], .out = STDOUT_FILENO, .console = true},
        {.fd = err[0], .out = STDERR_FILENO},
    };
    if (pid < 0) {
        fprintf(stderr, "atoll run: fork: %s\n", strerror(errno));
        close(out[0]);
        close(err[0]);
        return EXIT_FAIL;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    /* Until xl has ended and its outputs too (the console client, xl's
     * child, may write a little later; not after DRAIN_MS). */
    while ((s[0].fd >= 0 || s[1].fd >= 0) &&
           (!reaped || now_ms() < until)) {
        struct pollfd p[2] = {{.fd = s[0].fd, .events = POLLIN},
                              {.fd = s[1].fd, .events = POLLIN}};

        if (poll(p, 2, 200) > 0)
            for (int k = 0; k < 2; k++)
                if (s[k].fd >= 0 && p[k].revents != 0)
                    pump(&w, &s[k]);
        if (got_signal != 0 && !destroyed) {
            destroy(argv[0], name);
            destroyed = true;
        }
        if (!reaped && waitpid(pid, &ws, WNOHANG) == pid) {
            reaped = true;
            until = now_ms() + DRAIN_MS;
        }
    }
    for (int k = 0; k < 2; k++)
        if (s[k].fd >= 0)
            close(s[k].fd);
    while (!reaped && waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    return outcome(&w, ws);
}
