/*
 * lib/tls connections: a BearSSL server engine per TCP connection, its
 * records moved with lib/net's blocking calls (from a fiber).
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/err.h"
#include "atoll/platform.h"
#include "tls_internal.h"

struct atoll_tls_conn {
    br_ssl_server_context sc;
    /* Our policy: picks the chain by SNI, then hands over to BearSSL's
     * single-chain policy for it. */
    const br_ssl_server_policy_class *policy;
    struct atoll_tls_config *cfg;
    struct atoll_tcp *tcp;
    atoll_time_t timeout;
    int net_err; /* the lib/net error that stopped the records, if any */
    bool eof;    /* the peer's FIN came (net_err is ATOLL_ERR_NOTCONN) */
    unsigned char buf[BR_SSL_BUFSIZE_BIDI];
};

/* TLS 1.2 ECDHE suites with AEADs only, the server's order of preference. */
static const uint16_t suites[] = {
    BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};

static int policy_choose(const br_ssl_server_policy_class **pctx,
                         const br_ssl_server_context *cc,
                         br_ssl_server_choices *choices)
{
    struct atoll_tls_conn *c = (struct atoll_tls_conn *)(void *)((char *)pctx -
        offsetof(struct atoll_tls_conn, policy));
    const struct tls_cert *t =
        tls_cert_for(c->cfg, br_ssl_engine_get_server_name(&cc->eng));

    if (t == NULL)
        return 0;
    if (t->key_type == BR_KEYTYPE_RSA)
        br_ssl_server_set_single_rsa(&c->sc, t->chain, t->chain_len,
            br_skey_decoder_get_rsa(&t->key), BR_KEYTYPE_SIGN,
            br_rsa_private_get_default(), br_rsa_pkcs1_sign_get_default());
    else
        br_ssl_server_set_single_ec(&c->sc, t->chain, t->chain_len,
            br_skey_decoder_get_ec(&t->key), BR_KEYTYPE_SIGN,
            (unsigned)t->issuer_key_type, br_ec_get_default(),
            br_ecdsa_sign_asn1_get_default());
    /* From here on the engine calls the single-chain policy directly. */
    return (*c->sc.policy_vtable)->choose(c->sc.policy_vtable, cc, choices);
}

static uint32_t policy_keyx(const br_ssl_server_policy_class **pctx,
                            unsigned char *data, size_t *len)
{
    (void)pctx, (void)data, (void)len;
    return 0; /* never reached: choose replaced the policy */
}

static size_t policy_sign(const br_ssl_server_policy_class **pctx,
                          unsigned algo_id, unsigned char *data,
                          size_t hv_len, size_t len)
{
    (void)pctx, (void)algo_id, (void)data, (void)hv_len, (void)len;
    return 0;
}

static const br_ssl_server_policy_class sni_policy = {
    sizeof(const br_ssl_server_policy_class *), policy_choose, policy_keyx,
    policy_sign,
};

static void engine_setup(struct atoll_tls_conn *c)
{
    br_ssl_engine_context *eng = &c->sc.eng;
    unsigned char seed[32];
    static const br_hash_class *const hashes[] = {
        &br_sha1_vtable, &br_sha224_vtable, &br_sha256_vtable,
        &br_sha384_vtable, &br_sha512_vtable,
    };

    br_ssl_server_zero(&c->sc);
    br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
    br_ssl_engine_set_suites(eng, suites, sizeof suites / sizeof suites[0]);
    /* BearSSL follows the client's order unless told otherwise. */
    br_ssl_engine_add_flags(eng, BR_OPT_ENFORCE_SERVER_PREFERENCES);
    br_ssl_engine_set_default_ec(eng);
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
        br_ssl_engine_set_hash(eng, (int)((hashes[i]->desc >>
            BR_HASHDESC_ID_OFF) & BR_HASHDESC_ID_MASK), hashes[i]);
    br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
    br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
    br_ssl_engine_set_default_aes_gcm(eng);
    br_ssl_engine_set_default_chapol(eng);
    c->policy = &sni_policy;
    br_ssl_server_set_policy(&c->sc, &c->policy);
    if (c->cfg->lru_buf != NULL)
        br_ssl_server_set_cache(&c->sc, &c->cfg->lru.vtable);
    br_ssl_engine_set_buffer(eng, c->buf, sizeof c->buf, 1);
    atoll_entropy(seed, sizeof seed);
    br_ssl_engine_inject_entropy(eng, seed, sizeof seed);
}

