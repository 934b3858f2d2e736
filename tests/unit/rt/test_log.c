/*
 * Host unit tests of leveled logging (lib/rt/log.c): the line format, level
 * filtering, and where a long message is cut. The console and the clock are
 * the fake platform's (tests/lib/fake.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/rt/rt_internal.h"
#include "../../lib/check.h"
#include "../../lib/fake.h"

/* What the console got since reset, and in how many writes. */
static const char *out;
static unsigned long out_len;
static int writes;

static void reset(void)
{
    t_capture_start();
    out = t_captured(&out_len);
    writes = 0;
}

static void take(void)
{
    out = t_captured(&out_len);
    writes = t_console_calls();
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
    t_now = 0;
    rt_log_init();
    t_now = 1500000000;
    reset();
    atoll_log(ATOLL_LOG_INFO, "hello %d", 42);
    take();
    T_ASSERT(out_len == PREFIX_LEN + 9 && writes == 1);
    T_ASSERT(memcmp(out, PREFIX "hello 42\n", out_len) == 0);
    /* A final newline is not doubled. */
    reset();
    atoll_log(ATOLL_LOG_INFO, "done\n");
    take();
    T_ASSERT(out_len == PREFIX_LEN + 5 && out[out_len - 2] == 'e');
    /* Default level info: debug is dropped, error and warn printed. */
    reset();
    atoll_log(ATOLL_LOG_DEBUG, "hidden");
    take();
    T_ASSERT(out_len == 0 && !atoll_log_enabled(ATOLL_LOG_DEBUG));
    atoll_log(ATOLL_LOG_ERROR, "e");
    take();
    atoll_log(ATOLL_LOG_WARN, "w");
    take();
    T_ASSERT(writes == 2 && strstr(out, "] error: e\n") != NULL &&
             strstr(out, "] warn: w\n") != NULL);
    atoll_log_set_level(ATOLL_LOG_DEBUG);
    reset();
    atoll_log(ATOLL_LOG_DEBUG, "shown");
    take();
    T_ASSERT(strstr(out, "] debug: shown\n") != NULL);
    atoll_log_set_level(ATOLL_LOG_INFO);
    return NULL;
}

/* A line that fits the buffer exactly is printed as it is. */
static const char *exact_fit_is_whole(void)
{
    char *m;

    t_now = 1500000000;
    /* Ends with its own newline and fills the line to the last byte. */
    m = message(LOG_LINE - PREFIX_LEN, "end\n");
    reset();
    atoll_log(ATOLL_LOG_INFO, "%s", m);
    take();
    T_ASSERT(out_len == LOG_LINE);
    T_ASSERT(memcmp(out + PREFIX_LEN, m, strlen(m)) == 0);
    T_ASSERT(strstr(out, "...") == NULL);
    /* One byte short of that, without a newline: one is added. */
    m = message(LOG_LINE - PREFIX_LEN - 1, "end");
    reset();
    atoll_log(ATOLL_LOG_INFO, "%s", m);
    take();
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

    t_now = 1500000000;
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        m = message(lens[i], "end");
        reset();
        atoll_log(ATOLL_LOG_INFO, "%s", m);
        take();
        T_ASSERT(out_len == LOG_LINE && writes == 1);
        T_ASSERT(memcmp(out + LOG_LINE - 4, "...\n", 4) == 0);
        /* Everything before the mark is the message's own start. */
        T_ASSERT(memcmp(out + PREFIX_LEN, m, LOG_LINE - 4 - PREFIX_LEN) ==
                 0);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(format_and_levels);
    RUN(exact_fit_is_whole);
    RUN(long_message_is_cut);
    return t_finish();
}
