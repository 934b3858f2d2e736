/* Helpers of lib/dns's fuzz targets. */
#include <atoll/dns.h>

#include "fuzz_dns.h"

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

int fuzz_dns_same_rdata(uint16_t type, const uint8_t *a, size_t al,
                        const uint8_t *b, size_t bl)
{
    if (al != bl)
        return 0;
    int fold = dns_type_compressible(type);
    for (size_t i = 0; i < al; i++)
        if (fold ? lower(a[i]) != lower(b[i]) : a[i] != b[i])
            return 0;
    return 1;
}
