/*
 * atoll run: build if needed, check that every declared device has its
 * host resource, then become the target's tender. The exit status is the
 * unikernel's (or the tender's: killed by the signal of a guest fault,
 * 255 abort, 1 tender error).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atoll.h"
#include "atoll/abi/ext.h"
#include "kvmprobe.h"
#include "netauto.h"
#include "run.h"

static const char run_help[] =
    "usage: atoll run [--net NAME=TAP] [--block NAME=FILE] [--mem MB]\n"
    "                 [--machine microvm|q35] [--print-command]\n"
    "                 [--print-config] [-q]\n"
    "                 [-- BOOT-ARGS...]\n"
    "\n"
    "Build the image if it is out of date, then start it with the target's\n"
    "tender (hvt, spt), on QEMU (virtio) or with xl (xen) with the devices\n"
    "unikernel.conf declares; every declared device needs its resource:\n"
    "  --net NAME=TAP     attach the existing TAP interface TAP to the net\n"
    "                     device NAME (or @FD, an open TAP descriptor)\n"
    "  --net NAME=auto    create a TAP for this run (root or CAP_NET_ADMIN):\n"
    "                     the host side gets a free private /30, the\n"
    "                     unikernel --ipv4 and --ipv4-gateway (unless given\n"
    "                     after --); the TAP goes when the unikernel ends.\n"
    "                     On spt and hvt an image that asks for offloads\n"
    "                     (lib/net does) gets a TAP with virtio-net\n"
    "                     headers, unless ATOLL_SPT_NET_OFFLOAD=0 or\n"
    "                     ATOLL_HVT_NET_OFFLOAD=0 (then plain frames)\n"
    "  --block NAME=FILE  back the block device NAME with FILE (its size, a\n"
    "                     multiple of 512 bytes, is the capacity)\n"
    "  --mem MB           guest memory in MiB (default: 512)\n"
    "  --machine M        virtio: QEMU's machine, microvm (the default;\n"
    "                     virtio-mmio devices) or q35 (virtio-pci devices)\n"
    "  --print-command    print the command (tender or QEMU, shell-quoted)\n"
    "                     that would run the image, and stop (not with\n"
    "                     NAME=auto: that TAP exists only for a run)\n"
    "  --print-config     xen: print the xl domain configuration, and stop\n"
    "  -q                 print no build steps (nor the TCG note)\n"
    "Words after -- are the unikernel's command line: boot parameters\n"
    "(--help lists them, e.g. --log=debug) and its arguments.\n"
    "\n"
    "The virtio target runs on qemu-system-x86_64 (Debian: qemu-system-x86):\n"
    "-accel kvm where KVM can run the guest (ATOLL_KVM names another device\n"
    "than /dev/kvm), else TCG; -nodefaults -nographic, the console on\n"
    "stdin/stdout (-serial stdio), -no-reboot, the isa-debug-exit device at\n"
    "port 0x501 for the exit status, each device as -netdev tap or -drive\n"
    "(raw) with virtio-net/virtio-blk-device (microvm) or -pci (q35) in\n"
    "unikernel.conf's order, the command line as -append. ^C, SIGTERM or\n"
    "SIGHUP to atoll run stop QEMU (exit 128 + the signal); QEMU ends if\n"
    "atoll run is killed. docs/virtio.md has Firecracker and\n"
    "cloud-hypervisor.\n"
    "\n"
    "The xen target runs in a Xen dom0 with `xl create -F -c` on an xl\n"
    "configuration (type pvh, the image, --mem, the command line) with\n"
    "--net NAME=BRIDGE as the vifs (on that dom0 bridge) and --block\n"
    "NAME=FILE as the disks xvda, xvdb... in unikernel.conf's order;\n"
    "the exit status is read from xl's shutdown reason (crash: 255) and\n"
    "the console's last line (\"atoll: exit status N\"). ^C, SIGTERM or\n"
    "SIGHUP destroy the domain (exit 128 + the signal).\n"
    "docs/xen.md has QubesOS.\n"
    "\n"
    "Exit status: the unikernel's; 255 if it aborted; 128 + the signal if\n"
    "it faulted (139 SIGSEGV, 159 SIGSYS: a forbidden system call; on\n"
    "virtio and xen a fault is an abort, 255); 1 if it could not be\n"
    "started (or on virtio and xen stopped without a status), 2 for a\n"
    "usage error.\n";

/* How to make TAP tap by hand, host address included, and run with it. */
static void tap_hint(const char *dev, const char *tap)
{
    uint32_t net = 0x0ad50000u; /* 10.213.0.0, if all were taken */
    char host[16], guest[16];

    netauto_pick(&net);
    netauto_addr(net + 1, host);
    netauto_addr(net + 2, guest);
    fprintf(stderr, "    sudo ip tuntap add dev %s mode tap user $USER && "
            "sudo ip addr add %s/30 dev %s && sudo ip link set dev %s up\n"
            "  then: atoll run --net %s=%s -- --ipv4=%s/30 --ipv4-gateway=%s\n"
            "  (or, as root, let atoll do it all: atoll run --net %s=auto)\n",
            tap, host, tap, tap, dev, tap, guest, host, dev);
}

