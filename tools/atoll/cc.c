/*
 * atoll-cc: the C compiler driver for Atoll unikernels. It runs the host's
 * compiler and linker with the flags of tree.c (the one place they are
 * written down), the target's linker script and bindings, the runtime and
 * libc, so that a plain C project builds as a unikernel with
 *
 *   make CC="atoll-cc --target=spt"
 *
 * (which leaves the project's own CFLAGS alone).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "mft.h"
#include "tree.h"
#include "util.h"
#include "version.h"

static const char usage_text[] =
    "usage: atoll-cc --target=TARGET [OPTIONS] FILES...\n"
    "\n"
    "Compile C for an Atoll unikernel, or link objects into one.\n"
    "\n"
    "  atoll-cc --target=spt -c x.c [-o x.o]       compile\n"
    "  atoll-cc --target=spt -o app.spt x.o y.o    link an image\n"
    "  atoll-cc --target=spt -o app.spt x.c y.c    both\n"
    "  make CC=\"atoll-cc --target=spt\"             an existing project\n"
    "                                              (its CFLAGS stay)\n"
    "\n"
    "atoll-cc's own options:\n"
    "  --target=TARGET   hvt, spt, virtio or xen (default: $ATOLL_TARGET)\n"
    "  --manifest=CONF   declare the devices of CONF, a unikernel.conf\n"
    "                    (its net NAME / block NAME lines); default: none\n"
    "  --no-manifest     add no manifest: one of the objects defines it\n"
    "  -lNAME            link the Atoll library NAME and those it needs\n"
    "                    (-lnet: fiber; rt and libc always are), else\n"
    "                    libNAME.a from a -L folder; -lm links\n"
    "                    libm (m.a, from Debian's musl-dev); -lc, -lrt,\n"
    "                    -lpthread and -ldl are accepted and add nothing\n"
    "                    (the C library is always linked; a unikernel has\n"
    "                    one thread and loads no code)\n"
    "  --print-cflags    print the compiler flags for TARGET and stop\n"
    "  --print-asflags   the same for assembler sources (.S)\n"
    "  --print-ldflags   the same for the linker\n"
    "  --verbose         print each command before running it (so does\n"
    "                    V=1 in the environment, as make's V=1 sets it)\n"
    "  --help, --version\n"
    "\n"
    "Compiling adds Atoll's include folders and hardening flags; every other\n"
    "option goes to the compiler ($ATOLL_CC, default %s). Linking uses the\n"
    "target's linker script, bindings, runtime and libc; -Wl,... and\n"
    "-Xlinker go to the linker ($ATOLL_LD, default %s). Exit status: the\n"
    "compiler's or linker's, 2 for a usage error.\n";

/* Compiler options whose value is the next word. */
static const char *const takes_value[] = {
    "-o", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
    "-idirafter", "-iprefix", "-MF", "-MT", "-MQ", "-x", "-Xpreprocessor",
    "-Xassembler", "-Xlinker", "-L", "-l", "-aux-info", "--param", "-T",
    "-u", "-e", "-z", NULL,
};

static bool verbose;
static char *tmpdir;

static void cleanup(void)
{
    if (tmpdir != NULL)
        rm_rf(tmpdir);
}

static bool needs_value(const char *opt)
{
    for (int i = 0; takes_value[i] != NULL; i++)
        if (strcmp(opt, takes_value[i]) == 0)
            return true;
    return false;
}

static bool suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);

    return n > m && strcmp(s + n - m, suf) == 0;
}

static bool is_asm(const char *f)
{
    return suffix(f, ".S") || suffix(f, ".s") || suffix(f, ".sx");
}

static bool is_compiled(const char *f)
{
    return strcmp(f, "-") == 0 || suffix(f, ".c") || suffix(f, ".i") ||
           is_asm(f);
}

static void print_cmd(char *const argv[])
{
    fprintf(stderr, "atoll-cc:");
    for (int i = 0; argv[i] != NULL; i++)
        fprintf(stderr, " %s", argv[i]);
    fprintf(stderr, "\n");
}

static int run(struct strv *cmd)
{
    if (verbose)
        print_cmd(cmd->v);
    return run_wait(cmd->v);
}

static void print_flags(const struct strv *flags)
{
    char *s = strv_join(flags, " ");

    printf("%s\n", s);
    free(s);
}

static const char *make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *templ;

    if (tmpdir != NULL)
        return tmpdir;
    templ = xasprintf("%s/atoll-cc.XXXXXX",
                      base != NULL && base[0] != '\0' ? base : "/tmp");
    if (mkdtemp(templ) == NULL) {
        fprintf(stderr, "atoll-cc: cannot make a temporary folder %s: %s\n",
                templ, strerror(errno));
        exit(1);
    }
    tmpdir = templ;
    atexit(cleanup);
    return tmpdir;
}