/*
 * Move records until the engine's state has one of the bits of want (or
 * it closed). Returns 0, a lib/net error, or ATOLL_ERR_CORRUPT when the
 * engine failed (br_ssl_engine_last_error says why).
 */
static int run_until(struct atoll_tls_conn *c, unsigned want)
{
    br_ssl_engine_context *eng = &c->sc.eng;

    if (c->net_err != 0) /* the engine may be mid-record: no retry */
        return c->net_err;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(eng);
        unsigned char *p;
        size_t len;
        long n;

        if (st & BR_SSL_CLOSED)
            return br_ssl_engine_last_error(eng) == BR_ERR_OK ||
                           (want & BR_SSL_CLOSED)
                       ? 0
                       : ATOLL_ERR_CORRUPT;
        if (st & BR_SSL_SENDREC) {
            p = br_ssl_engine_sendrec_buf(eng, &len);
            n = atoll_tcp_write(c->tcp, p, len, c->timeout);
            if (n < 0)
                return c->net_err = (int)n;
            br_ssl_engine_sendrec_ack(eng, (size_t)n);
            continue;
        }
        if (st & want)
            return 0;
        /* Application data while waiting to send: the caller reads it. */
        if (st & BR_SSL_RECVAPP)
            return 0;
        if (st & BR_SSL_RECVREC) {
            p = br_ssl_engine_recvrec_buf(eng, &len);
            n = atoll_tcp_read(c->tcp, p, len, c->timeout);
            if (n == 0) /* a FIN without close_notify */
                c->eof = true;
            if (n <= 0)
                return c->net_err = n < 0 ? (int)n : ATOLL_ERR_NOTCONN;
            br_ssl_engine_recvrec_ack(eng, (size_t)n);
            continue;
        }
        br_ssl_engine_flush(eng, 0);
    }
}

int atoll_tls_accept(struct atoll_tls_config *cfg, struct atoll_tcp *tcp,
                     atoll_time_t timeout, struct atoll_tls_conn **out,
                     int *tls_err)
{
    struct atoll_tls_conn *c;
    int r;

    if (tls_err != NULL)
        *tls_err = 0;
    if (cfg->ncerts == 0)
        return ATOLL_ERR_INVAL;
    c = malloc(sizeof *c);
    if (c == NULL)
        return ATOLL_ERR_NOMEM;
    c->cfg = cfg;
    c->tcp = tcp;
    c->timeout = timeout;
    c->net_err = 0;
    c->eof = false;
    /* The engine hands over whole records (a handshake flight is several):
     * Nagle would hold the last one for the client's delayed ACK. */
    atoll_tcp_set_nodelay(tcp, true);
    engine_setup(c);
    if (!br_ssl_server_reset(&c->sc)) {
        free(c);
        return ATOLL_ERR_CORRUPT;
    }
    r = run_until(c, BR_SSL_SENDAPP);
    if (r == 0 && (br_ssl_engine_current_state(&c->sc.eng) & BR_SSL_CLOSED))
        r = ATOLL_ERR_CORRUPT;
    if (r != 0) {
        if (tls_err != NULL)
            *tls_err = br_ssl_engine_last_error(&c->sc.eng);
        free(c);
        return r;
    }
    *out = c;
    return 0;
}

