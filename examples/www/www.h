/* examples/www's parts. */
#ifndef WWW_H
#define WWW_H

#include "atoll/http.h"
#include "atoll/net.h"
#include "atoll/tarkv.h"

/* The stream of a TCP connection. */
void www_tcp_stream(struct http_stream *s, struct atoll_tcp *conn);

/* The stream of a TLS connection (lib/tls). */
struct atoll_tls_conn;
void www_tls_stream(struct http_stream *s, struct atoll_tls_conn *conn);

/* The file tree of a mounted tar archive, without .tls/ (the HTTPS
 * certificates and keys). */
void www_tar_fs(struct http_fs *fs, struct atoll_tarkv *t);

#endif
