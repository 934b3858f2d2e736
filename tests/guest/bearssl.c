/*
 * Debian's libbearssl.a, unmodified, running in a guest: known-answer
 * tests of the BearSSL implementations whose code in that build uses SSE
 * registers (objdump -d shows %xmm in sha2small.o, chacha20_sse2.o,
 * aes_ct64*.o, aes_x86ni*.o, ghash_pclmul.o, ghash_ctmul64.o,
 * poly1305_ctmul.o). Prints "bearssl: ok WHAT" or "bearssl: FAIL WHAT"
 * per check, "bearssl: no WHAT" for an implementation the CPU cannot run,
 * and exits 0 only if all passed ("bearssl: all N checks ok").
 *
 * Vectors: SHA-256 from FIPS 180-2, ChaCha20 from RFC 8439 2.4.2, AES-128
 * CTR from NIST SP 800-38A F.5.1. GHASH and Poly1305 are checked against
 * BearSSL's portable implementations.
 */
#include <bearssl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int checks, failures;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("bearssl: %s %s\n", ok ? "ok" : "FAIL", what);
}

static size_t unhex(unsigned char *out, size_t cap, const char *hex)
{
    size_t n = 0;
    for (; hex[0] != '\0' && hex[1] != '\0' && n < cap; hex += 2) {
        unsigned v = 0;
        for (int i = 0; i < 2; i++) {
            char c = hex[i];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        out[n++] = (unsigned char)v;
    }
    return n;
}

static int equal_hex(const void *got, size_t len, const char *hex)
{
    unsigned char want[256];
    size_t n = unhex(want, sizeof want, hex);
    return n == len && memcmp(got, want, len) == 0;
}

static void sha256(void)
{
    static const struct {
        const char *in, *digest;
    } v[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223"
                "b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        br_sha256_context ctx;
        unsigned char out[32];
        br_sha256_init(&ctx);
        br_sha256_update(&ctx, v[i].in, strlen(v[i].in));
        br_sha256_out(&ctx, out);
        ok &= equal_hex(out, sizeof out, v[i].digest);
    }
    check(ok, "br_sha256 (FIPS 180-2 vectors)");
}

static const char chacha_key[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char chacha_nonce[] = "000000000000004a00000000";
static const char chacha_plain[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only "
    "one tip for the future, sunscreen would be it.";
static const char chacha_cipher[] =
    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
    "5af90bbf74a35be6b40b8eedf2785e42874d";

static void chacha20(void)
{
    unsigned char key[32], nonce[12], buf[128];
    size_t n = strlen(chacha_plain);
    br_chacha20_run run = br_chacha20_sse2_get();

    unhex(key, sizeof key, chacha_key);
    unhex(nonce, sizeof nonce, chacha_nonce);
    if (run == 0) {
        printf("bearssl: no SSE2 ChaCha20 (CPUID)\n");
        run = br_chacha20_ct_run;
    }
    memcpy(buf, chacha_plain, n);
    run(key, nonce, 1, buf, n);
    check(equal_hex(buf, n, chacha_cipher),
          "br_chacha20_sse2_run (RFC 8439 2.4.2)");
}

static const char aes_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char aes_iv[] = "f0f1f2f3f4f5f6f7f8f9fafb"; /* counter fcfdfeff */
static const char aes_plain[] =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const char aes_cipher[] =
    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee";

static int aes_ctr_kat(const br_block_ctr_class *vt)
{
    union {
        br_aes_ct64_ctr_keys ct64;
        br_aes_x86ni_ctr_keys x86ni;
    } ctx;
    unsigned char key[16], iv[12], buf[64];

    unhex(key, sizeof key, aes_key);
    unhex(iv, sizeof iv, aes_iv);
    unhex(buf, sizeof buf, aes_plain);
    vt->init(&ctx.ct64.vtable, key, sizeof key);
    vt->run(&ctx.ct64.vtable, iv, 0xfcfdfeff, buf, sizeof buf);
    return equal_hex(buf, sizeof buf, aes_cipher);
}

static void aes(void)
{
    const br_block_ctr_class *ni = br_aes_x86ni_ctr_get_vtable();

    check(aes_ctr_kat(&br_aes_ct64_ctr_vtable),
          "br_aes_ct64_ctr (SP 800-38A F.5.1)");
    if (ni != NULL)
        check(aes_ctr_kat(ni), "br_aes_x86ni_ctr (SP 800-38A F.5.1)");
    else
        printf("bearssl: no AES-NI (CPUID)\n");
}

static unsigned char data[1000];

static void ghash(void)
{
    br_ghash pclmul = br_ghash_pclmul_get();
    unsigned char h[16], y1[16], y2[16], y3[16];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    memcpy(h, data + 100, sizeof h);
    memset(y1, 0, sizeof y1);
    memset(y3, 0, sizeof y3);
    br_ghash_ctmul(y1, h, data, sizeof data);
    br_ghash_ctmul64(y3, h, data, sizeof data);
    check(memcmp(y1, y3, sizeof y1) == 0, "br_ghash_ctmul64 = br_ghash_ctmul");
    if (pclmul == 0) {
        printf("bearssl: no PCLMULQDQ (CPUID)\n");
        return;
    }
    memset(y2, 0, sizeof y2);
    pclmul(y2, h, data, sizeof data);
    check(memcmp(y1, y2, sizeof y1) == 0, "br_ghash_pclmul = br_ghash_ctmul");
}

static void poly1305(void)
{
    unsigned char key[32], iv[12], buf1[300], buf2[300], tag1[16], tag2[16];

    unhex(key, sizeof key, chacha_key);
    unhex(iv, sizeof iv, chacha_nonce);
    memcpy(buf1, data, sizeof buf1);
    memcpy(buf2, data, sizeof buf2);
    br_poly1305_ctmul_run(key, iv, buf1, sizeof buf1, data + 500, 13, tag1,
                          br_chacha20_ct_run, 1);
    br_poly1305_i15_run(key, iv, buf2, sizeof buf2, data + 500, 13, tag2,
                        br_chacha20_ct_run, 1);
    check(memcmp(buf1, buf2, sizeof buf1) == 0 &&
              memcmp(tag1, tag2, sizeof tag1) == 0,
          "br_poly1305_ctmul_run = br_poly1305_i15_run");
}

int main(void)
{
    sha256();
    chacha20();
    aes();
    ghash();
    poly1305();
    if (failures == 0)
        printf("bearssl: all %d checks ok\n", checks);
    return failures == 0 ? 0 : 1;
}
