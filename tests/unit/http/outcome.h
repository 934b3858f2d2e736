/* The outcome of feeding bytes to lib/http's request parser, as text:
 * shared by the unit tests and the fuzz target, so that split and
 * one-shot parsing can be compared as strings. */
#ifndef ATOLL_TESTS_HTTP_OUTCOME_H
#define ATOLL_TESTS_HTTP_OUTCOME_H

#include <stddef.h>

#include <atoll/http.h>

/* Feed data[0..len) in pieces that end at the cuts (ncuts offsets in
 * increasing order, each <= len), or one byte at a time if ncuts < 0, to
 * a fresh parser with limits lim (NULL: defaults), a head buffer of
 * headcap bytes (<= 8192) and maxh header fields (<= 64). Writes into out:
 * one "HEAD ..." line per head (method, target, path, host, version,
 * form, chunked, expect, keep-alive, length, fields), "BODY n:bytes" and
 * "END" per request, then "ERR status" (with the error code) or
 * "CLOSED" or "NEED". Returns the length of out, or -1 if out overflowed
 * or the parser broke its contract (no progress, a bad event). */
long http_outcome(const unsigned char *data, size_t len, const size_t *cuts,
                  int ncuts, const struct http_limits *lim, size_t headcap,
                  unsigned maxh, char *out, size_t cap);

#endif
