/*
 * Host unit tests of lib/tarkv on archives built here byte by byte: ustar
 * with a prefix, GNU long names and links, pax records, base-256 and pax
 * sizes past 8 GiB (on a sparse in-memory device), links, duplicates,
 * device blocks larger than 512, and damaged or cut-short archives.
 * GNU tar's own output is checked by tests/storage/run.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/tarkv.h"
#include "../../lib/check.h"

/* ---- a sparse in-memory device --------------------------------------- */

/* Bytes [0, len) live in buf, bytes [far_at, far_at + far_len) in far;
 * everything else reads as zeros. */
struct memdev {
    struct atoll_blockdev bd;
    uint8_t *buf, *far;
    uint64_t len, far_at, far_len;
    unsigned reads; /* md_read calls */
};

static int md_read(struct atoll_blockdev *d, uint64_t off, void *out,
                   size_t n)
{
    struct memdev *m = d->priv;
    uint8_t *o = out;

    m->reads++;
    for (size_t i = 0; i < n; i++) {
        uint64_t p = off + i;
        if (p < m->len)
            o[i] = m->buf[p];
        else if (p >= m->far_at && p < m->far_at + m->far_len)
            o[i] = m->far[p - m->far_at];
        else
            o[i] = 0;
    }
    return 0;
}

static int md_write(struct atoll_blockdev *d, uint64_t off, const void *b,
                    size_t n)
{
    (void)d, (void)off, (void)b, (void)n;
    return ATOLL_ERR_ROFS;
}

static int md_flush(struct atoll_blockdev *d)
{
    (void)d;
    return 0;
}

static const struct atoll_blockdev_ops md_ops = {md_read, md_write, md_flush,
                                                 NULL};

static void md_init(struct memdev *m, uint8_t *buf, uint64_t len,
                    uint64_t capacity, uint32_t bs)
{
    memset(m, 0, sizeof *m);
    m->buf = buf;
    m->len = len;
    m->bd.ops = &md_ops;
    m->bd.block_size = bs;
    m->bd.capacity = capacity / bs * bs;
    m->bd.read_only = true;
    m->bd.priv = m;
}

/* ---- an archive builder ----------------------------------------------- */

enum fmt { POSIX, GNU, V7 };

struct tb {
    uint8_t *buf;
    size_t len, cap;
};

static uint8_t *tb_grow(struct tb *t, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2;
        t->buf = realloc(t->buf, t->cap);
    }
    memset(t->buf + t->len, 0, n);
    t->len += n;
    return t->buf + t->len - n;
}

static void octal(uint8_t *f, size_t width, uint64_t v)
{
    /* width - 1 digits and a NUL */
    for (size_t i = width - 1; i-- > 0; v >>= 3)
        f[i] = (uint8_t)('0' + (v & 7));
}

static void base256(uint8_t *f, size_t width, uint64_t v)
{
    for (size_t i = width; i-- > 1; v >>= 8)
        f[i] = (uint8_t)v;
    f[0] = 0x80;
}

static void tb_header(struct tb *t, enum fmt fmt, const char *name,
                      const char *prefix, char type, uint64_t size,
                      const char *link, bool big)
{
    uint8_t *h = tb_grow(t, 512);
    unsigned sum = 0;

    memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
    octal(h + 100, 8, 0644);
    octal(h + 108, 8, 1000);
    octal(h + 116, 8, 1000);
    if (big)
        base256(h + 124, 12, size);
    else
        octal(h + 124, 12, size);
    octal(h + 136, 12, 1700000000);
    h[156] = (uint8_t)type;
    if (link != NULL)
        memcpy(h + 157, link, strlen(link) < 100 ? strlen(link) : 100);
    if (fmt == POSIX) {
        memcpy(h + 257, "ustar\0" "00", 8);
        if (prefix != NULL)
            memcpy(h + 345, prefix, strlen(prefix));
    } else if (fmt == GNU) {
        memcpy(h + 257, "ustar  \0", 8);
    }
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += h[i];
    octal(h + 148, 7, sum);
    h[155] = ' ';
}

static void tb_data(struct tb *t, const void *d, size_t n)
{
    uint8_t *p = tb_grow(t, (n + 511) / 512 * 512);
    memcpy(p, d, n);
}

