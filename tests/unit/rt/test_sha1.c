/*
 * SHA-1 (lib/rt/sha1.c): the FIPS 180-4 / RFC 3174 examples, and every
 * length 0..300 (all padding cases: 55, 56, 63, 64 bytes left) in one
 * call and fed in uneven pieces, against the host's sha1sum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atoll/sha1.h"
#include "../../lib/check.h"

static void hex(const uint8_t d[20], char out[41])
{
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static const char *known(const char *msg, size_t reps, const char *want)
{
    struct atoll_sha1 c;
    uint8_t d[20];
    char h[41];

    atoll_sha1_init(&c);
    for (size_t i = 0; i < reps; i++)
        atoll_sha1_update(&c, msg, strlen(msg));
    atoll_sha1_final(&c, d);
    hex(d, h);
    return strcmp(h, want) == 0 ? NULL
                                : t_whyf("\"%.20s\" x%zu: %s, want %s", msg,
                                         reps, h, want);
}

static const char *fips_examples(void)
{
    T_CHECK(known("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"));
    T_CHECK(known("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
    T_CHECK(known("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
    T_CHECK(known("a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
    /* RFC 3174 section 7.3 TEST4: 80 bytes, ten times. */
    T_CHECK(known("0123456701234567012345670123456701234567012345670123456701"
                  "234567", 10, "dea356a2cddd90c7a7ecedc5ebb563934f460452"));
    return NULL;
}

/* Every length 0..300 of pseudo-random bytes, one file each, hashed by
 * one sha1sum run; each also through atoll_sha1 whole and in pieces of 1,
 * 2, 3, ... bytes. */
static const char *lengths_against_sha1sum(void)
{
    static uint8_t data[301];
    char dir[] = "/tmp/atoll-sha1-XXXXXX", path[64], cmd[128];
    unsigned long long st = 12345;
    const char *why = NULL;

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)t_rand_next(&st);
    if (!mkdtemp(dir))
        return "mkdtemp";
    for (size_t len = 0; len <= sizeof data; len++) {
        snprintf(path, sizeof path, "%s/%zu", dir, len);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f))
            return "writing the files";
    }
    snprintf(cmd, sizeof cmd, "cd %s && sha1sum * 2>/dev/null", dir);
    FILE *p = popen(cmd, "r");
    char want[41];
    size_t len, n = 0;
    while (!why && p && fscanf(p, "%40s %zu", want, &len) == 2) {
        char got[41], got2[41];
        uint8_t d[20];
        struct atoll_sha1 c;

        n++;
        atoll_sha1(data, len, d);
        hex(d, got);
        atoll_sha1_init(&c);
        for (size_t off = 0, piece = 1; off < len; off += piece, piece++)
            atoll_sha1_update(&c, data + off,
                              piece < len - off ? piece : len - off);
        atoll_sha1_final(&c, d);
        hex(d, got2);
        if (strcmp(got, want) || strcmp(got2, want))
            why = t_whyf("%zu bytes: %s / %s in pieces, sha1sum %s", len, got,
                         got2, want);
    }
    if (p)
        pclose(p);
    for (len = 0; len <= sizeof data; len++) {
        snprintf(path, sizeof path, "%s/%zu", dir, len);
        unlink(path);
    }
    rmdir(dir);
    if (!why && n != sizeof data + 1)
        why = t_whyf("sha1sum hashed %zu files of %zu", n, sizeof data + 1);
    return why;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(fips_examples);
    RUN(lengths_against_sha1sum);
    return t_finish();
}
