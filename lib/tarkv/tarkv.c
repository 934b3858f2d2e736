/*
 * lib/tarkv: index a tar archive on a block device once, then serve
 * lookups from memory and data straight from the device. See
 * include/atoll/tarkv.h.
 *
 * A tar archive is a run of 512-byte headers, each followed by its data
 * rounded up to 512 bytes, ended by two zero blocks. Header fields are
 * NUL- or space-terminated ASCII; numbers are octal, or (GNU) big-endian
 * binary when the first byte has its top bit set. Extensions carry what
 * does not fit: GNU 'L'/'K' records hold the next entry's long name or
 * link, pax 'x' records hold "LEN key=value\n" lines for the next entry
 * ('g': for all that follow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/tarkv.h"

#define TAR_BLOCK 512
#define NAME_MAX_LEN 65535       /* longest name or link accepted */
#define PAX_MAX (1u << 20)       /* largest extended header accepted */
#define CACHE_SPAN 4096          /* the longest read cached (or a block) */
#define CACHE_SLOTS 8

struct atoll_tarkv {
    struct atoll_blockdev *dev;
    struct atoll_tarkv_entry *ents;
    size_t n, cap;
    uint32_t *tab; /* entry index + 1; 0 is empty */
    size_t tmask;
    /* Short reads go through CACHE_SLOTS spans of whole blocks (span
     * bytes each), so a small file served again costs no device read. */
    uint8_t *cache;
    uint64_t slot_off[CACHE_SLOTS];
    size_t slot_len[CACHE_SLOTS];
    size_t span;
};

/* ---- device reads ----------------------------------------------------- */

/* Read len bytes at off if the whole blocks around them fit in a cache
 * span: from the cache, or into it (slot by the first block). 1: done,
 * 0: too long, or ATOLL_ERR_IO. */
static int cached_read(struct atoll_tarkv *t, uint64_t off, void *buf,
                       size_t len)
{
    uint32_t bs = t->dev->block_size;
    uint64_t start = off - off % bs;
    uint64_t end = off + len + (bs - (off + len) % bs) % bs;
    size_t i = (size_t)(start / bs % CACHE_SLOTS);
    uint8_t *data = t->cache + i * t->span;

    if (end - start > t->span || len >= t->span)
        return 0; /* long reads go straight to the buffer */
    if (t->slot_off[i] != start || t->slot_len[i] < end - start) {
        t->slot_len[i] = 0;
        if (atoll_blockdev_read(t->dev, start, data,
                                (size_t)(end - start)) != 0)
            return ATOLL_ERR_IO;
        t->slot_off[i] = start;
        t->slot_len[i] = (size_t)(end - start);
    }
    memcpy(buf, data + (off - start), len);
    return 1;
}

/* Read len bytes at any offset, whole device blocks at a time. */
static int dev_read(struct atoll_tarkv *t, uint64_t off, void *buf,
                    size_t len)
{
    uint32_t bs = t->dev->block_size;
    uint8_t *d = buf;
    int r = len > 0 ? cached_read(t, off, buf, len) : 1;

    if (r != 0)
        return r < 0 ? r : 0;
    while (len > 0) {
        uint64_t in = off % bs;
        if (in == 0 && len >= bs) {
            size_t n = len - len % bs;
            if (atoll_blockdev_read(t->dev, off, d, n) != 0)
                return ATOLL_ERR_IO;
            d += n;
            off += n;
            len -= n;
            continue;
        }
        size_t n = bs - in < len ? (size_t)(bs - in) : len;
        if ((r = cached_read(t, off, d, n)) < 0)
            return r;
        d += n;
        off += n;
        len -= n;
    }
    return 0;
}

/* ---- the index -------------------------------------------------------- */

static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

static size_t tab_find(const struct atoll_tarkv *t, const char *name,
                       size_t n)
{
    size_t i = name_hash(name, n) & t->tmask;
    for (;;) {
        uint32_t v = t->tab[i];
        if (v == 0)
            return i;
        const struct atoll_tarkv_entry *e = &t->ents[v - 1];
        if (e->name_len == n && memcmp(e->name, name, n) == 0)
            return i;
        i = (i + 1) & t->tmask;
    }
}

