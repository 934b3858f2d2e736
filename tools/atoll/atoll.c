/*
 * atoll: configure, build, run and describe a unikernel from the folder of
 * its unikernel.conf. Commands it does not know, NAME, run the program
 * atoll-NAME beside it (atoll kv ... runs atoll-kv), as git does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atoll.h"
#include "atoll/abi/hvt.h"
#include "atoll/abi/mft.h"
#include "atoll/abi/spt.h"
#include "version.h"

static const char main_help[] =
    "usage: atoll [-C DIR] COMMAND [ARGS...]\n"
    "\n"
    "Build single-purpose unikernels from an application folder holding\n"
    "unikernel.conf and C sources:\n"
    "\n"
    "  new NAME              a new application folder (--template=hello,\n"
    "                        echo or kv)\n"
    "  configure -t TARGET   read unikernel.conf, pick a target (hvt, spt,\n"
    "                        virtio, xen), write the build plan under\n"
    "                        _build/\n"
    "  build                 compile and link dist/NAME.TARGET\n"
    "  run [-- ARGS...]      build if needed, then start the unikernel\n"
    "  describe              target, devices, libraries, image size and\n"
    "                        boot parameters\n"
    "  pack [-- ARGS...]     write dist/NAME-TARGET.oci.tar, an OCI image\n"
    "                        for container platforms (urunc)\n"
    "  clean                 remove _build/ and dist/\n"
    "  kvm-check             whether KVM can run the guests here (exit\n"
    "                        status; the reason if not)\n"
    "  www pack DIR -o FILE  a site as a tar archive for examples/www, with\n"
    "                        .gz siblings (atoll www --help)\n"
    "  dns check ZONE...     zone files checked as examples/dns loads\n"
    "                        them; dns pack ZONE... -o FILE: their tar\n"
    "                        archive (atoll dns --help)\n"
    "  NAME [ARGS...]        run the tool atoll-NAME (e.g. atoll kv)\n"
    "\n"
    "Options:\n"
    "  -C DIR      act as if started in DIR\n"
    "  --help      this text; atoll COMMAND --help explains a command\n"
    "  --version   the version, targets and interface versions\n"
    "\n"
    "Commands work from the application folder or any folder below it.\n"
    "unikernel.conf is described in docs/unikernel-conf.md.\n";

static const char configure_help[] =
    "usage: atoll configure -t TARGET [-f FILE] [-B DIR] [-q]\n"
    "\n"
    "Read unikernel.conf, check it (sources, libraries, devices) and write\n"
    "the build plan and the manifest under DIR/_build/. Running it again\n"
    "with another target switches the build folder to that target.\n"
    "  -t TARGET  hvt (KVM, atoll-hvt) or spt (seccomp process, atoll-spt)\n"
    "  -f FILE    the configuration (default: unikernel.conf in this folder\n"
    "             or the nearest parent that has one, or the one of the\n"
    "             build plan found there)\n"
    "  -B DIR     the build folder for _build/ and dist/ (default: the\n"
    "             folder of FILE); commands run there find the plan\n"
    "  -q         print nothing but errors\n";

static const char build_help[] =
    "usage: atoll build [-j N] [-q] [-v]\n"
    "\n"
    "Compile the sources and link dist/NAME.TARGET, redoing only what is\n"
    "out of date (a source, a header it includes, the flags or\n"
    "unikernel.conf changed). Edits to unikernel.conf need no new\n"
    "configure; a new target does.\n"
    "  -j N   run N compilations at once (default: the number of CPUs)\n"
    "  -q     print nothing but errors\n"
    "  -v     print every command instead of one line per step (so does\n"
    "         V=1 in the environment, as make's V=1 sets it)\n";

static const char describe_help[] =
    "usage: atoll describe\n"
    "\n"
    "Print the unikernel's target, sources, libraries and devices, the size\n"
    "of its image, and the boot parameters the image accepts with their\n"
    "types, defaults and help (read from the image, which is not run).\n";

static const char clean_help[] =
    "usage: atoll clean\n"
    "\n"
    "Remove the build folder's _build/ (plan, objects) and its images and\n"
    "image archives (atoll pack) in dist/. Run atoll configure again\n"
    "afterwards.\n";

static bool is_help(const char *s)
{
    return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

/* ---- configure --------------------------------------------------------- */

