/*
 * lib/tls: TLS 1.2 servers over lib/net TCP connections, through BearSSL
 * (Debian's libbearssl.a, linked into lib/tls.a at build time).
 *
 * A config holds one or more certificate chains with their private keys
 * (RSA or EC, from PEM) and a session cache shared by its connections.
 * Offered: TLS 1.2 only; ECDHE (x25519, P-256, and P-384/P-521 as BearSSL
 * offers them) with ECDSA or RSA signatures; AES-128/256-GCM and
 * ChaCha20-Poly1305. Resumption is by session ID from BearSSL's LRU cache:
 * BearSSL has no session tickets.
 *
 * Connections are driven with blocking calls from fibers (lib/fiber), as
 * atoll_tcp_read/atoll_tcp_write. Each connection holds BR_SSL_BUFSIZE_BIDI
 * (33178) bytes of record buffers plus BearSSL's context (atoll_tls_conn_size).
 */
#ifndef ATOLL_TLS_H
#define ATOLL_TLS_H

#include <stddef.h>

#include "atoll/net.h"

struct atoll_tls_config;
struct atoll_tls_conn;

/* A config with a session cache of cache_bytes (0: no resumption; about
 * 100 bytes per session). */
int atoll_tls_config_create(size_t cache_bytes, struct atoll_tls_config **out);
void atoll_tls_config_destroy(struct atoll_tls_config *cfg);

/*
 * Add a certificate chain (PEM CERTIFICATE blocks, leaf first) and its
 * private key (PEM RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY).
 * names: comma-separated server names (SNI) this chain answers, "*.x.y"
 * for one label of wildcard; NULL or "" for the default. The first chain
 * added is also the fallback. The PEM text is not kept.
 * Errors: ATOLL_ERR_FORMAT (not PEM, bad DER), ATOLL_ERR_INVAL (no
 * certificate, no key, or a key that is not the leaf's), ATOLL_ERR_NOTSUP
 * (a key type BearSSL cannot use), ATOLL_ERR_NOMEM; a one-line reason goes
 * into why (when not NULL).
 */
int atoll_tls_config_add(struct atoll_tls_config *cfg, const char *names,
                         const void *chain_pem, size_t chain_len,
                         const void *key_pem, size_t key_len, char *why,
                         size_t whylen);

/*
 * Add the chains that specs names, from the tar archive t: specs is
 * NAME[:SNI,...] items joined by '+'; each reads DIR NAME.crt and
 * DIR NAME.key (dir: a prefix such as ".tls/", or ""), the SNI names as
 * for atoll_tls_config_add. Stops at the first error (ATOLL_ERR_NOENT for
 * a missing file), with "NAME: reason" in why.
 */
struct atoll_tarkv;
int atoll_tls_config_add_tar(struct atoll_tls_config *cfg,
                             struct atoll_tarkv *t, const char *dir,
                             const char *specs, char *why, size_t whylen);

/* Chains added so far. */
size_t atoll_tls_config_count(const struct atoll_tls_config *cfg);

/*
 * Run the server handshake on tcp (each network wait bounded by timeout);
 * tcp gets TCP_NODELAY, as records leave whole.
 * On success *out owns tcp; on failure tcp is still the caller's and the
 * result is a network error or ATOLL_ERR_CORRUPT (a TLS failure:
 * tls_err gets BearSSL's error code).
 */
int atoll_tls_accept(struct atoll_tls_config *cfg, struct atoll_tcp *tcp,
                     atoll_time_t timeout, struct atoll_tls_conn **out,
                     int *tls_err);

/* As atoll_tcp_read, waiting at most timeout: a count, 0 at the peer's
 * close_notify or FIN, or an error. */
long atoll_tls_read(struct atoll_tls_conn *c, void *buf, size_t len,
                    atoll_time_t timeout);

/* Send all len bytes (the records leave at once), each network wait
 * bounded by timeout; len or an error. */
long atoll_tls_write(struct atoll_tls_conn *c, const void *buf, size_t len,
                     atoll_time_t timeout);

/* on: more writes follow at once, so a record's short last TCP segment
 * may wait for the next record (Nagle); off (the default): all goes now. */
void atoll_tls_more(struct atoll_tls_conn *c, bool on);

/* How many application bytes atoll_tls_write takes now without waiting:
 * the TCP connection's send space less the records' framing. */
size_t atoll_tls_send_space(const struct atoll_tls_conn *c);

/* Send close_notify (waiting at most the last timeout), close the TCP
 * connection and free c. */
void atoll_tls_close(struct atoll_tls_conn *c);

/* Reset the TCP connection and free c, sending nothing more. */
void atoll_tls_abort(struct atoll_tls_conn *c);

/* The server name the client asked for ("" if none), the cipher suite
 * number. */
const char *atoll_tls_server_name(const struct atoll_tls_conn *c);
unsigned atoll_tls_suite(const struct atoll_tls_conn *c);

/* Short text for a BearSSL error code (tls_err of atoll_tls_accept). */
const char *atoll_tls_error_name(int tls_err);

/* Bytes a connection takes (context and buffers). */
size_t atoll_tls_conn_size(void);

#endif
