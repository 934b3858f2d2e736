/*
 * Host unit tests of tools/atoll: the unikernel.conf parser and resolver
 * (every error path names FILE:LINE), the manifest writer, the tree
 * lookup and the path helpers. Run under ASan and UBSan; one
 * PASS:/FAIL: line per case.
 *
 * Each case works in a scratch folder holding a fake Atoll tree (include/,
 * lib/NAME/ folders, build/lib/NAME.a archives) and an application.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/atoll/conf.h"
#include "../../tools/atoll/mft.h"
#include "../../tools/atoll/tree.h"
#include "../../tools/atoll/util.h"
#include "../lib/check.h"

static char scratch[] = "/tmp/atoll-conf-test.XXXXXX";
static char *app;       /* scratch/app */
static char *confpath;  /* scratch/app/unikernel.conf */
static struct tree tree;
static char why[4096];

/* The cases are named "conf NAME" (tests/lib/check.h's RUN would say
 * NAME). */
#define CONF_CASE(fn) t_run_case("conf " #fn, fn)

static void put(const char *rel, const char *text)
{
    char *p = path_join(scratch, rel);
    char *d = path_dirname(p);
    FILE *f;

    if (mkdir_p(d) != 0 || (f = fopen(p, "w")) == NULL) {
        fprintf(stderr, "cannot write %s: %s\n", p, strerror(errno));
        exit(1);
    }
    fputs(text, f);
    fclose(f);
    free(d);
    free(p);
}

static void mkdirs(const char *rel)
{
    char *p = path_join(scratch, rel);

    mkdir_p(p);
    free(p);
}

/* Parse and resolve text as app/unikernel.conf: 0, or -1 with err. */
static int load(struct conf *c, const char *text, char *err, size_t size)
{
    put("app/unikernel.conf", text);
    if (conf_parse(c, confpath, err, size) != 0)
        return -1;
    return conf_resolve(c, &tree, err, size);
}

/* The conf must fail on line with a message containing want. */
static const char *fails(const char *text, int line, const char *want)
{
    struct conf c;
    char err[CONF_ERR_SIZE] = "";
    char prefix[512];
    int rc = load(&c, text, err, sizeof err);

    conf_free(&c);
    snprintf(prefix, sizeof prefix, "%s:%d: ", confpath, line);
    if (rc == 0) {
        snprintf(why, sizeof why, "accepted; want '%s'", want);
        return why;
    }
    if (strncmp(err, prefix, strlen(prefix)) != 0 ||
        strstr(err, want) == NULL) {
        snprintf(why, sizeof why, "got '%s'; want '%s...%s'", err, prefix,
                 want);
        return why;
    }
    return NULL;
}

static const char *minimal(void)
{
    struct conf c;
    char err[CONF_ERR_SIZE];

    T_ASSERT(load(&c, "name hello\n", err, sizeof err) == 0);
    T_ASSERT(strcmp(c.name, "hello") == 0);
    /* Default sources: every .c beside the file, sorted. */
    T_ASSERT(c.srcs.n == 2);
    T_ASSERT(strcmp(c.srcs.v[0], "hello.c") == 0);
    T_ASSERT(strcmp(c.srcs.v[1], "util.c") == 0);
    T_ASSERT(c.libs.n == 0 && c.ndevs == 0 && c.cflags.n == 0);
    T_ASSERT(c.archives.n == 2);
    T_ASSERT(strstr(c.archives.v[0], "/build/lib/rt.a") != NULL);
    T_ASSERT(strstr(c.archives.v[1], "/build/lib/libc.a") != NULL);
    conf_free(&c);
    return NULL;
}