/* "NAME=VALUE" from opt's value; false if malformed. */
static bool split_res(const char *opt, const char *s, struct res *r,
                      char **store)
{
    const char *eq = strchr(s, '=');

    if (eq == NULL || eq == s || eq[1] == '\0') {
        fprintf(stderr, "atoll run: %s %s: expected %s NAME=%s\n", opt, s,
                opt, strcmp(opt, "--net") == 0 ? "TAP" : "FILE");
        return false;
    }
    *store = xasprintf("%.*s", (int)(eq - s), s);
    r->name = *store;
    r->value = eq + 1;
    return true;
}

static int check_tap(const char *dev, const char *tap)
{
    char *sys, *flags;
    bool exists, is_tap;

    if (tap[0] == '@')
        return 0;
    if (strchr(tap, '/') != NULL || strlen(tap) >= 16) {
        fprintf(stderr, "atoll run: --net %s=%s: not an interface name\n",
                dev, tap);
        return -1;
    }
    sys = xasprintf("/sys/class/net/%s", tap);
    flags = xasprintf("/sys/class/net/%s/tun_flags", tap);
    exists = access(sys, F_OK) == 0;
    is_tap = access(flags, F_OK) == 0;
    free(sys);
    free(flags);
    if (!exists) {
        fprintf(stderr, "atoll run: net device '%s': there is no network "
                "interface '%s'; create the TAP interface with:\n", dev,
                tap);
        tap_hint(dev, tap);
        return -1;
    }
    if (!is_tap) {
        fprintf(stderr, "atoll run: net device '%s': interface '%s' is not "
                "a TAP interface; create one with:\n", dev, tap);
        tap_hint(dev, "tap0");
        return -1;
    }
    return 0;
}

static int check_file(const char *dev, const char *file)
{
    struct stat st;

    if (stat(file, &st) != 0) {
        fprintf(stderr, "atoll run: block device '%s': %s: %s; create a "
                "64 MiB disk image with:\n    truncate -s 64M %s\n", dev,
                file, strerror(errno), file);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        fprintf(stderr, "atoll run: block device '%s': %s is neither a file "
                "nor a block device\n", dev, file);
        return -1;
    }
    return 0;
}

/*
 * Whether KVM is usable here (kvmprobe.h). ATOLL_KVM names another device
 * to try, as in tests/lib/kvm-usable.sh (ATOLL_KVM=/nonexistent simulates
 * a machine without KVM).
 */
static bool kvm_usable(char *why, size_t whysize)
{
    const char *dev = getenv("ATOLL_KVM");

    if (dev == NULL || dev[0] == '\0')
        dev = "/dev/kvm";
    return kvm_probe(dev, why, whysize);
}

static const char kvm_check_help[] =
    "usage: atoll kvm-check\n"
    "\n"
    "Whether KVM can run Atoll's guests here, by the probe atoll run uses\n"
    "(a tiny guest running SSE code): exit status 0 if so, else 1 and the\n"
    "reason in one line on stdout. ATOLL_KVM=DEV probes DEV instead of\n"
    "/dev/kvm.\n";

int cmd_kvm_check(int argc, char **argv)
{
    char why[256];

    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            fputs(kvm_check_help, stdout);
            return 0;
        }
        fprintf(stderr, "atoll kvm-check: unexpected '%s' (atoll kvm-check "
                "--help)\n", argv[1]);
        return EXIT_USAGE;
    }
    if (kvm_usable(why, sizeof why))
        return 0;
    printf("%s\n", why);
    return EXIT_FAIL;
}

