/*
 * When the link of an image fails on undefined references, name the Atoll
 * libraries that define the missing symbols, read from each library
 * archive's symbol index (the "/" or "/SYM64/" member GNU ar writes), so
 * that the fix is one line: add `kv` to `libraries` in unikernel.conf.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atoll.h"

int run_capture(char *const argv[], char **out)
{
    size_t n = 0, cap = 4096;
    char *buf = xmalloc(cap);
    int fds[2], status;
    pid_t pid;

    *out = NULL;
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0) {
        fprintf(stderr, "atoll: pipe: %s\n", strerror(errno));
        free(buf);
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "atoll: fork: %s\n", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        free(buf);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        close(fds[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "atoll: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        if (n + 1024 > cap)
            buf = xrealloc(buf, cap *= 2);
        ssize_t r = read(fds[0], buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        /* Pass it on as it comes: the output is the linker's. */
        fwrite(buf + n, 1, (size_t)r, stderr);
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "atoll: waitpid: %s\n", strerror(errno));
            free(buf);
            return -1;
        }
    }
    *out = buf;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static uint64_t be(const uint8_t *p, int width)
{
    uint64_t v = 0;

    for (int i = 0; i < width; i++)
        v = v << 8 | p[i];
    return v;
}

/* Whether the symbol index of the archive at path lists sym. */
static bool archive_defines(const char *path, const char *sym)
{
    size_t len;
    char *a = read_file(path, &len);
    bool found = false;

    if (a == NULL || len < 68 || memcmp(a, "!<arch>\n", 8) != 0) {
        free(a);
        return false;
    }
    const char *h = a + 8; /* the first member's 60-byte header */
    int width = memcmp(h, "/SYM64/ ", 8) == 0 ? 8
                : memcmp(h, "/ ", 2) == 0    ? 4
                                             : 0;
    size_t size = (size_t)strtoull(h + 48, NULL, 10);
    const uint8_t *p = (const uint8_t *)h + 60;

    if (width != 0 && size <= len - 68 && size >= (size_t)width) {
        uint64_t count = be(p, width);
        const char *names = (const char *)p + width * (count + 1);
        const char *end = (const char *)p + size;

        if (count < size / (size_t)width) {
            for (const char *s = names; s < end && !found;
                 s += strnlen(s, (size_t)(end - s)) + 1)
                found = strncmp(s, sym, (size_t)(end - s)) == 0 &&
                        strnlen(s, (size_t)(end - s)) == strlen(sym);
        }
    }
    free(a);
    return found;
}

/* The symbols ld says are undefined: "undefined reference to `SYM'"
 * (GNU ld) or "undefined symbol: SYM" (lld). */
static void undefined_symbols(const char *text, struct strv *syms)
{
    static const char *const marks[] = {"undefined reference to `",
                                        "undefined symbol: "};

    for (size_t m = 0; m < 2; m++) {
        for (const char *p = text; (p = strstr(p, marks[m])) != NULL;) {
            p += strlen(marks[m]);
            size_t n = strcspn(p, "'\n ");
            char *s = xasprintf("%.*s", (int)n, p);

            if (!strv_has(syms, s))
                strv_add(syms, s);
            free(s);
        }
    }
}

void link_hints(const struct app *a, const char *ldout)
{
    struct strv syms = {0}, names = {0};

    undefined_symbols(ldout, &syms);
    if (syms.n == 0)
        return;
    tree_libraries(&a->tree, &names);
    for (size_t i = 0; i < names.n; i++) {
        const char *lib = names.v[i];
        char why[CONF_ERR_SIZE];
        struct strv found = {0};

        if (strv_has(&a->conf.libs, lib) || strcmp(lib, "rt") == 0 ||
            strcmp(lib, "libc") == 0)
            continue;
        char *path = tree_library(&a->tree, lib, why, sizeof why);
        if (path == NULL)
            continue;
        size_t nfound = 0;
        for (size_t k = 0; k < syms.n; k++) {
            if (!archive_defines(path, syms.v[k]))
                continue;
            /* name three, the rest as "..." */
            if (nfound++ < 3)
                strv_add(&found, syms.v[k]);
            else if (nfound == 4)
                strv_add(&found, "...");
        }
        free(path);
        if (nfound > 0) {
            char *list = strv_join(&found, ", ");

            fprintf(stderr, "atoll: add `%s` to `libraries` in %s (it "
                    "defines %s)\n", lib, a->conf.path, list);
            free(list);
        }
        strv_free(&found);
    }
    strv_free(&names);
    strv_free(&syms);
}
