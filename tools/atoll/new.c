/*
 * atoll new NAME [--template=T]: a new application folder from one of the
 * templates in tools/atoll/templates/ (compiled into atoll by
 * tools/atoll/module.mk, so an installed atoll needs no data files):
 * unikernel.conf, a commented main.c and a .gitignore. "@NAME@" in a
 * template becomes the application's name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atoll.h"

struct tmpl_file {
    const char *tmpl; /* template name: the folder under templates/ */
    const char *file;
    const char *text;
};

/* atoll_templates[], generated from tools/atoll/templates/NAME/FILE. */
#include "atoll-templates.h"

#define NTEMPLATE_FILES (sizeof atoll_templates / sizeof atoll_templates[0])

static const char gitignore[] = "# atoll's build folder and images\n"
                                "_build/\n"
                                "dist/\n";

static const char new_help[] =
    "usage: atoll new NAME [--template=TEMPLATE]\n"
    "\n"
    "Create the folder NAME with a unikernel.conf, a commented main.c and\n"
    "a .gitignore, ready for: cd NAME && atoll configure -t spt &&\n"
    "atoll build && atoll run. NAME may be a path; its last part names\n"
    "the unikernel.\n"
    "  --template=hello  print a greeting and exit (default)\n"
    "  --template=echo   a TCP and UDP echo service on a net device\n"
    "  --template=kv     count boots in a key-value store on a block device\n";

static void template_names(struct strv *out)
{
    for (size_t i = 0; i < NTEMPLATE_FILES; i++)
        if (!strv_has(out, atoll_templates[i].tmpl))
            strv_add(out, atoll_templates[i].tmpl);
}

static bool isalnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* The rule of conf.c for a unikernel's name (it names dist/NAME.TARGET). */
static bool name_ok(const char *s)
{
    if (strlen(s) > CONF_NAME_MAX || !isalnum_ascii(s[0]))
        return false;
    for (; *s; s++)
        if (!isalnum_ascii(*s) && *s != '_' && *s != '-' && *s != '.')
            return false;
    return true;
}

/* text with every "@NAME@" replaced by name. */
static char *substitute(const char *text, const char *name)
{
    struct strv parts = {0};
    const char *p;
    char *out;

    while ((p = strstr(text, "@NAME@")) != NULL) {
        strv_addf(&parts, "%.*s%s", (int)(p - text), text, name);
        text = p + 6;
    }
    strv_add(&parts, text);
    out = strv_join(&parts, "");
    strv_free(&parts);
    return out;
}

static int write_new(const char *dir, const char *file, const char *text)
{
    char *path = path_join(dir, file);
    size_t len = strlen(text);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int rc = 0;

    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        fprintf(stderr, "atoll new: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        fprintf(stderr, "atoll new: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    free(path);
    return rc;
}

/* 1 if dir exists with something in it, 0 if absent or empty, -1 if it
 * is not a folder. */
static int non_empty(const char *dir)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int n = 0;

    if (stat(dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return -1;
    d = opendir(dir);
    if (d == NULL)
        return 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n > 0;
}

int cmd_new(int argc, char **argv)
{
    const char *dir = NULL, *tmpl = "hello";
    struct strv names = {0}, made = {0};
    int rc = EXIT_USAGE;

    template_names(&names);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];

        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(new_help, stdout);
            strv_free(&names);
            return 0;
        }
        if (strncmp(o, "--template=", 11) == 0) {
            tmpl = o + 11;
        } else if (strcmp(o, "--template") == 0 || strcmp(o, "-t") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll new: %s needs a value\n", o);
                goto out;
            }
            tmpl = argv[++i];
        } else if (o[0] == '-' || dir != NULL) {
            fprintf(stderr, "atoll new: unexpected '%s' (usage: atoll new "
                    "NAME [--template=TEMPLATE])\n", o);
            goto out;
        } else {
            dir = o;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "atoll new: which name? usage: atoll new NAME "
                "[--template=TEMPLATE]\n");
        goto out;
    }
    char *list = strv_join(&names, ", ");
    bool known = strv_has(&names, tmpl);
    if (!known)
        fprintf(stderr, "atoll new: unknown template '%s' (templates: %s)\n",
                tmpl, list);
    free(list);
    if (!known)
        goto out;

    char *trimmed = xstrdup(dir);
    size_t len = strlen(trimmed);
    while (len > 1 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
    const char *name = path_basename(trimmed);
    if (!name_ok(name)) {
        fprintf(stderr, "atoll new: '%s' is not a unikernel name: up to %d "
                "letters, digits, '_', '-' or '.', starting with a letter "
                "or digit\n", name, CONF_NAME_MAX);
        free(trimmed);
        goto out;
    }
    rc = EXIT_FAIL;
    int ne = non_empty(trimmed);
    if (ne != 0) {
        fprintf(stderr, "atoll new: '%s' %s; give a new folder name\n",
                trimmed, ne < 0 ? "exists and is not a folder"
                                : "exists and is not empty");
        free(trimmed);
        goto out;
    }
    if (mkdir_p(trimmed) != 0) {
        fprintf(stderr, "atoll new: %s: %s\n", trimmed, strerror(errno));
        free(trimmed);
        goto out;
    }
    for (size_t i = 0; i < NTEMPLATE_FILES; i++) {
        if (strcmp(atoll_templates[i].tmpl, tmpl) != 0)
            continue;
        char *text = substitute(atoll_templates[i].text, name);
        int w = write_new(trimmed, atoll_templates[i].file, text);

        free(text);
        if (w != 0) {
            free(trimmed);
            goto out;
        }
        strv_add(&made, atoll_templates[i].file);
    }
    if (write_new(trimmed, ".gitignore", gitignore) != 0) {
        free(trimmed);
        goto out;
    }
    strv_add(&made, ".gitignore");
    char *files = strv_join(&made, " ");
    printf("atoll: created %s/ (template %s): %s\n", trimmed, tmpl, files);
    printf("  next: cd %s && atoll configure -t spt && atoll build && %s\n",
           trimmed,
           strcmp(tmpl, "echo") == 0 ? "atoll run --net service=auto"
           : strcmp(tmpl, "kv") == 0 ? "truncate -s 8M disk.img && atoll "
                                       "run --block storage=disk.img"
                                     : "atoll run");
    free(files);
    free(trimmed);
    rc = 0;
out:
    strv_free(&names);
    strv_free(&made);
    return rc;
}
