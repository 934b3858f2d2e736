/*
 * atoll pack: the unikernel as an OCI image in an oci-archive tarball
 * (OCI image layout: oci-layout, index.json, blobs/sha256/...), for
 * container platforms that run unikernels with urunc.
 *
 * The single layer holds
 *   unikernel/NAME.TARGET   the image
 *   unikernel/atoll-TARGET  the tender that runs it (dynamically linked
 *                           against the host's libc and libseccomp)
 *   urunc.json              urunc's annotations, values base64-encoded
 * and the manifest and the image config carry the same annotations.
 *
 * urunc's annotation names and values are those of its documentation,
 * https://github.com/urunc-dev/urunc docs/package/index.md ("Packaging
 * unikernels in OCI images for urunc": com.urunc.unikernel.unikernelType,
 * .hypervisor (qemu, firecracker, spt, hvt), .binary (path in the
 * rootfs), .cmdline; urunc.json "placed in the root directory of the
 * container's rootfs ... where the values are base64 encoded", for
 * runtimes that drop annotations). The unikernel type is "mirage":
 * urunc's Solo5 unikernel type (pkg/unikontainers/unikernels/mirage.go),
 * which attaches the net device "service" and the block device "storage"
 * and puts --ipv4=ADDR/PREFIX --ipv4-gateway=GW before the cmdline:
 * Atoll's own boot parameter names.
 *
 * Everything is written here: ustar headers (ustar.c) with a fixed owner
 * and time (the archive is the same for the same inputs), gzip with
 * stored deflate blocks (no compression: no zlib needed), SHA-256
 * digests from sha256.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atoll.h"
#include "sha256.h"
#include "ustar.h"

#define URUNC "com.urunc.unikernel."

static const char pack_help[] =
    "usage: atoll pack [-o FILE] [--tag NAME:TAG] [-q] [-- BOOT-ARGS...]\n"
    "\n"
    "Build the image if it is out of date, then write it as an OCI image\n"
    "(an oci-archive tarball) for container platforms running unikernels\n"
    "with urunc (docs/packaging.md): one layer with the image, its tender\n"
    "and urunc.json; urunc's annotations on the manifest and the config.\n"
    "  -o FILE        the archive (default: dist/NAME-TARGET.oci.tar)\n"
    "  --tag REF      the reference recorded in the archive (default:\n"
    "                 NAME:latest)\n"
    "  -q             print no build steps\n"
    "Words after -- become the unikernel's command line in the image\n"
    "(com.urunc.unikernel.cmdline), e.g. -- --port=8080.\n"
    "Load or copy it with: podman load -i FILE, skopeo copy\n"
    "oci-archive:FILE docker://REGISTRY/NAME:TAG.\n";

/* ---- a growing byte buffer -------------------------------------------- */

struct buf {
    uint8_t *p;
    size_t n, cap;
};

static void put(struct buf *b, const void *data, size_t len)
{
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;

        while (cap < b->n + len)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (b->p == NULL) {
            fprintf(stderr, "atoll pack: out of memory\n");
            exit(EXIT_FAIL);
        }
        b->cap = cap;
    }
    if (len > 0)
        memcpy(b->p + b->n, data, len);
    b->n += len;
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* s as a JSON string, quotes included. */
static void put_json(struct buf *b, const char *s)
{
    puts_(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];

        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(b, esc);
        } else {
            put(b, &c, 1);
        }
    }
    puts_(b, "\"");
}

static char *base64(const char *s)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;

        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = abc[v >> 18 & 63];
        *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* ---- ustar -------------------------------------------------------------- */

/* Fixed metadata: root-owned, time 0 (or $SOURCE_DATE_EPOCH). */
static unsigned long long tar_mtime(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");

    return e != NULL ? strtoull(e, NULL, 10) : 0;
}

/* A header (ustar.c) and the contents of one entry: a file (data) or,
 * with data NULL, a folder. Every name here fits the name field. */
static void tar_entry(struct buf *t, const char *name, unsigned mode,
                      const void *data, size_t len)
{
    unsigned char h[USTAR_BLOCK];
    static const char zero[USTAR_BLOCK];

    if (ustar_header(h, name, mode, data != NULL ? len : 0, tar_mtime(),
                     data != NULL ? '0' : '5') != NULL) {
        fprintf(stderr, "atoll pack: %s: cannot be stored in ustar\n",
                name);
        exit(EXIT_FAIL);
    }
    put(t, h, sizeof h);
    if (data != NULL) {
        put(t, data, len);
        put(t, zero, ustar_pad(len));
    }
}

static void tar_end(struct buf *t)
{
    static const char zero[1024];

    put(t, zero, sizeof zero);
}

