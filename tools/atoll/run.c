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
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "atoll.h"
#include "netauto.h"

static const char run_help[] =
    "usage: atoll run [--net NAME=TAP] [--block NAME=FILE] [--mem MB] [-q]\n"
    "                 [-- BOOT-ARGS...]\n"
    "\n"
    "Build the image if it is out of date, then start it with the target's\n"
    "tender and the devices unikernel.conf declares; every declared device\n"
    "needs its resource:\n"
    "  --net NAME=TAP     attach the existing TAP interface TAP to the net\n"
    "                     device NAME (or @FD, an open TAP descriptor)\n"
    "  --net NAME=auto    create a TAP for this run (root or CAP_NET_ADMIN):\n"
    "                     the host side gets a free private /30, the\n"
    "                     unikernel --ipv4 and --ipv4-gateway (unless given\n"
    "                     after --); the TAP goes when the unikernel ends\n"
    "  --block NAME=FILE  back the block device NAME with FILE (its size, a\n"
    "                     multiple of 512 bytes, is the capacity)\n"
    "  --mem MB           guest memory in MiB (tender default: 512)\n"
    "  -q                 print no build steps\n"
    "Words after -- are the unikernel's command line: boot parameters\n"
    "(--help lists them, e.g. --log=debug) and its arguments.\n"
    "Exit status: the unikernel's; 255 if it aborted; 128 + the signal if\n"
    "it faulted (139 SIGSEGV, 159 SIGSYS: a forbidden system call); 1 if\n"
    "it could not be started, 2 for a usage error.\n";

struct res {
    const char *name;
    const char *value;
};

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
 * Whether the hvt tender can open KVM; if not, say so and suggest spt.
 * ATOLL_KVM names another device to try, as in tests/lib/kvm-usable.sh
 * (ATOLL_KVM=/nonexistent simulates a machine without KVM).
 */
static bool kvm_usable(void)
{
    const char *dev = getenv("ATOLL_KVM");
    struct stat st;
    char why[160];
    int fd;

    if (dev == NULL || dev[0] == '\0')
        dev = "/dev/kvm";
    if (stat(dev, &st) != 0) {
        snprintf(why, sizeof why, "%s is missing", dev);
    } else if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 10 ||
               minor(st.st_rdev) != 232) {
        /* /dev/null bound over /dev/kvm is not KVM (10:232) */
        snprintf(why, sizeof why, "%s is not the KVM device", dev);
    } else if ((fd = open(dev, O_RDWR | O_CLOEXEC)) < 0) {
        snprintf(why, sizeof why, "%s cannot be opened: %s", dev,
                 strerror(errno));
    } else {
        close(fd);
        return true;
    }
    fprintf(stderr, "atoll run: the hvt target needs KVM, but %s; run it "
            "as a process instead: atoll configure -t spt && atoll run\n",
            why);
    return false;
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

