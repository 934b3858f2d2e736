/* ustar headers (ustar.h). */
#include <stdio.h>
#include <string.h>

#include "ustar.h"

static void octal(unsigned char *field, size_t width, unsigned long long v)
{
    char tmp[24];

    snprintf(tmp, sizeof tmp, "%0*llo", (int)width - 1, v);
    memcpy(field, tmp, width); /* with its NUL */
}

/* Where name splits into prefix/name: the index of the '/', or -1. The
 * longest prefix that fits leaves the most room in the name field. */
static long split_at(const char *name, size_t len)
{
    if (len <= 100)
        return 0; /* no split needed: name alone */
    for (size_t i = len - 1; i-- > 0;) {
        if (name[i] != '/')
            continue;
        if (len - i - 1 > 100)
            return -1; /* the part after every '/' to the left is longer */
        if (i <= 155 && i > 0)
            return (long)i;
    }
    return -1;
}

const char *ustar_header(unsigned char h[USTAR_BLOCK], const char *name,
                         unsigned mode, unsigned long long size,
                         unsigned long long mtime, char type)
{
    size_t len = strlen(name);
    long cut = split_at(name, len);
    unsigned sum = 0;

    if (cut < 0)
        return "name too long for ustar (at most 100 bytes after a '/' "
               "and 155 before it)";
    if (size > USTAR_SIZE_MAX)
        return "file too large for ustar (8 GiB and more)";
    if (mtime > USTAR_SIZE_MAX)
        return "modification time too large for ustar";
    memset(h, 0, USTAR_BLOCK);
    if (cut == 0) {
        memcpy(h, name, len);
    } else {
        memcpy(h + 345, name, (size_t)cut);
        memcpy(h, name + cut + 1, len - (size_t)cut - 1);
    }
    octal(h + 100, 8, mode);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    octal(h + 124, 12, size);
    octal(h + 136, 12, mtime);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memcpy(h + 265, "root", 4);
    memcpy(h + 297, "root", 4);
    memset(h + 148, ' ', 8);
    for (size_t i = 0; i < USTAR_BLOCK; i++)
        sum += h[i];
    octal(h + 148, 7, sum); /* six digits, a NUL, then the space */
    return NULL;
}

size_t ustar_pad(unsigned long long len)
{
    return (size_t)((USTAR_BLOCK - len % USTAR_BLOCK) % USTAR_BLOCK);
}
