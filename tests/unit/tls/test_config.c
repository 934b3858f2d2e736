/*
 * lib/tls configs on the host: PEM chains and keys accepted, every refusal
 * with its error and reason, key/certificate mismatches, and the choice of
 * chain by server name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/err.h>

#include "../../../lib/tls/tls_internal.h"
#include "../../lib/check.h"
#include "fixtures.h"

static char why[200];

/* Add chain/key (NUL-terminated) to a fresh config; the result, with the
 * config kept in *keep when keep is not NULL. */
static int add(const char *chain, const char *key, const char *names,
               struct atoll_tls_config **keep)
{
    struct atoll_tls_config *cfg;
    int r;

    why[0] = '\0';
    if (atoll_tls_config_create(4096, &cfg) != 0)
        return 1;
    r = atoll_tls_config_add(cfg, names, chain, strlen(chain), key,
                             strlen(key), why, sizeof why);
    if (keep != NULL)
        *keep = cfg;
    else
        atoll_tls_config_destroy(cfg);
    return r;
}

#define EXPECT(r, err, text)                                               \
    do {                                                                   \
        int got_ = (r);                                                    \
        if (got_ != (err) || strstr(why, (text)) == NULL)                  \
            return t_whyf("line %d: got %d '%s', want %d '%s'", __LINE__,  \
                          got_, why, (err), (text));                       \
    } while (0)

static const char *good_chains(void)
{
    char both[8192];

    EXPECT(add(ec_crt, ec_key, NULL, NULL), 0, "");
    EXPECT(add(ec_crt, ec8_key, NULL, NULL), 0, "");
    EXPECT(add(rsa_crt, rsa_key, NULL, NULL), 0, "");
    /* Two certificates in a chain, and text around the PEM blocks. */
    snprintf(both, sizeof both, "leaf:\n%sissuer:\n%s", rsa_crt, ec_crt);
    EXPECT(add(both, rsa_key, NULL, NULL), 0, "");
    return NULL;
}

static const char *two_certificates_kept(void)
{
    struct atoll_tls_config *cfg;
    char both[8192];
    const struct tls_cert *c;

    snprintf(both, sizeof both, "%s%s", rsa_crt, ec_crt);
    T_ASSERT(add(both, rsa_key, "", &cfg) == 0);
    c = tls_cert_for(cfg, NULL);
    T_ASSERT(c != NULL && c->chain_len == 2);
    T_ASSERT(c->key_type == BR_KEYTYPE_RSA);
    atoll_tls_config_destroy(cfg);
    return NULL;
}

/* The last END line without its newline still ends the object. */
static const char *no_final_newline(void)
{
    char crt[4096];

    snprintf(crt, sizeof crt, "%s", ec_crt);
    crt[strlen(crt) - 1] = '\0';
    EXPECT(add(crt, ec_key, NULL, NULL), 0, "");
    return NULL;
}

static const char *chain_refused(void)
{
    char cut[4096], bad[4096], *p;

    EXPECT(add("", ec_key, NULL, NULL), ATOLL_ERR_FORMAT, "not PEM");
    EXPECT(add("hello\n", ec_key, NULL, NULL), ATOLL_ERR_FORMAT, "not PEM");
    /* Only a key where the chain should be. */
    EXPECT(add(ec_key, ec_key, NULL, NULL), ATOLL_ERR_INVAL,
           "no CERTIFICATE");
    /* Cut before its END line. */
    snprintf(cut, sizeof cut, "%s", ec_crt);
    *strstr(cut, "-----END") = '\0';
    EXPECT(add(cut, ec_key, NULL, NULL), ATOLL_ERR_FORMAT, "not PEM");
    /* Base64 that decodes, but not to a certificate. */
    snprintf(bad, sizeof bad, "%s", ec_crt);
    p = strchr(bad, '\n') + 1;
    memcpy(p, "AAAA", 4);
    EXPECT(add(bad, ec_key, NULL, NULL), ATOLL_ERR_FORMAT, "X.509");
    return NULL;
}