static const char *full(void)
{
    struct conf c;
    char err[CONF_ERR_SIZE];

    T_ASSERT(load(&c,
               "# an application\n"
               "\n"
               "   name   web-1.0  \r\n"
               "sources hello.c sub/*.c\n"
               "sources asm/*.S\n"
               "libraries net libc\n"
               "libraries rt net\n"
               "cflags -DX=1 -O3\n"
               "\tcflags -Iinclude\n"
               "net service\n"
               "block storage\n"
               "net admin_2\n",
               err, sizeof err) == 0);
    T_ASSERT(strcmp(c.name, "web-1.0") == 0 && c.name_line == 3);
    T_ASSERT(c.srcs.n == 4);
    T_ASSERT(strcmp(c.srcs.v[0], "asm/entry.S") == 0);
    T_ASSERT(strcmp(c.srcs.v[1], "hello.c") == 0);
    T_ASSERT(strcmp(c.srcs.v[2], "sub/a.c") == 0);
    T_ASSERT(strcmp(c.srcs.v[3], "sub/b.c") == 0);
    T_ASSERT(c.libs.n == 1 && strcmp(c.libs.v[0], "net") == 0);
    T_ASSERT(c.archives.n == 3);
    T_ASSERT(strstr(c.archives.v[0], "/net.a") != NULL);
    T_ASSERT(strstr(c.archives.v[1], "/rt.a") != NULL);
    T_ASSERT(strstr(c.archives.v[2], "/libc.a") != NULL);
    T_ASSERT(c.cflags.n == 3);
    T_ASSERT(strcmp(c.cflags.w[0].word, "-DX=1") == 0);
    T_ASSERT(strcmp(c.cflags.w[2].word, "-Iinclude") == 0);
    T_ASSERT(c.cflags.w[2].line == 9);
    T_ASSERT(c.ndevs == 3);
    T_ASSERT(c.devs[0].kind == CONF_NET && !strcmp(c.devs[0].name, "service"));
    T_ASSERT(c.devs[1].kind == CONF_BLOCK && c.devs[1].line == 11);
    T_ASSERT(!strcmp(c.devs[2].name, "admin_2"));
    T_ASSERT(conf_find_dev(&c, "storage") == 1);
    T_ASSERT(conf_find_dev(&c, "nope") == -1);
    conf_free(&c);
    return NULL;
}

static const char *unknown_key(void)
{
    return fails("name a\nnmae b\n", 2, "unknown key 'nmae'");
}

static const char *key_without_value(void)
{
    return fails("name a\n\nsources\n", 3, "'sources' needs at least one");
}

static const char *name_twice(void)
{
    return fails("name a\nname b\n", 2, "'name' given twice (first on line "
                 "1)");
}

static const char *name_two_words(void)
{
    return fails("name a b\n", 1, "'name' takes one word");
}

static const char *name_bad(void)
{
    return fails("# x\nname ../a\n", 2, "name '../a'");
}

static const char *name_missing(void)
{
    /* Reported at the end of the file, where it may go. */
    return fails("sources hello.c\nnet service\n", 2, "no 'name' line");
}

static const char *source_missing(void)
{
    return fails("name a\nsources hello.c\nsources nothere.c\n", 3,
                 "source 'nothere.c' does not exist");
}

static const char *glob_matches_nothing(void)
{
    return fails("name a\nsources src/*.c\n", 2, "sources 'src/*.c' matches "
                 "no file");
}

static const char *glob_matches_no_source(void)
{
    return fails("name a\nsources *.txt\n", 2, "matches no .c or .S file");
}

static const char *not_a_source(void)
{
    return fails("name a\nsources notes.txt\n", 2, "'notes.txt' is not a C");
}

static const char *no_default_sources(void)
{
    const char *r;

    /* Another folder, without .c files. */
    free(confpath);
    confpath = xasprintf("%s/empty/unikernel.conf", scratch);
    mkdirs("empty");
    put("empty/unikernel.conf", "name a\n");
    struct conf c;
    char err[CONF_ERR_SIZE];
    int rc = conf_parse(&c, confpath, err, sizeof err);
    if (rc == 0)
        rc = conf_resolve(&c, &tree, err, sizeof err);
    conf_free(&c);
    char *want = xasprintf("%s:1: no 'sources' line", confpath);
    r = rc != 0 && strncmp(err, want, strlen(want)) == 0 ? NULL : err;
    free(want);
    free(confpath);
    confpath = path_join(app, "unikernel.conf");
    if (r != NULL) {
        snprintf(why, sizeof why, "got '%s'", r);
        return why;
    }
    return NULL;
}

