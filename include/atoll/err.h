/*
 * Atoll's one error space: lib/net, lib/kv, lib/tarkv and lib/blockdev
 * return 0 (or a non-negative count) on success and one of these negative
 * codes on failure.
 *
 * Each value is minus the Linux errno of the same meaning (ATOLL_ERR_INVAL
 * is -EINVAL, -22), so a POSIX-style wrapper sets errno = -code. The two
 * codes POSIX has no name for borrow Linux's: CORRUPT is EUCLEAN (117,
 * "structure needs cleaning", what Linux file systems return for damaged
 * metadata) and FORMAT is EMEDIUMTYPE (124, "wrong medium type").
 *
 * The platform ABI (atoll/platform.h) keeps its own small positive result
 * codes, which are an ABI shared with Solo5; the libraries translate them
 * into these once, where they call the platform.
 */
#ifndef ATOLL_ERR_H
#define ATOLL_ERR_H

enum atoll_err {
    ATOLL_ERR_NOENT = -2,         /* no such key, entry or device */
    ATOLL_ERR_IO = -5,            /* the device failed the operation */
    ATOLL_ERR_AGAIN = -11,        /* not now: wait for an event and retry */
    ATOLL_ERR_NOMEM = -12,        /* out of memory, or over a set bound */
    ATOLL_ERR_INVAL = -22,        /* bad argument, or wrong kind of object */
    ATOLL_ERR_NOSPC = -28,        /* no room on the device; nothing changed */
    ATOLL_ERR_ROFS = -30,         /* writing to something opened read-only */
    ATOLL_ERR_PIPE = -32,         /* sending after shutdown */
    ATOLL_ERR_RANGE = -34,        /* the caller's buffer is too small */
    ATOLL_ERR_MSGSIZE = -90,      /* datagram larger than IPv4 allows */
    ATOLL_ERR_NOTSUP = -95,       /* not supported (flush, a tar feature...) */
    ATOLL_ERR_ADDRINUSE = -98,    /* port already bound or listened on */
    ATOLL_ERR_NETUNREACH = -101,  /* no address yet, or no route */
    ATOLL_ERR_CONNABORTED = -103, /* aborted locally (atoll_tcp_abort) */
    ATOLL_ERR_CONNRESET = -104,   /* the peer reset the connection */
    ATOLL_ERR_NOTCONN = -107,     /* not (yet, or any more) connected */
    ATOLL_ERR_TIMEDOUT = -110,    /* timeout passed / peer stopped answering */
    ATOLL_ERR_CONNREFUSED = -111, /* RST in answer to our SYN */
    ATOLL_ERR_HOSTUNREACH = -113, /* no ARP answer for the next hop */
    ATOLL_ERR_CORRUPT = -117,     /* a checksum or structure check failed */
    ATOLL_ERR_FORMAT = -124,      /* not the expected format or version
                                   * (a device that holds no kv store) */
};

/* A short English description of err: "invalid argument" for
 * ATOLL_ERR_INVAL, "success" for 0, "unknown error" for anything else. */
const char *atoll_strerror(int err);

#endif