/* The value the boot parameters (words before a second --) give key, or
 * NULL. */
static const char *boot_value(char **args, const char *key)
{
    size_t n = strlen(key);

    for (; *args != NULL && strcmp(*args, "--") != 0; args++)
        if (strncmp(*args, key, n) == 0 && (*args)[n] == '=')
            return *args + n + 1;
    return NULL;
}

static bool boot_has(char **args, const char *key)
{
    return boot_value(args, key) != NULL;
}

static void auto_args(const struct netauto *na, char **args,
                      struct strv *cmd)
{
    char host[16], guest[16];

    netauto_addr(na->host, host);
    netauto_addr(na->guest, guest);
    if (!boot_has(args, "--ipv4"))
        strv_addf(cmd, "--ipv4=%s/%d", guest, na->prefix);
    const char *v4 = boot_value(args, "--ipv4");
    /* (the stack ignores a gateway with DHCP, warning) */
    if (!boot_has(args, "--ipv4-gateway") &&
        (v4 == NULL || strcmp(v4, "dhcp") != 0))
        strv_addf(cmd, "--ipv4-gateway=%s", host);
}

void run_guest_words(const struct run_opts *o, struct strv *words)
{
    if (o->autonet >= 0)
        auto_args(&o->na, o->args, words);
    for (char **w = o->args; *w != NULL; w++)
        strv_add(words, *w);
}

/* Create the TAP of --net NAME=auto and say where the unikernel is. On
 * spt and hvt an image that asks for virtio-net headers gets a TAP with
 * them, so its offloads work as with a TAP the tender opens by name;
 * QEMU opens its TAP its own way. */
static int make_tap(const struct res *r, const struct app *a,
                    struct netauto *na, char **args)
{
    char err[256], host[16], guest[16];
    uint32_t asked = 0;
    bool hvt = strcmp(a->target, "hvt") == 0;

    if ((hvt || strcmp(a->target, "spt") == 0) &&
        image_requests(a->image, a->target, &asked, err, sizeof err) != 0) {
        fprintf(stderr, "atoll run: %s: %s\n", a->image, err);
        return -1;
    }
    /* The tender's own switch (tenders/{hvt,spt}/main.c): plain frames. */
    const char *off = getenv(hvt ? "ATOLL_HVT_NET_OFFLOAD"
                                 : "ATOLL_SPT_NET_OFFLOAD");
    bool vnet = (asked & ATOLL_EXT_F_NET_VNET) != 0 &&
                (off == NULL || strcmp(off, "0") != 0);

    if (netauto_create(na, vnet, err, sizeof err) != 0) {
        if (errno != EPERM && errno != EACCES) {
            fprintf(stderr, "atoll run: --net %s=auto: %s\n", r->name, err);
            return -1;
        }
        fprintf(stderr, "atoll run: --net %s=auto needs root or "
                "CAP_NET_ADMIN to create a TAP interface (%s); make one "
                "yourself with:\n", r->name, err);
        tap_hint(r->name, "atoll0");
        return -1;
    }
    netauto_addr(na->host, host);
    netauto_addr(na->guest, guest);
    if (boot_has(args, "--ipv4"))
        fprintf(stderr, "atoll run: net device '%s' on %s (host %s/%d); the "
                "unikernel has the --ipv4 given\n", r->name, na->tap, host,
                na->prefix);
    else
        fprintf(stderr, "atoll run: net device '%s' on %s (host %s/%d); the "
                "unikernel is at %s\n", r->name, na->tap, host, na->prefix,
                guest);
    return 0;
}

/* Record --net/--block NAME=VALUE; false after saying what is wrong. */
static bool add_res(struct run_opts *o, const char *key, const char *val)
{
    bool net = strcmp(key, "--net") == 0;
    struct res *r = net ? &o->nets[o->nnet] : &o->blocks[o->nblock];

    if ((net ? o->nnet : o->nblock) == ATOLL_MFT_MAX_ENTRIES) {
        fprintf(stderr, "atoll run: too many %s options\n", key);
        return false;
    }
    if (!split_res(key, val, r, &o->names[o->nnames]))
        return false;
    o->nnames++;
    if (net) {
        o->nnet++;
    } else {
        /* The build changes the current folder; keep the file's. */
        r->value = o->names[o->nnames++] = path_absolute(r->value);
        o->nblock++;
    }
    return true;
}

