/*
 * The request head once its lines are complete: the request line
 * (RFC 9112 §3), a header field line (§5), and the framing and connection
 * rules of the whole head (RFC 9112 §6, §9.3; RFC 9110 §7.2, §8.6, §10.1.1).
 * Each returns 0 or the HTTP status to answer.
 */
#include <atoll/http.h>

#include "head.h"
#include "http_internal.h"

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Whether s[0..n) is exactly lit (methods and "HTTP" are case-sensitive). */
static int same(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n; i++) {
        if (lit[i] == 0 || s[i] != lit[i])
            return 0;
    }
    return lit[i] == 0;
}

/* scheme ":" of an absolute-URI (RFC 3986 §3.1): the length of the scheme,
 * or 0. */
static size_t scheme_len(const char *t, size_t n)
{
    size_t i = 0;
    if (n == 0 || !((t[0] | 32) >= 'a' && (t[0] | 32) <= 'z'))
        return 0;
    for (i = 1; i < n && t[i] != ':'; i++) {
        uint8_t c = (uint8_t)t[i];
        if (!(((c | 32) >= 'a' && (c | 32) <= 'z') || is_digit(c) ||
              c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return i < n ? i : 0;
}

/* The path of an absolute-form target: after "//authority", or after the
 * scheme's ':' when there is no authority. */
static void absolute_path(struct http_request *r, size_t slen)
{
    const char *t = r->target;
    size_t i = slen + 1;
    if (i + 1 < r->target_len && t[i] == '/' && t[i + 1] == '/') {
        i += 2;
        while (i < r->target_len && t[i] != '/' && t[i] != '?')
            i++;
    }
    r->path = t + i;
    r->path_len = (uint32_t)(r->target_len - i);
}

int http_head_request_line(struct http_parser *p, const char *s, size_t n)
{
    struct http_request *r = &p->req;
    size_t sp1 = 0, sp2 = 0, i;
    for (i = 0; i < n && s[i] != ' '; i++)
        ;
    sp1 = i;
    for (i = sp1 + 1; i < n && s[i] != ' '; i++)
        ;
    sp2 = i;
    if (sp1 == 0 || sp1 >= n || sp2 >= n || sp2 == sp1 + 1)
        return 400;
    const char *v = s + sp2 + 1;
    if (n - sp2 - 1 != 8 || !same(v, 5, "HTTP/") || !is_digit((uint8_t)v[5]) ||
        v[6] != '.' || !is_digit((uint8_t)v[7]))
        return 400;
    if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
        return 505;
    r->minor = (uint8_t)(v[7] - '0');
    r->method = s;
    r->method_len = (uint32_t)sp1;
    r->target = s + sp1 + 1;
    r->target_len = (uint32_t)(sp2 - sp1 - 1);
    r->path = r->target;
    r->path_len = r->target_len;
    if (same(s, sp1, "CONNECT"))
        return 501; /* authority-form: no tunnels here */
    if (r->target[0] == '/') {
        r->form = HTTP_TARGET_ORIGIN;
    } else if (r->target_len == 1 && r->target[0] == '*') {
        if (!same(s, sp1, "OPTIONS"))
            return 400;
        r->form = HTTP_TARGET_ASTERISK;
    } else {
        size_t sl = scheme_len(r->target, r->target_len);
        if (sl == 0)
            return 400;
        r->form = HTTP_TARGET_ABSOLUTE;
        absolute_path(r, sl);
    }
    return 0;
}

static int field_vchar(uint8_t c)
{
    return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f);
}

int http_head_field_line(struct http_parser *p, char *s, size_t n)
{
    size_t colon = 0;
    while (colon < n && s[colon] != ':') {
        if (!http_is_tchar((uint8_t)s[colon]))
            return 400; /* also whitespace before the colon (§5.1) */
        colon++;
    }
    if (colon == 0 || colon == n)
        return 400;
    size_t a = colon + 1, b = n;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    for (size_t i = a; i < b; i++) {
        if (!field_vchar((uint8_t)s[i]))
            return 400; /* NUL, bare CR, other controls */
    }
    if (p->nh >= p->max_headers)
        return 431;
    struct http_header *h = &p->hdrs[p->nh++];
    h->name = s;
    h->name_len = (uint32_t)colon;
    h->value = s + a;
    h->value_len = (uint32_t)(b - a);
    return 0;
}

/* Calls fn(ctx, element, len) for each non-empty element of a
 * comma-separated list (RFC 9110 §5.6.1), OWS trimmed; stops at the first
 * non-zero return. */
static int each_element(const char *v, size_t n,
                        int (*fn)(void *, const char *, size_t), void *ctx)
{
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && v[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && (v[a] == ' ' || v[a] == '\t'))
            a++;
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
            b--;
        if (b > a) {
            int rc = fn(ctx, v + a, b - a);
            if (rc)
                return rc;
        }
        i = j + 1;
    }
    return 0;
}

struct framing {
    uint64_t length;
    int lengths;     /* Content-Length values seen */
    int chunked;     /* "chunked" codings seen */
    int other_te;    /* codings other than chunked */
    int te_elements; /* all codings */
    int close, keep_alive, expect_continue, expect_other;
};

static int cl_element(void *ctx, const char *e, size_t n)
{
    struct framing *f = ctx;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((uint8_t)e[i]))
            return 400;
        unsigned d = (unsigned)(e[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 400; /* overflow */
        v = v * 10 + d;
    }
    if (f->lengths && v != f->length)
        return 400; /* differing values (RFC 9110 §8.6) */
    f->length = v;
    f->lengths++;
    return 0;
}

static int te_element(void *ctx, const char *e, size_t n)
{
    struct framing *f = ctx;
    f->te_elements++;
    if (http_eq_nocase(e, n, "chunked"))
        f->chunked++;
    else
        f->other_te++;
    return 0;
}

static int conn_element(void *ctx, const char *e, size_t n)
{
    struct framing *f = ctx;
    if (http_eq_nocase(e, n, "close"))
        f->close = 1;
    else if (http_eq_nocase(e, n, "keep-alive"))
        f->keep_alive = 1;
    return 0;
}

static int expect_element(void *ctx, const char *e, size_t n)
{
    struct framing *f = ctx;
    if (http_eq_nocase(e, n, "100-continue"))
        f->expect_continue = 1;
    else
        f->expect_other = 1;
    return 0;
}

int http_head_finish(struct http_parser *p)
{
    struct http_request *r = &p->req;
    struct framing f = {0};
    int hosts = 0, te = 0, rc = 0;
    r->host = 0;
    r->host_len = 0;
    for (uint16_t i = 0; i < p->nh && rc == 0; i++) {
        const struct http_header *h = &p->hdrs[i];
        if (http_eq_nocase(h->name, h->name_len, "host")) {
            hosts++;
            r->host = h->value;
            r->host_len = h->value_len;
        } else if (http_eq_nocase(h->name, h->name_len, "content-length")) {
            rc = each_element(h->value, h->value_len, cl_element, &f);
            if (rc == 0 && f.lengths == 0)
                return 400; /* empty, or only commas */
        } else if (http_eq_nocase(h->name, h->name_len,
                                  "transfer-encoding")) {
            te = 1;
            rc = each_element(h->value, h->value_len, te_element, &f);
        } else if (http_eq_nocase(h->name, h->name_len, "connection")) {
            rc = each_element(h->value, h->value_len, conn_element, &f);
        } else if (http_eq_nocase(h->name, h->name_len, "expect")) {
            rc = each_element(h->value, h->value_len, expect_element, &f);
        }
    }
    if (rc)
        return rc;
    if (hosts > 1 || (r->minor == 1 && hosts == 0))
        return 400; /* RFC 9112 §3.2 */
    if (te && (f.lengths || r->minor == 0))
        return 400; /* request smuggling (RFC 9112 §6.1, §6.3) */
    if (f.other_te)
        return 501;
    if (te && f.chunked != 1)
        return 400; /* chunked twice, or an empty coding list */
    if (f.lengths && f.length > p->lim.max_body)
        return 413;
    if (r->minor == 0)
        f.expect_continue = f.expect_other = 0; /* RFC 9110 §10.1.1 */
    if (f.expect_other)
        return 417;
    r->chunked = (uint8_t)(te != 0);
    r->has_length = (uint8_t)(f.lengths != 0);
    r->content_length = f.lengths ? f.length : 0;
    r->expect_continue = (uint8_t)f.expect_continue;
    r->keep_alive = (uint8_t)(r->minor == 1 ? !f.close
                                            : (f.keep_alive && !f.close));
    r->headers = p->hdrs;
    r->nheaders = p->nh;
    return 0;
}
