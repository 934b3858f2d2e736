/*
 * atoll run on the virtio target: the QEMU command line for an image, and
 * running it with the guest's exit status decoded.
 *
 * The guest reports its status s (0..127) through QEMU's isa-debug-exit
 * device at I/O port 0x501, and QEMU then exits with (s << 1) | 1
 * (bindings/virtio/README.md). s = 127 is the guest's abort: atoll run
 * returns 255 for it, as on hvt and spt. QEMU's own exit statuses are 0 (a
 * power-off or, with -no-reboot, a reset: the guest stopped without a
 * status) and 1 with an error line on stderr (QEMU could not start the
 * machine); QEMU's stderr is passed on and read to tell that 1 from a
 * guest's exit(0).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

#define EXIT_PORT "0x501"
#define GUEST_ABORT 127  /* the guest's status for abort and faults */
#define ABORT_STATUS 255 /* what atoll run returns for it */

char *qemu_find(void)
{
    const char *path = getenv("PATH");
    char *dirs = xstrdup(path != NULL ? path : "/usr/bin:/bin");
    char *found = NULL;

    for (char *d = strtok(dirs, ":"); d != NULL && found == NULL;
         d = strtok(NULL, ":")) {
        char *p = path_join(d[0] != '\0' ? d : ".", QEMU_PROGRAM);

        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(dirs);
    if (found == NULL)
        fprintf(stderr, "atoll run: the virtio target runs on QEMU, and %s "
                "is not in PATH; install Debian's qemu-system-x86 package "
                "(apt-get install qemu-system-x86)\n", QEMU_PROGRAM);
    return found;
}

/* s with each ',' doubled, as QEMU's option syntax wants in a value. */
static char *qemu_escape(const char *s)
{
    size_t n = strlen(s), commas = 0;

    for (size_t i = 0; i < n; i++)
        commas += s[i] == ',';
    char *e = xmalloc(n + commas + 1), *p = e;
    for (size_t i = 0; i <= n; i++) {
        *p++ = s[i];
        if (s[i] == ',')
            *p++ = ',';
    }
    return e;
}

/* The netdev of net device name: the TAP by name, or an open descriptor
 * (@FD, or the TAP atoll made for NAME=auto). */
static void add_net(const struct run_opts *o, const struct res *r,
                    const char *bus, struct strv *cmd)
{
    strv_add(cmd, "-netdev");
    if (o->autonet >= 0 && r == &o->nets[o->autonet])
        strv_addf(cmd, "tap,id=net-%s,fd=%d", r->name, o->na.fd);
    else if (r->value[0] == '@')
        strv_addf(cmd, "tap,id=net-%s,fd=%s", r->name, r->value + 1);
    else
        strv_addf(cmd, "tap,id=net-%s,ifname=%s,script=no,downscript=no",
                  r->name, r->value);
    strv_add(cmd, "-device");
    /* (no option ROM on PCI: iPXE would only slow the boot) */
    strv_addf(cmd, "virtio-net-%s,netdev=net-%s%s", bus, r->name,
              strcmp(bus, "pci") == 0 ? ",romfile=" : "");
}

static void add_block(const struct res *r, const char *bus,
                      struct strv *cmd)
{
    char *file = qemu_escape(r->value);

    strv_add(cmd, "-drive");
    strv_addf(cmd, "file=%s,format=raw,if=none,id=blk-%s", file, r->name);
    strv_add(cmd, "-device");
    strv_addf(cmd, "virtio-blk-%s,drive=blk-%s", bus, r->name);
    free(file);
}

void qemu_command(const struct run_opts *o, const struct app *a,
                  const char *qemu, const char *accel, struct strv *cmd)
{
    const char *machine = o->machine != NULL ? o->machine : "microvm";
    /* virtio-mmio on microvm, virtio-pci on q35 */
    const char *bus = strcmp(machine, "q35") == 0 ? "pci" : "device";
    struct strv words = {0};

    strv_add(cmd, qemu);
    strv_add(cmd, "-M");
    strv_add(cmd, machine);
    strv_add(cmd, "-accel");
    strv_add(cmd, accel);
    if (strcmp(accel, "kvm") == 0) {
        strv_add(cmd, "-cpu");
        strv_add(cmd, "host");
    }
    strv_add(cmd, "-m");
    strv_addf(cmd, "%sM", o->mem != NULL ? o->mem : "512");
    /* No default devices (q35 would add a NIC and VGA), no window, the
     * serial console on stdin/stdout, a reset ends QEMU. */
    strv_add(cmd, "-nodefaults");
    strv_add(cmd, "-no-user-config");
    strv_add(cmd, "-nographic");
    strv_add(cmd, "-serial");
    strv_add(cmd, "stdio");
    strv_add(cmd, "-no-reboot");
    strv_add(cmd, "-device");
    strv_add(cmd, "isa-debug-exit,iobase=" EXIT_PORT ",iosize=2");
    strv_add(cmd, "-kernel");
    strv_add(cmd, a->image);
    /* In the manifest's order, the order the guest binds them in. */
    for (int d = 0; d < a->conf.ndevs; d++) {
        bool net = a->conf.devs[d].kind == CONF_NET;
        const struct res *r = run_res_of(o, net, a->conf.devs[d].name);

        if (r != NULL && net)
            add_net(o, r, bus, cmd);
        else if (r != NULL)
            add_block(r, bus, cmd);
    }
    run_guest_words(o, &words);
    if (words.n > 0) {
        char *line = strv_join(&words, " ");

        strv_add(cmd, "-append");
        strv_add(cmd, line);
        free(line);
    }
    strv_free(&words);
}

static volatile sig_atomic_t child_pid, got_signal;

/* SIGINT, SIGTERM, SIGHUP to atoll go to QEMU too (a terminal's ^C
 * reaches both); QEMU ends the guest, atoll then exits as signalled. */
static void forward(int sig)
{
    got_signal = sig;
    if (child_pid > 0)
        kill((pid_t)child_pid, sig);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = forward};

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* In the child: stderr to the pipe, keep_fd open across exec, QEMU told
 * to stop should atoll die (SIGKILL), then QEMU. */
static void start_qemu(char *const *cmd, int errfd, int keep_fd,
                       pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(EXIT_FAIL);
    if (dup2(errfd, STDERR_FILENO) < 0)
        _exit(EXIT_FAIL);
    if (keep_fd >= 0)
        fcntl(keep_fd, F_SETFD, 0);
    execv(cmd[0], cmd);
    fprintf(stderr, "atoll run: cannot start %s: %s\n", cmd[0],
            strerror(errno));
    _exit(EXIT_FAIL);
}

/* Pass QEMU's stderr on until it closes, keeping a copy in *text. */
static void relay_stderr(int fd, struct strv *text)
{
    char buf[4096];
    ssize_t n;

    for (;;) {
        n = read(fd, buf, sizeof buf - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf[n] = '\0';
        fwrite(buf, 1, (size_t)n, stderr);
        fflush(stderr);
        strv_add(text, buf);
    }
}

/* Whether QEMU's stderr has an error of its own: a "qemu-system-x86_64: "
 * line that is not a warning ("...: warning: ..." after an option too). */
static bool qemu_error(const struct strv *text)
{
    char *all = strv_join(text, "");
    const char *prefix = QEMU_PROGRAM ": ";
    bool err = false;

    for (char *l = all; l != NULL && *l != '\0' && !err;) {
        char *nl = strchr(l, '\n');

        if (nl != NULL)
            *nl = '\0';
        err = strncmp(l, prefix, strlen(prefix)) == 0 &&
              strstr(l, " warning: ") == NULL;
        l = nl != NULL ? nl + 1 : NULL;
    }
    free(all);
    return err;
}

/* atoll run's status from QEMU's wait status. */
static int decode(int ws, bool qemu_err)
{
    int q = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;

    if (WIFSIGNALED(ws)) {
        fprintf(stderr, "atoll run: QEMU was killed by signal %d\n",
                WTERMSIG(ws));
        return 128 + WTERMSIG(ws);
    }
    if (got_signal != 0)
        return 128 + got_signal;
    if (q == 1 && qemu_err) {
        fprintf(stderr, "atoll run: QEMU failed (exit status 1)\n");
        return EXIT_FAIL;
    }
    if (q % 2 == 1)
        return q >> 1 == GUEST_ABORT ? ABORT_STATUS : q >> 1;
    if (q == 0)
        fprintf(stderr, "atoll run: the guest stopped without an exit "
                "status (it powered off or reset)\n");
    else
        fprintf(stderr, "atoll run: QEMU failed (exit status %d)\n", q);
    return EXIT_FAIL;
}

int qemu_run(char *const *cmd, int keep_fd)
{
    struct strv text = {0};
    pid_t parent = getpid(), pid;
    int errpipe[2], ws;

    if (pipe2(errpipe, O_CLOEXEC) != 0) {
        fprintf(stderr, "atoll run: pipe: %s\n", strerror(errno));
        return EXIT_FAIL;
    }
    catch_signals();
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0)
        start_qemu(cmd, errpipe[1], keep_fd, parent);
    close(errpipe[1]);
    if (pid < 0) {
        fprintf(stderr, "atoll run: fork: %s\n", strerror(errno));
        close(errpipe[0]);
        return EXIT_FAIL;
    }
    child_pid = pid;
    if (keep_fd >= 0)
        close(keep_fd); /* QEMU's now: the TAP goes when QEMU ends */
    relay_stderr(errpipe[0], &text);
    close(errpipe[0]);
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "atoll run: waitpid: %s\n", strerror(errno));
            strv_free(&text);
            return EXIT_FAIL;
        }
    int rc = decode(ws, qemu_error(&text));
    strv_free(&text);
    return rc;
}
