/* The request head's lines, once complete (head.c); each returns 0 or the
 * HTTP status to answer. */
#ifndef ATOLL_HTTP_HEAD_H
#define ATOLL_HTTP_HEAD_H

#include <atoll/http.h>

/* The request line s[0..n) (in p->buf): fills p->req's line fields. */
int http_head_request_line(struct http_parser *p, const char *s, size_t n);
/* A header field line s[0..n): appended to p->hdrs. */
int http_head_field_line(struct http_parser *p, char *s, size_t n);
/* After the empty line: Host, framing, connection, expectation. */
int http_head_finish(struct http_parser *p);

#endif
