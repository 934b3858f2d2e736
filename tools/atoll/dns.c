/*
 * atoll dns check / atoll dns pack: zone files checked on the host by the
 * code examples/dns runs (lib/dns's loader and zone checks, linked from
 * the host archive), and packed into the tar archive examples/dns reads
 * from its block device "storage" (lib/tarkv).
 *
 * The origin of a zone is what examples/dns takes (examples/dns/zones.c):
 * a file named NAME.zone is the zone NAME., any other file sets it with
 * $ORIGIN before its first record. pack stores each zone as ORIGIN.zone
 * ("example.com.zone"; the root zone ".zone"), so the server finds the
 * origin in the name whatever the file was called.
 *
 * lib/dns stops at a zone's first error. To report every error, check
 * blanks the entry the error names (its lines up to the ')' that closes
 * it) and loads the text again, up to ERRORS_MAX errors a file; the
 * zone-wide errors (no SOA, no NS at the apex) end the list.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atoll.h"
#include "atoll/dns.h"
#include "atoll/err.h"
#include "ustar.h"

#define ERRORS_MAX 50
#define ARENA_MAX ((size_t)1 << 32)

static const char dns_help[] =
    "usage: atoll dns check ZONEFILE...\n"
    "       atoll dns pack ZONEFILE... -o FILE [--c] [-q]\n"
    "\n"
    "Zone files for examples/dns, checked by the same code the server runs\n"
    "(lib/dns): RFC 1035 syntax, one SOA at the apex, NS at the apex, CNAME\n"
    "alone, nothing below a delegation but glue, nothing outside the zone.\n"
    "\n"
    "  check   print every error as FILE:LINE: message (exit status 1), or\n"
    "          one line per zone: its origin, records and SOA serial\n"
    "  pack    check, then write FILE, a tar archive (ustar) with each zone\n"
    "          as ORIGIN.zone (example.com.zone), for the block device\n"
    "          storage of examples/dns; nothing is written if a zone fails\n"
    "  -o FILE the archive to write (pack)\n"
    "  --c     write the archive as C source instead (pack): the array\n"
    "          atoll_dns_zones and atoll_dns_zones_size, for zones compiled\n"
    "          into the image (examples/dns-builtin: no block device)\n"
    "  -q      no summary lines (pack)\n"
    "\n"
    "A file named NAME.zone holds the zone NAME.; any other file names its\n"
    "zone with $ORIGIN before its first record, as examples/dns reads them.\n";

struct zfile {
    const char *path;
    char *text;     /* the file, as read */
    size_t len;
    long long mtime;
    void *mem;      /* the arena of the loaded zone */
    struct dns_zone z;
    char origin[DNS_NAME_MAX * 4 + 1]; /* presentation form, lower case */
};

/* The origin NAME. of a file called NAME.zone (as examples/dns takes
 * it), or NULL. */
static const uint8_t *origin_of_name(const char *path, uint8_t *o)
{
    const char *base = path_basename(path);
    size_t n = strlen(base);
    char text[DNS_NAME_MAX * 4 + 2];

    if (n <= 5 || strcmp(base + n - 5, ".zone") != 0 || n - 5 > DNS_NAME_MAX)
        return NULL;
    n -= 5;
    memcpy(text, base, n);
    if (text[n - 1] != '.')
        text[n++] = '.';
    return dns_name_from_text(text, n, NULL, o) < 0 ? NULL : o;
}

/* Load text into f->z with an arena that grows until the zone fits. */
static int load(struct zfile *f, const char *text, const uint8_t *origin)
{
    size_t size = f->len * 16 + 65536;

    for (;;) {
        struct dns_arena a;
        free(f->mem);
        f->mem = xmalloc(size);
        dns_arena_init(&a, f->mem, size);
        int rc = dns_zone_load(&f->z, &a, f->path, text, f->len, origin);
        if (rc != ATOLL_ERR_NOMEM || size >= ARENA_MAX)
            return rc;
        size *= 2;
    }
}

/* The line an error message "PATH:LINE: ..." names; 0 if none. */
static unsigned long line_of(const struct zfile *f, const char *msg)
{
    size_t pl = strlen(f->path);

    if (strncmp(msg, f->path, pl) != 0 || msg[pl] != ':')
        return 0;
    return strtoul(msg + pl + 1, NULL, 10);
}

/* Whether msg is about the zone as a whole: nothing to blank (without an
 * origin every record would fail alike). */
static bool zone_wide(const char *msg)
{
    return strstr(msg, ": no $ORIGIN before the first record") != NULL ||
           strstr(msg, ": no SOA record at the apex") != NULL ||
           strstr(msg, ": no NS records at the apex") != NULL ||
           strstr(msg, ": no records") != NULL;
}

/* Blank (with spaces) the entry starting on line ln of t[0..len): its
 * lines up to the one where its parentheses close. Returns 0, or -1
 * when there was nothing to blank or the entry runs to the end. */