/*
 * From the current folder upwards, the first folder with a build plan or a
 * unikernel.conf. *bdir gets the former (configure again what is there),
 * *conf the latter; both NULL if neither is found.
 */
static void find_app(char **bdir, char **conf)
{
    char *dir = path_absolute(".");

    *bdir = *conf = NULL;
    for (;;) {
        char *plan = path_join(dir, PLAN_FILE);
        char *c = path_join(dir, "unikernel.conf");

        if (is_file(plan)) {
            *bdir = xstrdup(dir);
        } else if (is_file(c)) {
            *conf = c;
            c = NULL;
        }
        free(plan);
        free(c);
        if (*bdir != NULL || *conf != NULL || strcmp(dir, "/") == 0)
            break;
        char *up = path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
}

static void print_list(const char *label, const struct strv *words,
                       const char *sep, const char *none)
{
    char *s = strv_join(words, sep);

    printf("  %-12s %s\n", label, s[0] ? s : none);
    free(s);
}

static void devices_text(const struct conf *c, struct strv *out)
{
    for (int i = 0; i < c->ndevs; i++)
        strv_addf(out, "%s %s", conf_kind_name(c->devs[i].kind),
                  c->devs[i].name);
}

struct configure_opts {
    const char *target, *file, *bdir;
    bool quiet;
};

/* Read atoll configure's options into o. Returns -1 to go on, else the
 * exit status (0 after --help). */
static int configure_args(int argc, char **argv, struct configure_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (is_help(s)) {
            fputs(configure_help, stdout);
            return 0;
        }
        if (strcmp(s, "-q") == 0) {
            o->quiet = true;
            continue;
        }
        const char **slot = strcmp(s, "-t") == 0 ? &o->target
                            : strcmp(s, "-f") == 0 ? &o->file
                            : strcmp(s, "-B") == 0 ? &o->bdir
                                                   : NULL;
        if (slot == NULL && strncmp(s, "--target=", 9) == 0) {
            o->target = s + 9;
            continue;
        }
        if (slot == NULL) {
            fprintf(stderr, "atoll configure: unknown option '%s' (atoll "
                    "configure --help)\n", s);
            return EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "atoll configure: %s needs a value\n", s);
            return EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    return -1;
}

/* The available target named name, or NULL after saying why not. */
static const struct target *configure_target(const char *name)
{
    char *list = target_list(false);
    const struct target *tg = name != NULL ? target_find(name) : NULL;

    if (name == NULL)
        fprintf(stderr, "atoll configure: which target? give -t TARGET "
                "(%s)\n", list);
    else if (tg == NULL || !tg->available)
        fprintf(stderr, "atoll configure: %s target '%s' (targets: %s)\n",
                tg == NULL ? "unknown" : "not yet available:", name, list);
    free(list);
    return tg != NULL && tg->available ? tg : NULL;
}

/* The conf file a build folder's plan names, absolute; NULL if none. */
static char *plan_conf(const char *bdir)
{
    char *plan = path_join(bdir, PLAN_FILE);
    char *text = read_file(plan, NULL);
    char *line = text != NULL ? strstr(text, "\nconf ") : NULL;
    char *conf = NULL;

    if (line != NULL) {
        line += 6;
        line[strcspn(line, "\n")] = '\0';
        char *p = path_join(bdir, line);
        conf = path_absolute(p);
        free(p);
    }
    free(text);
    free(plan);
    return conf;
}

/* Set a's conf_path and bdir from the options or from where we are: -f,
 * else the build folder we are in (configured again, with its file), else
 * the nearest unikernel.conf. Returns 0, or -1 after saying why. */
static int configure_paths(struct app *a, const struct configure_opts *o)
{
    if (o->file != NULL) {
        a->conf_path = path_absolute(o->file);
    } else {
        find_app(&a->bdir, &a->conf_path);
        if (a->bdir != NULL) {
            a->conf_path = plan_conf(a->bdir);
            if (o->bdir != NULL) {
                free(a->bdir);
                a->bdir = NULL;
            }
        }
        if (a->conf_path == NULL) {
            fprintf(stderr, "atoll configure: no unikernel.conf here or in a "
                    "parent folder; write one (docs/unikernel-conf.md) or "
                    "give -f FILE\n");
            return -1;
        }
    }
    if (a->bdir == NULL)
        a->bdir = o->bdir != NULL ? path_absolute(o->bdir)
                                  : path_dirname(a->conf_path);
    return 0;
}

/* What atoll configure did, for a person. */
static void configure_summary(const struct app *a, const struct target *tg)
{
    struct strv devs = {0}, libs = {0};
    char *bd = path_display(a->bdir);
    char *img = path_display(a->image);

    devices_text(&a->conf, &devs);
    strv_addv(&libs, &a->conf.libs);
    strv_add(&libs, "rt");
    strv_add(&libs, "libc");
    printf("atoll: configured %s for %s (%s)\n", a->conf.name, a->target,
           tg->what);
    printf("  %-12s %s\n", "build folder", bd);
    print_list("sources", &a->conf.srcs, " ", "none");
    print_list("libraries", &libs, " ", "none");
    print_list("devices", &devs, ", ", "none");
    printf("  %-12s %s (after atoll build)\n", "image", img);
    free(bd);
    free(img);
    strv_free(&devs);
    strv_free(&libs);
}

int cmd_configure(int argc, char **argv)
{
    struct configure_opts o;
    struct app a;
    char err[CONF_ERR_SIZE];
    int rc = configure_args(argc, argv, &o);

    if (rc >= 0)
        return rc;
    const struct target *tg = configure_target(o.target);
    if (tg == NULL)
        return EXIT_USAGE;

    rc = EXIT_FAIL;
    memset(&a, 0, sizeof a);
    if (tree_find(&a.tree, err, sizeof err) != 0) {
        fprintf(stderr, "atoll: %s\n", err);
        return EXIT_FAIL;
    }
    a.target = xstrdup(o.target);
    if (configure_paths(&a, &o) != 0)
        goto out;

    char *shown = path_display(a.conf_path);
    int prc = conf_parse(&a.conf, shown, err, sizeof err);
    free(shown);
    if (prc == 0)
        prc = conf_resolve(&a.conf, &a.tree, err, sizeof err);
    if (prc != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    a.image = xasprintf("%s/%s/%s.%s", a.bdir, DIST_DIR, a.conf.name,
                        a.target);
    if (mkdir_p(a.bdir) != 0) {
        fprintf(stderr, "atoll configure: %s: %s\n", a.bdir,
                strerror(errno));
        goto out;
    }
    if (app_write_plan(&a) != 0)
        goto out;
    if (!o.quiet)
        configure_summary(&a, tg);
    rc = 0;
out:
    app_free(&a);
    return rc;
}

/* ---- build ------------------------------------------------------------- */

int cmd_build(int argc, char **argv)
{
    struct build_opts o = {.jobs = build_jobs_default(), .log = stdout};
    const char *env_v = getenv("V");
    bool quiet = false;
    struct app a;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (is_help(s)) {
            fputs(build_help, stdout);
            return 0;
        }
        if (strcmp(s, "-q") == 0) {
            quiet = true;
        } else if (strcmp(s, "-v") == 0) {
            o.verbose = true;
        } else if (strncmp(s, "-j", 2) == 0) {
            const char *n = s[2] ? s + 2 : i + 1 < argc ? argv[++i] : "";
            char *end;
            long v = strtol(n, &end, 10);

            if (*n == '\0' || *end != '\0' || v < 1 || v > 256) {
                fprintf(stderr, "atoll build: -j %s: a number of jobs "
                        "1-256\n", n);
                return EXIT_USAGE;
            }
            o.jobs = (int)v;
        } else {
            fprintf(stderr, "atoll build: unknown option '%s' (atoll build "
                    "--help)\n", s);
            return EXIT_USAGE;
        }
    }
    if (env_v != NULL && strcmp(env_v, "1") == 0)
        o.verbose = true;
    if (quiet && !o.verbose)
        o.log = NULL;
    if (app_load(&a) != 0) {
        app_free(&a);
        return EXIT_FAIL;
    }
    long long before = mtime_ns(a.image);
    rc = app_build(&a, &o);
    if (rc == 0 && !quiet) {
        char *img = path_relative(a.image, a.bdir);
        long long size = -1;
        FILE *f = fopen(a.image, "rb");

        if (f != NULL && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        if (f != NULL)
            fclose(f);
        printf("atoll: %s %s (%s, %lld bytes)\n", img,
               before == mtime_ns(a.image) ? "is up to date" : "built",
               a.target, size);
        free(img);
    }
    app_free(&a);
    return rc;
}

/* ---- describe ---------------------------------------------------------- */

static void collect_line(const char *line, void *arg)
{
    strv_add(arg, line);
}

int cmd_describe(int argc, char **argv)
{
    struct app a;
    struct strv devs = {0}, libs = {0};
    char err[CONF_ERR_SIZE];
    struct image_info info;

    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(describe_help, stdout);
            return 0;
        }
        fprintf(stderr, "atoll describe: unknown option '%s'\n", argv[i]);
        return EXIT_USAGE;
    }
    if (app_load(&a) != 0) {
        app_free(&a);
        return EXIT_FAIL;
    }
    const struct target *tg = target_find(a.target);
    char *conf = path_display(a.conf_path);
    char *img = path_display(a.image);
    /* virtio and xen have no tender: atoll run starts QEMU or xl */
    char *tender = strcmp(a.target, "virtio") == 0
                       ? xstrdup("no tender: atoll run starts qemu-system-x86_64")
                   : strcmp(a.target, "xen") == 0
                       ? xstrdup("no tender: atoll run starts xl create")
                       : xasprintf("tender %s/atoll-%s", a.tree.bindir,
                                   a.target);

    devices_text(&a.conf, &devs);
    strv_addv(&libs, &a.conf.libs);
    strv_add(&libs, "rt");
    strv_add(&libs, "libc");
    printf("%s\n", a.conf.name);
    printf("  %-12s %s\n", "config", conf);
    printf("  %-12s %s (%s; %s)\n", "target", a.target, tg->what, tender);
    print_list("sources", &a.conf.srcs, " ", "none");
    print_list("libraries", &libs, " ", "none");
    print_list("devices", &devs, ", ", "none");
    if (a.conf.cflags.n > 0) {
        struct strv cf = {0};

        for (size_t i = 0; i < a.conf.cflags.n; i++)
            strv_add(&cf, a.conf.cflags.w[i].word);
        print_list("cflags", &cf, " ", "");
        strv_free(&cf);
    }
    int rc = 0;
    if (!is_file(a.image)) {
        printf("  %-12s %s, not built yet (atoll build)\n", "image", img);
    } else {
        struct strv lines = {0};

        if (image_describe(a.image, &info, collect_line, &lines, err,
                           sizeof err) != 0) {
            fprintf(stderr, "atoll describe: %s: %s\n", img, err);
            rc = EXIT_FAIL;
        } else {
            printf("  %-12s %s, %llu bytes (%llu KiB in memory)\n", "image",
                   img, info.file_size, (info.mem_size + 1023) / 1024);
            for (size_t i = 0; i < lines.n; i++)
                printf("  %s\n", lines.v[i]);
        }
        strv_free(&lines);
    }
    free(tender);
    free(conf);
    free(img);
    strv_free(&devs);
    strv_free(&libs);
    app_free(&a);
    return rc;
}