static const char *library_unknown(void)
{
    return fails("name a\nlibraries net\nlibraries foo\n", 3,
                 "unknown library 'foo' (libraries: kv, libc, m, net, rt)");
}

static const char *library_path(void)
{
    return fails("name a\nlibraries ../rt\n", 2, "unknown library '../rt'");
}

static const char *library_not_built(void)
{
    return fails("name a\nlibraries kv\n", 2, "library 'kv' is not built");
}

static const char *device_duplicate(void)
{
    return fails("name a\nnet service\nblock service\n", 3,
                 "device name 'service' is already declared on line 2");
}

static const char *device_name_length(void)
{
    char text[256];
    struct conf c;
    char err[CONF_ERR_SIZE];

    /* 67 characters fit the manifest, 68 do not. */
    snprintf(text, sizeof text, "name a\nblock %067d\n", 0);
    T_ASSERT(load(&c, text, err, sizeof err) == 0);
    T_ASSERT(strlen(c.devs[0].name) == ATOLL_MFT_NAME_MAX);
    conf_free(&c);
    snprintf(text, sizeof text, "name a\n\nnet %068d\n", 0);
    return fails(text, 3, "68 characters long; the manifest allows at most "
                 "67");
}

static const char *device_bad_chars(void)
{
    return fails("name a\nnet a.b\n", 2, "net device name 'a.b' may hold "
                 "only");
}

static const char *device_word_count(void)
{
    const char *r = fails("name a\nblock\n", 2, "'block' takes one device "
                          "name");

    return r != NULL ? r : fails("name a\nnet x y\n", 2, "'net' takes one");
}

static const char *too_many_devices(void)
{
    char *text = xstrdup("name a\n");
    const char *r;

    for (int i = 0; i < ATOLL_MFT_MAX_ENTRIES; i++) {
        char *t = xasprintf("%snet n%d\n", text, i);
        free(text);
        text = t;
    }
    /* Entry 0 is reserved: 63 devices fit, the 64th (line 65) not. */
    r = fails(text, ATOLL_MFT_MAX_ENTRIES + 1, "more than 63 devices");
    free(text);
    return r;
}

static const char *nul_byte(void)
{
    char *p = path_join(app, "unikernel.conf");
    FILE *f = fopen(p, "w");
    struct conf c;
    char err[CONF_ERR_SIZE];

    T_ASSERT(f != NULL);
    fwrite("name a\nnet x\0y\n", 1, 15, f);
    fclose(f);
    T_ASSERT(conf_parse(&c, p, err, sizeof err) != 0);
    conf_free(&c);
    char *want = xasprintf("%s:2: NUL byte", p);
    bool ok = strncmp(err, want, strlen(want)) == 0;
    free(want);
    free(p);
    T_ASSERT(ok);
    return NULL;
}

static const char *unreadable(void)
{
    struct conf c;
    char err[CONF_ERR_SIZE];
    char *p = path_join(scratch, "nope/unikernel.conf");

    T_ASSERT(conf_parse(&c, p, err, sizeof err) != 0);
    T_ASSERT(strstr(err, "nope/unikernel.conf: cannot read:") != NULL);
    conf_free(&c);
    free(p);
    return NULL;
}