/* A file whose bytes are (i * 7 + seed) & 0xff. */
static void tb_file(struct tb *t, enum fmt fmt, const char *name,
                    size_t size, int seed)
{
    uint8_t *d = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++)
        d[i] = (uint8_t)(i * 7 + (size_t)seed);
    tb_header(t, fmt, name, NULL, '0', size, NULL, false);
    tb_data(t, d, size);
    free(d);
}

static void tb_pax(struct tb *t, char type, const char *recs)
{
    tb_header(t, POSIX, "PaxHeaders/x", NULL, type, strlen(recs), NULL,
              false);
    tb_data(t, recs, strlen(recs));
}

static void tb_gnu_long(struct tb *t, char type, const char *s)
{
    tb_header(t, GNU, "././@LongLink", NULL, type, strlen(s) + 1, NULL,
              false);
    tb_data(t, s, strlen(s) + 1);
}

static void tb_end(struct tb *t)
{
    tb_grow(t, 1024);
    tb_grow(t, (10240 - t->len % 10240) % 10240);
}

/* "LEN key=value\n" with the right LEN. */
static char *pax_rec(const char *key, const char *value)
{
    static char out[8192];
    size_t body = strlen(key) + strlen(value) + 3, len = body + 1;
    while ((size_t)snprintf(NULL, 0, "%zu", len) + body != len)
        len++;
    snprintf(out, sizeof out, "%zu %s=%s\n", len, key, value);
    return out;
}

static struct memdev md;
static struct atoll_tarkv *tv;
static char why[300];

static int mount_tb(struct tb *t, uint32_t bs)
{
    md_init(&md, t->buf, t->len, (t->len + bs - 1) / bs * bs, bs);
    return atoll_tarkv_mount(&md.bd, &tv, why, sizeof why);
}

/* The entry name holds size bytes of pattern seed, read in odd pieces. */
static const char *file_ok(const char *name, size_t size, int seed)
{
    static char msg[200];
    const struct atoll_tarkv_entry *e =
        atoll_tarkv_lookup(tv, name, strlen(name));
    uint8_t buf[777];
    uint64_t off = 0;

    if (e == NULL || e->type != ATOLL_TARKV_FILE || e->size != size) {
        snprintf(msg, sizeof msg, "%s: missing or wrong size", name);
        return msg;
    }
    while (off < size) {
        size_t got, want = 1 + (off * 31) % sizeof buf;
        if (atoll_tarkv_read(tv, e, off, buf, want, &got) != 0 || got == 0) {
            snprintf(msg, sizeof msg, "%s: read at %llu failed", name,
                     (unsigned long long)off);
            return msg;
        }
        for (size_t i = 0; i < got; i++)
            if (buf[i] != (uint8_t)((off + i) * 7 + (uint64_t)seed)) {
                snprintf(msg, sizeof msg, "%s: byte %llu differs", name,
                         (unsigned long long)(off + i));
                return msg;
            }
        off += got;
    }
    return NULL;
}

/* ---- cases ------------------------------------------------------------ */

static char long_a[300], long_b[300];

