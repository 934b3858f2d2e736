/*
 * POSIX ustar headers (POSIX.1-1988, pax's "ustar" format), shared by
 * atoll pack (OCI archives, pack.c) and atoll www pack (site archives,
 * www.c). The entry's data follows its header, padded with zeros to a
 * whole block; two zero blocks end the archive.
 */
#ifndef ATOLL_TOOL_USTAR_H
#define ATOLL_TOOL_USTAR_H

#include <stddef.h>

#define USTAR_BLOCK 512
#define USTAR_SIZE_MAX 077777777777ull /* 11 octal digits: 8 GiB - 1 */

/* Fill h with the header of a file (type '0') or a folder ('5', name
 * ending in '/'), owned by root. A name over 100 bytes is split at a '/'
 * into the prefix field (up to 155 bytes) and the name field (up to
 * 100). Returns NULL, or why the entry cannot be stored (the name does
 * not split so, the size or time is over 11 octal digits). */
const char *ustar_header(unsigned char h[USTAR_BLOCK], const char *name,
                         unsigned mode, unsigned long long size,
                         unsigned long long mtime, char type);

/* The zero bytes that follow len bytes of data up to a whole block. */
size_t ustar_pad(unsigned long long len);

#endif