static int blank_entry(char *t, size_t len, unsigned long ln)
{
    size_t p = 0;
    int depth = 0, quoted = 0, any = 0;

    for (unsigned long l = 1; l < ln && p < len; p++)
        if (t[p] == '\n')
            l++;
    if (p >= len)
        return -1;
    for (; p < len; p++) {
        char c = t[p];
        if (c == '\n') {
            if (depth == 0 || quoted)
                return any ? 0 : -1;
            continue;
        }
        if (c == '\\' && p + 1 < len && t[p + 1] != '\n') {
            t[p++] = ' ';
            t[p] = ' ';
            any = 1;
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ';')
            while (p + 1 < len && t[p + 1] != '\n')
                t[p++] = ' ';
        else if (!quoted && c == '(')
            depth++;
        else if (!quoted && c == ')' && depth > 0)
            depth--;
        any |= c != ' ' && c != '\t' && c != '\r';
        t[p] = ' ';
    }
    return -1;
}

/* Load and check one file; print its errors to stderr. Returns the number
 * of errors (0: f->z is the zone). */
static int check_file(struct zfile *f)
{
    uint8_t obuf[DNS_NAME_MAX];
    const uint8_t *origin = origin_of_name(f->path, obuf);
    struct stat st;
    int errors = 0;

    f->text = read_file(f->path, &f->len);
    if (f->text == NULL || stat(f->path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", f->path, strerror(errno));
        return 1;
    }
    f->mtime = (long long)st.st_mtime;
    if (load(f, f->text, origin) == 0)
        return 0;
    /* Go on past each error on a copy of the text. */
    char *t = xmalloc(f->len + 1);
    memcpy(t, f->text, f->len + 1);
    for (;;) {
        fprintf(stderr, "%s\n", f->z.err);
        errors++;
        unsigned long ln = line_of(f, f->z.err);
        if (errors == ERRORS_MAX || zone_wide(f->z.err) || ln == 0 ||
            blank_entry(t, f->len, ln) != 0 || load(f, t, origin) == 0)
            break;
    }
    if (errors == ERRORS_MAX)
        fprintf(stderr, "%s: %d errors, stopping\n", f->path, errors);
    free(t);
    return errors;
}

/* The zone's SOA serial (a checked zone has its SOA). */
static uint32_t soa_serial(const struct dns_zone *z)
{
    for (size_t i = 0; i < z->n; i++) {
        const struct dns_rr *r = &z->rr[i];
        if (r->type != DNS_T_SOA)
            continue;
        const uint8_t *p = r->rdata + dns_name_len(r->rdata);
        p += dns_name_len(p);
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
               (uint32_t)p[2] << 8 | p[3];
    }
    return 0;
}

/* Check every file; a second file for one origin is an error too.
 * Returns the number of files with errors. */
static int check_all(struct zfile *f, int n, bool quiet)
{
    int bad = 0;

    for (int i = 0; i < n; i++) {
        if (check_file(&f[i]) != 0) {
            bad++;
            continue;
        }
        dns_name_to_text(f[i].z.origin, f[i].origin, sizeof f[i].origin);
        for (char *c = f[i].origin; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        int dup = -1;
        for (int k = 0; k < i && dup < 0; k++)
            if (f[k].z.origin && dns_name_eq(f[k].z.origin, f[i].z.origin))
                dup = k;
        if (dup >= 0) {
            fprintf(stderr, "%s:1: the zone %s is in %s already\n",
                    f[i].path, f[i].origin, f[dup].path);
            f[i].z.origin = NULL;
            bad++;
            continue;
        }
        if (!quiet)
            printf("%s: zone %s, %zu records, SOA serial %u\n", f[i].path,
                   f[i].origin, f[i].z.n, (unsigned)soa_serial(&f[i].z));
    }
    return bad;
}

static void free_all(struct zfile *f, int n)
{
    for (int i = 0; i < n; i++) {
        free(f[i].text);
        free(f[i].mem);
    }
    free(f);
}

static int dns_usage(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "atoll dns %s: %s%s%s (atoll dns --help)\n", cmd, msg,
            arg ? " " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static int dns_check(int argc, char **argv)
{
    struct zfile *f = calloc((size_t)argc, sizeof *f);
    int n = 0;

    if (f == NULL)
        return EXIT_FAIL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(dns_help, stdout);
            free(f);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(f);
            return dns_usage("check", "unknown option", argv[i]);
        }
        f[n++].path = argv[i];
    }
    if (n == 0) {
        free(f);
        return dns_usage("check", "which zone? ZONEFILE missing", NULL);
    }
    int bad = check_all(f, n, false);
    free_all(f, n);
    return bad ? EXIT_FAIL : 0;
}

/* One ORIGIN.zone entry: header, the file's bytes, padding. */
static int put_zone(FILE *out, const struct zfile *f)
{
    static const char zero[USTAR_BLOCK];
    unsigned char h[USTAR_BLOCK];
    char *name = xasprintf("%szone", f->origin);
    const char *why = strchr(name, '/') != NULL
                          ? "a '/' in the origin cannot name an entry"
                          : ustar_header(h, name, 0644, f->len,
                                         (unsigned long long)f->mtime, '0');
    free(name);
    if (why != NULL) {
        fprintf(stderr, "atoll dns pack: %s: %s\n", f->path, why);
        return -1;
    }
    size_t pad = ustar_pad(f->len);
    return fwrite(h, 1, sizeof h, out) == sizeof h &&
                   fwrite(f->text, 1, f->len, out) == f->len &&
                   fwrite(zero, 1, pad, out) == pad
               ? 0
               : -1;
}

/* The archive: the zones, the end (two zero blocks), then zeros to a
 * multiple of align bytes. 0 or -1 (errno). */
static int put_archive(FILE *o, const struct zfile *f, int n, size_t align)
{
    static const char zero[2 * 4096];
    long pos;
    size_t end = 2 * USTAR_BLOCK;

    for (int i = 0; i < n; i++)
        if (put_zone(o, &f[i]) != 0)
            return -1;
    pos = ftell(o);
    if (pos < 0)
        return -1;
    end += (align - ((size_t)pos + end) % align) % align;
    if (fwrite(zero, 1, end, o) != end || fflush(o) != 0)
        return -1;
    return 0;
}

/* The archive as C source: the array atoll_dns_zones (its size in
 * atoll_dns_zones_size) for examples/dns-builtin, which serves the zones
 * compiled into the image. Whole 512-byte blocks, the block size of
 * atoll_blockdev_memory. */
static int put_c_source(FILE *o, const struct zfile *f, int n)
{
    char *tar = NULL;
    size_t len = 0; /* the archive's size, once m is closed */
    FILE *m = open_memstream(&tar, &len);
    int rc = m == NULL ? -1 : put_archive(m, f, n, USTAR_BLOCK);

    if (m != NULL && fclose(m) != 0)
        rc = -1;
    if (rc == 0) {
        fprintf(o, "/* Made by atoll dns pack --c: a tar archive of %d "
                   "zone%s for\n * examples/dns-builtin:", n,
                n == 1 ? "" : "s");
        for (int i = 0; i < n; i++)
            fprintf(o, " %s", f[i].origin);
        fprintf(o, " */\n#include <stddef.h>\n\n"
                   "const size_t atoll_dns_zones_size = %zu;\n"
                   "const unsigned char atoll_dns_zones[%zu] = {", len, len);
        for (size_t i = 0; i < len; i++)
            fprintf(o, "%s0x%02x,", i % 12 == 0 ? "\n    " : " ",
                    (unsigned char)tar[i]);
        fprintf(o, "\n};\n");
        if (fflush(o) != 0)
            rc = -1;
    }
    free(tar);
    return rc;
}

static int write_archive(const char *out, struct zfile *f, int n, bool c)
{
    char *tmp = xasprintf("%s.tmp", out);
    FILE *o = fopen(tmp, "wb");
    int rc = o == NULL ? -1 : 0;

    /* Zeros to a multiple of 4096 bytes, so that a block device of 512-
     * or 4096-byte sectors takes the file. */
    if (rc == 0)
        rc = c ? put_c_source(o, f, n) : put_archive(o, f, n, 4096);
    if (rc < 0)
        fprintf(stderr, "atoll dns pack: %s: %s\n", tmp, strerror(errno));
    if (o != NULL && fclose(o) != 0 && rc == 0) {
        fprintf(stderr, "atoll dns pack: %s: %s\n", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, out) != 0) {
        fprintf(stderr, "atoll dns pack: %s: %s\n", out, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int dns_pack(int argc, char **argv)
{
    struct zfile *f = calloc((size_t)argc, sizeof *f);
    const char *out = NULL;
    bool quiet = false, c = false;
    int n = 0;

    if (f == NULL)
        return EXIT_FAIL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(dns_help, stdout);
            free(f);
            return 0;
        }
        if (strcmp(o, "-q") == 0) {
            quiet = true;
        } else if (strcmp(o, "--c") == 0) {
            c = true;
        } else if (strcmp(o, "-o") == 0) {
            if (i + 1 >= argc) {
                free(f);
                return dns_usage("pack", "-o", "needs a value");
            }
            out = argv[++i];
        } else if (o[0] == '-' && o[1] != '\0') {
            free(f);
            return dns_usage("pack", "unknown option", o);
        } else {
            f[n++].path = o;
        }
    }
    if (n == 0 || out == NULL) {
        free(f);
        return dns_usage("pack", n == 0 ? "which zones? ZONEFILE missing"
                                        : "-o FILE missing", NULL);
    }
    int rc = check_all(f, n, quiet) ? EXIT_FAIL : 0;
    if (rc != 0)
        fprintf(stderr, "atoll dns pack: %s not written\n", out);
    else if (write_archive(out, f, n, c) != 0)
        rc = EXIT_FAIL;
    else if (!quiet)
        printf("atoll dns: packed %s: %d zones%s\n", out, n,
               c ? " as C source" : "");
    free_all(f, n);
    return rc;
}

int cmd_dns(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(dns_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "check") == 0)
        return dns_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "pack") == 0)
        return dns_pack(argc - 1, argv + 1);
    fprintf(stderr, "atoll dns: unknown command '%s' (check, pack; atoll "
            "dns --help)\n", argv[1]);
    return EXIT_USAGE;
}