static int tab_grow(struct atoll_tarkv *t)
{
    size_t cap = (t->tmask + 1) * 2;
    uint32_t *nt = calloc(cap, sizeof *nt);
    uint32_t *old = t->tab;
    size_t oldcap = t->tmask + 1;

    if (nt == NULL)
        return ATOLL_ERR_NOMEM;
    t->tab = nt;
    t->tmask = cap - 1;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i] != 0) {
            const struct atoll_tarkv_entry *e = &t->ents[old[i] - 1];
            t->tab[tab_find(t, e->name, e->name_len)] = old[i];
        }
    free(old);
    return 0;
}

/* Add e (owning its strings), or replace the entry of the same name. */
static int add_entry(struct atoll_tarkv *t, struct atoll_tarkv_entry *e)
{
    size_t i = tab_find(t, e->name, e->name_len);

    if (t->tab[i] != 0) {
        struct atoll_tarkv_entry *old = &t->ents[t->tab[i] - 1];
        free((char *)old->name);
        free((char *)old->link);
        *old = *e;
        return 0;
    }
    if (t->n == UINT32_MAX - 1)
        return ATOLL_ERR_NOMEM;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct atoll_tarkv_entry *ne = realloc(t->ents, cap * sizeof *ne);
        if (ne == NULL)
            return ATOLL_ERR_NOMEM;
        t->ents = ne;
        t->cap = cap;
    }
    t->ents[t->n++] = *e;
    t->tab[i] = (uint32_t)t->n;
    if (t->n * 4 > (t->tmask + 1) * 3)
        return tab_grow(t);
    return 0;
}

/* ---- header fields ----------------------------------------------------- */

/* A numeric field: octal text, or GNU base-256. */
static bool number(const uint8_t *f, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;

    if (f[0] & 0x80) {
        if (f[0] == 0xff)
            return false; /* negative */
        v = f[0] & 0x7f;
        for (i = 1; i < len; i++) {
            if (v >> 55)
                return false;
            v = v << 8 | f[i];
        }
        *out = v;
        return true;
    }
    while (i < len && (f[i] == ' ' || f[i] == '\0'))
        i++;
    if (i == len) {
        *out = 0;
        return true;
    }
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60)
            return false;
        v = v << 3 | (uint64_t)(f[i] - '0');
    }
    for (; i < len; i++)
        if (f[i] != ' ' && f[i] != '\0')
            return false;
    *out = v;
    return true;
}

static size_t field_len(const uint8_t *f, size_t max)
{
    size_t n = 0;
    while (n < max && f[n] != '\0')
        n++;
    return n;
}

/* A copy of s (n bytes) with leading "./" and "/" and trailing "/"
 * removed; *outlen its length. NULL on no memory. */
static char *normalize(const char *s, size_t n, size_t *outlen)
{
    for (;;) {
        if (n >= 2 && s[0] == '.' && s[1] == '/') {
            s += 2;
            n -= 2;
        } else if (n >= 1 && s[0] == '/') {
            s++;
            n--;
        } else {
            break;
        }
    }
    while (n > 0 && s[n - 1] == '/')
        n--;
    if (n == 1 && s[0] == '.')
        n = 0;
    char *c = malloc(n + 1);
    if (c != NULL) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    *outlen = n;
    return c;
}

/* ---- mount ------------------------------------------------------------ */

struct ext {           /* what extension records said about what follows */
    char *name, *link; /* owned copies, or NULL */
    size_t name_len, link_len;
    bool has_size, has_mtime;
    uint64_t size, mtime;
};

static void ext_clear(struct ext *x)
{
    free(x->name);
    free(x->link);
    memset(x, 0, sizeof *x);
}

struct mount {
    struct atoll_tarkv *t;
    char *why;
    size_t whylen;
    struct ext next, global;
};

static int bad(struct mount *m, int err, uint64_t off, const char *fmt,
               const char *detail)
{
    char msg[160];
    snprintf(msg, sizeof msg, fmt, detail);
    snprintf(m->why, m->whylen, "%s at byte %llu", msg,
             (unsigned long long)off);
    return err;
}

/* Read the data of an extension record (at most max bytes). */
static int read_ext(struct mount *m, uint64_t off, uint64_t size, size_t max,
                    char **out)
{
    char *buf;
    int e;

    if (size > max)
        return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                   "extension record too large");
    buf = malloc((size_t)size + 1);
    if (buf == NULL)
        return ATOLL_ERR_NOMEM;
    if ((e = dev_read(m->t, off, buf, (size_t)size)) != 0) {
        free(buf);
        return e;
    }
    buf[size] = '\0';
    *out = buf;
    return 0;
}