static const char *key_refused(void)
{
    char two[4096], bad[4096], *p;

    EXPECT(add(ec_crt, "", NULL, NULL), ATOLL_ERR_FORMAT, "not PEM");
    EXPECT(add(ec_crt, ec_crt, NULL, NULL), ATOLL_ERR_INVAL,
           "no PRIVATE KEY");
    snprintf(two, sizeof two, "%s%s", ec_key, ec2_key);
    EXPECT(add(ec_crt, two, NULL, NULL), ATOLL_ERR_INVAL,
           "more than one private key");
    snprintf(bad, sizeof bad, "%s", ec_key);
    p = strchr(bad, '\n') + 1;
    memcpy(p, "AAAA", 4);
    EXPECT(add(ec_crt, bad, NULL, NULL), ATOLL_ERR_FORMAT, "does not decode");
    return NULL;
}

static const char *key_mismatch(void)
{
    EXPECT(add(rsa_crt, rsa2_key, NULL, NULL), ATOLL_ERR_INVAL,
           "modulus differs");
    EXPECT(add(ec_crt, ec2_key, NULL, NULL), ATOLL_ERR_INVAL,
           "point differs");
    EXPECT(add(rsa_crt, ec_key, NULL, NULL), ATOLL_ERR_INVAL,
           "other key type");
    EXPECT(add(ec_crt, rsa_key, NULL, NULL), ATOLL_ERR_INVAL,
           "other key type");
    return NULL;
}

static const char *sni_choice(void)
{
    struct atoll_tls_config *cfg;
    const struct tls_cert *first, *ec;

    T_ASSERT(add(rsa_crt, rsa_key, NULL, &cfg) == 0);
    T_ASSERT(atoll_tls_config_add(cfg, "a.test,*.ec.test", ec_crt,
                                  strlen(ec_crt), ec_key, strlen(ec_key),
                                  why, sizeof why) == 0);
    T_ASSERT(atoll_tls_config_count(cfg) == 2);
    first = tls_cert_for(cfg, NULL);
    T_ASSERT(first->key_type == BR_KEYTYPE_RSA);
    ec = tls_cert_for(cfg, "a.test");
    T_ASSERT(ec != first && ec->key_type == BR_KEYTYPE_EC);
    T_ASSERT(tls_cert_for(cfg, "A.TEST") == ec);
    T_ASSERT(tls_cert_for(cfg, "www.ec.test") == ec);
    T_ASSERT(tls_cert_for(cfg, "WWW.Ec.Test") == ec);
    T_ASSERT(tls_cert_for(cfg, "") == first);
    T_ASSERT(tls_cert_for(cfg, "b.test") == first);
    T_ASSERT(tls_cert_for(cfg, "a.test.") == first);
    T_ASSERT(tls_cert_for(cfg, "xa.test") == first);
    /* The wildcard is one label: not the name itself, nor two labels. */
    T_ASSERT(tls_cert_for(cfg, "ec.test") == first);
    T_ASSERT(tls_cert_for(cfg, "a.b.ec.test") == first);
    T_ASSERT(tls_cert_for(cfg, ".ec.test") == first);
    atoll_tls_config_destroy(cfg);
    return NULL;
}

static const char *empty_config(void)
{
    struct atoll_tls_config *cfg;

    T_ASSERT(atoll_tls_config_create(0, &cfg) == 0);
    T_ASSERT(atoll_tls_config_count(cfg) == 0);
    T_ASSERT(tls_cert_for(cfg, "x") == NULL);
    atoll_tls_config_destroy(cfg);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(good_chains);
    RUN(two_certificates_kept);
    RUN(no_final_newline);
    RUN(chain_refused);
    RUN(key_refused);
    RUN(key_mismatch);
    RUN(sni_choice);
    RUN(empty_config);
    return t_finish();
}
