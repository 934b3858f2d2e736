/*
 * atoll run on the xen target: the xl domain configuration of an image
 * (printed by --print-config, for users who manage domains themselves),
 * and a run through `xl create -F -c` on a Xen dom0.
 *
 * Devices are bound by index, as the guest finds them in xenstore: the
 * k-th net device unikernel.conf declares is vif k (device/vif/k), the
 * k-th block device is disk xvd<a+k> (device/vbd, in that order). A vif
 * is put on a bridge (--net NAME=BRIDGE), a disk is a raw file (--block
 * NAME=FILE).
 *
 * xl exits 0 whether the guest powered off or crashed: the guest says a
 * status other than 0 on its console ("atoll: exit status N") and a crash
 * is xl's "shutdown reason crash" (bindings/xen/exit.c); xenwatch.c reads
 * both for atoll run's exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

#define XL_PROGRAM "xl"

/* A word goes into the guest's command line (space-separated) and into an
 * xl string ("..."): no blanks, quotes, backslashes or controls. */
static bool word_ok(const char *w)
{
    for (const unsigned char *p = (const unsigned char *)w; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7f)
            return false;
    return w[0] != '\0';
}

/* The same for a path or bridge in an xl string (and, for a disk target,
 * the comma-separated disk specification). */
static bool value_ok(const char *v, bool disk)
{
    return word_ok(v) && !(disk && strchr(v, ',') != NULL);
}

int xen_check(const struct run_opts *o)
{
    for (int k = 0; k < o->nnet; k++) {
        if (strcmp(o->nets[k].value, "auto") == 0 ||
            o->nets[k].value[0] == '@' || !value_ok(o->nets[k].value, false)) {
            fprintf(stderr, "atoll run: --net %s=%s: on xen the value is "
                    "the dom0 bridge for the vif (e.g. xenbr0)\n",
                    o->nets[k].name, o->nets[k].value);
            return EXIT_USAGE;
        }
    }
    if (o->nblock > 26) {
        fprintf(stderr, "atoll run: xen takes at most 26 block devices "
                "(xvda..xvdz)\n");
        return EXIT_USAGE;
    }
    for (int k = 0; k < o->nblock; k++) {
        if (!value_ok(o->blocks[k].value, true)) {
            fprintf(stderr, "atoll run: --block %s=%s: xl cannot take this "
                    "path (no blanks, quotes, backslashes or commas)\n",
                    o->blocks[k].name, o->blocks[k].value);
            return EXIT_USAGE;
        }
    }
    for (int k = 0; o->args[k] != NULL; k++) {
        if (!word_ok(o->args[k])) {
            fprintf(stderr, "atoll run: '%s': the xen command line is one "
                    "string of words without blanks, quotes or "
                    "backslashes\n", o->args[k]);
            return EXIT_USAGE;
        }
    }
    if (o->mem != NULL && strtoul(o->mem, NULL, 10) == 0) {
        fprintf(stderr, "atoll run: --mem %s: at least 1 MiB\n", o->mem);
        return EXIT_USAGE;
    }
    return 0;
}

/* The domain's name: the image's file name without ".xen". */
static char *domain_name(const struct app *a)
{
    const char *b = path_basename(a->image);
    size_t n = strlen(b);

    if (n > 4 && strcmp(b + n - 4, ".xen") == 0)
        n -= 4;
    return xasprintf("%.*s", (int)n, b);
}

/* The vifs (net) or disks: a comment line per device, then the list. */
static void print_devices(const struct run_opts *o, const struct app *a,
                          bool net, FILE *f)
{
    enum conf_dev_kind kind = net ? CONF_NET : CONF_BLOCK;
    int n = 0;

    for (int d = 0; d < a->conf.ndevs; d++) {
        if (a->conf.devs[d].kind != kind)
            continue;
        if (run_res_of(o, net, a->conf.devs[d].name) == NULL)
            continue;
        if (net)
            fprintf(f, "# net %s: vif %d\n", a->conf.devs[d].name, n);
        else
            fprintf(f, "# block %s: vbd %d, xvd%c\n", a->conf.devs[d].name,
                    n, 'a' + n);
        n++;
    }
    if (n == 0)
        return;
    fputs(net ? "vif = [" : "disk = [", f);
    n = 0;
    for (int d = 0; d < a->conf.ndevs; d++) {
        const struct res *r = run_res_of(o, net, a->conf.devs[d].name);

        if (a->conf.devs[d].kind != kind || r == NULL)
            continue;
        fputs(n > 0 ? ", " : " ", f);
        if (net)
            fprintf(f, "\"bridge=%s\"", r->value);
        else
            fprintf(f, "\"format=raw,vdev=xvd%c,access=rw,target=%s\"",
                    'a' + n, r->value);
        n++;
    }
    fputs(" ]\n", f);
}

void xen_config(const struct run_opts *o, const struct app *a, FILE *f)
{
    char *name = domain_name(a);

    fprintf(f, "# xl domain configuration of %s (atoll run "
            "--print-config)\n", name);
    fprintf(f, "name = \"%s\"\ntype = \"pvh\"\nkernel = \"%s\"\n", name,
            a->image);
    fprintf(f, "memory = %s\nvcpus = 1\non_crash = \"destroy\"\n",
            o->mem != NULL ? o->mem : "512");
    /* In the manifest's order, which is the vif and disk index order the
     * guest binds its devices in. */
    print_devices(o, a, true, f);
    print_devices(o, a, false, f);
    struct strv words = {0};
    run_guest_words(o, &words);
    char *line = strv_join(&words, " ");
    fprintf(f, "cmdline = \"%s\"\n", line);
    free(line);
    strv_free(&words);
    free(name);
}

/* Each bridge exists in dom0; else say how to make one. */
static int check_bridges(const struct run_opts *o)
{
    for (int k = 0; k < o->nnet; k++) {
        char *p = xasprintf("/sys/class/net/%s/bridge", o->nets[k].value);
        bool ok = access(p, F_OK) == 0;

        free(p);
        if (!ok) {
            fprintf(stderr, "atoll run: --net %s=%s: there is no bridge "
                    "'%s' in this domain; make one with:\n    ip link add "
                    "%s type bridge && ip link set dev %s up\n",
                    o->nets[k].name, o->nets[k].value, o->nets[k].value,
                    o->nets[k].value, o->nets[k].value);
            return -1;
        }
    }
    return 0;
}

/* Write the configuration to a temporary file, run xl create on it in the
 * foreground with the console attached (xenwatch.c); the guest's status. */
int xen_run(const struct run_opts *o, const struct app *a)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path = xasprintf("%s/atoll-xl.XXXXXX", tmpdir != NULL &&
                           tmpdir[0] != '\0' ? tmpdir : "/tmp");
    int fd, rc = EXIT_FAIL;
    FILE *f;

    if (check_bridges(o) != 0) {
        free(path);
        return EXIT_FAIL;
    }
    fd = mkstemp(path);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        fprintf(stderr, "atoll run: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        return EXIT_FAIL;
    }
    xen_config(o, a, f);
    if (fclose(f) != 0) {
        fprintf(stderr, "atoll run: %s: %s\n", path, strerror(errno));
    } else {
        char *name = domain_name(a);
        char *argv[] = {XL_PROGRAM, "create", "-F", "-c", path, NULL};

        rc = xen_watch(argv, name);
        free(name);
    }
    unlink(path);
    free(path);
    return rc;
}