static void make_mixed(struct tb *t)
{
    memset(t, 0, sizeof *t);
    /* ./ root, directories, ustar and v7 files. */
    tb_header(t, POSIX, "./", NULL, '5', 0, NULL, false);
    tb_header(t, POSIX, "./dir/", NULL, '5', 0, NULL, false);
    tb_file(t, POSIX, "./dir/a.txt", 1000, 1);
    tb_file(t, POSIX, "./empty", 0, 0);
    tb_file(t, V7, "./v7file", 512, 3);
    /* ustar prefix + name */
    memset(long_a, 'p', 150);
    long_a[150] = '\0';
    tb_header(t, POSIX, "tail/name.bin", long_a, '0', 513, NULL, false);
    {
        uint8_t d[513];
        for (int i = 0; i < 513; i++)
            d[i] = (uint8_t)(i * 7 + 4);
        tb_data(t, d, 513);
    }
    /* GNU long name and long symlink target */
    memset(long_b, 'g', 280);
    memcpy(long_b, "./gnu/", 6);
    long_b[280] = '\0';
    tb_gnu_long(t, 'L', long_b);
    tb_file(t, GNU, "./gnu/ggggggggg", 4096, 5);
    tb_gnu_long(t, 'L', "./gnu/link-with-a-long-target");
    tb_gnu_long(t, 'K', long_b);
    tb_header(t, GNU, "./gnu/trunc", NULL, '2', 0, "trunc", false);
    /* pax path, mtime; a global mtime */
    char recs[4096];
    snprintf(recs, sizeof recs, "%s", pax_rec("mtime", "1234.5678"));
    tb_pax(t, 'g', recs);
    char longpath[400];
    memset(longpath, 'x', 390);
    memcpy(longpath, "pax/", 4);
    longpath[390] = '\0';
    snprintf(recs, sizeof recs, "%s", pax_rec("path", longpath));
    strcat(recs, pax_rec("comment", "ignored = fine"));
    tb_pax(t, 'x', recs);
    tb_file(t, POSIX, "pax/short", 2000, 6);
    /* hard link, duplicate (the later wins) */
    tb_header(t, POSIX, "./hard", NULL, '1', 0, "./dir/a.txt", false);
    tb_file(t, POSIX, "./dup", 10, 7);
    tb_file(t, POSIX, "./dup", 20, 8);
    tb_end(t);
}

static const char *formats(void)
{
    struct tb t;
    const char *w;
    const struct atoll_tarkv_entry *e;

    make_mixed(&t);
    for (uint32_t bs = 512; bs <= 4096; bs *= 8) {
        if (mount_tb(&t, bs) != 0)
            T_FAILF("mount (block %u): %s", bs, why);
        if ((w = file_ok("dir/a.txt", 1000, 1)) != NULL ||
            (w = file_ok("empty", 0, 0)) != NULL ||
            (w = file_ok("v7file", 512, 3)) != NULL ||
            (w = file_ok("hard", 1000, 1)) != NULL ||
            (w = file_ok("dup", 20, 8)) != NULL)
            T_FAILF("%s", w);
        char name[400];
        snprintf(name, sizeof name, "%s/tail/name.bin", long_a);
        if ((w = file_ok(name, 513, 4)) != NULL)
            T_FAILF("ustar prefix: %s", w);
        if ((w = file_ok(long_b + 2, 4096, 5)) != NULL)
            T_FAILF("GNU long name: %s", w);
        char longpath[400];
        memset(longpath, 'x', 390);
        memcpy(longpath, "pax/", 4);
        longpath[390] = '\0';
        if ((w = file_ok(longpath, 2000, 6)) != NULL)
            T_FAILF("pax path: %s", w);
        /* The pax name replaced the header's. */
        T_ASSERT(atoll_tarkv_lookup(tv, "pax/short", 9) == NULL);
        e = atoll_tarkv_lookup(tv, longpath, strlen(longpath));
        T_ASSERT(e->mtime == 1234); /* from the global header */
        e = atoll_tarkv_lookup(tv, "gnu/link-with-a-long-target", 27);
        T_ASSERT(e != NULL && e->type == ATOLL_TARKV_SYMLINK &&
                 e->link != NULL && strcmp(e->link, long_b) == 0);
        e = atoll_tarkv_lookup(tv, "./dir/", 6);
        T_ASSERT(e != NULL && e->type == ATOLL_TARKV_DIR);
        T_ASSERT(atoll_tarkv_lookup(tv, "/dir", 4) == e);
        T_ASSERT(atoll_tarkv_lookup(tv, ".", 1) == NULL);
        T_ASSERT(atoll_tarkv_lookup(tv, "", 0) == NULL);
        T_ASSERT(atoll_tarkv_lookup(tv, "dir/a.tx", 8) == NULL);
        e = atoll_tarkv_lookup(tv, "dir/a.txt", 9);
        T_ASSERT(e->mtime == 1700000000 && e->mode == 0644);
        /* Reads: at the end, past it. */
        size_t got;
        uint8_t b[8];
        T_ASSERT(atoll_tarkv_read(tv, e, 1000, b, 8, &got) == 0 && got == 0);
        T_ASSERT(atoll_tarkv_read(tv, e, 1001, b, 8, &got) ==
                 ATOLL_ERR_INVAL);
        T_ASSERT(atoll_tarkv_read(tv, e, 996, b, 8, &got) == 0 && got == 4);
        /* Order: first appearance, each name once. */
        T_ASSERT(atoll_tarkv_count(tv) == 10);
        T_ASSERT(strcmp(atoll_tarkv_entry(tv, 0)->name, "dir") == 0);
        T_ASSERT(atoll_tarkv_entry(tv, 10) == NULL);
        atoll_tarkv_unmount(tv);
    }
    free(t.buf);
    return NULL;
}

