/*
 * The Atoll tree a tool belongs to, found from the tool's own path, and
 * the guest toolchain facts that follow from it: targets, include paths,
 * linker scripts, archives, compiler and linker flags.
 *
 * Two layouts are recognised (BIN is the folder holding the executable):
 *
 *   source tree   ROOT/B/bin/atoll       (B is build, build-clang, ...)
 *                 ROOT/include, ROOT/bindings/T/T.lds, ROOT/lib/NAME/,
 *                 archives in ROOT/B/lib/NAME.a and ROOT/B/lib/bindings-T.a
 *   installed     PREFIX/bin/atoll       (make install PREFIX=...)
 *                 DATA = PREFIX/lib/atoll: DATA/include,
 *                 DATA/bindings/T/T.lds, DATA/bindings/T/bindings-T.a,
 *                 libraries DATA/lib/NAME.a
 *
 * Tenders and helper tools (atoll-hvt, atoll-cc, atoll-kv ...) sit in BIN.
 */
#ifndef ATOLL_TOOL_TREE_H
#define ATOLL_TOOL_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct tree {
    char *bindir;  /* absolute */
    char *root;    /* ROOT or DATA, absolute */
    char *libdir;  /* where library archives are */
    bool installed;
};

/* Find the tree of the running executable (/proc/self/exe). */
int tree_find(struct tree *t, char *err, size_t errsize);
/* The tree whose executables are in bindir (tests use this). */
int tree_at(struct tree *t, const char *bindir, char *err, size_t errsize);
void tree_free(struct tree *t);

/* malloc'ed paths */
char *tree_tool(const struct tree *t, const char *name); /* BIN/name */
char *tree_lds(const struct tree *t, const char *target);
char *tree_bindings(const struct tree *t, const char *target);

/*
 * The archive of library name (malloc'ed), or NULL with why set to one
 * sentence: unknown library (with the list of known ones) or one that
 * exists but has not been built.
 */
char *tree_library(const struct tree *t, const char *name, char *why,
                   size_t whysize);
/* Names of the libraries the tree offers, sorted. */
void tree_libraries(const struct tree *t, struct strv *names);
/*
 * Add to names each library that library name needs and names lacks: the
 * words of LIBDIR/name.deps, which make writes from the lib_deps line of
 * lib/NAME/module.mk (mk/rules.mk) and installs beside name.a. No file:
 * no dependencies. Callers walk names as it grows, so needs of needs come
 * in too.
 */
void tree_library_deps(const struct tree *t, const char *name,
                       struct strv *names);

/* ---- targets ----------------------------------------------------------- */

struct target {
    const char *name;
    bool available; /* false: planned, not built yet */
    const char *what;
};

extern const struct target atoll_targets[];
extern const size_t atoll_ntargets;

const struct target *target_find(const char *name);
/* "hvt, spt" or, with all, every planned target as well. */
char *target_list(bool all);

/*
 * Guest compiler and linker flags: mk/config.mk's GUEST_BASE_CFLAGS,
 * GUEST_ASFLAGS and GUEST_LDFLAGS, the ones the archives are built with
 * (generated into toolchain.h), the tree's folders in them absolute;
 * guest_ldflags adds -T and the target's linker script.
 */
void guest_cflags(const struct tree *t, const char *target, struct strv *out);
void guest_asflags(const struct tree *t, const char *target,
                   struct strv *out);
void guest_ldflags(const struct tree *t, const char *target,
                   struct strv *out);

/* The compiler and linker atoll-cc runs: $ATOLL_CC / $ATOLL_LD, else the
 * ones the tree was built with. */
const char *guest_cc(void);
const char *guest_ld(void);

#endif
