/*
 * Error sentences for the caller to print.
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"
#include "tender.h"

int tender_err(char *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, TENDER_ERR_SIZE, fmt, ap);
    va_end(ap);
    /* Messages quote file names and arguments: keep them one printable
     * line whatever those hold. */
    for (char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return -1;
}

bool tender_name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}