/* ---- clean ------------------------------------------------------------- */

int cmd_clean(int argc, char **argv)
{
    char *bdir, *p, *conf, *text;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(clean_help, stdout);
            return 0;
        }
        fprintf(stderr, "atoll clean: unknown option '%s'\n", argv[i]);
        return EXIT_USAGE;
    }
    bdir = find_build_folder();
    if (bdir == NULL) {
        printf("atoll: nothing to clean (no _build/plan here or above)\n");
        return 0;
    }
    /* The images: dist/NAME.TARGET for every target, NAME from the plan. */
    p = path_join(bdir, PLAN_FILE);
    text = read_file(p, NULL);
    free(p);
    conf = text != NULL ? strstr(text, "\nname ") : NULL;
    if (conf != NULL) {
        conf += 6;
        conf[strcspn(conf, "\n")] = '\0';
        for (size_t i = 0; i < atoll_ntargets; i++) {
            for (int oci = 0; oci < 2; oci++) {
                /* the image, then atoll pack's archive of it */
                p = xasprintf(oci ? "%s/%s/%s-%s.oci.tar" : "%s/%s/%s.%s",
                              bdir, DIST_DIR, conf, atoll_targets[i].name);
                if (unlink(p) != 0 && errno != ENOENT) {
                    fprintf(stderr, "atoll clean: %s: %s\n", p,
                            strerror(errno));
                    rc = EXIT_FAIL;
                }
                free(p);
            }
        }
        p = path_join(bdir, DIST_DIR);
        rmdir(p); /* only if now empty */
        free(p);
    }
    free(text);
    p = path_join(bdir, PLAN_DIR);
    if (rm_rf(p) != 0) {
        fprintf(stderr, "atoll clean: %s: %s\n", p, strerror(errno));
        rc = EXIT_FAIL;
    }
    free(p);
    free(bdir);
    return rc;
}

