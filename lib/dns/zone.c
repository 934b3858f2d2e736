/* Zone files (RFC 1035 section 5): a lexer that turns the text into
 * entries (one record or directive, parentheses joining lines), and the
 * loader that turns entries into the zone's record array. */
#include "dns_internal.h"
#include <atoll/err.h>
#include <string.h>

#define ZTOK_MAX 256 /* tokens of one entry */

struct lex {
    const char *s;
    size_t len, p;
    unsigned line;
};

struct entry {
    unsigned line;   /* where the entry starts */
    int blank_owner; /* its line starts with a space or tab */
    int n;
    const char *tok[ZTOK_MAX];
    size_t tlen[ZTOK_MAX];
    uint8_t quoted[ZTOK_MAX];
};

struct loader {
    struct dns_zone *z;
    struct dns_arena *a;
    const char *file;
    uint8_t origin[DNS_NAME_MAX];
    int have_origin;
    uint8_t *apex;
    const uint8_t *owner; /* the last owner, for omitted ones */
    uint32_t default_ttl, last_ttl;
    int have_default, have_last;
    size_t rr_end;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int delim(char c)
{
    return is_space(c) || c == '\n' || c == ';' || c == '(' || c == ')' ||
           c == '"';
}

static int lex_err(struct dns_zone *z, const char *file, unsigned line,
                   const char *msg)
{
    dns_errf(z->err, sizeof z->err, "%s:%u: %s", file, line, msg);
    return ATOLL_ERR_FORMAT;
}

/* The next entry with at least one token: 1, 0 at the end of the text, or
 * an error (z->err set). */
static int next_entry(struct lex *l, struct entry *e, struct dns_zone *z,
                      const char *file)
{
    int paren = 0;
    unsigned paren_line = 0;
    e->n = 0;
    e->line = l->line;
    e->blank_owner = l->p < l->len && is_space(l->s[l->p]);
    for (;;) {
        if (l->p >= l->len) {
            if (paren)
                return lex_err(z, file, paren_line, "'(' is never closed");
            return e->n > 0;
        }
        char c = l->s[l->p];
        if (c == '\n') {
            l->p++;
            l->line++;
            if (paren)
                continue;
            if (e->n > 0)
                return 1;
            e->line = l->line; /* an empty line: start again */
            e->blank_owner = l->p < l->len && is_space(l->s[l->p]);
            continue;
        }
        if (is_space(c)) {
            l->p++;
            continue;
        }
        if (c == ';') {
            while (l->p < l->len && l->s[l->p] != '\n')
                l->p++;
            continue;
        }
        if (c == '(' || c == ')') {
            if ((c == '(') == (paren != 0))
                return lex_err(z, file, l->line, c == '(' ?
                               "nested '('" : "')' without '('");
            paren = c == '(';
            paren_line = l->line;
            l->p++;
            continue;
        }
        if (e->n == ZTOK_MAX)
            return lex_err(z, file, l->line, "too many fields in a record");
        size_t start;
        if (c == '"') {
            start = ++l->p;
            while (l->p < l->len && l->s[l->p] != '"' && l->s[l->p] != '\n') {
                if (l->s[l->p] == '\\' && l->p + 1 < l->len &&
                    l->s[l->p + 1] != '\n')
                    l->p++;
                l->p++;
            }
            if (l->p >= l->len || l->s[l->p] != '"')
                return lex_err(z, file, l->line, "unterminated quoted string");
            e->quoted[e->n] = 1;
            e->tok[e->n] = l->s + start;
            e->tlen[e->n++] = l->p - start;
            l->p++;
            continue;
        }
        start = l->p;
        while (l->p < l->len && !delim(l->s[l->p])) {
            if (l->s[l->p] == '\\' && l->p + 1 < l->len &&
                l->s[l->p + 1] != '\n')
                l->p++;
            l->p++;
        }
        e->quoted[e->n] = 0;
        e->tok[e->n] = l->s + start;
        e->tlen[e->n++] = l->p - start;
    }
}

static int ieq(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len && lit[i]; i++)
        if ((s[i] | 0x20) != (lit[i] | 0x20))
            return 0;
    return i == len && lit[i] == 0;
}

