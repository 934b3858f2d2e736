/* Messages: a small formatter with no libc printf, so the guest build
 * needs none, and names in presentation form. */
#include "dns_internal.h"
#include <stdarg.h>

struct out {
    char *p;
    size_t cap, n;
};

static void putc_(struct out *o, char c)
{
    if (o->n + 1 < o->cap)
        o->p[o->n++] = c;
}

static void puts_(struct out *o, const char *s)
{
    while (*s)
        putc_(o, *s++);
}

static void putu(struct out *o, unsigned v)
{
    char d[12];
    int k = 0;
    do
        d[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (k)
        putc_(o, d[--k]);
}

static void putname(struct out *o, const uint8_t *n)
{
    if (*n == 0) {
        putc_(o, '.');
        return;
    }
    for (; *n; n += 1u + *n) {
        for (unsigned i = 1; i <= *n; i++) {
            uint8_t c = n[i];
            if (c <= ' ' || c >= 127) {
                putc_(o, '\\');
                putc_(o, (char)('0' + c / 100));
                putc_(o, (char)('0' + c / 10 % 10));
                putc_(o, (char)('0' + c % 10));
                continue;
            }
            if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' ||
                c == ')' || c == '@' || c == '$')
                putc_(o, '\\');
            putc_(o, (char)c);
        }
        putc_(o, '.');
    }
}

void dns_name_to_text(const uint8_t *n, char *out, size_t cap)
{
    struct out o = {out, cap, 0};
    if (cap == 0)
        return;
    putname(&o, n);
    out[o.n] = 0;
}

void dns_errf(char *out, size_t cap, const char *fmt, ...)
{
    struct out o = {out, cap, 0};
    va_list ap;
    if (cap == 0)
        return;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%' || !fmt[1]) {
            putc_(&o, *fmt);
            continue;
        }
        switch (*++fmt) {
        case 's':
            puts_(&o, va_arg(ap, const char *));
            break;
        case 'u':
            putu(&o, va_arg(ap, unsigned));
            break;
        case 'n':
            putname(&o, va_arg(ap, const uint8_t *));
            break;
        default:
            putc_(&o, *fmt);
        }
    }
    va_end(ap);
    out[o.n] = 0;
}
