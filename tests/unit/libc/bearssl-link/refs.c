/*
 * A guest object that uses BearSSL the way Atoll's TLS layer will: a
 * client and a server engine with their full default configurations, the
 * record and application data buffers, the blocking sslio wrapper, X.509
 * and PEM decoding, random generation, and the primitives beside TLS.
 * check.sh links it with Debian's libbearssl.a against lib/libc.a to find
 * the C library functions BearSSL needs that libc lacks. It is built with
 * the guest flags and Atoll's headers (BearSSL's headers must compile
 * against them too) and is never run: the arguments are placeholders.
 */
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

void bearssl_link_main(void);

static br_ssl_client_context client;
static br_ssl_server_context server;
static br_x509_minimal_context x509;
static br_sslio_context sslio;
static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];

static int low_read(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    return (int)len;
}

static int low_write(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    return (int)len;
}

/* Move records between the engine and the network, then application
 * data between the engine and the program. */
static void pump(br_ssl_engine_context *eng)
{
    unsigned char *p;
    size_t len;

    if (br_ssl_engine_current_state(eng) == BR_SSL_CLOSED)
        return;
    if ((p = br_ssl_engine_sendrec_buf(eng, &len)) != NULL)
        br_ssl_engine_sendrec_ack(eng, (size_t)low_write(NULL, p, len));
    if ((p = br_ssl_engine_recvrec_buf(eng, &len)) != NULL)
        br_ssl_engine_recvrec_ack(eng, (size_t)low_read(NULL, p, len));
    if ((p = br_ssl_engine_sendapp_buf(eng, &len)) != NULL)
        br_ssl_engine_sendapp_ack(eng, len);
    if ((p = br_ssl_engine_recvapp_buf(eng, &len)) != NULL)
        br_ssl_engine_recvapp_ack(eng, len);
    br_ssl_engine_flush(eng, 0);
}

static void tls_client(const br_x509_trust_anchor *tas, size_t ntas)
{
    unsigned char buf[64];

    br_ssl_client_init_full(&client, &x509, tas, ntas);
    br_x509_minimal_set_time(&x509, 739000, 0);
    br_ssl_engine_set_buffer(&client.eng, iobuf, sizeof(iobuf), 1);
    br_ssl_engine_inject_entropy(&client.eng, buf, sizeof(buf));
    if (!br_ssl_client_reset(&client, "example.org", 0))
        return;
    pump(&client.eng);
    br_sslio_init(&sslio, &client.eng, low_read, NULL, low_write, NULL);
    br_sslio_write_all(&sslio, "GET / HTTP/1.0\r\n\r\n", 18);
    br_sslio_flush(&sslio);
    br_sslio_read(&sslio, buf, sizeof(buf));
    br_sslio_close(&sslio);
    br_ssl_engine_close(&client.eng);
    (void)br_ssl_engine_last_error(&client.eng);
}

static void tls_server(const br_x509_certificate *chain,
                       const br_rsa_private_key *rsa,
                       const br_ec_private_key *ec)
{
    br_ssl_server_init_full_rsa(&server, chain, 1, rsa);
    br_ssl_server_init_full_ec(&server, chain, 1, BR_KEYTYPE_EC, ec);
    br_ssl_engine_set_buffer(&server.eng, iobuf, sizeof(iobuf), 1);
    if (!br_ssl_server_reset(&server))
        return;
    pump(&server.eng);
}

/* Certificates and keys arrive as PEM and DER. */
static void decoders(const unsigned char *pem, size_t len)
{
    static br_pem_decoder_context pc;
    static br_x509_decoder_context xc;
    static br_skey_decoder_context kc;

    br_pem_decoder_init(&pc);
    while (len > 0) {
        size_t n = br_pem_decoder_push(&pc, pem, len);
        pem += n;
        len -= n;
        if (br_pem_decoder_event(&pc) == BR_PEM_ERROR)
            return;
    }
    br_x509_decoder_init(&xc, NULL, NULL);
    br_x509_decoder_push(&xc, pem, len);
    (void)br_x509_decoder_get_pkey(&xc);
    br_skey_decoder_init(&kc);
    br_skey_decoder_push(&kc, pem, len);
    br_x509_minimal_init(&x509, &br_sha256_vtable, NULL, 0);
}

static void randomness(unsigned char *out, size_t len)
{
    br_hmac_drbg_context drbg;
    br_prng_seeder seeder = br_prng_seeder_system(NULL);

    br_hmac_drbg_init(&drbg, &br_sha256_vtable, NULL, 0);
    if (seeder != 0)
        seeder(&drbg.vtable);
    br_hmac_drbg_generate(&drbg, out, len);
}

static void primitives(unsigned char *buf, size_t len)
{
    static br_sha256_context sha256;
    static br_sha1_context sha1;
    static br_sha384_context sha384;
    static br_sha512_context sha512;
    static br_md5_context md5;
    static br_multihash_context mh;
    static br_hmac_key_context hk;
    static br_hmac_context hmac;
    static br_hkdf_context hkdf;
    static br_aes_ct_ctr_keys aes;
    static br_gcm_context gcm;
    br_tls_prf_seed_chunk seed = {buf, len};
    unsigned char out[64];

    br_sha256_init(&sha256);
    br_sha256_update(&sha256, buf, len);
    br_sha256_out(&sha256, out);
    br_sha1_init(&sha1);
    br_sha384_init(&sha384);
    br_sha512_init(&sha512);
    br_md5_init(&md5);
    br_multihash_init(&mh);
    br_hmac_key_init(&hk, &br_sha256_vtable, buf, len);
    br_hmac_init(&hmac, &hk, 0);
    br_hmac_update(&hmac, buf, len);
    br_hmac_out(&hmac, out);
    br_hkdf_init(&hkdf, &br_sha256_vtable, buf, len);
    br_hkdf_inject(&hkdf, buf, len);
    br_hkdf_flip(&hkdf);
    br_hkdf_produce(&hkdf, NULL, 0, out, sizeof(out));
    br_tls12_sha256_prf(out, sizeof(out), buf, len, "master secret", 1,
                        &seed);
    br_aes_ct_ctr_init(&aes, buf, 16);
    br_gcm_init(&gcm, &aes.vtable, br_ghash_ctmul64);
    br_chacha20_ct_run(buf, buf, 0, out, sizeof(out));
    br_poly1305_ctmul_run(buf, buf, out, sizeof(out), NULL, 0, out,
                          br_chacha20_ct_run, 1);
}

static void public_key(unsigned char *buf, size_t len)
{
    const br_ec_impl *ec = br_ec_get_default();
    br_ecdsa_sign sign = br_ecdsa_sign_asn1_get_default();
    br_rsa_pkcs1_vrfy vrfy = br_rsa_pkcs1_vrfy_get_default();
    br_rsa_keygen keygen = br_rsa_keygen_get_default();
    br_rsa_private priv = br_rsa_private_get_default();
    br_rsa_public pub = br_rsa_public_get_default();
    br_ec_private_key sk;
    br_ec_public_key pk;

    br_ec_keygen(NULL, ec, &sk, buf, BR_EC_secp256r1);
    br_ec_compute_pub(ec, &pk, buf, &sk);
    (void)sign;
    (void)vrfy;
    (void)keygen;
    (void)priv;
    (void)pub;
    (void)len;
}

void bearssl_link_main(void)
{
    static unsigned char buf[256];

    tls_client(NULL, 0);
    tls_server(NULL, NULL, NULL);
    decoders(buf, sizeof(buf));
    randomness(buf, sizeof(buf));
    primitives(buf, sizeof(buf));
    public_key(buf, sizeof(buf));
}