/* A TTL: seconds or BIND units (1h30m); 0 if good. */
static int ttl_of(const char *s, size_t len, uint32_t *v)
{
    unsigned long long total = 0, cur = 0;
    int digits = 0, units = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + (unsigned)(c - '0');
            if (cur > 0xFFFFFFFFull)
                return -1;
            digits = 1;
            continue;
        }
        unsigned mul;
        switch (c | 0x20) {
        case 's': mul = 1; break;
        case 'm': mul = 60; break;
        case 'h': mul = 3600; break;
        case 'd': mul = 86400; break;
        case 'w': mul = 604800; break;
        default: return -1;
        }
        if (!digits)
            return -1;
        total += cur * mul;
        cur = 0;
        digits = 0;
        units = 1;
        if (total > 0xFFFFFFFFull)
            return -1;
    }
    if (units && digits)
        return -1; /* "1h30": a number after units wants its unit */
    total += cur;
    if (total > 0xFFFFFFFFull)
        return -1;
    *v = (uint32_t)total;
    return 0;
}

static int err_at(struct loader *ld, unsigned line, int rc, const char *fmt,
                  const void *a1, const void *a2)
{
    char msg[200];
    dns_errf(msg, sizeof msg, fmt, a1, a2);
    dns_errf(ld->z->err, sizeof ld->z->err, "%s:%u: %s", ld->file, line, msg);
    return rc;
}

static int directive(struct loader *ld, const struct entry *e)
{
    const char *d = e->tok[0];
    size_t dl = e->tlen[0];
    if (ieq(d, dl, "$ORIGIN")) {
        uint8_t n[DNS_NAME_MAX];
        if (e->n != 2 || e->quoted[1])
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "$ORIGIN takes one name", 0, 0);
        int l = dns_name_from_text(e->tok[1], e->tlen[1],
                                   ld->have_origin ? ld->origin : NULL, n);
        if (l < 0)
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "bad $ORIGIN name", 0, 0);
        memcpy(ld->origin, n, (size_t)l);
        ld->have_origin = 1;
        return 0;
    }
    if (ieq(d, dl, "$TTL")) {
        if (e->n != 2 || ttl_of(e->tok[1], e->tlen[1], &ld->default_ttl))
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "$TTL takes one TTL", 0, 0);
        ld->have_default = 1;
        return 0;
    }
    if (ieq(d, dl, "$INCLUDE"))
        return err_at(ld, e->line, ATOLL_ERR_NOTSUP,
                      "$INCLUDE is not supported", 0, 0);
    return err_at(ld, e->line, ATOLL_ERR_FORMAT, "unknown directive", 0, 0);
}

/* Types that are queries or meta records, never data in a zone. */
static int meta_type(int t)
{
    return t == 0 || t == DNS_T_OPT || (t >= 128 && t <= 255);
}