/* ---- main -------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"configure", cmd_configure}, {"build", cmd_build}, {"run", cmd_run},
    {"describe", cmd_describe},   {"clean", cmd_clean},
    {"new", cmd_new},             {"pack", cmd_pack},
    {"kvm-check", cmd_kvm_check},
    {"www", cmd_www},
    {"dns", cmd_dns},
};

static void version(void)
{
    char *all = target_list(false);

    printf("atoll %s\n", ATOLL_VERSION);
    printf("targets: %s (hvt ABI %d, spt ABI %d, Solo5 manifest version "
           "%d)\n", all, ATOLL_HVT_ABI_VERSION, ATOLL_SPT_ABI_VERSION,
           ATOLL_MFT_VERSION);
    free(all);
}

/* Run atoll-NAME from beside this program with the remaining words. */
static int dispatch(const char *name, int argc, char **argv)
{
    struct tree t;
    char err[CONF_ERR_SIZE];
    char *tool, *path;

    if (strchr(name, '/') != NULL || name[0] == '-' ||
        tree_find(&t, err, sizeof err) != 0) {
        fprintf(stderr, "atoll: unknown command '%s' (atoll --help lists "
                "them)\n", name);
        return EXIT_USAGE;
    }
    tool = xasprintf("atoll-%s", name);
    path = tree_tool(&t, tool);
    tree_free(&t);
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "atoll: unknown command '%s' (atoll --help lists "
                "them; no %s either)\n", name, path);
        free(path);
        free(tool);
        return EXIT_USAGE;
    }
    argv[0] = tool;
    (void)argc;
    fflush(stdout);
    execv(path, argv);
    fprintf(stderr, "atoll: cannot run %s: %s\n", path, strerror(errno));
    return EXIT_FAIL;
}

int main(int argc, char **argv)
{
    int i = 1;

    while (i < argc && argv[i][0] == '-') {
        if (is_help(argv[i])) {
            fputs(main_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            version();
            return 0;
        }
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
            if (chdir(argv[i + 1]) != 0) {
                fprintf(stderr, "atoll: -C %s: %s\n", argv[i + 1],
                        strerror(errno));
                return EXIT_FAIL;
            }
            i += 2;
            continue;
        }
        fprintf(stderr, "atoll: unknown option '%s' (atoll --help)\n",
                argv[i]);
        return EXIT_USAGE;
    }
    if (i >= argc) {
        fputs(main_help, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 < argc) {
            char *h[] = {argv[i + 1], "--help", NULL};

            for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
                if (strcmp(commands[k].name, argv[i + 1]) == 0)
                    return commands[k].fn(2, h);
            return dispatch(argv[i + 1], 2, h);
        }
        fputs(main_help, stdout);
        return 0;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(commands[k].name, argv[i]) == 0)
            return commands[k].fn(argc - i, argv + i);
    return dispatch(argv[i], argc - i, argv + i);
}