/* The options that take a value, as --KEY VALUE or --KEY=VALUE. */
static const char *const value_opts[] = {"--net", "--block", "--mem",
                                         "--machine"};
#define NVALUE_OPTS (sizeof value_opts / sizeof value_opts[0])

/* Which value option o is (with its value at *val if o is --KEY=VALUE),
 * or NULL. */
static const char *value_opt(const char *o, const char **val)
{
    for (size_t k = 0; k < NVALUE_OPTS; k++) {
        size_t n = strlen(value_opts[k]);

        if (strncmp(o, value_opts[k], n) != 0)
            continue;
        if (o[n] == '=') {
            *val = o + n + 1;
            return value_opts[k];
        }
        if (o[n] == '\0') {
            *val = NULL;
            return value_opts[k];
        }
    }
    return NULL;
}

/* The command line: 0, 1 if --help was printed, -1 on a usage error. */
static int parse_opts(struct run_opts *o, int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *opt = argv[i], *val, *key;

        if (strcmp(opt, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(run_help, stdout);
            return 1;
        }
        if (strcmp(opt, "--print-config") == 0) {
            o->print_config = true;
            continue;
        }
        if (strcmp(opt, "-q") == 0 || strcmp(opt, "--print-command") == 0) {
            *(opt[1] == 'q' ? &o->quiet : &o->print) = true;
            continue;
        }
        key = value_opt(opt, &val);
        if (key == NULL) {
            fprintf(stderr, "atoll run: unknown option '%s'; the "
                    "unikernel's own arguments go after -- (atoll run "
                    "--help)\n", opt);
            return -1;
        }
        if (val == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll run: %s needs a value\n", opt);
                return -1;
            }
            val = argv[++i];
        }
        if (strcmp(key, "--mem") == 0)
            o->mem = val;
        else if (strcmp(key, "--machine") == 0)
            o->machine = val;
        else if (!add_res(o, key, val))
            return -1;
    }
    o->args = argv + i;
    if (o->mem != NULL && (o->mem[0] == '\0' ||
                           strspn(o->mem, "0123456789") != strlen(o->mem))) {
        fprintf(stderr, "atoll run: --mem %s: a number of MiB\n", o->mem);
        return -1;
    }
    if (o->machine != NULL && strcmp(o->machine, "microvm") != 0 &&
        strcmp(o->machine, "q35") != 0) {
        fprintf(stderr, "atoll run: --machine %s: microvm (virtio-mmio, the "
                "default) or q35 (virtio-pci)\n", o->machine);
        return -1;
    }
    return 0;
}

const struct res *run_res_of(const struct run_opts *o, bool net,
                             const char *name)
{
    const struct res *rs = net ? o->nets : o->blocks;
    int n = net ? o->nnet : o->nblock;

    for (int k = 0; k < n; k++)
        if (strcmp(rs[k].name, name) == 0)
            return &rs[k];
    return NULL;
}

/* Resource k of all (nets first, then blocks). */
static const struct res *res_at(const struct run_opts *o, int k)
{
    return k < o->nnet ? &o->nets[k] : &o->blocks[k - o->nnet];
}

/* Every resource names a declared device of its kind, once; the TAP or
 * file exists (or is made by NAME=auto, at most one). */
