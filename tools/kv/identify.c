/*
 * Naming what a file holds when lib/kv finds no store in it, from its
 * size and first bytes: the common things a user passes by mistake (an
 * unformatted image, a unikernel, an archive, a file system, text) and a
 * kv store of another format version. Only a hint: the store's own checks
 * decide; this reads at most HEAD_SIZE bytes and never writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identify.h"

#define HEAD_SIZE (64u * 1024)
#define KV_MAGIC_PREFIX "ATOLLKV" /* "ATOLLKV1" is version 1's magic */
#define KV_THIS_VERSION 1

/* A signature: magic bytes at an offset. */
struct sig {
    size_t off;
    const char *magic;
    size_t len;
    const char *what;
};

static const struct sig sigs[] = {
    {0, "\177ELF", 4, "an ELF file (a unikernel or a program, not a disk "
                      "image)"},
    {257, "ustar", 5, "a tar archive (the tarkv library reads those)"},
    {0, "\037\213", 2, "a gzip-compressed file"},
    {0, "QFI\373", 4, "a QEMU qcow2 disk image (the tenders take raw "
                      "images)"},
    {0, "hsqs", 4, "a squashfs file system"},
    {1080, "\123\357", 2, "an ext2/ext3/ext4 file system"},
    {32769, "CD001", 5, "an ISO 9660 (CD) image"},
    {82, "FAT32   ", 8, "a FAT32 file system"},
    {54, "FAT", 3, "a FAT file system"},
    {0, "PK\003\004", 4, "a zip archive"},
};

static bool all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

static bool all_text(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t')
            return false;
    return n > 0;
}

/* Read up to size bytes from the start of fd; the count read, -1. */
static ssize_t read_head(int fd, uint8_t *b, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = pread(fd, b + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

bool kv_identify(const char *path, char *what, size_t size)
{
    static uint8_t b[HEAD_SIZE];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    ssize_t n = -1;

    if (fd >= 0 && fstat(fd, &st) == 0)
        n = read_head(fd, b, sizeof b);
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        snprintf(what, size, "something this program cannot read");
        return false;
    }
    if (n == 0) {
        snprintf(what, size, "an empty file (0 bytes)");
        return false;
    }
    if (memcmp(b, KV_MAGIC_PREFIX, strlen(KV_MAGIC_PREFIX)) == 0 &&
        n >= 12) {
        uint32_t v = (uint32_t)b[8] | (uint32_t)b[9] << 8 |
                     (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
        if (v != KV_THIS_VERSION) {
            snprintf(what, size, "an Atoll kv store of format version %u "
                     "(this atoll-kv reads version %u)", v, KV_THIS_VERSION);
            return true;
        }
    }
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        const struct sig *s = &sigs[i];
        if ((size_t)n >= s->off + s->len &&
            memcmp(b + s->off, s->magic, s->len) == 0) {
            snprintf(what, size, "%s", s->what);
            return false;
        }
    }
    if (S_ISREG(st.st_mode) && st.st_size < 512)
        snprintf(what, size, "%lld bytes, less than one 512-byte block",
                 (long long)st.st_size);
    else if (all_zero(b, (size_t)n))
        snprintf(what, size, (size_t)n < sizeof b
                                 ? "only zero bytes (never formatted)"
                                 : "only zero bytes in its first 64 KiB "
                                   "(never formatted)");
    else if (all_text(b, (size_t)n < 4096 ? (size_t)n : 4096))
        snprintf(what, size, "text");
    else
        snprintf(what, size, "data of no kind this program knows");
    return false;
}
