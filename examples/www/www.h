/* examples/www's parts. */
#ifndef WWW_H
#define WWW_H

#include "atoll/http.h"
#include "atoll/net.h"
#include "atoll/tarkv.h"

/* The stream of a TCP connection. */
void www_tcp_stream(struct http_stream *s, struct atoll_tcp *conn);

/* The file tree of a mounted tar archive. */
void www_tar_fs(struct http_fs *fs, struct atoll_tarkv *t);

#endif