static int check_resources(struct run_opts *o, const struct app *a)
{
    for (int k = 0; k < o->nnet + o->nblock; k++) {
        bool net = k < o->nnet;
        const struct res *r = res_at(o, k);
        int d = conf_find_dev(&a->conf, r->name);

        if (d < 0 || a->conf.devs[d].kind != (net ? CONF_NET : CONF_BLOCK)) {
            fprintf(stderr, "atoll run: %s declares no %s device '%s'\n",
                    a->conf.path, net ? "net" : "block", r->name);
            return -1;
        }
        for (int j = 0; j < k; j++) {
            if (strcmp(res_at(o, j)->name, r->name) == 0) {
                fprintf(stderr, "atoll run: device '%s' given twice\n",
                        r->name);
                return -1;
            }
        }
        if (net && strcmp(r->value, "auto") == 0) {
            if (o->autonet >= 0) {
                fprintf(stderr, "atoll run: --net %s=auto and --net %s=auto: "
                        "one automatic TAP per run (the unikernel has one "
                        "--ipv4)\n", o->nets[o->autonet].name, r->name);
                return -1;
            }
            o->autonet = k;
            continue;
        }
        /* (a xen vif's value is a bridge: xen.c checks it for a run) */
        if (net && strcmp(a->target, "xen") == 0)
            continue;
        if ((net ? check_tap(r->name, r->value)
                 : check_file(r->name, r->value)) != 0)
            return -1;
    }
    return 0;
}

/* Every declared device has a resource; else say how to give one. */
static int check_declared(const struct run_opts *o, const struct app *a)
{
    for (int d = 0; d < a->conf.ndevs; d++) {
        const struct conf_dev *dev = &a->conf.devs[d];
        bool net = dev->kind == CONF_NET;

        if (run_res_of(o, net, dev->name) != NULL)
            continue;
        if (net) {
            fprintf(stderr, "atoll run: the unikernel declares net device "
                    "'%s' (%s:%d); attach a TAP interface with\n    atoll "
                    "run --net %s=TAP\n  create one with:\n", dev->name,
                    a->conf.path, dev->line, dev->name);
            tap_hint(dev->name, "tap0");
        } else
            fprintf(stderr, "atoll run: the unikernel declares block device "
                    "'%s' (%s:%d); back it with a file:\n    atoll run "
                    "--block %s=FILE\n  (create one with: truncate -s 64M "
                    "FILE)\n", dev->name, a->conf.path, dev->line, dev->name);
        return -1;
    }
    return 0;
}

/* The target's tender with the image, its devices and command line. */
static void tender_command(const struct run_opts *o, const struct app *a,
                           struct strv *cmd)
{
    char *tender = xasprintf("atoll-%s", a->target);
    char *path = tree_tool(&a->tree, tender);

    strv_add(cmd, path);
    free(path);
    free(tender);
    if (o->mem != NULL)
        strv_addf(cmd, "--mem=%s", o->mem);
    for (int k = 0; k < o->nnet; k++) {
        if (k == o->autonet)
            strv_addf(cmd, "--net:%s=@%d", o->nets[k].name, o->na.fd);
        else
            strv_addf(cmd, "--net:%s=%s", o->nets[k].name, o->nets[k].value);
    }
    for (int k = 0; k < o->nblock; k++)
        strv_addf(cmd, "--block:%s=%s", o->blocks[k].name,
                  o->blocks[k].value);
    strv_add(cmd, "--");
    strv_add(cmd, a->image);
    run_guest_words(o, cmd);
}

/* A word as the shell reads it back: bare if it has only characters no
 * shell treats specially, else in single quotes. */
static void print_quoted(const char *w)
{
    if (w[0] != '\0' &&
        strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789_@%+=:,./-") == strlen(w)) {
        fputs(w, stdout);
        return;
    }
    putchar('\'');
    for (; *w != '\0'; w++) {
        if (*w == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*w);
    }
    putchar('\'');
}

void run_print_command(char *const *cmd)
{
    for (size_t i = 0; cmd[i] != NULL; i++) {
        if (i > 0)
            putchar(' ');
        print_quoted(cmd[i]);
    }
    putchar('\n');
}

/* Become the tender; returns only if that failed. */
static int exec_tender(struct strv *cmd)
{
    fflush(stdout);
    fflush(stderr);
    execv(cmd->v[0], cmd->v);
    fprintf(stderr, "atoll run: cannot start %s: %s\n", cmd->v[0],
            strerror(errno));
    return EXIT_FAIL;
}

/* KVM where it is usable, else QEMU's TCG (saying why unless -q). */
static const char *virtio_accel(const struct run_opts *o)
{
    char why[160];

    if (kvm_usable(why, sizeof why))
        return "kvm";
    if (!o->quiet)
        fprintf(stderr, "atoll run: no usable KVM: %s; QEMU emulates the "
                "CPU (TCG), slower\n", why);
    return "tcg";
}