static int record(struct loader *ld, const struct entry *e)
{
    struct dns_arena *a = ld->a;
    uint8_t owner[DNS_NAME_MAX];
    int i = 0, l;

    if (e->blank_owner) {
        if (!ld->owner)
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "no owner name before this record", 0, 0);
        memcpy(owner, ld->owner, dns_name_len(ld->owner));
    } else {
        l = e->quoted[0] ? -1 : dns_name_from_text(e->tok[0], e->tlen[0],
                                  ld->have_origin ? ld->origin : NULL, owner);
        if (l < 0)
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "bad owner name (or relative with no $ORIGIN)",
                          0, 0);
        i = 1;
    }

    uint32_t ttl = 0;
    int have_ttl = 0, have_class = 0;
    while (i < e->n && !e->quoted[i] && (!have_ttl || !have_class)) {
        const char *t = e->tok[i];
        size_t tl = e->tlen[i];
        if (!have_ttl && t[0] >= '0' && t[0] <= '9') {
            if (ttl_of(t, tl, &ttl))
                return err_at(ld, e->line, ATOLL_ERR_FORMAT, "bad TTL", 0, 0);
            have_ttl = 1;
        } else if (!have_class && (ieq(t, tl, "IN") || ieq(t, tl, "CLASS1"))) {
            have_class = 1;
        } else if (!have_class && (ieq(t, tl, "CH") || ieq(t, tl, "HS") ||
                                   ieq(t, tl, "CS") ||
                                   (tl > 5 && ieq(t, 5, "CLASS")))) {
            return err_at(ld, e->line, ATOLL_ERR_NOTSUP,
                          "only class IN is supported", 0, 0);
        } else {
            break;
        }
        i++;
    }
    if (i >= e->n)
        return err_at(ld, e->line, ATOLL_ERR_FORMAT, "missing type", 0, 0);
    int type = e->quoted[i] ? -1 : dns_type_from_text(e->tok[i], e->tlen[i]);
    if (type < 0)
        return err_at(ld, e->line, ATOLL_ERR_FORMAT, "unknown type", 0, 0);
    if (meta_type(type))
        return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                      "a query or meta type cannot be in a zone", 0, 0);
    i++;

    if (!have_ttl) {
        if (ld->have_default)
            ttl = ld->default_ttl;
        else if (ld->have_last)
            ttl = ld->last_ttl; /* RFC 1035: the last one given */
        else
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "no TTL, and no $TTL before it", 0, 0);
    } else {
        ld->last_ttl = ttl;
        ld->have_last = 1;
    }

    if (!ld->apex) {
        if (!ld->have_origin)
            return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                          "no $ORIGIN before the first record", 0, 0);
        ld->apex = dns_arena_alloc(a, dns_name_len(ld->origin), 1);
        if (!ld->apex)
            goto nomem;
        memcpy(ld->apex, ld->origin, dns_name_len(ld->origin));
        ld->z->origin = ld->apex;
    }
    if (!dns_name_is_sub(owner, ld->apex))
        return err_at(ld, e->line, ATOLL_ERR_FORMAT,
                      "%n is outside the zone %n", owner, ld->apex);

    /* RDATA straight into the arena's free bytes, then kept. */
    const char *why;
    uint8_t *rd = a->base + a->lo;
    size_t room = a->hi - a->lo;
    l = dns_rdata_from_text((uint16_t)type, e->tok + i, e->tlen + i,
                            e->quoted + i, e->n - i,
                            ld->have_origin ? ld->origin : NULL, rd,
                            room > 65535 ? 65535 : room, &why);
    if (l < 0 && room < 65535 && strcmp(why, "RDATA too long") == 0)
        goto nomem; /* cut short by the arena, not by the 64 KB limit */
    if (l < 0)
        return err_at(ld, e->line, ATOLL_ERR_FORMAT, why, 0, 0);
    a->lo += (size_t)l;

    size_t olen = dns_name_len(owner);
    const uint8_t *own = ld->owner;
    if (!own || dns_name_len(own) != olen || memcmp(own, owner, olen)) {
        uint8_t *o = dns_arena_alloc(a, olen, 1);
        if (!o)
            goto nomem;
        memcpy(o, owner, olen);
        own = o;
    }
    ld->owner = own;
    if (a->hi - a->lo < sizeof(struct dns_rr))
        goto nomem;
    a->hi -= sizeof(struct dns_rr);
    struct dns_rr *r = (struct dns_rr *)(void *)(a->base + a->hi);
    r->owner = own;
    r->rdata = rd;
    r->ttl = ttl;
    r->line = e->line;
    r->type = (uint16_t)type;
    r->rdlen = (uint16_t)l;
    return 0;
nomem:
    return err_at(ld, e->line, ATOLL_ERR_NOMEM,
                  "out of memory for the zone", 0, 0);
}

static int rr_cmp(const struct dns_rr *x, const struct dns_rr *y)
{
    int c = dns_name_cmp(x->owner, y->owner);
    if (c)
        return c;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    size_t n = x->rdlen < y->rdlen ? x->rdlen : y->rdlen;
    c = memcmp(x->rdata, y->rdata, n);
    if (c)
        return c;
    return (int)x->rdlen - (int)y->rdlen;
}

