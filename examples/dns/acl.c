/* --axfr-allow=PREFIX[,PREFIX...]: the sources that may transfer zones.
 * A prefix is ADDR/BITS or ADDR (/32). Empty: nobody. */
#include <string.h>

#include "server.h"

#define ACL_MAX 32

static struct {
    atoll_ip4_t net, mask;
} acl[ACL_MAX];
static size_t nacl;

static atoll_ip4_t mask_of(unsigned bits)
{
    return bits == 0 ? 0 : 0xffffffffu << (32 - bits);
}

/* One prefix s[0..len) into acl[i]; -1 if malformed. */
static int parse_one(const char *s, size_t len, size_t i)
{
    char buf[32];
    atoll_ip4_t a;
    unsigned bits = 32;
    int r;

    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (memchr(buf, '/', len) != NULL)
        r = atoll_ip4_parse_cidr(buf, &a, &bits);
    else
        r = atoll_ip4_parse(buf, &a);
    if (r != 0)
        return -1;
    acl[i].mask = mask_of(bits);
    acl[i].net = a & acl[i].mask;
    return 0;
}

/* Parse value into acl[]; 0, or -1 when malformed or too long. */
static int parse(const char *value)
{
    const char *p = value;
    size_t n = 0;

    if (*p == '\0') {
        nacl = 0;
        return 0;
    }
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (n == ACL_MAX || parse_one(p, len, n) != 0)
            return -1;
        n++;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    nacl = n;
    return 0;
}

const char *srv_acl_check(const char *value)
{
    if (parse(value) != 0)
        return "expected ADDR[/BITS][,ADDR[/BITS]...] (at most 32)";
    return NULL;
}

int srv_acl_set(const char *value)
{
    return parse(value) == 0 ? 0 : ATOLL_ERR_INVAL;
}

bool srv_acl_allows(atoll_ip4_t addr)
{
    for (size_t i = 0; i < nacl; i++)
        if ((addr & acl[i].mask) == acl[i].net)
            return true;
    return false;
}
