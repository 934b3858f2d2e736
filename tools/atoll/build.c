/*
 * The build plan and the incremental build behind `atoll build`.
 *
 * Every build re-reads unikernel.conf (it is small), so edits to it take
 * effect without another `atoll configure`; the plan only fixes the target
 * and which file to read. An object is rebuilt when it is missing, when its
 * command (with the flags atoll-cc adds) changed, or when its source or a
 * header listed in its dependency file is newer; the image is relinked
 * when its command changed or an input is newer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atoll.h"
#include "mft.h"

/* The compile flags atoll build adds before the application's cflags. */
static const char *const default_cflags[] = {"-O2", "-g", "-Wall", "-Wextra",
                                             NULL};

char *find_build_folder(void)
{
    char *dir = path_absolute(".");

    for (;;) {
        char *plan = path_join(dir, PLAN_FILE);
        bool found = is_file(plan);

        free(plan);
        if (found)
            return dir;
        if (strcmp(dir, "/") == 0)
            break;
        char *up = path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    return NULL;
}

static char *target_dir(const struct app *a)
{
    return xasprintf("%s/%s/%s", a->bdir, PLAN_DIR, a->target);
}

static char *manifest_path(const struct app *a)
{
    return xasprintf("%s/%s/%s/manifest.c", a->bdir, PLAN_DIR, a->target);
}

int app_write_plan(struct app *a)
{
    struct strv lines = {0}, devs = {0};
    char *conf_rel = path_relative(a->conf_path, a->bdir);
    char *s, *tdir, *mpath, *msrc;
    int rc = 0;

    strv_add(&lines, "# The build plan, written by `atoll configure` and "
                     "refreshed by `atoll build`.");
    strv_add(&lines, "# atoll reads 'target' and 'conf'; the rest says what "
                     "they resolved to.");
    strv_addf(&lines, "target %s", a->target);
    strv_addf(&lines, "conf %s", conf_rel);
    strv_addf(&lines, "name %s", a->conf.name);
    s = path_relative(a->image, a->bdir);
    strv_addf(&lines, "image %s", s);
    free(s);
    s = strv_join(&a->conf.srcs, " ");
    strv_addf(&lines, "sources %s", s);
    free(s);
    s = strv_join(&a->conf.libs, " ");
    strv_addf(&lines, "libraries %s%srt libc", s, s[0] ? " " : "");
    free(s);
    for (int i = 0; i < a->conf.ndevs; i++)
        strv_addf(&devs, "%s:%s", conf_kind_name(a->conf.devs[i].kind),
                  a->conf.devs[i].name);
    s = strv_join(&devs, " ");
    strv_addf(&lines, "devices%s%s", s[0] ? " " : "", s);
    free(s);
    strv_add(&lines, "");
    s = strv_join(&lines, "\n");

    tdir = target_dir(a);
    mpath = manifest_path(a);
    msrc = mft_source(&a->conf);
    if (mkdir_p(tdir) != 0 ||
        write_if_changed(mpath, msrc, strlen(msrc)) < 0) {
        fprintf(stderr, "atoll: %s: %s\n", tdir, strerror(errno));
        rc = -1;
    } else {
        char *plan = path_join(a->bdir, PLAN_FILE);

        if (write_if_changed(plan, s, strlen(s)) < 0) {
            fprintf(stderr, "atoll: %s: %s\n", plan, strerror(errno));
            rc = -1;
        }
        free(plan);
    }
    free(msrc);
    free(mpath);
    free(tdir);
    free(s);
    free(conf_rel);
    strv_free(&lines);
    strv_free(&devs);
    return rc;
}

/* Read 'target' and 'conf' from the plan. */
static int read_plan(struct app *a)
{
    char *plan = path_join(a->bdir, PLAN_FILE);
    char *text = read_file(plan, NULL);
    int lineno = 0;

    if (text == NULL) {
        fprintf(stderr, "atoll: %s: %s\n", plan, strerror(errno));
        free(plan);
        return -1;
    }
    for (char *line = text, *next; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        if (strncmp(line, "target ", 7) == 0 && a->target == NULL)
            a->target = xstrdup(line + 7);
        else if (strncmp(line, "conf ", 5) == 0 && a->conf_path == NULL)
            a->conf_path = path_join(a->bdir, line + 5);
    }
    free(text);
    if (a->target == NULL || a->conf_path == NULL) {
        fprintf(stderr, "atoll: %s: no '%s' line; run atoll configure "
                "again\n", plan, a->target == NULL ? "target" : "conf");
        free(plan);
        return -1;
    }
    char *abs = path_absolute(a->conf_path);
    free(a->conf_path);
    a->conf_path = abs;
    free(plan);
    return 0;
}

int app_load(struct app *a)
{
    char err[CONF_ERR_SIZE];
    const struct target *tg;

    memset(a, 0, sizeof *a);
    if (tree_find(&a->tree, err, sizeof err) != 0) {
        fprintf(stderr, "atoll: %s\n", err);
        return -1;
    }
    a->bdir = find_build_folder();
    if (a->bdir == NULL) {
        fprintf(stderr, "atoll: no build plan here or in a parent folder; "
                "run atoll configure -t TARGET first (targets: hvt, spt)\n");
        return -1;
    }
    if (read_plan(a) != 0)
        return -1;
    tg = target_find(a->target);
    if (tg == NULL || !tg->available) {
        fprintf(stderr, "atoll: %s/%s: target '%s' is not available; run "
                "atoll configure -t TARGET\n", a->bdir, PLAN_FILE, a->target);
        return -1;
    }
    char *shown = path_display(a->conf_path);
    int rc = conf_parse(&a->conf, shown, err, sizeof err);
    free(shown);
    if (rc == 0)
        rc = conf_resolve(&a->conf, &a->tree, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    a->image = xasprintf("%s/%s/%s.%s", a->bdir, DIST_DIR, a->conf.name,
                         a->target);
    return app_write_plan(a);
}

void app_free(struct app *a)
{
    tree_free(&a->tree);
    free(a->bdir);
    free(a->target);
    free(a->conf_path);
    conf_free(&a->conf);
    free(a->image);
    memset(a, 0, sizeof *a);
}

/* ---- the build --------------------------------------------------------- */

int build_jobs_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* One compilation. */
struct unit {
    char *src;   /* as passed to the compiler (relative to the app folder) */
    char *obj;   /* absolute */
    char *dep;
    char *cmdfile;
    struct strv cmd;
    char *sig;   /* what cmdfile must hold for obj to be current */
    pid_t pid;
};

/* The object for source rel: the same path under objdir, with ".."
 * written "__" and an absolute path under "_abs". */
static char *object_path(const char *objdir, const char *rel)
{
    struct strv parts = {0};
    char *copy = xstrdup(rel), *joined, *obj;

    if (rel[0] == '/')
        strv_add(&parts, "_abs");
    for (char *w = strtok(copy, "/"); w != NULL; w = strtok(NULL, "/"))
        strv_add(&parts, strcmp(w, "..") == 0 ? "__" : w);
    joined = strv_join(&parts, "/");
    char *dot = strrchr(joined, '.');
    if (dot != NULL && strchr(dot, '/') == NULL)
        *dot = '\0';
    obj = xasprintf("%s/%s.o", objdir, joined);
    free(joined);
    free(copy);
    strv_free(&parts);
    return obj;
}

/* The command plus what atoll-cc adds to it for this tree and target, so
 * that a new compiler, new flags or a moved tree rebuild everything. */
static char *signature(const struct app *a, const struct strv *cmd,
                       bool link)
{
    struct strv s = {0};
    char *out;

    strv_addv(&s, cmd);
    strv_add(&s, "# added by atoll-cc:");
    strv_add(&s, link ? guest_ld() : guest_cc());
    if (link)
        guest_ldflags(&a->tree, a->target, &s);
    else
        guest_cflags(&a->tree, a->target, &s);
    guest_asflags(&a->tree, a->target, &s);
    strv_add(&s, "");
    out = strv_join(&s, "\n");
    strv_free(&s);
    return out;
}

/* Whether path's recorded command is sig and path is newer than every
 * prerequisite. */
static bool current(const char *path, const char *cmdfile, const char *sig,
                    const struct strv *prereqs)
{
    long long t = mtime_ns(path);
    char *old;
    bool same;

    if (t < 0)
        return false;
    old = read_file(cmdfile, NULL);
    same = old != NULL && strcmp(old, sig) == 0;
    free(old);
    if (!same)
        return false;
    for (size_t i = 0; i < prereqs->n; i++) {
        long long p = mtime_ns(prereqs->v[i]);

        if (p < 0 || p > t)
            return false;
    }
    return true;
}

/* The prerequisites in a make-style dependency file written by -MD -MP:
 * every word that is not a target ("x:"), with "\ " as a space. */
static int read_deps(const char *dep, struct strv *out)
{
    char *text = read_file(dep, NULL);
    char *word;
    size_t n = 0;

    if (text == NULL)
        return -1;
    word = xmalloc(strlen(text) + 1);
    for (char *p = text;; p++) {
        if (*p == '\\' && p[1] == '\n') {
            p++;
            continue;
        }
        if (*p == '\\' && p[1] == ' ') {
            word[n++] = ' ';
            p++;
            continue;
        }
        if (*p == '\0' || *p == ' ' || *p == '\t' || *p == '\n' ||
            *p == '\r') {
            if (n > 0 && word[n - 1] != ':') {
                word[n] = '\0';
                strv_add(out, word);
            }
            n = 0;
            if (*p == '\0')
                break;
            continue;
        }
        word[n++] = *p;
    }
    free(word);
    free(text);
    return 0;
}

static bool unit_current(const struct unit *u)
{
    struct strv deps = {0};
    bool ok;

    if (read_deps(u->dep, &deps) != 0)
        return false;
    if (!strv_has(&deps, u->src))
        strv_add(&deps, u->src);
    ok = current(u->obj, u->cmdfile, u->sig, &deps);
    strv_free(&deps);
    return ok;
}

static void print_cmd(FILE *log, const struct strv *cmd)
{
    char *s = strv_join(cmd, " ");

    fprintf(log, "%s\n", s);
    free(s);
}

static pid_t start(const struct strv *cmd)
{
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        execv(cmd->v[0], cmd->v);
        fprintf(stderr, "atoll: cannot run %s: %s\n", cmd->v[0],
                strerror(errno));
        _exit(127);
    }
    if (pid < 0)
        fprintf(stderr, "atoll: fork: %s\n", strerror(errno));
    return pid;
}

/* Run the units' compilations, at most jobs at a time; stop starting new
 * ones after a failure. */
static int compile_all(struct unit **todo, size_t n,
                       const struct build_opts *o)
{
    size_t next = 0, running = 0;
    int rc = 0;

    while (next < n || running > 0) {
        while (rc == 0 && next < n && running < (size_t)o->jobs) {
            struct unit *u = todo[next++];

            /* A stale record must not survive a failed compilation. */
            unlink(u->cmdfile);
            char *dir = path_dirname(u->obj);
            mkdir_p(dir);
            free(dir);
            if (o->verbose)
                print_cmd(o->log, &u->cmd);
            else if (o->log != NULL)
                fprintf(o->log, "  CC      %s\n", u->src);
            u->pid = start(&u->cmd);
            if (u->pid < 0) {
                rc = EXIT_FAIL;
                break;
            }
            running++;
        }
        if (running == 0)
            break;
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "atoll: wait: %s\n", strerror(errno));
            return EXIT_FAIL;
        }
        for (size_t i = 0; i < next; i++) {
            struct unit *u = todo[i];

            if (u->pid != pid)
                continue;
            u->pid = 0;
            running--;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                if (write_if_changed(u->cmdfile, u->sig,
                                     strlen(u->sig)) < 0) {
                    fprintf(stderr, "atoll: %s: %s\n", u->cmdfile,
                            strerror(errno));
                    rc = EXIT_FAIL;
                }
            } else {
                rc = EXIT_FAIL;
            }
        }
    }
    return rc;
}

