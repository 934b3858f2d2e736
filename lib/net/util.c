/*
 * Address text and error names.
 */
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

/* One decimal number 0-255 without leading zeros (which some parsers read
 * as octal); advances *s. */
static int parse_octet(const char **s, uint32_t *v)
{
    const char *p = *s;
    uint32_t n = 0;
    int digits = 0;

    while (*p >= '0' && *p <= '9' && digits < 4) {
        n = n * 10 + (uint32_t)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 3 || n > 255 || (digits > 1 && **s == '0'))
        return -1;
    *s = p;
    *v = n;
    return 0;
}

static int parse_quad(const char **s, atoll_ip4_t *addr)
{
    uint32_t a = 0, v;

    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            if (**s != '.')
                return -1;
            (*s)++;
        }
        if (parse_octet(s, &v) != 0)
            return -1;
        a = a << 8 | v;
    }
    *addr = a;
    return 0;
}

int atoll_ip4_parse(const char *s, atoll_ip4_t *addr)
{
    atoll_ip4_t a;

    if (s == NULL || parse_quad(&s, &a) != 0 || *s != '\0')
        return ATOLL_ERR_INVAL;
    *addr = a;
    return 0;
}

int atoll_ip4_parse_cidr(const char *s, atoll_ip4_t *addr, unsigned *prefix)
{
    atoll_ip4_t a;
    uint32_t p;

    if (s == NULL || parse_quad(&s, &a) != 0 || *s++ != '/' ||
        parse_octet(&s, &p) != 0 || *s != '\0' || p > 32)
        return ATOLL_ERR_INVAL;
    *addr = a;
    *prefix = p;
    return 0;
}

char *atoll_ip4_format(atoll_ip4_t a, char *buf)
{
    snprintf(buf, ATOLL_IP4_STRLEN, "%u.%u.%u.%u", (unsigned)(a >> 24),
             (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 8 & 0xff),
             (unsigned)(a & 0xff));
    return buf;
}

