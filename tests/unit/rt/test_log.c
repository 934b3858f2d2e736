/*
 * Host unit tests of leveled logging (lib/rt/log.c): the line format, level
 * filtering, and where a long message is cut. The console and the clock are
 * stubs that record what was written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/rt/rt_internal.h"
#include "test.h"

T_DEFINE_FAILED;

static char out[4096];
static size_t out_len;
static int writes;
static atoll_time_t now;

void atoll_console_write(const char *buf, size_t len)
{
    if (len > sizeof out - out_len)
        abort();
    memcpy(out + out_len, buf, len);
    out_len += len;
    writes++;
}

atoll_time_t atoll_clock_monotonic(void)
{
    return now;
}

static void reset(void)
{
    out_len = 0;
    writes = 0;
    memset(out, 0, sizeof out);
}

/* The prefix of a line logged at boot + 1.5 s: "[    1.500000] info: ". */
#define PREFIX "[    1.500000] info: "
#define PREFIX_LEN (sizeof PREFIX - 1)
#define LOG_LINE 511 /* log.c's buffer less the NUL */

/* A message of n bytes: 'a', 'b', ... cycling, then the tail given. */
static char *message(size_t n, const char *tail)
{
    static char m[1024];
    size_t t = strlen(tail);

    for (size_t i = 0; i < n - t; i++)
        m[i] = (char)('a' + i % 26);
    memcpy(m + n - t, tail, t);
    m[n] = '\0';
    return m;
}

static const char *format_and_levels(void)
{
    now = 0;
    rt_log_init();
    now = 1500000000;
    reset();
    atoll_log(ATOLL_LOG_INFO, "hello %d", 42);
    T_ASSERT(out_len == PREFIX_LEN + 9 && writes == 1);
    T_ASSERT(memcmp(out, PREFIX "hello 42\n", out_len) == 0);
    /* A final newline is not doubled. */
    reset();
    atoll_log(ATOLL_LOG_INFO, "done\n");
    T_ASSERT(out_len == PREFIX_LEN + 5 && out[out_len - 2] == 'e');
    /* Default level info: debug is dropped, error and warn printed. */
    reset();
    atoll_log(ATOLL_LOG_DEBUG, "hidden");
    T_ASSERT(out_len == 0 && !atoll_log_enabled(ATOLL_LOG_DEBUG));
    atoll_log(ATOLL_LOG_ERROR, "e");
    atoll_log(ATOLL_LOG_WARN, "w");
    T_ASSERT(writes == 2 && strstr(out, "] error: e\n") != NULL &&
             strstr(out, "] warn: w\n") != NULL);
    atoll_log_set_level(ATOLL_LOG_DEBUG);
    reset();
    atoll_log(ATOLL_LOG_DEBUG, "shown");
    T_ASSERT(strstr(out, "] debug: shown\n") != NULL);
    atoll_log_set_level(ATOLL_LOG_INFO);
    return NULL;
}

/* A line that fits the buffer exactly is printed as it is. */
static const char *exact_fit_is_whole(void)
{
    char *m;

    now = 1500000000;
    /* Ends with its own newline and fills the line to the last byte. */
    m = message(LOG_LINE - PREFIX_LEN, "end\n");
    reset();
    atoll_log(ATOLL_LOG_INFO, "%s", m);
    T_ASSERT(out_len == LOG_LINE);
    T_ASSERT(memcmp(out + PREFIX_LEN, m, strlen(m)) == 0);
    T_ASSERT(strstr(out, "...") == NULL);
    /* One byte short of that, without a newline: one is added. */
    m = message(LOG_LINE - PREFIX_LEN - 1, "end");
    reset();
    atoll_log(ATOLL_LOG_INFO, "%s", m);
    T_ASSERT(out_len == LOG_LINE && out[LOG_LINE - 1] == '\n');
    T_ASSERT(memcmp(out + PREFIX_LEN, m, strlen(m)) == 0);
    return NULL;
}

/* A longer message is cut, marked with "...", and still ends the line. */
static const char *long_message_is_cut(void)
{
    static const size_t lens[] = {LOG_LINE - PREFIX_LEN, /* no room for \n */
                                  LOG_LINE - PREFIX_LEN + 1, 600, 1000};
    char *m;

    now = 1500000000;
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        m = message(lens[i], "end");
        reset();
        atoll_log(ATOLL_LOG_INFO, "%s", m);
        T_ASSERT(out_len == LOG_LINE && writes == 1);
        T_ASSERT(memcmp(out + LOG_LINE - 4, "...\n", 4) == 0);
        /* Everything before the mark is the message's own start. */
        T_ASSERT(memcmp(out + PREFIX_LEN, m, LOG_LINE - 4 - PREFIX_LEN) ==
                 0);
    }
    return NULL;
}

int main(void)
{
    RUN(format_and_levels);
    RUN(exact_fit_is_whole);
    RUN(long_message_is_cut);
    return t_failed != 0;
}