/* Set up u to compile src into obj (it takes obj) with atoll-cc, the
 * default and the application's cflags for one of its sources (app_src),
 * none for the generated manifest. */
static void unit_setup(struct app *a, struct unit *u, const char *src,
                       char *obj, const char *cc, const char *target_opt,
                       bool app_src)
{
    u->src = xstrdup(src);
    u->obj = obj;
    u->dep = xasprintf("%s.d", u->obj);
    u->cmdfile = xasprintf("%s.cmd", u->obj);
    strv_add(&u->cmd, cc);
    strv_add(&u->cmd, target_opt);
    if (app_src) {
        for (int k = 0; default_cflags[k] != NULL; k++)
            strv_add(&u->cmd, default_cflags[k]);
        for (size_t k = 0; k < a->conf.cflags.n; k++)
            strv_add(&u->cmd, a->conf.cflags.w[k].word);
    }
    strv_add(&u->cmd, "-MD");
    strv_add(&u->cmd, "-MP");
    strv_add(&u->cmd, "-MF");
    strv_add(&u->cmd, u->dep);
    strv_add(&u->cmd, "-c");
    strv_add(&u->cmd, u->src);
    strv_add(&u->cmd, "-o");
    strv_add(&u->cmd, u->obj);
    u->sig = signature(a, &u->cmd, false);
}

