/*
 * Helpers for the host tools in tools/atoll (see util.h).
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL) {
        fprintf(stderr, "atoll: out of memory\n");
        exit(1);
    }
    return p;
}

void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "atoll: out of memory\n");
        exit(1);
    }
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}

static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        fprintf(stderr, "atoll: bad format\n");
        exit(1);
    }
    s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- string vectors ---------------------------------------------------- */

static void strv_push(struct strv *sv, char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strv_add(struct strv *sv, const char *s)
{
    strv_push(sv, xstrdup(s));
}

void strv_addf(struct strv *sv, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strv_push(sv, xvasprintf(fmt, ap));
    va_end(ap);
}

void strv_addv(struct strv *sv, const struct strv *more)
{
    for (size_t i = 0; i < more->n; i++)
        strv_add(sv, more->v[i]);
}

bool strv_has(const struct strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

void strv_free(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

char *strv_join(const struct strv *sv, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    char *s, *p;

    for (size_t i = 0; i < sv->n; i++)
        len += strlen(sv->v[i]) + seplen;
    p = s = xmalloc(len);
    *p = '\0';
    for (size_t i = 0; i < sv->n; i++) {
        size_t n = strlen(sv->v[i]);

        if (i > 0) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, sv->v[i], n);
        p += n;
    }
    *p = '\0';
    return s;
}

/* ---- paths ------------------------------------------------------------- */

char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a);

    if (b[0] == '/' || n == 0)
        return xstrdup(b);
    if (a[n - 1] == '/')
        return xasprintf("%s%s", a, b);
    return xasprintf("%s/%s", a, b);
}

char *path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        return xstrdup(".");
    while (slash > path && slash[-1] == '/')
        slash--;
    if (slash == path)
        return xstrdup("/");
    return xasprintf("%.*s", (int)(slash - path), path);
}

const char *path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

char *path_absolute(const char *path)
{
    char cwd[PATH_MAX];
    char *full, *out, *p;
    size_t o = 0;

    if (path[0] == '/') {
        full = xstrdup(path);
    } else {
        if (getcwd(cwd, sizeof cwd) == NULL) {
            fprintf(stderr, "atoll: cannot get the current directory: %s\n",
                    strerror(errno));
            exit(1);
        }
        full = path_join(cwd, path);
    }
    /* Rebuild component by component into out (never longer than full). */
    out = xmalloc(strlen(full) + 2);
    for (p = full; *p != '\0';) {
        size_t n;

        while (*p == '/')
            p++;
        n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n == 1 && p[0] == '.') {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(full);
    return out;
}

char *path_relative(const char *path, const char *base)
{
    size_t common = 0, i;
    struct strv up = {0};
    char *rel, *ups;

    if (strcmp(path, base) == 0)
        return xstrdup(".");
    /* The longest common prefix that ends at a component boundary. */
    for (i = 0; path[i] != '\0' && path[i] == base[i]; i++)
        if (path[i] == '/')
            common = i;
    if (base[i] == '\0' && (path[i] == '/' || i == 1))
        common = i;
    else if (path[i] == '\0' && base[i] == '/')
        common = i;
    for (const char *b = base + common; *b != '\0'; b++)
        if (*b == '/' && b[1] != '\0')
            strv_add(&up, "..");
    ups = strv_join(&up, "/");
    strv_free(&up);
    const char *rest = path + common;
    while (*rest == '/')
        rest++;
    if (ups[0] == '\0')
        rel = xstrdup(rest[0] ? rest : ".");
    else if (rest[0] == '\0')
        rel = xstrdup(ups);
    else
        rel = xasprintf("%s/%s", ups, rest);
    free(ups);
    return rel;
}

char *path_display(const char *path)
{
    char *abs = path_absolute(path);
    char *cwd = path_absolute(".");
    char *rel = path_relative(abs, cwd);

    free(cwd);
    if (strlen(rel) < strlen(abs)) {
        free(abs);
        return rel;
    }
    free(rel);
    return abs;
}

/* ---- files ------------------------------------------------------------- */

bool is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

long long mtime_ns(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return -1;
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

int mkdir_p(const char *path)
{
    char *p;
    int rc = 0;

    if (path[0] == '\0')
        return 0;
    p = xstrdup(path);
    for (char *s = p + 1; rc == 0; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        else if (!is_dir(p)) {
            errno = ENOTDIR;
            rc = -1;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

int rm_rf(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf;

    if (f == NULL)
        return NULL;
    buf = xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);

        n += got;
        if (n + 1 < cap)
            break;
        cap *= 2;
        buf = xrealloc(buf, cap);
    }
    if (ferror(f)) {
        int e = errno;

        fclose(f);
        free(buf);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

int write_if_changed(const char *path, const char *data, size_t len)
{
    size_t oldlen;
    char *old = read_file(path, &oldlen);
    char *tmp;
    FILE *f;

    if (old != NULL && oldlen == len && memcmp(old, data, len) == 0) {
        free(old);
        return 0;
    }
    free(old);
    /* Write beside it and rename, so a reader never sees half a file. */
    tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (f == NULL) {
        free(tmp);
        return -1;
    }
    if (fwrite(data, 1, len, f) != len || fclose(f) != 0 ||
        rename(tmp, path) != 0) {
        int e = errno;

        unlink(tmp);
        free(tmp);
        errno = e;
        return -1;
    }
    free(tmp);
    return 1;
}

int run_wait(char *const argv[])
{
    pid_t pid;
    int status;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "atoll: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "atoll: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "atoll: waitpid: %s\n", strerror(errno));
            return -1;
        }
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
