/*
 * atoll www pack DIR -o FILE: DIR as a ustar archive (ustar.c) for
 * examples/www, which serves it from its block device through lib/tarkv.
 *
 * Names are sorted, modification times kept (the server's ETag and
 * Last-Modified come from them). A compressible file (by extension) of at
 * least --gzip-min bytes gets a sibling NAME.gz, made by `gzip -9n`, when
 * that is smaller and DIR has no NAME.gz of its own; the server sends it
 * to clients that accept gzip. gzip(1) rather than zlib: Debian's gzip
 * package is essential (on every system, no new build dependency), and
 * -n leaves the name and time out of the output, so the same tree gives
 * the same archive.
 *
 * Symbolic links are followed when they stay inside DIR (the archive
 * holds the file or folder they name); a link leading out of DIR, a
 * dangling one, a loop, a device or socket, and a name ustar cannot hold
 * stop the pack with the path and the reason. --tls NAME=CRT,KEY adds
 * .tls/NAME.crt and .tls/NAME.key, which examples/www --tls=NAME reads
 * and never serves.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atoll.h"
#include "ustar.h"

static const char www_help[] =
    "usage: atoll www pack DIR -o FILE [--tls NAME=CRT,KEY]...\n"
    "                      [--gzip-min BYTES] [-q]\n"
    "\n"
    "Write the files and folders of DIR as a tar archive (ustar) for the\n"
    "examples/www unikernel's block device (docs/www.md). Modification\n"
    "times are kept (ETag and Last-Modified come from them). Files of a\n"
    "compressible type (html, htm, css, js, mjs, json, svg, xml, txt, md,\n"
    "csv) get a NAME.gz sibling made by gzip -9n when it is smaller, which\n"
    "the server sends to clients that accept gzip.\n"
    "  -o FILE           the archive to write (required)\n"
    "  --tls NAME=CRT,KEY  add the PEM chain CRT and key KEY as\n"
    "                    .tls/NAME.crt and .tls/NAME.key (for www\n"
    "                    --tls=NAME); may be repeated\n"
    "  --gzip-min BYTES  smallest file given a .gz sibling (default 256;\n"
    "                    0: every compressible file)\n"
    "  -q                print nothing but errors\n"
    "Symbolic links are followed inside DIR; one leading out of DIR, a\n"
    "device, a socket or a name over ustar's limits (100 bytes after a\n"
    "'/', 155 before it) is an error.\n";

struct packer {
    FILE *out;
    const char *out_name;        /* shown in errors */
    dev_t out_dev;               /* the archive being written, skipped */
    ino_t out_ino;
    char *root;                  /* DIR, resolved */
    unsigned long long gzip_min;
    struct stat stack[64];       /* the folders being walked (loops) */
    int depth;
    unsigned long files, dirs, gz;
};

static const char *const gzip_exts[] = {"html", "htm", "css", "js", "mjs",
                                        "json", "svg", "xml", "txt", "md",
                                        "csv"};

static bool compressible(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return false;
    for (size_t i = 0; i < sizeof gzip_exts / sizeof *gzip_exts; i++)
        if (strcasecmp(dot + 1, gzip_exts[i]) == 0)
            return true;
    return false;
}

static int err(const char *what, const char *why)
{
    fprintf(stderr, "atoll www pack: %s: %s\n", what, why);
    return -1;
}

static int header(struct packer *p, const char *name, unsigned mode,
                  unsigned long long size, long long mtime, char type)
{
    unsigned char h[USTAR_BLOCK];
    const char *why = ustar_header(h, name, mode & 07777, size,
                                   mtime > 0 ? (unsigned long long)mtime : 0,
                                   type);

    if (why != NULL)
        return err(name, why);
    if (fwrite(h, 1, sizeof h, p->out) != sizeof h)
        return err(p->out_name, strerror(errno));
    return 0;
}

