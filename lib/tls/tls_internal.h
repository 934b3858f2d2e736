/* lib/tls: what config.c (certificates, host-testable) and conn.c (the
 * handshake and records over lib/net) share. */
#ifndef ATOLL_TLS_INTERNAL_H
#define ATOLL_TLS_INTERNAL_H

#include <bearssl.h>
#include <stdbool.h>

#include "atoll/tls.h"

#define TLS_MAX_CHAIN 8

struct tls_cert {
    char *names;                    /* comma-separated, "" = default */
    br_x509_certificate chain[TLS_MAX_CHAIN];
    size_t chain_len;
    br_skey_decoder_context key;    /* holds the decoded private key */
    int key_type;                   /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
    int issuer_key_type;            /* the leaf's signer's key type */
};

struct atoll_tls_config {
    struct tls_cert **certs;
    size_t ncerts;
    br_ssl_session_cache_lru lru;
    unsigned char *lru_buf;
};

/* The chain for server name sni (NULL or "": the first). */
const struct tls_cert *tls_cert_for(const struct atoll_tls_config *cfg,
                                    const char *sni);

#endif