/* The sort order: rr_cmp, then the line, so that of duplicates the first
 * in the file is kept. */
static int sort_cmp(const struct dns_rr *x, const struct dns_rr *y)
{
    int c = rr_cmp(x, y);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void sift(struct dns_rr *v, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && sort_cmp(&v[c], &v[c + 1]) < 0)
            c++;
        if (sort_cmp(&v[i], &v[c]) >= 0)
            return;
        struct dns_rr t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

/* Heapsort: in place, no memory, n log n. */
static void sort_rrs(struct dns_rr *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift(v, i, n);
    for (size_t k = n; k-- > 1;) {
        struct dns_rr t = v[0];
        v[0] = v[k];
        v[k] = t;
        sift(v, 0, k);
    }
}

int dns_zone_load(struct dns_zone *z, struct dns_arena *a, const char *file,
                  const char *text, size_t len, const uint8_t *origin)
{
    struct loader ld;
    struct lex lx = {text, len, 0, 1};
    int rc;

    memset(z, 0, sizeof *z);
    memset(&ld, 0, sizeof ld);
    z->rclass = DNS_C_IN;
    ld.z = z;
    ld.a = a;
    ld.file = file;
    if (origin) {
        size_t ol = dns_name_len(origin);
        memcpy(ld.origin, origin, ol);
        ld.have_origin = 1;
    }
    /* The entry (4 KB of token pointers) lives in the arena while the
     * file is read, not on a guest's small stack. */
    struct entry *e = dns_arena_alloc(a, sizeof *e, 8);
    if (!e) {
        dns_errf(z->err, sizeof z->err, "%s:1: out of memory for the zone",
                 file);
        return ATOLL_ERR_NOMEM;
    }
    /* A given origin is the apex, whatever $ORIGIN says later. */
    if (origin) {
        ld.apex = dns_arena_alloc(a, dns_name_len(origin), 1);
        if (!ld.apex) {
            dns_errf(z->err, sizeof z->err,
                     "%s:1: out of memory for the zone", file);
            return ATOLL_ERR_NOMEM;
        }
        memcpy(ld.apex, origin, dns_name_len(origin));
        z->origin = ld.apex;
    }
    /* Records grow down from an 8-byte aligned top. */
    uintptr_t top = (uintptr_t)(a->base + a->hi) & ~(uintptr_t)7;
    if (top < (uintptr_t)(a->base + a->lo)) {
        dns_errf(z->err, sizeof z->err, "%s:1: out of memory for the zone",
                 file);
        return ATOLL_ERR_NOMEM;
    }
    a->hi = (size_t)(top - (uintptr_t)a->base);
    ld.rr_end = a->hi;

    while ((rc = next_entry(&lx, e, z, file)) > 0) {
        if (!e->blank_owner && !e->quoted[0] && e->tok[0][0] == '$')
            rc = directive(&ld, e);
        else
            rc = record(&ld, e);
        if (rc < 0)
            return rc;
    }
    if (rc < 0)
        return rc;
    if (ld.rr_end == a->hi) {
        dns_errf(z->err, sizeof z->err, "%s:%u: no records", file, lx.line);
        return ATOLL_ERR_FORMAT;
    }
    z->rr = (struct dns_rr *)(void *)(a->base + a->hi);
    z->n = (ld.rr_end - a->hi) / sizeof(struct dns_rr);
    sort_rrs(z->rr, z->n);
    size_t w = 0; /* drop duplicates (RFC 2181 section 5) */
    for (size_t r = 0; r < z->n; r++)
        if (w == 0 || rr_cmp(&z->rr[w - 1], &z->rr[r]) != 0)
            z->rr[w++] = z->rr[r];
    z->n = w;
    if ((rc = dns_zone_check(z, file)) < 0)
        return rc;
    if (dns_zone_index(z, a) < 0) {
        dns_errf(z->err, sizeof z->err, "%s:%u: out of memory for the zone",
                 file, lx.line);
        return ATOLL_ERR_NOMEM;
    }
    return 0;
}
