/*
 * atoll-kv: prepare and inspect lib/kv stores from the host, with the same
 * code the unikernels link. `atoll kv ...` runs this program.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "atoll/blockdev.h"
#include "atoll/kv.h"
#include "../../tenders/common/lock_holder.h"
#include "identify.h"

static const char *prog = "atoll-kv";

static const char usage_text[] =
    "usage: atoll-kv [OPTIONS] COMMAND IMAGE [ARGS]\n"
    "\n"
    "Create and inspect the key-value stores that unikernels keep on a\n"
    "block device (lib/kv). IMAGE is the file given to the tender with\n"
    "--block:NAME=IMAGE. Every change is one commit: durable when the\n"
    "command returns.\n"
    "\n"
    "commands:\n"
    "  format IMAGE SIZE       create (or resize) IMAGE to SIZE bytes and\n"
    "                          write an empty store; SIZE takes K, M, G, T\n"
    "                          (powers of 1024); refuses an IMAGE that\n"
    "                          already holds a store unless --force\n"
    "  ls IMAGE [PREFIX]       list keys (starting with PREFIX) in byte\n"
    "                          order, each with its value's size\n"
    "  get IMAGE KEY           write KEY's value to standard output\n"
    "                          (or to the --output file)\n"
    "  put IMAGE KEY [VALUE]   set KEY to VALUE, or to the --file's bytes,\n"
    "                          or to standard input without either\n"
    "  rm IMAGE KEY...         remove keys (all in one commit)\n"
    "  check IMAGE             verify every checksum and structure, print\n"
    "                          what was found; exit 1 if damaged\n"
    "\n"
    "options:\n"
    "  -f, --file=FILE         put: read the value from FILE\n"
    "  -o, --output=FILE       get: write the value to FILE\n"
    "      --force             format: overwrite an existing store;\n"
    "                          rm: ignore missing keys\n"
    "      --max-value=SIZE    format: largest value (default 1M, less\n"
    "                          on images under 9M)\n"
    "      --block-size=N      the image's block size (default 512); for\n"
    "                          format, also the store's\n"
    "  -q, --quiet             check: print only damage and the verdict\n"
    "  -h, --help              show this help\n"
    "\n"
    "Keys are 1 to 255 bytes. In key arguments and in ls output, \\xHH\n"
    "stands for any byte and \\\\ for a backslash; ls escapes every byte\n"
    "that is not printable ASCII.\n"
    "\n"
    "The tenders lock the images they attach for the unikernel's life;\n"
    "atoll-kv locks IMAGE shared to read it and exclusively to change it,\n"
    "and refuses an image in use (it never waits for the lock).\n"
    "\n"
    "exit status: 0 success, 1 failure (missing key, damaged store, I/O,\n"
    "image in use), 2 bad usage.\n";

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    exit(2);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* SIZE with an optional K/M/G/T suffix; false if malformed. */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    int shift = 0;

    if (!isdigit((unsigned char)*s))
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0)
        return false;
    switch (toupper((unsigned char)*end)) {
    case '\0':
        break;
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    case 'T':
        shift = 40;
        break;
    default:
        return false;
    }
    if (*end != '\0') {
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
        if (*end == 'B' || *end == 'b')
            end++;
        if (*end != '\0')
            return false;
    }
    if (shift && v > (~0ull >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Decode \xHH and \\ in a key argument into buf; returns the length, or
 * -1 if malformed or too long. */
static int parse_key(const char *s, uint8_t *buf)
{
    int n = 0;

    while (*s != '\0') {
        int c = (unsigned char)*s++;
        if (c == '\\') {
            if (*s == '\\') {
                s++;
            } else if (*s == 'x' && isxdigit((unsigned char)s[1]) &&
                       isxdigit((unsigned char)s[2])) {
                char hex[3] = {s[1], s[2], 0};
                c = (int)strtol(hex, NULL, 16);
                s += 3;
            } else {
                return -1;
            }
        }
        if (n == ATOLL_KV_KEY_MAX)
            return -1;
        buf[n++] = (uint8_t)c;
    }
    return n;
}

static void print_key(FILE *f, const uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '\\')
            fputs("\\\\", f);
        else if (k[i] >= 0x21 && k[i] < 0x7f)
            fputc(k[i], f);
        else
            fprintf(f, "\\x%02x", k[i]);
    }
}