static void units_free(struct unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(units[i].src);
        free(units[i].obj);
        free(units[i].dep);
        free(units[i].cmdfile);
        free(units[i].sig);
        strv_free(&units[i].cmd);
    }
    free(units);
}

/* Run the link command cmd into a->image, its signature sig kept in
 * linkcmd once it succeeded; shown names the image in step lines. */
static int link_run(struct app *a, const struct build_opts *o,
                    const struct strv *cmd, const char *sig,
                    const char *linkcmd, const char *shown)
{
    char *dist = path_dirname(a->image);
    int rc = 0;

    unlink(linkcmd);
    if (mkdir_p(dist) != 0) {
        fprintf(stderr, "atoll: %s: %s\n", dist, strerror(errno));
        rc = EXIT_FAIL;
    }
    free(dist);
    if (o->verbose)
        print_cmd(o->log, cmd);
    else if (o->log != NULL)
        fprintf(o->log, "  LD      %s\n", shown);
    if (rc == 0) {
        char *ldout = NULL;

        if (run_capture(cmd->v, &ldout) != 0) {
            rc = EXIT_FAIL;
            if (ldout != NULL)
                link_hints(a, ldout);
        }
        free(ldout);
    }
    if (rc == 0 && write_if_changed(linkcmd, sig, strlen(sig)) < 0) {
        fprintf(stderr, "atoll: %s: %s\n", linkcmd, strerror(errno));
        rc = EXIT_FAIL;
    }
    return rc;
}