static bool decimal(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parse pax records "LEN key=value\n" into x. */
static int parse_pax(struct mount *m, uint64_t off, const char *d, size_t n,
                     struct ext *x)
{
    size_t p = 0;

    while (p < n) {
        size_t q = p, len;
        uint64_t l;
        while (q < n && d[q] >= '0' && d[q] <= '9')
            q++;
        if (!decimal(d + p, q - p, &l) || q >= n || d[q] != ' ' ||
            l > n - p || l < q - p + 3 || d[p + l - 1] != '\n')
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "malformed pax record");
        len = (size_t)l;
        const char *kv = d + q + 1, *end = d + p + len - 1;
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (eq == NULL)
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "pax record without '='");
        size_t klen = (size_t)(eq - kv), vlen = (size_t)(end - eq - 1);
        const char *v = eq + 1;
        if (klen == 4 && memcmp(kv, "path", 4) == 0) {
            free(x->name);
            if ((x->name = malloc(vlen + 1)) == NULL)
                return ATOLL_ERR_NOMEM;
            memcpy(x->name, v, vlen);
            x->name[vlen] = '\0';
            x->name_len = vlen;
        } else if (klen == 8 && memcmp(kv, "linkpath", 8) == 0) {
            free(x->link);
            if ((x->link = malloc(vlen + 1)) == NULL)
                return ATOLL_ERR_NOMEM;
            memcpy(x->link, v, vlen);
            x->link[vlen] = '\0';
            x->link_len = vlen;
        } else if (klen == 4 && memcmp(kv, "size", 4) == 0) {
            if (!decimal(v, vlen, &x->size) || x->size > (UINT64_MAX >> 2))
                return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                           "bad pax size");
            x->has_size = true;
        } else if (klen == 5 && memcmp(kv, "mtime", 5) == 0) {
            size_t ilen = 0; /* the whole seconds; fractions are dropped */
            while (ilen < vlen && v[ilen] != '.')
                ilen++;
            if (decimal(v, ilen, &x->mtime))
                x->has_mtime = true;
        }
        p += len;
    }
    return 0;
}

static bool all_zero(const uint8_t *h)
{
    for (int i = 0; i < TAR_BLOCK; i++)
        if (h[i] != 0)
            return false;
    return true;
}

static bool checksum_ok(const uint8_t *h)
{
    uint64_t want;
    unsigned long u = 0;
    long s = 0;

    if (!number(h + 148, 8, &want))
        return false;
    for (int i = 0; i < TAR_BLOCK; i++) {
        uint8_t c = i >= 148 && i < 156 ? ' ' : h[i];
        u += c;
        s += (signed char)c;
    }
    return want == u || (long)want == s;
}

