/*
 * A TAP interface for one `atoll run --net NAME=auto` (netauto.c).
 */
#ifndef ATOLL_TOOL_NETAUTO_H
#define ATOLL_TOOL_NETAUTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netauto {
    int fd;         /* the TAP's descriptor, inherited by the tender */
    char tap[16];   /* its interface name (atoll0, atoll1, ...) */
    uint32_t net;   /* host byte order */
    uint32_t host;  /* the TAP's address */
    uint32_t guest; /* the unikernel's */
    int prefix;
};

/* A /30 (its first address, host order) that overlaps no address or
 * route of this network namespace; -1 if none is left. */
int netauto_pick(uint32_t *net);
/* Create the TAP, give it na->host and bring it up; -1 with errno set
 * (EPERM: no CAP_NET_ADMIN) and the reason in err. */
int netauto_create(struct netauto *na, bool vnet, char *err,
                   size_t errsize);
/* Dotted quad of addr (host order). */
void netauto_addr(uint32_t addr, char out[16]);

#endif