long atoll_tls_read(struct atoll_tls_conn *c, void *buf, size_t len,
                    atoll_time_t timeout)
{
    unsigned char *p;
    size_t avail;
    int r;

    c->timeout = timeout;
    r = run_until(c, BR_SSL_RECVAPP);
    if (r == ATOLL_ERR_NOTCONN && c->eof)
        return 0;
    if (r != 0)
        return r;
    if (br_ssl_engine_current_state(&c->sc.eng) & BR_SSL_CLOSED)
        return 0;
    p = br_ssl_engine_recvapp_buf(&c->sc.eng, &avail);
    if (avail > len)
        avail = len;
    memcpy(buf, p, avail);
    br_ssl_engine_recvapp_ack(&c->sc.eng, avail);
    return (long)avail;
}

long atoll_tls_write(struct atoll_tls_conn *c, const void *buf, size_t len,
                     atoll_time_t timeout)
{
    const unsigned char *src = buf;
    size_t done = 0;
    int r;

    c->timeout = timeout;
    while (done < len) {
        unsigned char *p;
        size_t room;

        r = run_until(c, BR_SSL_SENDAPP);
        if (r != 0)
            return r;
        if (!(br_ssl_engine_current_state(&c->sc.eng) & BR_SSL_SENDAPP))
            return ATOLL_ERR_PIPE; /* closed, or data to read first */
        p = br_ssl_engine_sendapp_buf(&c->sc.eng, &room);
        if (room > len - done)
            room = len - done;
        memcpy(p, src + done, room);
        br_ssl_engine_sendapp_ack(&c->sc.eng, room);
        done += room;
    }
    br_ssl_engine_flush(&c->sc.eng, 0);
    r = run_until(c, BR_SSL_SENDAPP | BR_SSL_CLOSED);
    return r != 0 ? r : (long)len;
}

void atoll_tls_more(struct atoll_tls_conn *c, bool on)
{
    atoll_tcp_set_nodelay(c->tcp, !on); /* accept turned it on */
}

/* A record adds at most 5 header, 8 explicit nonce and 16 tag bytes
 * (AES-GCM; ChaCha20-Poly1305 less) to 16 KiB of data. */
size_t atoll_tls_send_space(const struct atoll_tls_conn *c)
{
    size_t s = atoll_tcp_send_space(c->tcp);
    size_t framing = (s / 16384 + 1) * 29;

    return s > framing ? s - framing : 0;
}

void atoll_tls_close(struct atoll_tls_conn *c)
{
    br_ssl_engine_close(&c->sc.eng);
    (void)run_until(c, BR_SSL_CLOSED);
    atoll_tcp_close(c->tcp);
    free(c);
}

void atoll_tls_abort(struct atoll_tls_conn *c)
{
    atoll_tcp_abort(c->tcp);
    free(c);
}

const char *atoll_tls_server_name(const struct atoll_tls_conn *c)
{
    return br_ssl_engine_get_server_name(&c->sc.eng);
}

unsigned atoll_tls_suite(const struct atoll_tls_conn *c)
{
    br_ssl_session_parameters sp;

    br_ssl_engine_get_session_parameters(&c->sc.eng, &sp);
    return sp.cipher_suite;
}

size_t atoll_tls_conn_size(void)
{
    return sizeof(struct atoll_tls_conn);
}

const char *atoll_tls_error_name(int e)
{
    switch (e) {
    case BR_ERR_OK: return "ok";
    case BR_ERR_BAD_VERSION: return "unsupported protocol version";
    case BR_ERR_BAD_CIPHER_SUITE: return "no shared cipher suite";
    case BR_ERR_UNSUPPORTED_VERSION: return "unsupported protocol version";
    case BR_ERR_NO_CLIENT_AUTH: return "no client certificate";
    case BR_ERR_IO: return "connection failed";
    case BR_ERR_TOO_LARGE: return "record too large";
    case BR_ERR_BAD_PARAM: return "malformed message";
    default:
        if (e >= BR_ERR_RECV_FATAL_ALERT && e < BR_ERR_RECV_FATAL_ALERT + 256)
            return "client sent a fatal alert";
        if (e >= BR_ERR_SEND_FATAL_ALERT && e < BR_ERR_SEND_FATAL_ALERT + 256)
            return "handshake failed (alert sent)";
        return "TLS error";
    }
}
