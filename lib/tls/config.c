/*
 * lib/tls configs: certificate chains and private keys from PEM, checked
 * against each other, and the choice of chain by server name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atoll/err.h"
#include "tls_internal.h"

/* A growing byte buffer for one PEM object's DER. */
struct der {
    unsigned char *p;
    size_t len, cap;
    bool oom;
};

static void der_append(void *ctx, const void *data, size_t len)
{
    struct der *d = ctx;

    if (d->oom)
        return;
    if (d->len + len > d->cap) {
        size_t cap = (d->cap + len) * 2;
        unsigned char *p = realloc(d->p, cap);

        if (p == NULL) {
            d->oom = true;
            return;
        }
        d->p = p;
        d->cap = cap;
    }
    memcpy(d->p + d->len, data, len);
    d->len += len;
}

static int fail(char *why, size_t whylen, int err, const char *msg)
{
    if (why != NULL && whylen > 0)
        snprintf(why, whylen, "%s", msg);
    return err;
}

/*
 * Call each(arg, name, der, len) for every PEM object in pem. Returns 0,
 * ATOLL_ERR_FORMAT if the text is not well-formed PEM (or holds none), or
 * the first non-zero result of each.
 */
typedef int (*pem_each_fn)(void *arg, const char *name, struct der *der);

static int pem_each(const void *pem, size_t len, pem_each_fn each, void *arg)
{
    br_pem_decoder_context pc;
    const unsigned char *p = pem;
    struct der der = {0};
    char name[128] = "";
    bool inside = false;
    int objects = 0, r = 0;

    br_pem_decoder_init(&pc);
    /* A final newline lets the decoder see the last END line. */
    while (r == 0 && len > 0) {
        size_t n = br_pem_decoder_push(&pc, p, len);

        p += n;
        len -= n;
        switch (br_pem_decoder_event(&pc)) {
        case BR_PEM_BEGIN_OBJ:
            snprintf(name, sizeof name, "%s", br_pem_decoder_name(&pc));
            der.len = 0;
            der.oom = false;
            br_pem_decoder_setdest(&pc, der_append, &der);
            inside = true;
            break;
        case BR_PEM_END_OBJ:
            inside = false;
            objects++;
            r = der.oom ? ATOLL_ERR_NOMEM : each(arg, name, &der);
            break;
        case BR_PEM_ERROR:
            r = ATOLL_ERR_FORMAT;
            break;
        default:
            break;
        }
    }
    if (r == 0 && br_pem_decoder_push(&pc, "\n", 1) == 1 &&
        br_pem_decoder_event(&pc) == BR_PEM_END_OBJ) {
        inside = false;
        objects++;
        r = der.oom ? ATOLL_ERR_NOMEM : each(arg, name, &der);
    }
    free(der.p);
    if (r == 0 && (inside || objects == 0))
        r = ATOLL_ERR_FORMAT;
    return r;
}

static int add_cert(void *arg, const char *name, struct der *der)
{
    struct tls_cert *c = arg;
    unsigned char *copy;

    if (strcmp(name, "CERTIFICATE") != 0 &&
        strcmp(name, "X509 CERTIFICATE") != 0)
        return 0; /* other objects are skipped */
    if (c->chain_len == TLS_MAX_CHAIN)
        return ATOLL_ERR_RANGE;
    copy = malloc(der->len);
    if (copy == NULL)
        return ATOLL_ERR_NOMEM;
    memcpy(copy, der->p, der->len);
    c->chain[c->chain_len].data = copy;
    c->chain[c->chain_len].data_len = der->len;
    c->chain_len++;
    return 0;
}

struct key_state {
    struct tls_cert *c;
    int found, err;
};

