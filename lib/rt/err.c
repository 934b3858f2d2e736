/* atoll_strerror: the words for include/atoll/err.h's codes. */
#include "atoll/err.h"

const char *atoll_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case ATOLL_ERR_NOENT: return "no such entry";
    case ATOLL_ERR_IO: return "I/O error";
    case ATOLL_ERR_AGAIN: return "try again";
    case ATOLL_ERR_NOMEM: return "out of memory";
    case ATOLL_ERR_INVAL: return "invalid argument";
    case ATOLL_ERR_NOSPC: return "no space left";
    case ATOLL_ERR_ROFS: return "read-only";
    case ATOLL_ERR_PIPE: return "broken pipe";
    case ATOLL_ERR_RANGE: return "buffer too small";
    case ATOLL_ERR_MSGSIZE: return "message too long";
    case ATOLL_ERR_NOTSUP: return "not supported";
    case ATOLL_ERR_ADDRINUSE: return "address in use";
    case ATOLL_ERR_NETUNREACH: return "network unreachable";
    case ATOLL_ERR_CONNABORTED: return "connection aborted";
    case ATOLL_ERR_CONNRESET: return "connection reset";
    case ATOLL_ERR_NOTCONN: return "not connected";
    case ATOLL_ERR_TIMEDOUT: return "timed out";
    case ATOLL_ERR_CONNREFUSED: return "connection refused";
    case ATOLL_ERR_HOSTUNREACH: return "host unreachable";
    case ATOLL_ERR_CORRUPT: return "damaged (checksum or structure mismatch)";
    case ATOLL_ERR_FORMAT: return "not the expected format or version";
    }
    return "unknown error";
}
