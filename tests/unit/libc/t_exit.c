/*
 * Ways out: exit with its atexit handlers and stdio flush, _Exit, abort,
 * assert, and the _FORTIFY_SOURCE checks (chk.c). The harness catches the
 * platform's atoll_exit and atoll_abort and records the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

static char order[64];

static void note(char c)
{
    size_t n = strlen(order);

    if (n + 1 < sizeof(order)) {
        order[n] = c;
        order[n + 1] = '\0';
    }
}

static void h1(void) { note('1'); }
static void h2(void) { note('2'); }
static void h3(void) { note('3'); }
static void h_late(void) { note('L'); }
static void h_registers(void)
{
    note('R');
    atexit(h_late);
}

static void run_exit(void *arg)
{
    printf("pending, no newline");
    exit(*(int *)arg);
}

static void exit_handlers(void)
{
    int status = -1, code = 3, how;
    const char *out;

    t_case("exit/atexit-order-and-flush");
    order[0] = '\0';
    t_int(atexit(h1), 0, "atexit 1");
    t_int(atexit(h2), 0, "atexit 2");
    t_int(atexit(h3), 0, "atexit 3");
    t_capture_start();
    how = t_catch(run_exit, &code, &status);
    t_capture_stop();
    t_int(how, 1, "exit reaches atoll_exit");
    t_int(status, 3, "exit status");
    t_str(order, "321", "handlers run last registered first");
    out = t_captured(NULL);
    t_str(out, "pending, no newline", "exit flushes stdout");

    t_case("exit/handler-registers-handler");
    order[0] = '\0';
    atexit(h1);
    atexit(h_registers);
    code = 0;
    t_capture_start();
    how = t_catch(run_exit, &code, &status);
    t_capture_stop();
    t_int(how, 1, "exit");
    t_int(status, 0, "status 0");
    t_str(order, "RL1", "a handler registered during exit runs next");

    t_case("exit/handlers-run-once");
    order[0] = '\0';
    code = 9;
    t_capture_start();
    how = t_catch(run_exit, &code, &status);
    t_capture_stop();
    t_int(how, 1, "exit");
    t_int(status, 9, "status 9");
    t_str(order, "", "no handler is left from the last exit");

    t_case("exit/atexit-max");
    {
        int i, ok = 1;
        order[0] = '\0';
        for (i = 0; i < ATEXIT_MAX; i++)
            ok &= atexit(h1) == 0;
        t_ok(ok, "ATEXIT_MAX handlers are accepted");
        t_ok(atexit(h2) != 0, "one more is refused");
        t_capture_start();
        t_catch(run_exit, &code, &status);
        t_capture_stop();
        t_uint(strlen(order), ATEXIT_MAX, "every accepted handler ran");
        t_ok(strchr(order, '2') == NULL, "the refused one did not");
    }
}

static void run_quick_exit(void *arg)
{
    printf("left in the buffer");
    _Exit(*(int *)arg);
}

static void run_abort(void *arg)
{
    (void)arg;
    printf("before abort");
    abort();
}

static void quick_ways_out(void)
{
    int status = -1, code = 5, how;
    unsigned long len;

    t_case("exit/abort");
    order[0] = '\0';
    atexit(h1);
    t_capture_start();
    how = t_catch(run_abort, NULL, NULL);
    t_capture_stop();
    t_int(how, 2, "abort reaches atoll_abort");
    t_str(t_captured(NULL), "before abort", "abort flushes stdout");
    t_str(order, "", "abort runs no handler");

    t_case("exit/_Exit");
    t_capture_start();
    how = t_catch(run_quick_exit, &code, &status);
    t_capture_stop();
    t_int(how, 1, "_Exit reaches atoll_exit");
    t_int(status, 5, "_Exit status");
    t_captured(&len);
    t_uint(len, 0, "_Exit does not flush");
    t_str(order, "", "_Exit runs no handler");
    /* Drop what _Exit left behind (and the handler from above). */
    t_capture_start();
    code = 0;
    t_catch(run_exit, &code, &status);
    t_capture_stop();
}

/* ---- assert --------------------------------------------------------- */

#undef NDEBUG
#include <assert.h>

static void run_assert(void *arg)
{
    int two = *(int *)arg;

    assert(1 + 1 == two);
}

#define NDEBUG
#include <assert.h>

static void run_assert_ndebug(void *arg)
{
    int two = *(int *)arg;

    assert(1 + 1 == two);
    (void)two;
}

#undef NDEBUG
#include <assert.h>

static void asserts(void)
{
    int two = 2, three = 3;

    t_case("exit/assert");
    t_capture_start();
    t_int(t_catch(run_assert, &two, NULL), 0, "a true assertion returns");
    t_int(t_catch(run_assert, &three, NULL), 2, "a false one aborts");
    t_capture_stop();
    t_ok(strstr(t_captured(NULL), "t_exit.c:") != NULL &&
             strstr(t_captured(NULL), ": run_assert: assertion failed: "
                                      "1 + 1 == two\n") != NULL,
         "assert message: \"%s\"", t_captured(NULL));
    t_capture_start();
    t_int(t_catch(run_assert_ndebug, &three, NULL), 0,
          "NDEBUG: no check");
    t_capture_stop();
    t_str(t_captured(NULL), "", "NDEBUG: no message");
}

/* ---- fortify -------------------------------------------------------- */

struct chk_call {
    int which; /* 0 memcpy, 1 memmove, 2 memset */
    size_t n, dstlen;
};

static unsigned char chk_dst[16], chk_src[16];

static void run_chk(void *arg)
{
    const struct chk_call *c = arg;

    if (c->which == 0)
        __memcpy_chk(chk_dst, chk_src, c->n, c->dstlen);
    else if (c->which == 1)
        __memmove_chk(chk_dst, chk_src, c->n, c->dstlen);
    else
        __memset_chk(chk_dst, 'z', c->n, c->dstlen);
}

static void fortify(void)
{
    static const char *const names[] = {"__memcpy_chk", "__memmove_chk",
                                        "__memset_chk"};
    struct chk_call c;

    t_case("exit/fortify-chk");
    for (c.which = 0; c.which < 3; c.which++) {
        memset(chk_src, 's', sizeof(chk_src));
        memset(chk_dst, 0, sizeof(chk_dst));
        c.n = 8;
        c.dstlen = 8;
        t_capture_start();
        t_int(t_catch(run_chk, &c, NULL), 0, names[c.which]);
        t_capture_stop();
        t_int(chk_dst[7], c.which == 2 ? 'z' : 's', "copied in full");
        t_int(chk_dst[8], 0, "and no further");
        c.n = 9;
        t_capture_start();
        t_int(t_catch(run_chk, &c, NULL), 2, "one byte too many aborts");
        t_capture_stop();
        t_str(t_captured(NULL),
              "*** buffer overflow detected ***: terminated\n",
              "overflow message");
        t_int(chk_dst[8], 0, "nothing written on overflow");
        c.n = 0;
        c.dstlen = 0;
        t_int(t_catch(run_chk, &c, NULL), 0, "zero bytes into zero");
        /* (size_t)-1: the compiler did not know the object's size. */
        c.n = 16;
        c.dstlen = (size_t)-1;
        t_int(t_catch(run_chk, &c, NULL), 0, "unknown object size");
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    exit_handlers();
    quick_ways_out();
    asserts();
    fortify();
    return t_finish();
}