/* Compile input into the command's output (or the compiler's default). */
static void compile_cmd(struct strv *cmd, const struct tree *t,
                        const char *target, const struct strv *opts,
                        const char *input, const char *out)
{
    strv_add(cmd, guest_cc());
    if (is_asm(input))
        guest_asflags(t, target, cmd);
    else
        guest_cflags(t, target, cmd);
    strv_addv(cmd, opts);
    if (out != NULL) {
        strv_add(cmd, "-o");
        strv_add(cmd, out);
    }
    strv_add(cmd, input);
}

/* Write and compile the manifest of conf_path (NULL: no devices). */
static int build_manifest(const struct tree *t, const char *target,
                          const char *conf_path, char **obj)
{
    struct conf c = {0};
    struct strv cmd = {0}, none = {0};
    char err[CONF_ERR_SIZE];
    char *src, *srcpath;
    int rc;

    if (conf_path != NULL && conf_parse(&c, conf_path, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        conf_free(&c);
        return 1;
    }
    src = mft_source(&c);
    conf_free(&c);
    srcpath = path_join(make_tmpdir(), "manifest.c");
    *obj = path_join(make_tmpdir(), "manifest.o");
    if (write_if_changed(srcpath, src, strlen(src)) < 0) {
        fprintf(stderr, "atoll-cc: %s: %s\n", srcpath, strerror(errno));
        free(src);
        free(srcpath);
        return 1;
    }
    free(src);
    strv_add(&none, "-c");
    compile_cmd(&cmd, t, target, &none, srcpath, *obj);
    rc = run(&cmd);
    strv_free(&cmd);
    strv_free(&none);
    free(srcpath);
    return rc;
}

/* The archive for -lNAME: an Atoll library, else libNAME.a in a -L dir. */
static char *find_lib(const struct tree *t, const char *name,
                      const struct strv *ldirs)
{
    char why[CONF_ERR_SIZE];
    char *a;

    a = tree_library(t, name, why, sizeof why);
    if (a != NULL || strcmp(name, "m") == 0) {
        if (a == NULL)
            fprintf(stderr, "atoll-cc: -lm: %s\n", why);
        return a;
    }
    for (size_t i = 0; i < ldirs->n; i++) {
        char *p = xasprintf("%s/lib%s.a", ldirs->v[i], name);

        if (is_file(p))
            return p;
        free(p);
    }
    fprintf(stderr, "atoll-cc: -l%s: %s, and no lib%s.a in a -L folder\n",
            name, why, name);
    return NULL;
}

/* The command line, sorted. */
struct cc_args {
    const char *target, *out, *manifest;
    bool no_manifest, compile_only, print_c, print_as, print_ld;
    struct strv opts;   /* compiler options, in order */
    struct strv inputs; /* files, in order */
    struct strv libs;   /* -l names */
    struct strv ldirs;  /* -L folders */
    struct strv ldopts; /* -Wl, and -Xlinker words */
};

static void cc_args_free(struct cc_args *c)
{
    strv_free(&c->opts);
    strv_free(&c->inputs);
    strv_free(&c->libs);
    strv_free(&c->ldirs);
    strv_free(&c->ldopts);
}

/* atoll-cc's own --options; true if a is one (recorded). */
static bool own_option(struct cc_args *c, const char *a)
{
    if (strncmp(a, "--target=", 9) == 0)
        c->target = a + 9;
    else if (strncmp(a, "--manifest=", 11) == 0)
        c->manifest = a + 11;
    else if (strcmp(a, "--no-manifest") == 0)
        c->no_manifest = true;
    else if (strcmp(a, "--print-cflags") == 0)
        c->print_c = true;
    else if (strcmp(a, "--print-asflags") == 0)
        c->print_as = true;
    else if (strcmp(a, "--print-ldflags") == 0)
        c->print_ld = true;
    else if (strcmp(a, "--verbose") == 0)
        verbose = true;
    else
        return false;
    return true;
}

/* A compiler-style option a (with val, its next word, if it takes one):
 * 0 if recorded, 2 (said) if refused. */
static int cc_option(struct cc_args *c, const char *a, const char *val)
{
    /* -o, -l and -L take their value glued on or as the next word. */
    if (a[1] == 'o' || a[1] == 'l' || a[1] == 'L') {
        const char *v = val != NULL ? val : a + 2;

        if (a[1] == 'o')
            c->out = v;
        else
            strv_add(a[1] == 'l' ? &c->libs : &c->ldirs, v);
        return 0;
    }
    if (a[1] == 'T') {
        fprintf(stderr, "atoll-cc: %s: the target's linker script is "
                "fixed\n", a);
        return 2;
    }
    if (strcmp(a, "-z") == 0 || strcmp(a, "-u") == 0 ||
        strcmp(a, "-e") == 0) {
        strv_add(&c->ldopts, a);
        strv_add(&c->ldopts, val);
        return 0;
    }
    if (strcmp(a, "-c") == 0 || strcmp(a, "-S") == 0 ||
        strcmp(a, "-E") == 0 || strcmp(a, "-M") == 0 ||
        strcmp(a, "-MM") == 0)
        c->compile_only = true;
    if (strcmp(a, "-shared") == 0 || strcmp(a, "-pie") == 0 ||
        strcmp(a, "-static-pie") == 0) {
        fprintf(stderr, "atoll-cc: %s: a unikernel is one static, "
                "position-dependent image\n", a);
        return 2;
    }
    if (strncmp(a, "-Wl,", 4) == 0) {
        char *words = xstrdup(a + 4);

        for (char *w = strtok(words, ","); w; w = strtok(NULL, ","))
            strv_add(&c->ldopts, w);
        free(words);
        return 0;
    }
    if (strcmp(a, "-Xlinker") == 0) {
        strv_add(&c->ldopts, val);
        return 0;
    }
    /* Flags that only make sense for a hosted link: the image is
     * always static, without the host's start files and libraries. */
    if (strcmp(a, "-static") == 0 || strcmp(a, "-nostdlib") == 0 ||
        strcmp(a, "-nostartfiles") == 0 || strcmp(a, "-no-pie") == 0 ||
        strcmp(a, "-nodefaultlibs") == 0 || strcmp(a, "-pthread") == 0 ||
        strcmp(a, "-rdynamic") == 0)
        return 0;
    strv_add(&c->opts, a);
    if (val != NULL)
        strv_add(&c->opts, val);
    return 0;
}

/* The command line: 0, -1 if --help or --version was printed (done), 2 on
 * a usage error (said). */
static int parse_args(struct cc_args *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;

        if (strcmp(a, "--help") == 0) {
            printf(usage_text, guest_cc(), guest_ld());
            return -1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("atoll-cc %s\n", ATOLL_VERSION);
            return -1;
        }
        if (own_option(c, a))
            continue;
        if (a[0] != '-' || a[1] == '\0') {
            strv_add(&c->inputs, a);
            continue;
        }
        if (needs_value(a)) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll-cc: %s needs a value\n", a);
                return 2;
            }
            val = argv[++i];
        }
        int rc = cc_option(c, a, val);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The target is given and available; else 2 (said). */
