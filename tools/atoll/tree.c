/*
 * Locating the Atoll tree, and the guest toolchain flags (see tree.h).
 */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The compiler, linker and flags the tree's archives were built with (set
 * by tools/atoll/module.mk, from mk/config.mk). */
#ifndef ATOLL_GUEST_CC
#define ATOLL_GUEST_CC "cc"
#endif
#ifndef ATOLL_GUEST_LD
#define ATOLL_GUEST_LD "ld"
#endif
#ifndef ATOLL_GUEST_CFLAGS
#error "build tree.c with -include toolchain.h (tools/atoll/module.mk)"
#endif

const struct target atoll_targets[] = {
    {"hvt", true, "KVM through atoll-hvt"},
    {"spt", true, "a seccomp-sandboxed Linux process through atoll-spt"},
    {"virtio", true, "QEMU, Firecracker (virtio)"},
    {"xen", true, "Xen PVH (xl, QubesOS)"},
    {"unix", false, "a plain Linux process"},
};
const size_t atoll_ntargets = sizeof atoll_targets / sizeof atoll_targets[0];

const struct target *target_find(const char *name)
{
    for (size_t i = 0; i < atoll_ntargets; i++)
        if (strcmp(atoll_targets[i].name, name) == 0)
            return &atoll_targets[i];
    return NULL;
}

char *target_list(bool all)
{
    struct strv names = {0};
    char *s;

    for (size_t i = 0; i < atoll_ntargets; i++)
        if (all || atoll_targets[i].available)
            strv_add(&names, atoll_targets[i].name);
    s = strv_join(&names, ", ");
    strv_free(&names);
    return s;
}

static bool has_rt_header(const char *dir)
{
    char *p = path_join(dir, "include/atoll/rt.h");
    bool ok = is_file(p);

    free(p);
    return ok;
}

/* The source root above build folder b: the nearest ancestor of b with
 * include/atoll/rt.h (B may be nested: build/clang); else the tree these
 * tools were built from, should B lie outside it. */