/* size bytes of fd after a header, and the padding. */
static int copy_data(struct packer *p, int fd, const char *name,
                     unsigned long long size)
{
    static const char zero[USTAR_BLOCK];
    char buf[65536];
    unsigned long long left = size;

    while (left > 0) {
        ssize_t n = read(fd, buf, left < sizeof buf ? left : sizeof buf);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return err(name, n < 0 ? strerror(errno)
                                   : "shorter than its size (changed?)");
        if (fwrite(buf, 1, (size_t)n, p->out) != (size_t)n)
            return err(p->out_name, strerror(errno));
        left -= (unsigned long long)n;
    }
    size_t pad = ustar_pad(size);
    if (pad > 0 && fwrite(zero, 1, pad, p->out) != pad)
        return err(p->out_name, strerror(errno));
    return 0;
}

/* The file at path (fd open on it) compressed by gzip -9n into a
 * temporary file: its descriptor (at offset 0), or -1. */
static int gzip_file(int fd, const char *path)
{
    FILE *t = tmpfile();
    int tfd;
    pid_t pid;
    int st;

    if (t == NULL) {
        err("temporary file", strerror(errno));
        return -1;
    }
    tfd = dup(fileno(t));
    fclose(t);
    if (tfd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        err(path, strerror(errno));
        goto fail;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        if (dup2(fd, 0) < 0 || dup2(tfd, 1) < 0)
            _exit(127);
        execlp("gzip", "gzip", "-9n", (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
        WEXITSTATUS(st) != 0) {
        err(path, pid < 0 ? strerror(errno)
                          : "gzip -9n failed (is gzip installed?)");
        goto fail;
    }
    if (lseek(tfd, 0, SEEK_SET) != 0) {
        err(path, strerror(errno));
        goto fail;
    }
    return tfd;
fail:
    if (tfd >= 0)
        close(tfd);
    return -1;
}

/* A regular file: its entry, then NAME.gz when that is worth it. */
static int add_file(struct packer *p, const char *path, const char *name,
                    const struct stat *st)
{
    int fd = open(path, O_RDONLY);
    int rc = -1;

    if (fd < 0)
        return err(path, strerror(errno));
    if (header(p, name, st->st_mode, (unsigned long long)st->st_size,
               (long long)st->st_mtime, '0') != 0 ||
        copy_data(p, fd, path, (unsigned long long)st->st_size) != 0)
        goto out;
    p->files++;
    rc = 0;
    char *gzpath = xasprintf("%s.gz", path);
    struct stat gst;
    bool own_gz = lstat(gzpath, &gst) == 0;

    free(gzpath);
    if (own_gz || !compressible(name) ||
        (unsigned long long)st->st_size < p->gzip_min)
        goto out;
    int gfd = gzip_file(fd, path);
    if (gfd < 0 || fstat(gfd, &gst) != 0) {
        rc = -1;
    } else if (gst.st_size < st->st_size) {
        char *gzname = xasprintf("%s.gz", name);

        rc = header(p, gzname, st->st_mode, (unsigned long long)gst.st_size,
                    (long long)st->st_mtime, '0');
        if (rc == 0)
            rc = copy_data(p, gfd, gzname, (unsigned long long)gst.st_size);
        if (rc == 0)
            p->gz++;
        free(gzname);
    }
    if (gfd >= 0)
        close(gfd);
out:
    close(fd);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct packer *p, const char *dir, const char *prefix);

/* One name of a folder: path on the host, name in the archive. */
static int add_path(struct packer *p, const char *path, const char *name)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return err(path, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        size_t rl = strlen(p->root);

        if (real == NULL)
            return err(path, "a symbolic link to nothing (dangling)");
        bool inside = strncmp(real, p->root, rl) == 0 &&
                      (real[rl] == '/' || real[rl] == '\0' ||
                       strcmp(p->root, "/") == 0);
        if (!inside) {
            fprintf(stderr, "atoll www pack: %s: a symbolic link leading "
                    "out of %s (to %s)\n", path, p->root, real);
            free(real);
            return -1;
        }
        free(real);
        if (stat(path, &st) != 0)
            return err(path, strerror(errno));
    }
    if (st.st_dev == p->out_dev && st.st_ino == p->out_ino)
        return 0; /* the archive itself, written inside DIR */
    if (S_ISREG(st.st_mode))
        return add_file(p, path, name, &st);
    if (!S_ISDIR(st.st_mode))
        return err(path, "not a regular file or folder (device, socket "
                         "or pipe)");
    for (int i = 0; i < p->depth; i++)
        if (p->stack[i].st_dev == st.st_dev &&
            p->stack[i].st_ino == st.st_ino)
            return err(path, "a symbolic link to a folder that holds it "
                             "(a loop)");
    if (p->depth == (int)(sizeof p->stack / sizeof *p->stack))
        return err(path, "folders nested too deep");
    char *dname = xasprintf("%s/", name);
    int rc = header(p, dname, st.st_mode, 0, (long long)st.st_mtime, '5');

    if (rc == 0) {
        p->dirs++;
        p->stack[p->depth++] = st;
        rc = walk(p, path, dname);
        p->depth--;
    }
    free(dname);
    return rc;
}

/* The names of folder dir, sorted, with prefix ("" or "a/b/") in the
 * archive. */
static int walk(struct packer *p, const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct strv names = {0};
    struct dirent *e;
    int rc = 0;

    if (d == NULL)
        return err(dir, strerror(errno));
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            strv_add(&names, e->d_name);
    closedir(d);
    if (names.n > 0)
        qsort(names.v, names.n, sizeof *names.v, cmp_names);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        char *path = path_join(dir, names.v[i]);
        char *name = xasprintf("%s%s", prefix, names.v[i]);

        rc = add_path(p, path, name);
        free(path);
        free(name);
    }
    strv_free(&names);
    return rc;
}