/* ---- gzip (RFC 1952) of stored deflate blocks (RFC 1951) -------------- */

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void gzip_stored(struct buf *out, const struct buf *in)
{
    /* magic, deflate, no flags, mtime 0, no extra flags, OS unknown */
    static const uint8_t head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
    uint8_t tail[8];
    size_t off = 0;

    put(out, head, sizeof head);
    do {
        size_t n = in->n - off > 65535 ? 65535 : in->n - off;
        uint8_t b[5] = {off + n == in->n ? 1 : 0, (uint8_t)n,
                        (uint8_t)(n >> 8), (uint8_t)~n, (uint8_t)(~n >> 8)};

        put(out, b, sizeof b);
        put(out, in->p + off, n);
        off += n;
    } while (off < in->n);
    le32(tail, crc32(in->p, in->n));
    le32(tail + 4, (uint32_t)in->n);
    put(out, tail, sizeof tail);
}

/* ---- the image ---------------------------------------------------------- */

struct blob {
    struct buf data;
    char digest[65];
};

static void blob_seal(struct blob *b)
{
    sha256_hex(b->data.p, b->data.n, b->digest);
}

/* The annotations, as "key": "value" pairs of a JSON object body. */
static void put_annotations(struct buf *j, const struct strv *kv)
{
    for (size_t i = 0; i + 1 < kv->n; i += 2) {
        if (i > 0)
            puts_(j, ",");
        put_json(j, kv->v[i]);
        puts_(j, ":");
        put_json(j, kv->v[i + 1]);
    }
}

static void put_descriptor(struct buf *j, const char *type,
                           const struct blob *b)
{
    char size[32];

    puts_(j, "{\"mediaType\":");
    put_json(j, type);
    puts_(j, ",\"digest\":\"sha256:");
    puts_(j, b->digest);
    snprintf(size, sizeof size, "\",\"size\":%zu", b->data.n);
    puts_(j, size);
}

