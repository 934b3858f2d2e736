/*
 * Small helpers shared by the host tools in tools/atoll: growable string
 * vectors, paths, files, and running child processes. Allocation failure
 * ends the program (these are short-lived command-line tools).
 */
#ifndef ATOLL_TOOL_UTIL_H
#define ATOLL_TOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* A NULL-terminated vector of malloc'ed strings. Zero-initialise. */
struct strv {
    char **v;
    size_t n, cap;
};

void strv_add(struct strv *sv, const char *s);
void strv_addf(struct strv *sv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strv_addv(struct strv *sv, const struct strv *more);
bool strv_has(const struct strv *sv, const char *s);
void strv_free(struct strv *sv);
/* The words joined with sep, malloc'ed. */
char *strv_join(const struct strv *sv, const char *sep);

void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* a/b, or b alone when b is absolute or a is empty. */
char *path_join(const char *a, const char *b);
char *path_dirname(const char *path);
const char *path_basename(const char *path);
/* The absolute, normalised form of path (which need not exist): "." and
 * ".." components resolved lexically against the current directory. */
char *path_absolute(const char *path);
/* path (absolute) written relative to base (absolute directory). */
char *path_relative(const char *path, const char *base);
/* path as it is best shown to the user: relative to the current directory
 * when that is shorter. */
char *path_display(const char *path);

bool is_dir(const char *path);
bool is_file(const char *path);
/* Modification time of path in nanoseconds; -1 if it cannot be stat'ed. */
long long mtime_ns(const char *path);

int mkdir_p(const char *path);
/* Remove path and everything under it; 0 also when it did not exist. */
int rm_rf(const char *path);
/* The whole file, NUL-terminated; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);
/* Replace path's contents with data unless they are equal already (so its
 * modification time only moves when it changes). Returns 1 if written,
 * 0 if unchanged, -1 on error (errno set). */
int write_if_changed(const char *path, const char *data, size_t len);

/* Run argv[0] (searched in PATH) and wait; returns its exit status, 128+N
 * for a signal N, or -1 (with a message) if it could not be started. */
int run_wait(char *const argv[]);

#endif
