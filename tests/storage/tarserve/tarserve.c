/*
 * tarserve: lib/tarkv inside a unikernel. Mounts the archive on the block
 * device "archive" and prints, for every regular file,
 *   file CKSUM SIZE NAME
 * where CKSUM is the POSIX cksum(1) CRC of the data read through
 * atoll_tarkv_read, then "entries N". Arguments are names to look up
 * (printing "lookup NAME: SIZE" or "lookup NAME: none"). A refused
 * archive prints "mount: REASON" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/blockdev.h"
#include "atoll/tarkv.h"

const char atoll_app_name[] = "tarserve";

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++)
            c = c & 0x80000000u ? (c << 1) ^ 0x04c11db7u : c << 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_add(uint32_t crc, const uint8_t *p, size_t n)
{
    while (n-- > 0)
        crc = (crc << 8) ^ crc_table[(crc >> 24) ^ *p++];
    return crc;
}

static uint8_t buf[65536 + 1000];

int main(int argc, char **argv)
{
    static struct atoll_blockdev dev;
    struct atoll_tarkv *t;
    char why[200];

    crc_init();
    if (atoll_blockdev_platform(&dev, "archive") != 0) {
        printf("mount: no block device 'archive'\n");
        return 1;
    }
    if (atoll_tarkv_mount(&dev, &t, why, sizeof why) != 0) {
        printf("mount: %s\n", why);
        return 1;
    }
    for (size_t i = 0; i < atoll_tarkv_count(t); i++) {
        const struct atoll_tarkv_entry *e = atoll_tarkv_entry(t, i);
        uint32_t crc = 0;
        uint64_t off = 0;
        size_t piece = 700;
        if (e->type != ATOLL_TARKV_FILE)
            continue;
        while (off < e->size) {
            size_t got;
            piece = piece % 65536 + 4093; /* uneven pieces */
            if (atoll_tarkv_read(t, e, off, buf, piece, &got) != 0 ||
                got == 0) {
                printf("read %s: failed at %llu\n", e->name,
                       (unsigned long long)off);
                return 1;
            }
            crc = crc_add(crc, buf, got);
            off += got;
        }
        for (uint64_t n = e->size; n != 0; n >>= 8) {
            uint8_t b = (uint8_t)n;
            crc = crc_add(crc, &b, 1);
        }
        printf("file %lu %llu %s\n", (unsigned long)(uint32_t)~crc,
               (unsigned long long)e->size, e->name);
    }
    printf("entries %zu\n", atoll_tarkv_count(t));
    for (int i = 1; i < argc; i++) {
        const struct atoll_tarkv_entry *e =
            atoll_tarkv_lookup(t, argv[i], strlen(argv[i]));
        if (e != NULL)
            printf("lookup %s: %llu\n", argv[i], (unsigned long long)e->size);
        else
            printf("lookup %s: none\n", argv[i]);
    }
    atoll_tarkv_unmount(t);
    return 0;
}
