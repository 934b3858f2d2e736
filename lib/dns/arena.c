/* A caller-given block of memory: bytes from the front, the zone's record
 * array from the back (dns_zone_load grows it one record at a time). */
#include <atoll/dns.h>

void dns_arena_init(struct dns_arena *a, void *mem, size_t size)
{
    a->base = mem;
    a->size = size;
    a->lo = 0;
    a->hi = size;
}

/* n bytes aligned to align (a power of two), or NULL when full. */
void *dns_arena_alloc(struct dns_arena *a, size_t n, size_t align)
{
    /* Aligned as an address: the caller's block may start anywhere. */
    uintptr_t p = (uintptr_t)(a->base + a->lo);
    size_t at = a->lo + ((0 - p) & (align - 1));
    if (at > a->hi || n > a->hi - at)
        return NULL;
    a->lo = at + n;
    return a->base + at;
}