static int check_target(const char *target)
{
    const struct target *tg;
    char *list = target_list(false);
    int rc = 0;

    if (target == NULL || target[0] == '\0') {
        fprintf(stderr, "atoll-cc: no target: give --target=TARGET "
                "(%s), or set ATOLL_TARGET\n", list);
        rc = 2;
    } else if ((tg = target_find(target)) == NULL || !tg->available) {
        fprintf(stderr, "atoll-cc: %s target '%s' (targets: %s)\n",
                tg == NULL ? "unknown" : "not yet available:", target, list);
        rc = 2;
    }
    free(list);
    return rc;
}

/* --print-cflags, --print-asflags, --print-ldflags. */
static void print_target_flags(const struct cc_args *c, const struct tree *t)
{
    struct strv f = {0};

    if (c->print_c)
        guest_cflags(t, c->target, &f);
    if (c->print_as)
        guest_asflags(t, c->target, &f);
    if (c->print_ld)
        guest_ldflags(t, c->target, &f);
    print_flags(&f);
    strv_free(&f);
}

/* -c and the like: one compiler run per source file, each with its
 * language's flags; a lone source replaces this process. */
static int compile_only(const struct cc_args *c, const struct tree *t)
{
    int rc = 0;

    if (c->out != NULL && c->inputs.n > 1) {
        fprintf(stderr, "atoll-cc: -o with several input files\n");
        return 2;
    }
    for (size_t i = 0; i < c->inputs.n && rc == 0; i++) {
        struct strv cmd = {0};

        compile_cmd(&cmd, t, c->target, &c->opts, c->inputs.v[i], c->out);
        if (c->inputs.n == 1) {
            if (verbose)
                print_cmd(cmd.v);
            fflush(stdout);
            execvp(cmd.v[0], cmd.v);
            fprintf(stderr, "atoll-cc: cannot run %s: %s\n", cmd.v[0],
                    strerror(errno));
            return 127;
        }
        rc = run(&cmd);
        strv_free(&cmd);
    }
    return rc;
}

/* Before a link: compile the sources into the temporary folder; objs
 * gets every input to link, in order. */
static int compile_inputs(const struct cc_args *c, const struct tree *t,
                          struct strv *objs)
{
    int rc = 0;