/* Link the units' objects into a->image with atoll-cc, unless it is
 * current and nothing was compiled (compiled: false). */
static int link_step(struct app *a, const struct build_opts *o,
                     const struct unit *units, size_t nunits, bool compiled,
                     const char *cc, const char *target_opt,
                     const char *tdir, const char *shown)
{
    struct strv cmd = {0}, inputs = {0};
    char *linkcmd = path_join(tdir, "link.cmd");
    int rc = 0;

    strv_add(&cmd, cc);
    strv_add(&cmd, target_opt);
    strv_add(&cmd, "--no-manifest");
    strv_add(&cmd, "-o");
    strv_add(&cmd, a->image);
    for (size_t i = 0; i < nunits; i++) {
        strv_add(&cmd, units[i].obj);
        strv_add(&inputs, units[i].obj);
    }
    for (size_t i = 0; i < a->conf.libs.n; i++)
        strv_addf(&cmd, "-l%s", a->conf.libs.v[i]);
    strv_addv(&inputs, &a->conf.archives);
    char *p = tree_bindings(&a->tree, a->target);
    strv_add(&inputs, p);
    free(p);
    p = tree_lds(&a->tree, a->target);
    strv_add(&inputs, p);
    free(p);
    char *sig = signature(a, &cmd, true);
    if (compiled || !current(a->image, linkcmd, sig, &inputs))
        rc = link_run(a, o, &cmd, sig, linkcmd, shown);
    free(sig);
    free(linkcmd);
    strv_free(&cmd);
    strv_free(&inputs);
    return rc;
}

int app_build(struct app *a, const struct build_opts *o)
{
    char *tdir = target_dir(a);
    char *objdir = path_join(tdir, "obj");
    char *cc = tree_tool(&a->tree, "atoll-cc");
    char *target_opt = xasprintf("--target=%s", a->target);
    char *mpath = manifest_path(a);
    struct strv srcs = {0};
    struct unit *units;
    struct unit **todo;
    size_t nunits, ntodo = 0;
    int rc = 0;

    /* The compiler sees paths relative to the application folder, where
     * the cflags' relative paths (-Iinclude) mean what they say. */
    if (chdir(a->conf.dir) != 0) {
        fprintf(stderr, "atoll: %s: %s\n", a->conf.dir, strerror(errno));
        return EXIT_FAIL;
    }
    strv_addv(&srcs, &a->conf.srcs);
    char *appdir = path_dirname(a->conf_path);
    char *mrel = path_relative(mpath, appdir);
    strv_add(&srcs, mrel);
    free(mrel);
    free(appdir);
    /* The application's sources, then the manifest. */
    nunits = srcs.n;
    units = xmalloc(nunits * sizeof *units);
    todo = xmalloc(nunits * sizeof *todo);
    memset(units, 0, nunits * sizeof *units);
    for (size_t i = 0; i < nunits; i++) {
        bool app_src = i + 1 < nunits;
        char *obj = app_src ? object_path(objdir, srcs.v[i])
                            : path_join(tdir, "manifest.o");

        unit_setup(a, &units[i], srcs.v[i], obj, cc, target_opt, app_src);
        if (!unit_current(&units[i]))
            todo[ntodo++] = &units[i];
    }
    rc = compile_all(todo, ntodo, o);

    char *shown = path_relative(a->image, a->bdir);
    if (rc == 0)
        rc = link_step(a, o, units, nunits, ntodo > 0, cc, target_opt, tdir,
                       shown);
    if (rc != 0)
        fprintf(stderr, "atoll: build of %s failed\n", shown);

    free(shown);
    units_free(units, nunits);
    free(todo);
    strv_free(&srcs);
    free(mpath);
    free(target_opt);
    free(cc);
    free(objdir);
    free(tdir);
    return rc;
}
