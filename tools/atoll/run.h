/*
 * atoll run's state, shared by run.c (options, device checks, the hvt and
 * spt tenders) and qemu.c (the virtio target on QEMU).
 */
#ifndef ATOLL_TOOL_RUN_H
#define ATOLL_TOOL_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "atoll.h"
#include "netauto.h"

/* A --net or --block option: the device NAME and its host resource. */
struct res {
    const char *name;
    const char *value;
};

struct run_opts {
    struct res nets[ATOLL_MFT_MAX_ENTRIES], blocks[ATOLL_MFT_MAX_ENTRIES];
    int nnet, nblock;
    char *names[3 * ATOLL_MFT_MAX_ENTRIES]; /* what the res point to */
    int nnames;
    const char *mem;     /* --mem MB, or NULL */
    const char *machine; /* --machine (virtio), or NULL */
    bool quiet, print;   /* -q, --print-command */
    bool print_config;   /* --print-config (xen) */
    char **args;         /* the words after --, NULL-terminated */
    int autonet;         /* the nets[] index of NAME=auto, or -1 */
    struct netauto na;   /* its TAP, once made (na.fd >= 0) */
};

/* The resource of the declared device NAME of the given kind, or NULL. */
const struct res *run_res_of(const struct run_opts *o, bool net,
                             const char *name);
/* The unikernel's command line: auto's --ipv4 and gateway, then args. */
void run_guest_words(const struct run_opts *o, struct strv *words);
/* Print cmd, each word shell-quoted, on one line of stdout. */
void run_print_command(char *const *cmd);

/* qemu.c: the virtio target. */
#define QEMU_PROGRAM "qemu-system-x86_64"
/* The QEMU program's path from PATH; NULL, having said which Debian
 * package has it, if there is none. */
char *qemu_find(void);
/* The QEMU command line for the image; accel "kvm" or "tcg". */
void qemu_command(const struct run_opts *o, const struct app *a,
                  const char *qemu, const char *accel, struct strv *cmd);
/* Run it and return the guest's exit status, decoded from QEMU's. */
int qemu_run(char *const *cmd, int keep_fd);

/* xen.c: the xen target. The options fit an xl configuration: 0 or
 * EXIT_USAGE (said). */
int xen_check(const struct run_opts *o);
/* The xl configuration of the image with its devices and command line. */
void xen_config(const struct run_opts *o, const struct app *a, FILE *f);
/* Run it with xl create on a Xen dom0; the guest's exit status. */
int xen_run(const struct run_opts *o, const struct app *a);
/* xenwatch.c: run argv (xl create -F -c ...) passing its output on; the
 * guest's status from xl's shutdown reason and the console's last line
 * (255 for a crash); SIGINT/SIGTERM/SIGHUP destroy domain name. */
int xen_watch(char *const *argv, const char *name);

#endif