/* Sizes past 8 GiB: GNU base-256 and pax size, on a sparse device. */
static const char *huge_sizes(void)
{
    const uint64_t size = (9ull << 30) + 12345;
    for (int pax = 0; pax < 2; pax++) {
        struct tb head = {0}, tail = {0};
        if (pax) {
            char rec[64];
            snprintf(rec, sizeof rec, "%s",
                     pax_rec("size", "9663688761")); /* 9 GiB + 12345 */
            tb_pax(&head, 'x', rec);
            tb_header(&head, POSIX, "huge.img", NULL, '0', 0, NULL, false);
        } else {
            tb_header(&head, GNU, "huge.img", NULL, '0', size, NULL, true);
        }
        memcpy(tb_grow(&head, 512), "START", 5);
        uint64_t data = head.len - 512;
        uint64_t end = data + (size + 511) / 512 * 512;
        /* The last data bytes, then a small file, then the end. */
        uint64_t far_at = end - 512;
        uint8_t *p = tb_grow(&tail, 512);
        memcpy(p + (size % 512) - 3, "END", 3);
        tb_file(&tail, POSIX, "after", 100, 9);
        tb_end(&tail);
        md_init(&md, head.buf, head.len, far_at + tail.len, 512);
        md.far = tail.buf;
        md.far_at = far_at;
        md.far_len = tail.len;
        if (atoll_tarkv_mount(&md.bd, &tv, why, sizeof why) != 0)
            T_FAILF("mount (%s): %s", pax ? "pax" : "base-256", why);
        const struct atoll_tarkv_entry *e =
            atoll_tarkv_lookup(tv, "huge.img", 8);
        T_ASSERT(e != NULL && e->size == size);
        uint8_t b[8];
        size_t got;
        T_ASSERT(atoll_tarkv_read(tv, e, 0, b, 5, &got) == 0 && got == 5 &&
                 memcmp(b, "START", 5) == 0);
        T_ASSERT(atoll_tarkv_read(tv, e, size - 3, b, 8, &got) == 0 &&
                 got == 3 && memcmp(b, "END", 3) == 0);
        T_ASSERT(atoll_tarkv_read(tv, e, 5ull << 30, b, 8, &got) == 0 &&
                 got == 8);
        const char *w = file_ok("after", 100, 9);
        if (w != NULL)
            T_FAILF("%s", w);
        atoll_tarkv_unmount(tv);
        free(head.buf);
        free(tail.buf);
    }
    return NULL;
}

static const char *expect_bad(struct tb *t, int err, const char *text)
{
    int r = mount_tb(t, 512);
    if (r == 0) {
        atoll_tarkv_unmount(tv);
        return "mounted";
    }
    if (r != err || strstr(why, text) == NULL) {
        static char msg[400];
        snprintf(msg, sizeof msg, "got %d '%s', want %d '%s'", r, why, err,
                 text);
        return msg;
    }
    return NULL;
}