/* What the target needs of the host and the options: KVM for hvt, --machine
 * only for virtio (*accel: KVM or TCG there). */
static int check_target(const struct run_opts *o, const struct app *a,
                        const char **accel)
{
    bool virtio = strcmp(a->target, "virtio") == 0;
    bool xen = strcmp(a->target, "xen") == 0;
    char why[160];

    if ((o->print_config && !xen) || (xen && o->print)) {
        fprintf(stderr, "atoll run: %s is for the xen target only, "
                "which prints its xl configuration with --print-config; "
                "this unikernel is configured for %s\n",
                xen ? "--print-command" : "--print-config", a->target);
        return EXIT_USAGE;
    }
    if (xen)
        return xen_check(o);
    if (o->machine != NULL && !virtio) {
        fprintf(stderr, "atoll run: --machine is for the virtio target "
                "(QEMU); this unikernel is configured for %s\n", a->target);
        return EXIT_USAGE;
    }
    if (virtio)
        *accel = virtio_accel(o);
    if (strcmp(a->target, "hvt") == 0 && !o->print &&
        !kvm_usable(why, sizeof why)) {
        fprintf(stderr, "atoll run: the hvt target needs KVM, but %s; run "
                "it as a process instead: atoll configure -t spt && atoll "
                "run\n", why);
        return EXIT_FAIL;
    }
    return 0;
}

/* --print-command prints what a run would start; NAME=auto has no TAP. */
static int check_print(const struct run_opts *o)
{
    if (o->print && o->autonet >= 0) {
        fprintf(stderr, "atoll run: --print-command and --net %s=auto: the "
                "TAP is made only for a run; give an existing TAP\n",
                o->nets[o->autonet].name);
        return EXIT_USAGE;
    }
    return 0;
}

/* Print the command, become the tender, or run QEMU and wait. */
static int start(struct run_opts *o, const struct app *a, const char *qemu,
                 const char *accel)
{
    struct strv cmd = {0};
    int rc;

    if (strcmp(a->target, "xen") == 0) {
        if (!o->print_config)
            return xen_run(o, a);
        xen_config(o, a, stdout);
        return 0;
    }
    if (accel != NULL) /* virtio */
        qemu_command(o, a, qemu != NULL ? qemu : QEMU_PROGRAM, accel, &cmd);
    else
        tender_command(o, a, &cmd);
    if (o->print) {
        run_print_command(cmd.v);
        rc = 0;
    } else if (accel != NULL) {
        rc = qemu_run(cmd.v, o->na.fd);
        o->na.fd = -1; /* qemu_run closed it */
    } else {
        rc = exec_tender(&cmd);
    }
    strv_free(&cmd);
    return rc;
}

/* The checks that need the application, its build, then the run. */
static int run_app(struct run_opts *o)
{
    const char *accel = NULL; /* set for virtio */
    char *qemu = NULL;
    struct app a;
    int rc;

    if (app_load(&a) != 0)
        return EXIT_FAIL;
    rc = check_target(o, &a, &accel);
    if (rc == 0 && (check_resources(o, &a) != 0 ||
                    check_declared(o, &a) != 0))
        rc = EXIT_FAIL;
    if (rc == 0)
        rc = check_print(o);
    if (rc == 0 && accel != NULL && !o->print && (qemu = qemu_find()) == NULL)
        rc = EXIT_FAIL;
    struct build_opts bo = {.jobs = build_jobs_default(),
                            .log = o->quiet ? NULL : stderr};
    if (rc == 0 && app_build(&a, &bo) != 0)
        rc = EXIT_FAIL;
    if (rc == 0 && o->autonet >= 0 &&
        make_tap(&o->nets[o->autonet], &a, &o->na, o->args) != 0)
        rc = EXIT_FAIL;
    if (rc == 0)
        rc = start(o, &a, qemu, accel);
    free(qemu);
    app_free(&a);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.autonet = -1, .na = {.fd = -1}};
    int rc = parse_opts(&o, argc, argv);

    if (rc == 0)
        rc = run_app(&o);
    else
        rc = rc > 0 ? 0 : EXIT_USAGE;
    if (o.na.fd >= 0)
        close(o.na.fd);
    for (int k = 0; k < o.nnames; k++)
        free(o.names[k]);
    return rc;
}