static const char *manifest_source(void)
{
    struct conf c;
    char err[CONF_ERR_SIZE];
    char *src;

    T_ASSERT(load(&c, "name a\nblock storage\nnet service\n", err,
               sizeof err) == 0);
    src = mft_source(&c);
    conf_free(&c);
    char *e0 = strstr(src, "ATOLL_MFT_RESERVED_FIRST");
    char *e1 = strstr(src, "{.name = \"storage\", .type = "
                           "ATOLL_MFT_DEV_BLOCK_BASIC}");
    char *e2 = strstr(src, "{.name = \"service\", .type = "
                           "ATOLL_MFT_DEV_NET_BASIC}");
    bool ok = e0 && e1 && e2 && e0 < e1 && e1 < e2 &&
              strstr(src, ".entries = 3,") != NULL &&
              strstr(src, "struct atoll_mft_entry e[3];") != NULL;
    free(src);
    T_ASSERT(ok);
    /* No configuration: only the reserved entry. */
    memset(&c, 0, sizeof c);
    src = mft_source(&c);
    ok = strstr(src, ".entries = 1,") != NULL &&
         strstr(src, "BASIC") == NULL;
    free(src);
    T_ASSERT(ok);
    return NULL;
}

static const char *tree_lookup(void)
{
    struct tree t;
    struct strv names = {0};
    char err[256], w[256];
    char *bad = path_join(scratch, "app");
    char *a;

    T_ASSERT(!tree.installed);
    T_ASSERT(strcmp(tree.libdir + strlen(tree.libdir) - 10, "/build/lib") ==
          0);
    tree_libraries(&tree, &names);
    char *list = strv_join(&names, ",");
    bool ok = strcmp(list, "kv,libc,m,net,rt") == 0; /* m: musl's libm */
    free(list);
    strv_free(&names);
    T_ASSERT(ok);
    a = tree_library(&tree, "net", w, sizeof w);
    T_ASSERT(a != NULL && strstr(a, "/build/lib/net.a") != NULL);
    free(a);
    T_ASSERT(tree_library(&tree, "kv", w, sizeof w) == NULL);
    T_ASSERT(strstr(w, "not built") != NULL);
    T_ASSERT(tree_library(&tree, "m", w, sizeof w) == NULL);
    T_ASSERT(strstr(w, "not built") != NULL && strstr(w, "musl-dev"));
    /* A folder with no tree around it: the tree the tools came from. */
    T_ASSERT(tree_at(&t, bad, err, sizeof err) == 0);
    ok = strcmp(t.root, ATOLL_SOURCE_ROOT) == 0 && !t.installed;
    tree_free(&t);
    free(bad);
    T_ASSERT(ok);
    /* The installed layout. */
    mkdirs("prefix/bin");
    put("prefix/lib/atoll/include/atoll/rt.h", "");
    put("prefix/lib/atoll/lib/rt.a", "");
    put("prefix/lib/atoll/lib/libc.a", "");
    put("prefix/lib/atoll/lib/net.a", "");
    char *pb = path_join(scratch, "prefix/bin");
    T_ASSERT(tree_at(&t, pb, err, sizeof err) == 0);
    free(pb);
    T_ASSERT(t.installed);
    tree_libraries(&t, &names);
    list = strv_join(&names, ",");
    ok = strcmp(list, "libc,m,net,rt") == 0;
    free(list);
    strv_free(&names);
    a = tree_bindings(&t, "spt");
    ok = ok && strstr(a, "/prefix/lib/atoll/bindings/spt/bindings-spt.a");
    free(a);
    a = tree_lds(&t, "hvt");
    ok = ok && strstr(a, "/prefix/lib/atoll/bindings/hvt/hvt.lds");
    free(a);
    tree_free(&t);
    T_ASSERT(ok);
    return NULL;
}

