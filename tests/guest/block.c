/*
 * block: a round trip through the block device "storage".
 *   block FIRST COUNT   write COUNT blocks from block FIRST in one call,
 *                       flush, read them back and compare
 * The pattern is 16-byte lines "atoll blk NNNNN\n" numbered from 0 at the
 * first byte written, which the host checks in the backing file. Also
 * checks the error cases. Prints PASS-style "ok:"/"bad:" lines; exit 0 if
 * every check held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/platform.h"

static int bad;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "bad", what);
    if (!ok)
        bad++;
}

static void fill(char *buf, size_t len)
{
    for (size_t j = 0; j * 16 < len; j++) {
        char line[17];
        snprintf(line, sizeof line, "atoll blk %05zu\n", j % 100000);
        memcpy(buf + j * 16, line, 16);
    }
}

int main(int argc, char **argv)
{
    uint64_t first = argc >= 2 ? strtoull(argv[1], NULL, 10) : 2;
    uint64_t count = argc >= 3 ? strtoull(argv[2], NULL, 10) : 4;
    struct atoll_block_info info;
    atoll_handle_t h, h2;
    enum atoll_result r;

    r = atoll_block_acquire("storage", &h, &info);
    check(r == ATOLL_OK, "acquire storage");
    if (r != ATOLL_OK)
        return 1;
    printf("capacity=%llu block_size=%llu can_flush=%d\n",
           (unsigned long long)info.capacity,
           (unsigned long long)info.block_size, (int)info.can_flush);
    check(atoll_block_acquire("storage", &h2, &info) == ATOLL_EUNSPEC,
          "second acquire is EUNSPEC");
    check(atoll_block_acquire("nosuch", &h2, &info) == ATOLL_ENOENT,
          "unknown device is ENOENT");

    uint64_t bs = info.block_size;
    size_t len = (size_t)(count * bs);
    char *out = malloc(len), *in = malloc(len);
    if (out == NULL || in == NULL || (first + count) * bs > info.capacity) {
        check(0, "room for the test");
        return 1;
    }
    fill(out, len);
    check(atoll_block_write(h, first * bs, out, len) == ATOLL_OK,
          "multi-block write");
    r = atoll_block_flush(h);
    check(info.can_flush ? r == ATOLL_OK : r == ATOLL_ENOTSUP,
          "flush result matches can_flush");
    memset(in, 0, len);
    check(atoll_block_read(h, first * bs, in, len) == ATOLL_OK,
          "multi-block read");
    check(memcmp(in, out, len) == 0, "read back what was written");

    check(atoll_block_read(h, first * bs + 1, in, bs) == ATOLL_EINVAL,
          "unaligned offset is EINVAL");
    check(atoll_block_read(h, first * bs, in, bs - 1) == ATOLL_EINVAL,
          "partial block is EINVAL");
    check(atoll_block_read(h, info.capacity, in, bs) == ATOLL_EINVAL,
          "read past the end is EINVAL");
    check(atoll_block_write(h, info.capacity - bs, out, 2 * bs) ==
              ATOLL_EINVAL,
          "write across the end is EINVAL");
    check(atoll_block_read(h + 1, 0, in, bs) == ATOLL_EINVAL,
          "unknown handle is EINVAL");
    check(atoll_block_read(h, info.capacity - bs, in, bs) == ATOLL_OK,
          "read of the last block");
    free(out);
    free(in);
    return bad == 0 ? 0 : 1;
}