static const char *refused(void)
{
    struct tb t;
    const char *w;

    /* Not tar at all. */
    memset(&t, 0, sizeof t);
    for (int i = 0; i < 4096; i++)
        *tb_grow(&t, 1) = (uint8_t)(i * 13 + 1);
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "not a tar archive")))
        T_FAILF("random bytes: %s", w);
    free(t.buf);
    /* A flipped byte in a header. */
    make_mixed(&t);
    t.buf[512 * 2 + 10] ^= 1;
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT,
                        "bad header checksum at byte 1024")))
        T_FAILF("flipped byte: %s", w);
    free(t.buf);
    /* Cut inside a file's data, and right after a header. */
    make_mixed(&t);
    t.len = 512 * 3 + 512;
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "runs past the end")))
        T_FAILF("cut in data: %s", w);
    t.len = 512 * 5;
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "no end-of-archive")))
        T_FAILF("cut after a file: %s", w);
    free(t.buf);
    /* A zero block between entries. */
    memset(&t, 0, sizeof t);
    tb_file(&t, POSIX, "a", 10, 1);
    tb_grow(&t, 512);
    tb_file(&t, POSIX, "b", 10, 1);
    tb_end(&t);
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "zero block inside")))
        T_FAILF("zero block: %s", w);
    free(t.buf);
    /* Malformed pax records. */
    const char *bad_pax[] = {"5 path=abc\n", "x path=abc\n",
                             "11 pathabcd\n", "12 path=abc\n\n",
                             "13 size=12a\n"};
    for (size_t i = 0; i < sizeof bad_pax / sizeof *bad_pax; i++) {
        memset(&t, 0, sizeof t);
        tb_pax(&t, 'x', bad_pax[i]);
        tb_file(&t, POSIX, "a", 10, 1);
        tb_end(&t);
        if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "pax")))
            T_FAILF("pax '%s': %s", bad_pax[i], w);
        free(t.buf);
    }
    /* A bad number, a hard link to nothing, a sparse file. */
    memset(&t, 0, sizeof t);
    tb_file(&t, POSIX, "a", 10, 1);
    memcpy(t.buf + 100, "09x", 3);
    {
        unsigned sum = 0;
        memset(t.buf + 148, ' ', 8);
        for (int i = 0; i < 512; i++)
            sum += t.buf[i];
        octal(t.buf + 148, 7, sum);
    }
    tb_end(&t);
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "malformed number")))
        T_FAILF("bad mode: %s", w);
    free(t.buf);
    memset(&t, 0, sizeof t);
    tb_header(&t, POSIX, "h", NULL, '1', 0, "nowhere", false);
    tb_end(&t);
    if ((w = expect_bad(&t, ATOLL_ERR_CORRUPT, "hard link")))
        T_FAILF("dangling hard link: %s", w);
    free(t.buf);
    memset(&t, 0, sizeof t);
    tb_header(&t, GNU, "s", NULL, 'S', 0, NULL, false);
    tb_end(&t);
    if ((w = expect_bad(&t, ATOLL_ERR_NOTSUP, "sparse")))
        T_FAILF("sparse: %s", w);
    free(t.buf);
    /* An empty archive (just the end marker) mounts, empty. */
    memset(&t, 0, sizeof t);
    tb_end(&t);
    T_ASSERT(mount_tb(&t, 512) == 0 && atoll_tarkv_count(tv) == 0);
    atoll_tarkv_unmount(tv);
    free(t.buf);
    return NULL;
}

/* Random damage: mount either refuses or yields entries whose data lies
 * inside the device; nothing crashes. */
static const char *mutations(void)
{
    struct tb t;
    uint64_t rng = 12345;
    int mounted = 0;

    make_mixed(&t);
    uint8_t *orig = malloc(t.len);
    memcpy(orig, t.buf, t.len);
    for (int trial = 0; trial < 3000; trial++) {
        memcpy(t.buf, orig, t.len);
        int n = 1 + trial % 4;
        for (int k = 0; k < n; k++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (size_t)(rng >> 33) % t.len;
            t.buf[at] = (uint8_t)(rng >> 20);
        }
        if (mount_tb(&t, 512) != 0) {
            T_ASSERT(why[0] != '\0');
            continue;
        }
        mounted++;
        for (size_t i = 0; i < atoll_tarkv_count(tv); i++) {
            const struct atoll_tarkv_entry *e = atoll_tarkv_entry(tv, i);
            T_ASSERT(e->offset + e->size <= md.bd.capacity);
            T_ASSERT(atoll_tarkv_lookup(tv, e->name, e->name_len) == e);
            uint8_t b[64];
            size_t got;
            T_ASSERT(atoll_tarkv_read(tv, e, e->size / 2, b, sizeof b,
                                      &got) == 0);
        }
        atoll_tarkv_unmount(tv);
    }
    printf("# mutations: 3000 damaged archives, %d still mounted\n",
           mounted);
    free(orig);
    free(t.buf);
    return NULL;
}