/* One header at off that is an entry: add it to the index. */
static int add_header(struct mount *m, const uint8_t *h, uint64_t off,
                      uint64_t size, bool posix)
{
    struct atoll_tarkv *t = m->t;
    struct atoll_tarkv_entry e;
    char namebuf[256 + 100 + 1];
    const char *name, *link = NULL;
    size_t nlen, llen = 0;
    uint64_t v;
    int err;

    memset(&e, 0, sizeof e);
    if (m->next.name != NULL) {
        name = m->next.name;
        nlen = m->next.name_len;
    } else {
        size_t pl = posix ? field_len(h + 345, 155) : 0;
        size_t fl = field_len(h, 100);
        nlen = 0;
        if (pl > 0) {
            memcpy(namebuf, h + 345, pl);
            namebuf[pl] = '/';
            nlen = pl + 1;
        }
        memcpy(namebuf + nlen, h, fl);
        nlen += fl;
        name = namebuf;
    }
    if (m->next.link != NULL) {
        link = m->next.link;
        llen = m->next.link_len;
    } else if (h[157] != '\0') {
        link = (const char *)h + 157;
        llen = field_len(h + 157, 100);
    }
    if (memchr(name, '\0', nlen) != NULL)
        return bad(m, ATOLL_ERR_CORRUPT, off, "%s", "NUL in a name");
    e.name = normalize(name, nlen, &e.name_len);
    if (e.name == NULL)
        return ATOLL_ERR_NOMEM;
    if (e.name_len == 0) { /* the archive's root: not an entry */
        free((char *)e.name);
        return 0;
    }
    if (!number(h + 100, 8, &v))
        goto badnum;
    e.mode = (uint32_t)(v & 07777);
    if (m->next.has_mtime)
        e.mtime = m->next.mtime;
    else if (!number(h + 136, 12, &e.mtime))
        goto badnum;
    e.offset = off + TAR_BLOCK;
    e.size = size;
    switch (h[156]) {
    case '0':
    case '\0':
    case '7':
        e.type = ATOLL_TARKV_FILE;
        break;
    case '1': { /* hard link: the data is the target's */
        size_t tl;
        char *target = link ? normalize(link, llen, &tl) : NULL;
        const struct atoll_tarkv_entry *te =
            target ? atoll_tarkv_lookup(t, target, tl) : NULL;
        free(target);
        if (te == NULL || te->type != ATOLL_TARKV_FILE) {
            free((char *)e.name);
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "hard link to a file not in the archive before it");
        }
        e.type = ATOLL_TARKV_FILE;
        e.offset = te->offset;
        e.size = te->size;
        link = NULL;
        break;
    }
    case '2':
        e.type = ATOLL_TARKV_SYMLINK;
        e.size = 0;
        break;
    case '5':
    case 'D': /* GNU dump directory: a directory with a listing as data */
        e.type = ATOLL_TARKV_DIR;
        e.size = 0;
        break;
    case '3':
    case '4':
    case '6':
        e.type = ATOLL_TARKV_OTHER;
        e.size = 0;
        break;
    default: /* POSIX: unknown types read as regular files */
        e.type = ATOLL_TARKV_FILE;
        break;
    }
    if (link != NULL && e.type == ATOLL_TARKV_SYMLINK) {
        char *l = malloc(llen + 1);
        if (l == NULL) {
            free((char *)e.name);
            return ATOLL_ERR_NOMEM;
        }
        memcpy(l, link, llen);
        l[llen] = '\0';
        e.link = l;
    }
    if ((err = add_entry(t, &e)) != 0) {
        free((char *)e.name);
        free((char *)e.link);
    }
    return err;
badnum:
    free((char *)e.name);
    return bad(m, ATOLL_ERR_CORRUPT, off, "%s", "malformed number field");
}

static int index_archive(struct mount *m)
{
    struct atoll_tarkv *t = m->t;
    uint64_t cap = t->dev->capacity, off = 0;
    uint8_t h[TAR_BLOCK];
    int zeros = 0, err;

    for (;;) {
        if (cap - off < TAR_BLOCK) {
            if (zeros > 0 || (off == 0 && cap == 0))
                return 0;
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "truncated archive: no end-of-archive marker");
        }
        if ((err = dev_read(t, off, h, TAR_BLOCK)) != 0)
            return err;
        if (all_zero(h)) {
            off += TAR_BLOCK;
            if (++zeros == 2)
                return 0;
            continue;
        }
        if (zeros > 0)
            return bad(m, ATOLL_ERR_CORRUPT, off - TAR_BLOCK, "%s",
                       "zero block inside the archive");
        if (!checksum_ok(h))
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       off == 0 ? "not a tar archive (bad header checksum)"
                                : "bad header checksum");
        bool posix = memcmp(h + 257, "ustar\0" "00", 8) == 0;
        uint8_t type = h[156];
        uint64_t size;
        if (!number(h + 124, 12, &size))
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "malformed size field");
        bool is_ext = type == 'L' || type == 'K' || type == 'x' ||
                      type == 'g';
        if (!is_ext && m->next.has_size)
            size = m->next.size;
        /* Entries without data still skip what the header says they
         * carry (a hard link or directory normally says 0). */
        uint64_t data = off + TAR_BLOCK;
        if (size > cap || cap - data < size)
            return bad(m, ATOLL_ERR_CORRUPT, off, "%s",
                       "truncated archive: an entry's data runs past the "
                       "end of the device");
        uint64_t next = data + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (next > cap)
            next = cap;
        char *d;
        switch (type) {
        case 'L':
        case 'K':
            if ((err = read_ext(m, data, size, NAME_MAX_LEN, &d)) != 0)
                return err;
            if (type == 'L') {
                free(m->next.name);
                m->next.name = d;
                m->next.name_len = field_len((uint8_t *)d, (size_t)size);
            } else {
                free(m->next.link);
                m->next.link = d;
                m->next.link_len = field_len((uint8_t *)d, (size_t)size);
            }
            break;
        case 'x':
        case 'g':
            if ((err = read_ext(m, data, size, PAX_MAX, &d)) != 0)
                return err;
            err = parse_pax(m, data, d, (size_t)size,
                            type == 'x' ? &m->next : &m->global);
            free(d);
            if (err != 0)
                return err;
            break;
        case 'S':
        case 'M':
            return bad(m, ATOLL_ERR_NOTSUP, off, "%s",
                       type == 'S' ? "GNU sparse files are not supported "
                                     "(archive without --sparse)"
                                   : "multi-volume archives are not "
                                     "supported");
        case 'V': /* volume label */
            break;
        default:
            if (!m->next.has_mtime && m->global.has_mtime) {
                m->next.has_mtime = true;
                m->next.mtime = m->global.mtime;
            }
            if ((err = add_header(m, h, off, size, posix)) != 0)
                return err;
            ext_clear(&m->next);
            break;
        }
        off = next;
    }
}