static int add_key(void *arg, const char *name, struct der *der)
{
    struct key_state *k = arg;

    if (strstr(name, "PRIVATE KEY") == NULL)
        return 0;
    if (k->found++)
        return ATOLL_ERR_INVAL; /* two keys: which one? */
    br_skey_decoder_init(&k->c->key);
    br_skey_decoder_push(&k->c->key, der->p, der->len);
    k->err = br_skey_decoder_last_error(&k->c->key);
    return k->err != 0 ? ATOLL_ERR_FORMAT : 0;
}

/* Whether the private key is the one of the leaf's public key. */
static int key_matches(struct tls_cert *c, char *why, size_t whylen)
{
    br_x509_decoder_context dc;
    const br_x509_pkey *pk;
    int r = 0;

    br_x509_decoder_init(&dc, NULL, NULL);
    br_x509_decoder_push(&dc, c->chain[0].data, c->chain[0].data_len);
    pk = br_x509_decoder_get_pkey(&dc); /* NULL unless it decoded */
    if (pk == NULL)
        return fail(why, whylen, ATOLL_ERR_FORMAT,
                    "the first certificate does not decode as X.509");
    c->key_type = br_skey_decoder_key_type(&c->key);
    c->issuer_key_type = br_x509_decoder_get_signer_key_type(&dc);
    if (pk->key_type != c->key_type)
        return fail(why, whylen, ATOLL_ERR_INVAL,
                    "the key is not the certificate's (other key type)");
    if (c->key_type == BR_KEYTYPE_RSA) {
        const br_rsa_private_key *sk = br_skey_decoder_get_rsa(&c->key);
        br_rsa_compute_modulus modulus = br_rsa_compute_modulus_get_default();
        const unsigned char *n = pk->key.rsa.n;
        size_t nlen = pk->key.rsa.nlen, mlen = modulus(NULL, sk);
        unsigned char *m = malloc(mlen ? mlen : 1);

        if (m == NULL)
            return ATOLL_ERR_NOMEM;
        while (nlen > 0 && *n == 0) {
            n++;
            nlen--;
        }
        if (mlen == 0 || modulus(m, sk) != mlen || mlen != nlen ||
            memcmp(m, n, nlen) != 0)
            r = fail(why, whylen, ATOLL_ERR_INVAL,
                     "the RSA key is not the certificate's (modulus differs)");
        free(m);
        return r;
    }
    if (c->key_type == BR_KEYTYPE_EC) {
        const br_ec_private_key *sk = br_skey_decoder_get_ec(&c->key);
        unsigned char q[BR_EC_KBUF_PUB_MAX_SIZE];
        br_ec_public_key pub;
        size_t qlen;

        if (sk->curve != pk->key.ec.curve)
            return fail(why, whylen, ATOLL_ERR_INVAL,
                        "the EC key is not the certificate's (other curve)");
        qlen = br_ec_compute_pub(br_ec_get_default(), &pub, q, sk);
        if (qlen == 0)
            return fail(why, whylen, ATOLL_ERR_NOTSUP,
                        "the EC key's curve is not supported");
        if (qlen != pk->key.ec.qlen || memcmp(q, pk->key.ec.q, qlen) != 0)
            return fail(why, whylen, ATOLL_ERR_INVAL,
                        "the EC key is not the certificate's (point differs)");
        return 0;
    }
    return fail(why, whylen, ATOLL_ERR_NOTSUP, "unknown key type");
}

static void cert_free(struct tls_cert *c)
{
    for (size_t i = 0; i < c->chain_len; i++)
        free(c->chain[i].data);
    free(c->names);
    free(c);
}