static const char *paths(void)
{
    static const char *const rel[][3] = {
        {"/a/b/c", "/a/b", "c"},     {"/a/x", "/a/b", "../x"},
        {"/a", "/a/b", ".."},        {"/ab", "/a", "../ab"},
        {"/x", "/", "x"},            {"/", "/x", ".."},
        {"/a/b", "/a/b", "."},       {"/a/b/c/d", "/a/x/y", "../../b/c/d"},
    };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char *r = path_relative(rel[i][0], rel[i][1]);
        bool ok = strcmp(r, rel[i][2]) == 0;

        if (!ok)
            snprintf(why, sizeof why, "path_relative(%s, %s) = %s, want %s",
                     rel[i][0], rel[i][1], r, rel[i][2]);
        free(r);
        if (!ok)
            return why;
    }
    char *p = path_absolute("/a/./b//../c/");
    bool ok = strcmp(p, "/a/c") == 0;
    free(p);
    T_ASSERT(ok);
    p = path_absolute("/..");
    ok = strcmp(p, "/") == 0;
    free(p);
    T_ASSERT(ok);
    p = path_dirname("x");
    ok = strcmp(p, ".") == 0;
    free(p);
    T_ASSERT(ok);
    p = path_dirname("/x");
    ok = strcmp(p, "/") == 0;
    free(p);
    T_ASSERT(ok);
    T_ASSERT(strcmp(path_basename("a/b.c"), "b.c") == 0);
    return NULL;
}

static const char *write_changed(void)
{
    char *p = path_join(scratch, "w.txt");

    T_ASSERT(write_if_changed(p, "abc", 3) == 1);
    T_ASSERT(write_if_changed(p, "abc", 3) == 0);
    T_ASSERT(write_if_changed(p, "abcd", 4) == 1);
    size_t n;
    char *t = read_file(p, &n);
    bool ok = t != NULL && n == 4 && strcmp(t, "abcd") == 0;
    free(t);
    free(p);
    T_ASSERT(ok);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    char err[256];
    char *bin;

    if (mkdtemp(scratch) == NULL) {
        printf("FAIL: conf setup: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    put("tree/include/atoll/rt.h", "");
    mkdirs("tree/lib/rt");
    mkdirs("tree/lib/libc");
    mkdirs("tree/lib/net");
    mkdirs("tree/lib/kv"); /* a library folder without an archive */
    put("tree/build/lib/rt.a", "");
    put("tree/build/lib/libc.a", "");
    put("tree/build/lib/net.a", "");
    put("tree/build/lib/bindings-spt.a", "");
    mkdirs("tree/build/bin");
    put("app/hello.c", "");
    put("app/util.c", "");
    put("app/notes.txt", "");
    put("app/sub/a.c", "");
    put("app/sub/b.c", "");
    put("app/sub/c.h", "");
    put("app/asm/entry.S", "");
    app = path_join(scratch, "app");
    confpath = path_join(app, "unikernel.conf");
    bin = path_join(scratch, "tree/build/bin");
    if (tree_at(&tree, bin, err, sizeof err) != 0) {
        printf("FAIL: conf setup: %s\n", err);
        return 1;
    }
    free(bin);

    CONF_CASE(minimal);
    CONF_CASE(full);
    CONF_CASE(unknown_key);
    CONF_CASE(key_without_value);
    CONF_CASE(name_twice);
    CONF_CASE(name_two_words);
    CONF_CASE(name_bad);
    CONF_CASE(name_missing);
    CONF_CASE(source_missing);
    CONF_CASE(glob_matches_nothing);
    CONF_CASE(glob_matches_no_source);
    CONF_CASE(not_a_source);
    CONF_CASE(no_default_sources);
    CONF_CASE(library_unknown);
    CONF_CASE(library_path);
    CONF_CASE(library_not_built);
    CONF_CASE(device_duplicate);
    CONF_CASE(device_name_length);
    CONF_CASE(device_bad_chars);
    CONF_CASE(device_word_count);
    CONF_CASE(too_many_devices);
    CONF_CASE(nul_byte);
    CONF_CASE(unreadable);
    CONF_CASE(manifest_source);
    CONF_CASE(tree_lookup);
    CONF_CASE(paths);
    CONF_CASE(write_changed);

    tree_free(&tree);
    rm_rf(scratch);
    free(app);
    free(confpath);
    return t_finish();
}