int atoll_tarkv_mount(struct atoll_blockdev *dev, struct atoll_tarkv **out,
                      char *why, size_t whylen)
{
    struct atoll_tarkv *t;
    struct mount m;
    char buf[200];
    int err;

    *out = NULL;
    if (why == NULL) {
        why = buf;
        whylen = sizeof buf;
    }
    why[0] = '\0';
    t = calloc(1, sizeof *t);
    if (t == NULL)
        return ATOLL_ERR_NOMEM;
    t->dev = dev;
    t->span = dev->block_size > CACHE_SPAN ? dev->block_size : CACHE_SPAN;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        t->slot_len[i] = 0;
    t->cache = malloc(CACHE_SLOTS * t->span);
    t->tab = calloc(64, sizeof *t->tab);
    t->tmask = 63;
    if (t->cache == NULL || t->tab == NULL) {
        atoll_tarkv_unmount(t);
        return ATOLL_ERR_NOMEM;
    }
    memset(&m, 0, sizeof m);
    m.t = t;
    m.why = why;
    m.whylen = whylen;
    err = index_archive(&m);
    ext_clear(&m.next);
    ext_clear(&m.global);
    if (err != 0) {
        if (why[0] == '\0')
            snprintf(why, whylen, "%s", atoll_strerror(err));
        atoll_tarkv_unmount(t);
        return err;
    }
    *out = t;
    return 0;
}

void atoll_tarkv_unmount(struct atoll_tarkv *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free((char *)t->ents[i].name);
        free((char *)t->ents[i].link);
    }
    free(t->ents);
    free(t->tab);
    free(t->cache);
    free(t);
}

/* ---- lookups and reads ------------------------------------------------ */

const struct atoll_tarkv_entry *atoll_tarkv_lookup(const struct atoll_tarkv *t,
                                                   const char *name,
                                                   size_t len)
{
    for (;;) {
        if (len >= 2 && name[0] == '.' && name[1] == '/') {
            name += 2;
            len -= 2;
        } else if (len >= 1 && name[0] == '/') {
            name++;
            len--;
        } else {
            break;
        }
    }
    while (len > 0 && name[len - 1] == '/')
        len--;
    if (len == 0)
        return NULL;
    uint32_t v = t->tab[tab_find(t, name, len)];
    return v ? &t->ents[v - 1] : NULL;
}

int atoll_tarkv_read(struct atoll_tarkv *t, const struct atoll_tarkv_entry *e,
                     uint64_t off, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (off > e->size || (buf == NULL && len > 0))
        return ATOLL_ERR_INVAL;
    if (len > e->size - off)
        len = (size_t)(e->size - off);
    int err = dev_read(t, e->offset + off, buf, len);
    if (err == 0)
        *got = len;
    return err;
}

size_t atoll_tarkv_count(const struct atoll_tarkv *t)
{
    return t->n;
}

const struct atoll_tarkv_entry *atoll_tarkv_entry(const struct atoll_tarkv *t,
                                                  size_t i)
{
    return i < t->n ? &t->ents[i] : NULL;
}