/* --tls NAME=CRT,KEY: .tls/NAME.crt and .tls/NAME.key. */
static int add_tls(struct packer *p, const char *spec, bool *tls_dir)
{
    const char *eq = strchr(spec, '='), *comma;
    char *name, *files[2];
    const char *ext[2] = {"crt", "key"};
    unsigned mode[2] = {0644, 0600};
    int rc = 0;

    comma = eq != NULL ? strchr(eq, ',') : NULL;
    if (eq == NULL || comma == NULL || eq == spec || comma == eq + 1 ||
        comma[1] == '\0')
        return err(spec, "--tls wants NAME=CRT,KEY");
    name = xasprintf("%.*s", (int)(eq - spec), spec);
    if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789._-") != strlen(name) || name[0] == '.') {
        free(name);
        return err(spec, "--tls NAME: letters, digits, '.', '_' and '-', "
                         "not starting with '.'");
    }
    files[0] = xasprintf("%.*s", (int)(comma - eq - 1), eq + 1);
    files[1] = xstrdup(comma + 1);
    if (!*tls_dir) {
        rc = header(p, ".tls/", 0700, 0, 0, '5');
        *tls_dir = true;
    }
    for (int i = 0; i < 2 && rc == 0; i++) {
        char *in_dir = xasprintf("%s/.tls/%s.%s", p->root, name, ext[i]);
        char *entry = xasprintf(".tls/%s.%s", name, ext[i]);
        struct stat st;
        int fd = -1;

        if (lstat(in_dir, &st) == 0) {
            fprintf(stderr, "atoll www pack: --tls %s: %s is in %s "
                    "already\n", name, entry, p->root);
            rc = -1;
        } else if ((fd = open(files[i], O_RDONLY)) < 0 ||
                   fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            rc = err(files[i], fd < 0 ? strerror(errno)
                                      : "not a regular file");
        } else {
            rc = header(p, entry, mode[i], (unsigned long long)st.st_size,
                        (long long)st.st_mtime, '0');
            if (rc == 0)
                rc = copy_data(p, fd, files[i],
                               (unsigned long long)st.st_size);
        }
        if (fd >= 0)
            close(fd);
        free(in_dir);
        free(entry);
    }
    free(files[0]);
    free(files[1]);
    free(name);
    return rc;
}