static int write_archive(const char *path, const struct buf *a)
{
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int rc = 0;

    if (f == NULL || fwrite(a->p, 1, a->n, f) != a->n || fflush(f) != 0) {
        fprintf(stderr, "atoll pack: %s: %s\n", tmp, strerror(errno));
        rc = -1;
    }
    if (f != NULL && fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "atoll pack: %s: %s\n", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        fprintf(stderr, "atoll pack: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int pack(const struct app *a, const char *out, const char *ref,
                const char *cmdline)
{
    struct strv ann = {0};
    struct blob layer = {0}, config = {0}, manifest = {0};
    struct buf tar = {0}, index = {0}, arch = {0};
    char *img = NULL, *tnd = NULL, *tender_path = NULL;
    size_t img_len = 0, tnd_len = 0;
    char diff_id[65];
    int rc = EXIT_FAIL;

    char *tname = xasprintf("atoll-%s", a->target);
    tender_path = tree_tool(&a->tree, tname);
    img = read_file(a->image, &img_len);
    if (img == NULL) {
        fprintf(stderr, "atoll pack: %s: %s\n", a->image, strerror(errno));
        goto out;
    }
    tnd = read_file(tender_path, &tnd_len);
    if (tnd == NULL) {
        fprintf(stderr, "atoll pack: the tender %s: %s\n", tender_path,
                strerror(errno));
        goto out;
    }
    char *binary = xasprintf("/unikernel/%s.%s", a->conf.name, a->target);
    strv_add(&ann, URUNC "unikernelType");
    strv_add(&ann, "mirage");
    strv_add(&ann, URUNC "hypervisor");
    strv_add(&ann, a->target);
    strv_add(&ann, URUNC "binary");
    strv_add(&ann, binary);
    strv_add(&ann, URUNC "cmdline");
    strv_add(&ann, cmdline);
    free(binary);

    /* urunc.json: the same keys, the values base64-encoded. */
    struct buf uj = {0};
    puts_(&uj, "{");
    for (size_t i = 0; i + 1 < ann.n; i += 2) {
        char *v = base64(ann.v[i + 1]);

        puts_(&uj, i > 0 ? "," : "");
        put_json(&uj, ann.v[i]);
        puts_(&uj, ":");
        put_json(&uj, v);
        free(v);
    }
    puts_(&uj, "}\n");

    char *iname = xasprintf("unikernel/%s.%s", a->conf.name, a->target);
    char *tpath = xasprintf("unikernel/%s", tname);
    tar_entry(&tar, "unikernel/", 0755, NULL, 0);
    tar_entry(&tar, iname, 0755, img, img_len);
    tar_entry(&tar, tpath, 0755, tnd, tnd_len);
    tar_entry(&tar, "urunc.json", 0644, uj.p, uj.n);
    tar_end(&tar);
    free(iname);
    free(tpath);
    free(uj.p);
    sha256_hex(tar.p, tar.n, diff_id);
    gzip_stored(&layer.data, &tar);
    blob_seal(&layer);

    struct buf *c = &config.data;
    puts_(c, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{"
             "\"Labels\":{");
    put_annotations(c, &ann);
    puts_(c, "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:");
    puts_(c, diff_id);
    puts_(c, "\"]},\"history\":[{\"created_by\":\"atoll pack\"}]}");
    blob_seal(&config);

    struct buf *m = &manifest.data;
    puts_(m, "{\"schemaVersion\":2,\"mediaType\":"
             "\"application/vnd.oci.image.manifest.v1+json\",\"config\":");
    put_descriptor(m, "application/vnd.oci.image.config.v1+json", &config);
    puts_(m, "},\"layers\":[");
    put_descriptor(m, "application/vnd.oci.image.layer.v1.tar+gzip", &layer);
    puts_(m, "}],\"annotations\":{");
    put_annotations(m, &ann);
    puts_(m, "}}");
    blob_seal(&manifest);

    puts_(&index, "{\"schemaVersion\":2,\"mediaType\":"
                  "\"application/vnd.oci.image.index.v1+json\","
                  "\"manifests\":[");
    put_descriptor(&index, "application/vnd.oci.image.manifest.v1+json",
                   &manifest);
    puts_(&index, ",\"annotations\":{\"org.opencontainers.image.ref.name\":");
    put_json(&index, ref);
    puts_(&index, "}}]}");

    static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
    tar_entry(&arch, "oci-layout", 0644, layout, strlen(layout));
    tar_entry(&arch, "index.json", 0644, index.p, index.n);
    tar_entry(&arch, "blobs/", 0755, NULL, 0);
    tar_entry(&arch, "blobs/sha256/", 0755, NULL, 0);
    const struct blob *blobs[] = {&layer, &config, &manifest};
    for (size_t i = 0; i < 3; i++) {
        char *name = xasprintf("blobs/sha256/%s", blobs[i]->digest);

        tar_entry(&arch, name, 0644, blobs[i]->data.p, blobs[i]->data.n);
        free(name);
    }
    tar_end(&arch);
    if (write_archive(out, &arch) == 0)
        rc = 0;
out:
    free(tname);
    free(tender_path);
    free(img);
    free(tnd);
    free(tar.p);
    free(index.p);
    free(arch.p);
    free(layer.data.p);
    free(config.data.p);
    free(manifest.data.p);
    strv_free(&ann);
    return rc;
}

int cmd_pack(int argc, char **argv)
{
    const char *out = NULL, *ref = NULL;
    bool quiet = false;
    struct app a;
    int i, rc;

    for (i = 1; i < argc; i++) {
        const char *o = argv[i];

        if (strcmp(o, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(pack_help, stdout);
            return 0;
        }
        if (strcmp(o, "-q") == 0) {
            quiet = true;
        } else if (strncmp(o, "--tag=", 6) == 0) {
            ref = o + 6;
        } else if (strcmp(o, "-o") == 0 || strcmp(o, "--tag") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll pack: %s needs a value\n", o);
                return EXIT_USAGE;
            }
            *(o[1] == 'o' ? &out : &ref) = argv[++i];
        } else {
            fprintf(stderr, "atoll pack: unknown option '%s'; the "
                    "unikernel's command line goes after -- (atoll pack "
                    "--help)\n", o);
            return EXIT_USAGE;
        }
    }
    if (ref != NULL && (ref[0] == '\0' || strpbrk(ref, " \t\n") != NULL)) {
        fprintf(stderr, "atoll pack: --tag '%s': a reference like "
                "NAME:TAG\n", ref);
        return EXIT_USAGE;
    }
    /* The boot words, before the build changes the current folder. */
    struct strv words = {0};
    for (; i < argc; i++)
        strv_add(&words, argv[i]);
    char *cmdline = strv_join(&words, " ");
    strv_free(&words);
    char *outp = out != NULL ? path_absolute(out) : NULL;

    if (app_load(&a) != 0) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct build_opts bo = {.jobs = build_jobs_default(),
                            .log = quiet ? NULL : stderr};
    rc = app_build(&a, &bo);
    if (rc == 0) {
        char *defref = xasprintf("%s:latest", a.conf.name);

        if (outp == NULL)
            outp = xasprintf("%s/%s/%s-%s.oci.tar", a.bdir, DIST_DIR,
                             a.conf.name, a.target);
        rc = pack(&a, outp, ref != NULL ? ref : defref, cmdline);
        if (rc == 0) {
            char *shown = path_display(outp);

            printf("atoll: packed %s (%s, urunc: mirage on %s, tag %s)\n",
                   shown, a.target, a.target, ref != NULL ? ref : defref);
            free(shown);
        }
        free(defref);
    }
    app_free(&a);
done:
    free(outp);
    free(cmdline);
    return rc;
}