/* Create the TAP of --net NAME=auto and say where the unikernel is. */
static int make_tap(const struct res *r, struct netauto *na, char **args)
{
    char err[256], host[16], guest[16];

    if (netauto_create(na, err, sizeof err) != 0) {
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

int cmd_run(int argc, char **argv)
{
    struct res nets[ATOLL_MFT_MAX_ENTRIES], blocks[ATOLL_MFT_MAX_ENTRIES];
    char *names[3 * ATOLL_MFT_MAX_ENTRIES]; /* what the res point to */
    int nnet = 0, nblock = 0, nnames = 0, i, autonet = -1;
    struct netauto na = {.fd = -1};
    const char *mem = NULL;
    bool quiet = false;
    struct app a;
    int rc = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *val = NULL;
        const char *key = o;

        if (strcmp(o, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(run_help, stdout);
            return 0;
        }
        if (strcmp(o, "-q") == 0) {
            quiet = true;
            continue;
        }
        if (strncmp(o, "--net=", 6) == 0 || strncmp(o, "--block=", 8) == 0 ||
            strncmp(o, "--mem=", 6) == 0) {
            val = strchr(o, '=') + 1;
            key = o[2] == 'n' ? "--net" : o[2] == 'b' ? "--block" : "--mem";
        } else if (strcmp(o, "--net") == 0 || strcmp(o, "--block") == 0 ||
                   strcmp(o, "--mem") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll run: %s needs a value\n", o);
                goto out;
            }
            val = argv[++i];
        } else {
            fprintf(stderr, "atoll run: unknown option '%s'; the "
                    "unikernel's own arguments go after -- (atoll run "
                    "--help)\n", o);
            goto out;
        }
        if (strcmp(key, "--mem") == 0) {
            mem = val;
            continue;
        }
        bool net = strcmp(key, "--net") == 0;
        struct res *r = net ? &nets[nnet] : &blocks[nblock];
        if ((net ? nnet : nblock) == ATOLL_MFT_MAX_ENTRIES) {
            fprintf(stderr, "atoll run: too many %s options\n", key);
            goto out;
        }
        if (!split_res(key, val, r, &names[nnames]))
            goto out;
        nnames++;
        if (net) {
            nnet++;
        } else {
            /* The build changes the current folder; keep the file's. */
            r->value = names[nnames++] = path_absolute(r->value);
            nblock++;
        }
    }
    if (mem != NULL && strspn(mem, "0123456789") != strlen(mem)) {
        fprintf(stderr, "atoll run: --mem %s: a number of MiB\n", mem);
        goto out;
    }

    rc = EXIT_FAIL;
    if (app_load(&a) != 0)
        goto out;
    if (strcmp(a.target, "hvt") == 0 && !kvm_usable())
        goto out_app;
    /* Every resource names a declared device of its kind ... */
    for (int k = 0; k < nnet + nblock; k++) {
        bool net = k < nnet;
        const struct res *r = net ? &nets[k] : &blocks[k - nnet];
        int d = conf_find_dev(&a.conf, r->name);

        if (d < 0 || a.conf.devs[d].kind != (net ? CONF_NET : CONF_BLOCK)) {
            fprintf(stderr, "atoll run: %s declares no %s device '%s'\n",
                    a.conf.path, net ? "net" : "block", r->name);
            goto out_app;
        }
        for (int j = 0; j < k; j++) {
            const struct res *q = j < nnet ? &nets[j] : &blocks[j - nnet];

            if (strcmp(q->name, r->name) == 0) {
                fprintf(stderr, "atoll run: device '%s' given twice\n",
                        r->name);
                goto out_app;
            }
        }
        if (net && strcmp(r->value, "auto") == 0) {
            if (autonet >= 0) {
                fprintf(stderr, "atoll run: --net %s=auto and --net %s=auto: "
                        "one automatic TAP per run (the unikernel has one "
                        "--ipv4)\n", nets[autonet].name, r->name);
                goto out_app;
            }
            autonet = k;
            continue;
        }
        if ((net ? check_tap(r->name, r->value)
                 : check_file(r->name, r->value)) != 0)
            goto out_app;
    }
    /* ... and every declared device has one. */
    for (int d = 0; d < a.conf.ndevs; d++) {
        const struct conf_dev *dev = &a.conf.devs[d];
        bool found = false;

        for (int k = 0; k < nnet + nblock; k++) {
            const struct res *r = k < nnet ? &nets[k] : &blocks[k - nnet];

            if (strcmp(r->name, dev->name) == 0)
                found = true;
        }
        if (found)
            continue;
        if (dev->kind == CONF_NET)
        {
            fprintf(stderr, "atoll run: the unikernel declares net device "
                    "'%s' (%s:%d); attach a TAP interface with\n    atoll "
                    "run --net %s=TAP\n  create one with:\n", dev->name,
                    a.conf.path, dev->line, dev->name);
            tap_hint(dev->name, "tap0");
        } else
            fprintf(stderr, "atoll run: the unikernel declares block device "
                    "'%s' (%s:%d); back it with a file:\n    atoll run "
                    "--block %s=FILE\n  (create one with: truncate -s 64M "
                    "FILE)\n", dev->name, a.conf.path, dev->line, dev->name);
        goto out_app;
    }

    struct build_opts bo = {.jobs = build_jobs_default(),
                            .log = quiet ? NULL : stderr};
    if (app_build(&a, &bo) != 0)
        goto out_app;

    if (autonet >= 0 && make_tap(&nets[autonet], &na, argv + i) != 0)
        goto out_app;

    struct strv cmd = {0};
    char *tender = xasprintf("atoll-%s", a.target);
    char *path = tree_tool(&a.tree, tender);
    strv_add(&cmd, path);
    if (mem != NULL)
        strv_addf(&cmd, "--mem=%s", mem);
    for (int k = 0; k < nnet; k++) {
        if (k == autonet)
            strv_addf(&cmd, "--net:%s=@%d", nets[k].name, na.fd);
        else
            strv_addf(&cmd, "--net:%s=%s", nets[k].name, nets[k].value);
    }
    for (int k = 0; k < nblock; k++)
        strv_addf(&cmd, "--block:%s=%s", blocks[k].name, blocks[k].value);
    strv_add(&cmd, "--");
    strv_add(&cmd, a.image);
    if (autonet >= 0)
        auto_args(&na, argv + i, &cmd);
    for (; i < argc; i++)
        strv_add(&cmd, argv[i]);
    fflush(stdout);
    fflush(stderr);
    execv(cmd.v[0], cmd.v);
    fprintf(stderr, "atoll run: cannot start %s: %s\n", path,
            strerror(errno));
    free(path);
    free(tender);
    strv_free(&cmd);
    if (na.fd >= 0)
        close(na.fd);
out_app:
    app_free(&a);
out:
    for (int k = 0; k < nnames; k++)
        free(names[k]);
    return rc;
}