int atoll_tls_config_add(struct atoll_tls_config *cfg, const char *names,
                         const void *chain_pem, size_t chain_len,
                         const void *key_pem, size_t key_len, char *why,
                         size_t whylen)
{
    /* On the heap from the start: the decoded key points into c->key. */
    struct tls_cert *c = calloc(1, sizeof *c), **grown;
    struct key_state k = {.c = c};
    int r;

    if (c == NULL)
        return fail(why, whylen, ATOLL_ERR_NOMEM, "out of memory");

    r = pem_each(chain_pem, chain_len, add_cert, c);
    if (r == ATOLL_ERR_FORMAT)
        r = fail(why, whylen, r, "the certificate chain is not PEM");
    else if (r == ATOLL_ERR_RANGE)
        r = fail(why, whylen, ATOLL_ERR_INVAL,
                 "more than 8 certificates in the chain");
    else if (r == 0 && c->chain_len == 0)
        r = fail(why, whylen, ATOLL_ERR_INVAL,
                 "no CERTIFICATE in the certificate chain");
    if (r == 0) {
        r = pem_each(key_pem, key_len, add_key, &k);
        if (r == ATOLL_ERR_FORMAT)
            r = fail(why, whylen, r,
                     k.err ? "the private key does not decode"
                           : "the private key is not PEM");
        else if (r == ATOLL_ERR_INVAL)
            r = fail(why, whylen, r, "more than one private key");
        else if (r == 0 && k.found == 0)
            r = fail(why, whylen, ATOLL_ERR_INVAL, "no PRIVATE KEY in the key");
    }
    if (r == 0)
        r = key_matches(c, why, whylen);
    if (r == 0) {
        c->names = strdup(names != NULL ? names : "");
        grown = realloc(cfg->certs, (cfg->ncerts + 1) * sizeof *grown);
        if (c->names == NULL || grown == NULL)
            r = fail(why, whylen, ATOLL_ERR_NOMEM, "out of memory");
        else
            cfg->certs = grown;
    }
    if (r != 0) {
        cert_free(c);
        return r;
    }
    cfg->certs[cfg->ncerts++] = c;
    return 0;
}

size_t atoll_tls_config_count(const struct atoll_tls_config *cfg)
{
    return cfg->ncerts;
}

int atoll_tls_config_create(size_t cache_bytes, struct atoll_tls_config **out)
{
    struct atoll_tls_config *cfg = calloc(1, sizeof *cfg);

    if (cfg == NULL)
        return ATOLL_ERR_NOMEM;
    if (cache_bytes > 0) {
        cfg->lru_buf = malloc(cache_bytes);
        if (cfg->lru_buf == NULL) {
            free(cfg);
            return ATOLL_ERR_NOMEM;
        }
        br_ssl_session_cache_lru_init(&cfg->lru, cfg->lru_buf, cache_bytes);
    }
    *out = cfg;
    return 0;
}

void atoll_tls_config_destroy(struct atoll_tls_config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < cfg->ncerts; i++)
        cert_free(cfg->certs[i]);
    free(cfg->certs);
    free(cfg->lru_buf);
    free(cfg);
}

/* Whether pattern (one name of a names list, len bytes) matches sni:
 * exactly, or "*.rest" for any one label followed by ".rest". */
static bool name_matches(const char *pattern, size_t len, const char *sni)
{
    const char *dot;

    if (len > 2 && pattern[0] == '*' && pattern[1] == '.') {
        dot = strchr(sni, '.');
        return dot != NULL && dot != sni && strlen(dot + 1) == len - 2 &&
               strncasecmp(dot + 1, pattern + 2, len - 2) == 0;
    }
    return strlen(sni) == len && strncasecmp(pattern, sni, len) == 0;
}

const struct tls_cert *tls_cert_for(const struct atoll_tls_config *cfg,
                                    const char *sni)
{
    if (cfg->ncerts == 0)
        return NULL;
    for (size_t i = 0; sni != NULL && sni[0] != '\0' && i < cfg->ncerts; i++) {
        const char *p = cfg->certs[i]->names;

        while (*p != '\0') {
            size_t len = strcspn(p, ",");

            if (len > 0 && name_matches(p, len, sni))
                return cfg->certs[i];
            p += len + (p[len] == ',');
        }
    }
    return cfg->certs[0];
}