    for (size_t i = 0; i < c->inputs.n && rc == 0; i++) {
        const char *in = c->inputs.v[i];
        struct strv cmd = {0}, copts = {0};

        if (!is_compiled(in)) {
            if (suffix(in, ".so")) {
                fprintf(stderr, "atoll-cc: %s: a unikernel links only "
                        "static archives and objects\n", in);
                rc = 2;
            }
            strv_add(objs, in);
            continue;
        }
        char *obj = xasprintf("%s/%zu-%s.o", make_tmpdir(), i,
                              path_basename(in));
        strv_addv(&copts, &c->opts);
        strv_add(&copts, "-c");
        compile_cmd(&cmd, t, c->target, &copts, in, obj);
        rc = run(&cmd);
        strv_add(objs, obj);
        free(obj);
        strv_free(&cmd);
        strv_free(&copts);
    }
    return rc;
}

/* The -l libraries (and those they need), then rt and libc, into cmd. */
static int add_libraries(struct cc_args *c, const struct tree *t,
                         struct strv *cmd)
{
    static const char *const implied[] = {"rt", "libc"};
    char err[CONF_ERR_SIZE];
    int rc = 0;

    for (size_t i = 0; i < c->libs.n && rc == 0; i++) {
        const char *l = c->libs.v[i];
        char *a;

        if (strcmp(l, "c") == 0 || strcmp(l, "rt") == 0 ||
            strcmp(l, "libc") == 0 || strcmp(l, "pthread") == 0 ||
            strcmp(l, "dl") == 0)
            continue;
        a = find_lib(t, l, &c->ldirs);
        if (a == NULL)
            rc = 1;
        else
            strv_add(cmd, a);
        free(a);
        /* An Atoll library brings those it needs (-lnet: fiber too). */
        tree_library_deps(t, c->libs.v[i], &c->libs);
    }
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        char *a = tree_library(t, implied[i], err, sizeof err);

        if (a == NULL) {
            fprintf(stderr, "atoll-cc: %s\n", err);
            rc = 1;
        } else {
            strv_add(cmd, a);
        }
        free(a);
    }
    return rc;
}

/* Compile what needs it, then link the image with the target's bindings,
 * the manifest and the libraries. */
static int link_image(struct cc_args *c, const struct tree *t)
{
    struct strv objs = {0}, cmd = {0};
    char *mobj = NULL;
    int rc = compile_inputs(c, t, &objs);

    if (rc == 0 && !c->no_manifest)
        rc = build_manifest(t, c->target, c->manifest, &mobj);

    strv_add(&cmd, guest_ld());
    guest_ldflags(t, c->target, &cmd);
    strv_addv(&cmd, &c->ldopts);
    strv_add(&cmd, "-o");
    strv_add(&cmd, c->out != NULL ? c->out : "a.out");
    strv_addv(&cmd, &objs);
    if (mobj != NULL)
        strv_add(&cmd, mobj);
    char *bind = tree_bindings(t, c->target);
    strv_add(&cmd, "--whole-archive");
    strv_add(&cmd, bind);
    strv_add(&cmd, "--no-whole-archive");
    strv_add(&cmd, "--start-group");
    free(bind);
    if (rc == 0)
        rc = add_libraries(c, t, &cmd);
    strv_add(&cmd, "--end-group");
    if (rc == 0)
        rc = run(&cmd);
    strv_free(&cmd);
    strv_free(&objs);
    free(mobj);
    return rc;
}

/* With the tree found: print flags, compile, or compile and link. */
static int drive(struct cc_args *c)
{
    char err[CONF_ERR_SIZE];
    struct tree t;
    int rc;

    if (tree_find(&t, err, sizeof err) != 0) {
        fprintf(stderr, "atoll-cc: %s\n", err);
        return 1;
    }
    if (c->print_c || c->print_as || c->print_ld) {
        print_target_flags(c, &t);
        rc = 0;
    } else if (c->inputs.n == 0) {
        fprintf(stderr, "atoll-cc: no input files (atoll-cc --help)\n");
        rc = 2;
    } else if (c->compile_only) {
        rc = compile_only(c, &t);
    } else {
        rc = link_image(c, &t);
    }
    tree_free(&t);
    return rc;
}

int main(int argc, char **argv)
{
    const char *v = getenv("V");
    struct cc_args c = {.target = getenv("ATOLL_TARGET")};
    int rc;

    /* V=1 (make's, exported to its commands) is --verbose. */
    verbose = v != NULL && strcmp(v, "1") == 0;
    rc = parse_args(&c, argc, argv);
    if (rc == 0)
        rc = check_target(c.target);
    if (rc == 0)
        rc = drive(&c);
    cc_args_free(&c);
    return rc < 0 ? 0 : rc;
}