static char *source_root(const char *b)
{
    char *dir = path_dirname(b);

    for (;;) {
        if (has_rt_header(dir))
            return dir;
        if (strcmp(dir, "/") == 0)
            break;
        char *up = path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
#ifdef ATOLL_SOURCE_ROOT
    if (has_rt_header(ATOLL_SOURCE_ROOT))
        return xstrdup(ATOLL_SOURCE_ROOT);
#endif
    return NULL;
}

int tree_at(struct tree *t, const char *bindir, char *err, size_t errsize)
{
    char *bin = path_absolute(bindir);
    char *up = path_dirname(bin); /* PREFIX, or the build folder B */
    char *data = path_join(up, "lib/atoll");
    char *root;

    memset(t, 0, sizeof *t);
    if (has_rt_header(data)) {
        t->installed = true;
        t->root = data;
        t->libdir = path_join(data, "lib");
    } else if ((root = source_root(up)) != NULL) {
        t->root = root;
        t->libdir = path_join(up, "lib");
        free(data);
    } else {
        snprintf(err, errsize, "cannot find the Atoll tree around %s "
                 "(expected ROOT/build/bin or PREFIX/bin with "
                 "PREFIX/lib/atoll)", bin);
        free(bin);
        free(up);
        free(data);
        return -1;
    }
    t->bindir = bin;
    free(up);
    return 0;
}

int tree_find(struct tree *t, char *err, size_t errsize)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *bindir;
    int rc;

    if (n < 0) {
        snprintf(err, errsize, "cannot read /proc/self/exe: %s",
                 strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    bindir = path_dirname(exe);
    rc = tree_at(t, bindir, err, errsize);
    free(bindir);
    return rc;
}

void tree_free(struct tree *t)
{
    free(t->bindir);
    free(t->root);
    free(t->libdir);
    memset(t, 0, sizeof *t);
}

char *tree_tool(const struct tree *t, const char *name)
{
    return path_join(t->bindir, name);
}

char *tree_lds(const struct tree *t, const char *target)
{
    /* A xen image has the virtio layout: the same PVH entry and note. */
    if (strcmp(target, "xen") == 0)
        target = "virtio";
    return xasprintf("%s/bindings/%s/%s.lds", t->root, target, target);
}

char *tree_bindings(const struct tree *t, const char *target)
{
    if (t->installed)
        return xasprintf("%s/bindings/%s/bindings-%s.a", t->root, target,
                         target);
    return xasprintf("%s/bindings-%s.a", t->libdir, target);
}

/* libm is musl's objects (lib/libc/module.mk makes m.a), not a folder of
 * lib/: known by name, in the source tree as installed. */
static bool is_libm(const char *name)
{
    return strcmp(name, "m") == 0;
}

/* A library is a folder lib/NAME with an archive NAME.a in the source
 * tree; installed, the archive alone. */
static bool library_known(const struct tree *t, const char *name)
{
    char *dir;
    bool ok;

    if (is_libm(name))
        return true;
    if (t->installed) {
        dir = xasprintf("%s/%s.a", t->libdir, name);
        ok = is_file(dir);
    } else {
        dir = xasprintf("%s/lib/%s", t->root, name);
        ok = is_dir(dir);
    }
    free(dir);
    return ok;
}

static bool valid_library_name(const char *name)
{
    if (name[0] == '\0' || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/')
            return false;
    return true;
}

char *tree_library(const struct tree *t, const char *name, char *why,
                   size_t whysize)
{
    char *archive;

    if (!valid_library_name(name) || !library_known(t, name)) {
        struct strv names = {0};
        char *list;

        tree_libraries(t, &names);
        list = strv_join(&names, ", ");
        snprintf(why, whysize, "unknown library '%s' (libraries: %s)", name,
                 list);
        free(list);
        strv_free(&names);
        return NULL;
    }
    archive = xasprintf("%s/%s.a", t->libdir, name);
    if (!is_file(archive) && is_libm(name)) {
        snprintf(why, whysize, "library 'm' is not built (no %s; libm is "
                 "built from Debian's musl-dev: apt-get install musl-dev, "
                 "then make in %s)", archive, t->root);
        free(archive);
        return NULL;
    }
    if (!is_file(archive)) {
        snprintf(why, whysize, "library '%s' is not built (no %s; run make "
                 "in %s)", name, archive, t->root);
        free(archive);
        return NULL;
    }
    return archive;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tree_libraries(const struct tree *t, struct strv *names)
{
    char *dir = t->installed ? xstrdup(t->libdir)
                             : xasprintf("%s/lib", t->root);
    DIR *d = opendir(dir);
    struct dirent *e;

    free(dir);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char *name;
        size_t n = strlen(e->d_name);

        if (e->d_name[0] == '.')
            continue;
        if (t->installed) {
            if (n < 3 || strcmp(e->d_name + n - 2, ".a") != 0)
                continue;
            name = xasprintf("%.*s", (int)(n - 2), e->d_name);
        } else {
            name = xstrdup(e->d_name);
        }
        if (library_known(t, name))
            strv_add(names, name);
        free(name);
    }
    closedir(d);
    if (!strv_has(names, "m"))
        strv_add(names, "m");
    if (names->n > 1)
        qsort(names->v, names->n, sizeof *names->v, cmp_str);
}

void tree_library_deps(const struct tree *t, const char *name,
                       struct strv *names)
{
    char *path = xasprintf("%s/%s.deps", t->libdir, name);
    char *text = read_file(path, NULL);
    char *save = NULL;

    free(path);
    if (text == NULL)
        return;
    for (char *w = strtok_r(text, " \t\n", &save); w != NULL;
         w = strtok_r(NULL, " \t\n", &save))
        if (valid_library_name(w) && !strv_has(names, w))
            strv_add(names, w);
    free(text);
}

/* ---- flags ------------------------------------------------------------- */

/* The guest flags of mk/config.mk (GUEST_BASE_CFLAGS, GUEST_ASFLAGS,
 * GUEST_LDFLAGS; why each flag is there is said there), written into
 * toolchain.h by tools/atoll/module.mk. */
static const char *const base_cflags[] = {ATOLL_GUEST_CFLAGS NULL};
static const char *const base_asflags[] = {ATOLL_GUEST_ASFLAGS NULL};
static const char *const base_ldflags[] = {ATOLL_GUEST_LDFLAGS NULL};

/* Add flags to out, the tree's folders in them (-IDIR, -isystem DIR)
 * made absolute: mk/config.mk names them relative to the tree's root. */
static void add_flags(const struct tree *t, const char *const *flags,
                      struct strv *out)
{
    for (size_t i = 0; flags[i] != NULL; i++) {
        const char *f = flags[i];
        bool dir_next = i > 0 && strcmp(flags[i - 1], "-isystem") == 0;

        if (dir_next && f[0] != '/')
            strv_addf(out, "%s/%s", t->root, f);
        else if (strncmp(f, "-I", 2) == 0 && f[2] != '\0' && f[2] != '/')
            strv_addf(out, "-I%s/%s", t->root, f + 2);
        else
            strv_add(out, f);
    }
}

void guest_cflags(const struct tree *t, const char *target, struct strv *out)
{
    (void)target;
    add_flags(t, base_cflags, out);
}

void guest_asflags(const struct tree *t, const char *target,
                   struct strv *out)
{
    (void)target;
    add_flags(t, base_asflags, out);
}

void guest_ldflags(const struct tree *t, const char *target,
                   struct strv *out)
{
    add_flags(t, base_ldflags, out);
    strv_add(out, "-T");
    char *lds = tree_lds(t, target);
    strv_add(out, lds);
    free(lds);
}

const char *guest_cc(void)
{
    const char *cc = getenv("ATOLL_CC");

    return cc != NULL && cc[0] != '\0' ? cc : ATOLL_GUEST_CC;
}

const char *guest_ld(void)
{
    const char *ld = getenv("ATOLL_LD");

    return ld != NULL && ld[0] != '\0' ? ld : ATOLL_GUEST_LD;
}