/* Bytes [off, off + len) of file seed's pattern read from e. */
static int read_ok(const struct atoll_tarkv_entry *e, uint64_t off,
                   size_t len, int seed)
{
    static uint8_t buf[20000];
    size_t got;
    if (atoll_tarkv_read(tv, e, off, buf, len, &got) != 0 || got != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] != (uint8_t)((off + i) * 7 + (uint64_t)seed))
            return 0;
    return 1;
}

/* Short reads are served from the cache the second time (several small
 * files at once), long ones go to the device every time; either way the
 * bytes are the file's, at 512 and 4096-byte blocks. */
static const char *read_cache(void)
{
    static const uint32_t sizes[] = {512, 4096};
    for (size_t k = 0; k < 2; k++) {
        struct tb t;
        const struct atoll_tarkv_entry *e[4];
        static const char *const names[] = {"a", "b", "c", "big"};
        static const size_t lens[] = {612, 100, 3000, 20000};
        unsigned before;
        memset(&t, 0, sizeof t);
        for (int i = 0; i < 4; i++)
            tb_file(&t, POSIX, names[i], lens[i], i + 1);
        tb_end(&t);
        T_ASSERT(mount_tb(&t, sizes[k]) == 0);
        for (int i = 0; i < 4; i++)
            T_ASSERT((e[i] = atoll_tarkv_lookup(tv, names[i],
                                              strlen(names[i]))) != NULL);
        for (int i = 0; i < 3; i++)
            T_ASSERT(read_ok(e[i], 0, lens[i], i + 1));
        before = md.reads;
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 3; i++) {
                T_ASSERT(read_ok(e[i], 0, lens[i], i + 1));
                T_ASSERT(read_ok(e[i], 5, lens[i] - 10, i + 1));
            }
        T_ASSERT(md.reads == before);
        T_ASSERT(read_ok(e[3], 0, 20000, 4));
        T_ASSERT(md.reads > before);
        before = md.reads;
        T_ASSERT(read_ok(e[3], 0, 20000, 4));
        T_ASSERT(md.reads > before);
        T_ASSERT(read_ok(e[3], 4095, 3000, 4)); /* across a cache span */
        T_ASSERT(file_ok("big", 20000, 4) == NULL);
        atoll_tarkv_unmount(tv);
        free(t.buf);
    }
    return NULL;
}

/* An archive in memory (compiled into an image) through
 * atoll_blockdev_memory: mounted and read as on a device; read only;
 * only whole 512-byte blocks. */
static const char *memory_device(void)
{
    struct atoll_blockdev d;
    struct atoll_tarkv *m;
    struct tb t;
    uint8_t blk[512];

    memset(&t, 0, sizeof t);
    tb_file(&t, POSIX, "zone/a", 3000, 2);
    tb_file(&t, POSIX, "b", 1, 9);
    tb_end(&t);
    T_ASSERT(atoll_blockdev_memory(&d, t.buf, t.len) == 0);
    T_ASSERT(d.capacity == t.len && d.block_size == 512 && d.read_only);
    T_ASSERT(atoll_tarkv_mount(&d, &m, why, sizeof why) == 0);
    tv = m;
    T_ASSERT(atoll_tarkv_count(m) == 2);
    T_ASSERT(file_ok("zone/a", 3000, 2) == NULL);
    T_ASSERT(file_ok("b", 1, 9) == NULL);
    atoll_tarkv_unmount(m);
    T_ASSERT(atoll_blockdev_write(&d, 0, blk, 512) == ATOLL_ERR_ROFS);
    T_ASSERT(atoll_blockdev_read(&d, t.len, blk, 512) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_blockdev_read(&d, t.len - 512, blk, 512) == 0);
    T_ASSERT(atoll_blockdev_memory(&d, t.buf, 1000) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_blockdev_memory(&d, NULL, 512) == ATOLL_ERR_INVAL);
    T_ASSERT(atoll_blockdev_memory(&d, NULL, 0) == 0 && d.capacity == 0);
    free(t.buf);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(formats);
    RUN(huge_sizes);
    RUN(refused);
    RUN(mutations);
    RUN(read_cache);
    RUN(memory_device);
    return t_finish();
}