static int pack_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "atoll www pack: %s%s%s (atoll www --help)\n", msg,
            arg ? " " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static int www_pack(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    struct strv tls = {0};
    struct packer p = {.gzip_min = 256};
    bool quiet = false, tls_dir;
    int rc = EXIT_FAIL;

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];

        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(www_help, stdout);
            return 0;
        }
        if (strcmp(o, "-q") == 0) {
            quiet = true;
        } else if (strcmp(o, "-o") == 0 || strcmp(o, "--tls") == 0 ||
                   strcmp(o, "--gzip-min") == 0) {
            if (i + 1 >= argc) {
                strv_free(&tls);
                return pack_usage(o, "needs a value");
            }
            const char *v = argv[++i];
            if (o[1] == 'o') {
                out = v;
            } else if (o[2] == 't') {
                strv_add(&tls, v);
            } else {
                char *end;
                errno = 0;
                p.gzip_min = strtoull(v, &end, 10);
                if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno) {
                    strv_free(&tls);
                    return pack_usage("--gzip-min: not a number:", v);
                }
            }
        } else if (o[0] == '-' && o[1] != '\0') {
            strv_free(&tls);
            return pack_usage("unknown option", o);
        } else if (dir == NULL) {
            dir = o;
        } else {
            strv_free(&tls);
            return pack_usage("one DIR only; extra:", o);
        }
    }
    if (dir == NULL || out == NULL) {
        strv_free(&tls);
        return pack_usage(dir == NULL ? "which folder? DIR missing"
                                      : "-o FILE missing", NULL);
    }
    p.root = realpath(dir, NULL);
    if (p.root == NULL || !is_dir(p.root)) {
        fprintf(stderr, "atoll www pack: %s: %s\n", dir,
                p.root == NULL ? strerror(errno) : "not a folder");
        goto done;
    }
    char *tmp = xasprintf("%s.tmp", out);
    struct stat ost;
    p.out = fopen(tmp, "wb");
    p.out_name = tmp;
    if (p.out == NULL || fstat(fileno(p.out), &ost) != 0) {
        fprintf(stderr, "atoll www pack: %s: %s\n", tmp, strerror(errno));
        free(tmp);
        goto done;
    }
    p.out_dev = ost.st_dev;
    p.out_ino = ost.st_ino;
    if (stat(p.root, &p.stack[0]) == 0)
        p.depth = 1; /* a link back to DIR is a loop too */
    char *tlspath = path_join(p.root, ".tls");
    tls_dir = is_dir(tlspath);
    free(tlspath);
    int r = walk(&p, p.root, "");
    for (size_t i = 0; i < tls.n && r == 0; i++)
        r = add_tls(&p, tls.v[i], &tls_dir);
    static const char end[2 * USTAR_BLOCK];
    if (r == 0 && (fwrite(end, 1, sizeof end, p.out) != sizeof end ||
                   fflush(p.out) != 0)) {
        r = err(tmp, strerror(errno));
    }
    if (fclose(p.out) != 0 && r == 0)
        r = err(tmp, strerror(errno));
    if (r == 0 && rename(tmp, out) != 0)
        r = err(out, strerror(errno));
    if (r != 0) {
        unlink(tmp);
    } else {
        rc = 0;
        if (!quiet)
            printf("atoll www: packed %s: %lu files, %lu folders, %lu .gz "
                   "siblings, %zu TLS chains\n", out, p.files, p.dirs, p.gz,
                   tls.n);
    }
    free(tmp);
done:
    free(p.root);
    strv_free(&tls);
    return rc;
}

int cmd_www(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(www_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "pack") == 0)
        return www_pack(argc - 1, argv + 1);
    fprintf(stderr, "atoll www: unknown command '%s' (pack; atoll www "
            "--help)\n", argv[1]);
    return EXIT_USAGE;
}
