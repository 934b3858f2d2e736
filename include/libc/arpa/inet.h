/*
 * arpa/inet.h: Atoll libc, Internet address conversions with glibc's
 * results (see netinet/in.h: no sockets behind them).
 */
#ifndef _ATOLL_ARPA_INET_H
#define _ATOLL_ARPA_INET_H

#include <netinet/in.h>

/* 1 on success, 0 for a malformed address, -1 with EAFNOSUPPORT for
 * another family. IPv4: exactly four decimal parts without leading zeros;
 * IPv6: RFC 4291 text, with "::" and a trailing dotted IPv4 part. */
int inet_pton(int af, const char *restrict src, void *restrict dst);
/* dst, or NULL with ENOSPC (too small) or EAFNOSUPPORT. IPv6 is written
 * as glibc does: lower case, the longest run of two or more zero groups
 * as "::", IPv4-mapped and -compatible addresses in dotted form. */
const char *inet_ntop(int af, const void *restrict src, char *restrict dst,
                      socklen_t size);
/* The classic forms: 1 to 4 parts, each decimal, octal (0) or hex (0x);
 * white space may follow. 1 on success, 0 otherwise. */
int inet_aton(const char *cp, struct in_addr *inp);
/* INADDR_NONE on failure (also the value of "255.255.255.255"). */
in_addr_t inet_addr(const char *cp);
/* A static buffer, overwritten by the next call. */
char *inet_ntoa(struct in_addr in);

#endif