static uint8_t *get_key(const char *arg, size_t *len)
{
    static uint8_t buf[ATOLL_KV_KEY_MAX];
    int n = parse_key(arg, buf);
    if (n < 1)
        die_usage("bad key '%s': keys are 1-255 bytes; use \\xHH for a "
                  "byte and \\\\ for a backslash", arg);
    *len = (size_t)n;
    return buf;
}

/* ---- options and the device ------------------------------------------- */

static struct {
    const char *file, *output;
    bool force, quiet;
    uint64_t max_value;
    uint32_t block_size;
} opt;

/* ---- the image lock ------------------------------------------------------
 *
 * The tenders hold an exclusive flock lock on every image they attach, for
 * the guest's life. atoll-kv takes a shared one to read and an exclusive
 * one to change an image, so it neither changes a store behind a running
 * unikernel (which would never see the change, and would overwrite it) nor
 * reads one that is changing. The lock is held until the program exits.
 */

static int lock_fd = -1;

/* Lock image shared (reading) or exclusive (changing); -1 after saying why
 * not. Once per run: the first lock taken is kept. */
static int lock_image(const char *image, bool exclusive)
{
    struct stat st;
    char who[64];

    if (lock_fd >= 0)
        return 0;
    lock_fd = open(image, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (lock_fd < 0) {
        fail("%s: %s", image, strerror(errno));
        return -1;
    }
    if (flock(lock_fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK) {
        fail("%s: cannot lock: %s", image, strerror(errno));
    } else {
        who[0] = '\0';
        if (fstat(lock_fd, &st) == 0)
            tender_lock_holder(&st, who, sizeof who);
        if (exclusive)
            fail("%s is in use, locked%s: not changed (a running unikernel "
                 "or another atoll-kv has it open; stop it first)", image,
                 who);
        else
            fail("%s is in use, locked%s: not read (a running unikernel "
                 "holds it exclusively and may be changing it; stop it "
                 "first)", image, who);
    }
    close(lock_fd);
    lock_fd = -1;
    return -1;
}

static int open_dev(struct atoll_blockdev *d, const char *image, bool ro)
{
    char err[300];

    if (lock_image(image, !ro) < 0)
        return -1;
    if (atoll_blockdev_file(d, image, ro, opt.block_size, err,
                            sizeof err) != 0) {
        fail("%s", err);
        return -1;
    }
    return 0;
}

/* atoll_strerror's words, but for a missing key and a device that holds
 * no store, named as a kv user knows them. */
static const char *kv_err(int r)
{
    if (r == ATOLL_ERR_NOENT)
        return "no such key";
    if (r == ATOLL_ERR_FORMAT)
        return "not an Atoll kv store";
    return atoll_strerror(r);
}

/* After "no store" on image: what it holds, and how to make a store (a
 * store of another format version is not to be formatted over). */
static void no_store_hint(const char *image)
{
    char what[160];

    if (kv_identify(image, what, sizeof what))
        fail("%s holds %s: use the atoll that made it ('atoll kv format "
             "--force' would erase it)", image, what);
    else
        fail("%s holds %s; make a kv store there with: atoll kv format %s "
             "SIZE (e.g. 16M; it erases the file), or run a unikernel that "
             "formats its own", image, what, image);
}

static struct atoll_kv *open_store(struct atoll_blockdev *d,
                                   const char *image, bool ro)
{
    struct atoll_kv *kv;
    char why[300];

    if (open_dev(d, image, ro) < 0)
        return NULL;
    int r = atoll_kv_open(d, ro ? ATOLL_KV_RDONLY : 0, &kv, why, sizeof why);
    if (r == ATOLL_ERR_CORRUPT && ro) {
        /* Reading: get what is intact, and say so. */
        fail("warning: %s: %s; reading around the damage", image, why);
        r = atoll_kv_open(d, ATOLL_KV_RDONLY | ATOLL_KV_SALVAGE, &kv, why,
                          sizeof why);
    }
    if (r != 0) {
        fail("%s: %s%s", image, why,
             r == ATOLL_ERR_CORRUPT ? " (run 'atoll-kv check' for details)"
                                    : "");
        if (r == ATOLL_ERR_FORMAT)
            no_store_hint(image);
        atoll_blockdev_close(d);
        return NULL;
    }
    return kv;
}

static int commit_and_close(struct atoll_kv *kv, struct atoll_blockdev *d,
                            const char *image)
{
    int r = atoll_kv_commit(kv);
    atoll_kv_close(kv);
    atoll_blockdev_close(d);
    if (r != 0) {
        fail("%s: commit failed: %s", image, kv_err(r));
        return 1;
    }
    return 0;
}

/* ---- commands ---------------------------------------------------------- */

/* What format made, read back from the store (its choices of block size
 * and largest value), and how to use it. */
static void say_made(const char *image)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    struct atoll_kv_stats st;

    if (open_dev(&d, image, true) < 0)
        return;
    if (atoll_kv_open(&d, ATOLL_KV_RDONLY, &kv, NULL, 0) == 0) {
        atoll_kv_stats(kv, &st);
        printf("%s: an empty kv store of %llu bytes (blocks of %u bytes, "
               "values up to %llu bytes); attach it with --block "
               "NAME=%s\n", image, (unsigned long long)d.capacity,
               (unsigned)st.block_size, (unsigned long long)st.max_value,
               image);
        atoll_kv_close(kv);
    }
    atoll_blockdev_close(&d);
}

static int cmd_format(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv_format_opts fo = {0};
    struct stat st;
    uint64_t size;
    const char *image;
    int fd, r;

    if (argc != 3)
        die_usage("format needs IMAGE and SIZE");
    image = argv[1];
    if (!parse_size(argv[2], &size) || size == 0)
        die_usage("bad SIZE '%s' (a number of bytes, optionally with K, M, "
                  "G or T)", argv[2]);
    fd = open(image, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail("%s: %s", image, strerror(errno));
        return 1;
    }
    if (fstat(fd, &st) < 0) {
        fail("%s: %s", image, strerror(errno));
        close(fd);
        return 1;
    }
    close(fd);
    if (lock_image(image, true) < 0)
        return 1;
    if (!opt.force && (S_ISREG(st.st_mode) ? st.st_size > 0 : true)) {
        /* Never wipe a store by accident. */
        if (open_dev(&d, image, true) == 0) {
            struct atoll_kv *kv;
            r = atoll_kv_open(&d, ATOLL_KV_RDONLY, &kv, NULL, 0);
            atoll_kv_close(kv);
            atoll_blockdev_close(&d);
            if (r != ATOLL_ERR_FORMAT) {
                fail("%s already holds a kv store; --force to replace it",
                     image);
                return 1;
            }
        }
    }
    if (S_ISREG(st.st_mode) && truncate(image, (off_t)size) < 0) {
        fail("%s: cannot resize to %llu bytes: %s", image,
             (unsigned long long)size, strerror(errno));
        return 1;
    }
    if (opt.max_value > UINT32_MAX)
        die_usage("--max-value is too large");
    fo.max_value = (uint32_t)opt.max_value;
    fo.block_size = opt.block_size;
    if (open_dev(&d, image, false) < 0)
        return 1;
    if (!S_ISREG(st.st_mode) && d.capacity < size) {
        fail("%s: the device has only %llu bytes", image,
             (unsigned long long)d.capacity);
        atoll_blockdev_close(&d);
        return 1;
    }
    r = atoll_kv_format(&d, &fo);
    atoll_blockdev_close(&d);
    if (r == ATOLL_ERR_INVAL) {
        fail("%s: cannot format %llu bytes with these options: a store "
             "needs at least 64 blocks of log and room for eight largest "
             "values (try a larger SIZE or a smaller --max-value)", image,
             (unsigned long long)size);
        return 1;
    }
    if (r != 0) {
        fail("%s: format failed: %s", image, kv_err(r));
        return 1;
    }
    say_made(image);
    return 0;
}

static int print_entry(void *arg, const void *key, size_t klen, size_t vlen)
{
    (void)arg;
    print_key(stdout, key, klen);
    printf("\t%zu\n", vlen);
    return 0;
}

static int cmd_ls(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    uint8_t prefix[ATOLL_KV_KEY_MAX];
    int plen = 0, r;

    if (argc < 2 || argc > 3)
        die_usage("ls needs IMAGE and at most one PREFIX");
    if (argc == 3 && (plen = parse_key(argv[2], prefix)) < 0)
        die_usage("bad prefix '%s'", argv[2]);
    if ((kv = open_store(&d, argv[1], true)) == NULL)
        return 1;
    r = atoll_kv_list(kv, prefix, (size_t)plen, print_entry, NULL);
    atoll_kv_close(kv);
    atoll_blockdev_close(&d);
    if (r != 0) {
        fail("%s: %s", argv[1], kv_err(r));
        return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_get(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    size_t klen, vlen = 0;
    uint8_t *key, *val = NULL;
    int r;

    if (argc != 3)
        die_usage("get needs IMAGE and KEY");
    key = get_key(argv[2], &klen);
    if ((kv = open_store(&d, argv[1], true)) == NULL)
        return 1;
    r = atoll_kv_get(kv, key, klen, NULL, 0, &vlen);
    if (r == ATOLL_ERR_RANGE) {
        val = malloc(vlen ? vlen : 1);
        r = val ? atoll_kv_get(kv, key, klen, val, vlen, &vlen)
                : ATOLL_ERR_NOMEM;
    }
    atoll_kv_close(kv);
    atoll_blockdev_close(&d);
    if (r != 0) {
        fail("%s: %s: %s", argv[1], argv[2], kv_err(r));
        free(val);
        return 1;
    }
    FILE *out = stdout;
    if (opt.output != NULL && (out = fopen(opt.output, "wb")) == NULL) {
        fail("%s: %s", opt.output, strerror(errno));
        free(val);
        return 1;
    }
    bool ok = fwrite(val, 1, vlen, out) == vlen;
    ok = (out == stdout ? fflush(out) : fclose(out)) == 0 && ok;
    free(val);
    if (!ok) {
        fail("%s: %s", opt.output ? opt.output : "standard output",
             strerror(errno));
        return 1;
    }
    return 0;
}

/* Read all of f (up to max + 1 bytes, to tell "too big"). */
static uint8_t *slurp(FILE *f, size_t max, size_t *len)
{
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);

    while (buf != NULL) {
        if (n == cap) {
            if (cap > max)
                break;
            uint8_t *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int cmd_put(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    struct atoll_kv_stats st;
    size_t klen, vlen;
    uint8_t *key, *val;
    const char *src;
    int r;

    if (argc < 3 || argc > 4)
        die_usage("put needs IMAGE, KEY and at most one VALUE");
    if (argc == 4 && opt.file != NULL)
        die_usage("put takes a VALUE or --file, not both");
    key = get_key(argv[2], &klen);
    if ((kv = open_store(&d, argv[1], false)) == NULL)
        return 1;
    atoll_kv_stats(kv, &st);
    if (argc == 4) {
        src = "VALUE";
        vlen = strlen(argv[3]);
        val = malloc(vlen ? vlen : 1);
        if (val != NULL)
            memcpy(val, argv[3], vlen);
    } else {
        FILE *f = stdin;
        src = opt.file ? opt.file : "standard input";
        if (opt.file != NULL && (f = fopen(opt.file, "rb")) == NULL) {
            fail("%s: %s", opt.file, strerror(errno));
            atoll_kv_close(kv);
            atoll_blockdev_close(&d);
            return 1;
        }
        val = slurp(f, st.max_value, &vlen);
        if (f != stdin)
            fclose(f);
    }
    if (val == NULL) {
        fail("%s: cannot read: %s", src, strerror(errno));
        atoll_kv_close(kv);
        atoll_blockdev_close(&d);
        return 1;
    }
    if (vlen > st.max_value) {
        fail("%s: the value is larger than this store's limit of %llu "
             "bytes", src, (unsigned long long)st.max_value);
        free(val);
        atoll_kv_close(kv);
        atoll_blockdev_close(&d);
        return 1;
    }
    r = atoll_kv_put(kv, key, klen, val, vlen);
    free(val);
    if (r != 0) {
        fail("%s: put %s: %s", argv[1], argv[2], kv_err(r));
        atoll_kv_close(kv);
        atoll_blockdev_close(&d);
        return 1;
    }
    return commit_and_close(kv, &d, argv[1]);
}

static int cmd_rm(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv *kv;
    int missing = 0;

    if (argc < 3)
        die_usage("rm needs IMAGE and at least one KEY");
    for (int i = 2; i < argc; i++) {
        size_t klen;
        (void)get_key(argv[i], &klen); /* refuse bad keys before opening */
    }
    if ((kv = open_store(&d, argv[1], false)) == NULL)
        return 1;
    for (int i = 2; i < argc; i++) {
        size_t klen;
        uint8_t *key = get_key(argv[i], &klen);
        int r = atoll_kv_del(kv, key, klen);
        if (r == ATOLL_ERR_NOENT && opt.force)
            continue;
        if (r != 0) {
            fail("%s: rm %s: %s", argv[1], argv[i], kv_err(r));
            missing++;
        }
    }
    if (missing) {
        /* All or nothing: leave the store as it was. */
        atoll_kv_close(kv);
        atoll_blockdev_close(&d);
        fail("nothing removed");
        return 1;
    }
    return commit_and_close(kv, &d, argv[1]);
}

static void print_note(void *arg, enum atoll_kv_note_level level,
                       const char *msg)
{
    static const char *names[] = {"info", "warning", "damage"};
    (void)arg;
    if (opt.quiet && level != ATOLL_KV_NOTE_DAMAGE)
        return;
    printf("%s: %s\n", names[level], msg);
}

static int cmd_check(int argc, char **argv)
{
    struct atoll_blockdev d;
    struct atoll_kv_check_report rep;
    int r;

    if (argc != 2)
        die_usage("check needs IMAGE");
    if (open_dev(&d, argv[1], true) < 0)
        return 1;
    r = atoll_kv_check(&d, &rep, print_note, NULL);
    atoll_blockdev_close(&d);
    if (r == 0) {
        printf("%s: clean: %llu keys, %llu records verified%s\n", argv[1],
               (unsigned long long)rep.keys,
               (unsigned long long)rep.records,
               rep.warnings ? " (see warnings)" : "");
        return 0;
    }
    if (r == ATOLL_ERR_CORRUPT)
        printf("%s: DAMAGED: %llu problems found\n", argv[1],
               (unsigned long long)rep.damage);
    else
        printf("%s: cannot check: %s\n", argv[1], kv_err(r));
    if (r == ATOLL_ERR_FORMAT)
        no_store_hint(argv[1]);
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"file", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'F'},
        {"max-value", required_argument, NULL, 'M'},
        {"block-size", required_argument, NULL, 'B'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"format", cmd_format}, {"ls", cmd_ls},   {"get", cmd_get},
        {"put", cmd_put},       {"rm", cmd_rm},   {"check", cmd_check},
    };
    int c;
    uint64_t v;

    /* Options may come anywhere; "--" ends them (keys starting with
     * '-'). */
    while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            opt.file = optarg;
            break;
        case 'o':
            opt.output = optarg;
            break;
        case 'F':
            opt.force = true;
            break;
        case 'q':
            opt.quiet = true;
            break;
        case 'M':
            if (!parse_size(optarg, &v) || v == 0)
                die_usage("bad --max-value '%s'", optarg);
            opt.max_value = v;
            break;
        case 'B':
            if (!parse_size(optarg, &v) || v < 512 || v > 65536 ||
                (v & (v - 1)) != 0)
                die_usage("bad --block-size '%s' (a power of two from 512 "
                          "to 65536)", optarg);
            opt.block_size = (uint32_t)v;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return 2;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc == 0)
        die_usage("no command given");
    if (strcmp(argv[0], "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[0], cmds[i].name) == 0) {
            if (argc < 2)
                die_usage("%s needs an IMAGE", cmds[i].name);
            return cmds[i].fn(argc, argv);
        }
    die_usage("unknown command '%s' (format, ls, get, put, rm, check)",
              argv[0]);
}
