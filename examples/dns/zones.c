/* The zones of the archive, loaded at boot. Each file is read whole,
 * loaded into an arena sized from its length (doubled while too small),
 * then the arena is copied into a block of the size used, so a zone
 * keeps only its records, names and RDATA. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/rt.h"

#include "server.h"

#define ARENA_TRIES 6

static bool has_suffix(const char *s, size_t len, const char *suf)
{
    size_t n = strlen(suf);

    return len >= n && memcmp(s + len - n, suf, n) == 0;
}

/* NAME.zone names the zone NAME. (the file's base name); NULL: the
 * file's $ORIGIN does. */
static const uint8_t *origin_of(const char *name, size_t len, uint8_t *o)
{
    const char *base = name, *slash = strrchr(name, '/');
    char text[DNS_NAME_MAX + 2];
    size_t n;

    if (!has_suffix(name, len, ".zone"))
        return NULL;
    if (slash != NULL)
        base = slash + 1;
    n = (size_t)(name + len - base) - 5;
    if (n == 0 || n > DNS_NAME_MAX)
        return NULL;
    memcpy(text, base, n);
    if (text[n - 1] != '.')
        text[n++] = '.';
    if (dns_name_from_text(text, n, NULL, o) < 0)
        return NULL;
    return o;
}

/* The arena's used front and record array into one block of their
 * size; pointers into the arena are moved with it. */
static int compact(struct dns_zone *z, struct dns_arena *a)
{
    size_t front = (a->lo + 7) & ~(size_t)7;
    size_t bytes = front + z->n * sizeof(struct dns_rr);
    uint8_t *m = malloc(bytes ? bytes : 1);
    struct dns_rr *rr;

    if (m == NULL)
        return ATOLL_ERR_NOMEM;
    memcpy(m, a->base, a->lo);
    rr = (struct dns_rr *)(void *)(m + front);
    for (size_t i = 0; i < z->n; i++) {
        rr[i] = z->rr[i];
        rr[i].owner = m + (z->rr[i].owner - a->base);
        rr[i].rdata = m + (z->rr[i].rdata - a->base);
    }
    z->origin = m + (z->origin - a->base);
    z->index = (void *)(m + ((uint8_t *)z->index - a->base));
    z->rr = rr;
    return 0;
}

static int load_one(struct dns_zone *z, const char *file, const char *text,
                    size_t len, const uint8_t *origin, char *why,
                    size_t whylen)
{
    size_t size = len * 4 + 8192;
    int r = ATOLL_ERR_NOMEM;

    for (int i = 0; i < ARENA_TRIES && r == ATOLL_ERR_NOMEM; i++, size *= 2) {
        struct dns_arena a;
        void *mem = malloc(size);

        if (mem == NULL)
            break;
        dns_arena_init(&a, mem, size);
        memset(z, 0, sizeof *z);
        r = dns_zone_load(z, &a, file, text, len, origin);
        if (r == 0)
            r = compact(z, &a);
        else if (r != ATOLL_ERR_NOMEM)
            snprintf(why, whylen, "%s", z->err);
        free(mem);
    }
    if (r == ATOLL_ERR_NOMEM)
        snprintf(why, whylen, "%s: out of memory for the zone (--mem?)",
                 file);
    return r;
}

static int read_file(struct atoll_tarkv *t, const struct atoll_tarkv_entry *e,
                     char **text, char *why, size_t whylen)
{
    size_t got = 0;
    int r;

    *text = malloc(e->size + 1);
    if (*text == NULL) {
        snprintf(why, whylen, "%s: out of memory (--mem?)", e->name);
        return ATOLL_ERR_NOMEM;
    }
    r = atoll_tarkv_read(t, e, 0, *text, e->size, &got);
    if (r == 0 && got != e->size)
        r = ATOLL_ERR_IO;
    if (r != 0) {
        snprintf(why, whylen, "%s: %s", e->name, atoll_strerror(r));
        free(*text);
    }
    return r;
}

/* A second zone with an apex already served is refused. */
static int check_unique(size_t k, const char *file, char *why, size_t whylen)
{
    char name[DNS_NAME_MAX * 4 + 1];

    for (size_t i = 0; i < k; i++)
        if (dns_name_eq(srv_zones[i].origin, srv_zones[k].origin)) {
            dns_name_to_text(srv_zones[k].origin, name, sizeof name);
            snprintf(why, whylen, "%s: the zone %s is loaded twice", file,
                     name);
            return ATOLL_ERR_FORMAT;
        }
    return 0;
}

int srv_load_zones(struct atoll_tarkv *t, char *why, size_t whylen)
{
    size_t n = atoll_tarkv_count(t);
    uint8_t o[DNS_NAME_MAX];
    int r;

    srv_zones = calloc(n ? n : 1, sizeof *srv_zones);
    if (srv_zones == NULL) {
        snprintf(why, whylen, "out of memory for %zu zones", n);
        return ATOLL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct atoll_tarkv_entry *e = atoll_tarkv_entry(t, i);
        struct dns_zone *z = &srv_zones[srv_nzones];
        char *text;

        if (e->type != ATOLL_TARKV_FILE)
            continue;
        r = read_file(t, e, &text, why, whylen);
        if (r != 0)
            return r;
        r = load_one(z, e->name, text, e->size,
                     origin_of(e->name, e->name_len, o), why, whylen);
        free(text);
        if (r == 0)
            r = check_unique(srv_nzones, e->name, why, whylen);
        if (r != 0)
            return r;
        srv_nzones++;
    }
    if (srv_nzones == 0) {
        snprintf(why, whylen, "no zone file in the archive");
        return ATOLL_ERR_NOENT;
    }
    return 0;
}

int srv_mount_zones(struct atoll_blockdev *dev, const char *what,
                    struct atoll_tarkv **tar)
{
    char why[300] = "";
    int r = atoll_tarkv_mount(dev, tar, why, sizeof why);

    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "dns: %s: %s", what, why);
        return r;
    }
    r = srv_load_zones(*tar, why, sizeof why);
    if (r != 0)
        atoll_log(ATOLL_LOG_ERROR, "dns: %s", why);
    return r;
}
